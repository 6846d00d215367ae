// The staff web in a real browser (Debian's chromium driven by playwright-core, headless): a
// capturista signs in for the first time and chooses a password, classifies a queued boleta,
// captures a phone petition and reads its folio, and signs out; then the enlace of the
// dependencia it went to marks it read in their inbox, opens it and reports it attended; the
// meeting pack's PDF opens; an administrator reloads the rules, creates an account, turns on the
// second factor with the key Seguridad shows and signs in again with the app's code.
// Screenshots go to $SAC_ARTIFACTS. Started by tests/browser/browser_test.cc, which serves SAC and seeds the data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';

const base = process.env.SAC_BASE_URL;
const user = process.env.SAC_USER;
const firstPassword = process.env.SAC_PASSWORD;
const artifacts = process.env.SAC_ARTIFACTS;
const queued = process.env.SAC_QUEUED_FOLIO;
const enlace = process.env.SAC_ENLACE;
const admin = process.env.SAC_ADMIN;
// A 1×1 PNG: the photo attached at Captura.
const photo = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
                          'base64');
const newPassword = 'una contraseña nueva y larga';

// What a phone's authenticator app shows (RFC 6238) for the key Seguridad prints in base32.
function totp(base32Key, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32Key.replace(/\s/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

let browser;
let page;

before(async () => {
  assert.ok(base && user && firstPassword && artifacts && queued,
            'SAC_BASE_URL, SAC_USER, SAC_PASSWORD, SAC_ARTIFACTS, SAC_QUEUED_FOLIO');
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'es-MX' });
  // A page that runs script we did not write, or breaks our CSP, fails the test.
  page.on('console', (message) => {
    if (message.type() === 'error') throw new Error(`console error: ${message.text()}`);
  });
});

after(async () => {
  await browser?.close();
});

async function shot(name) {
  await page.waitForLoadState('load');
  const options = { path: join(artifacts, `${name}.png`), fullPage: true };
  try {
    await page.screenshot(options);
  } catch (error) {
    // Chromium sometimes refuses a capture while it is still compositing after a navigation on a
    // busy machine ("Unable to capture screenshot"); the evidence is worth one more try.
    await page.waitForTimeout(500);
    await page.screenshot(options);
  }
}

test('sign in for the first time and choose a password', async () => {
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/login', 'no session: to the sign-in page');
  await page.fill('input[name=usuario]', user);
  await page.fill('input[name=contrasena]', firstPassword);
  await page.click('button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/contrasena', 'a new account chooses its password first');
  await page.fill('input[name=actual]', firstPassword);
  await page.fill('input[name=nueva]', newPassword);
  await page.fill('input[name=repetida]', newPassword);
  await page.click('main button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.textContent('h1'), /Hola/);
  await shot('01-inicio');
});

test('classify a queued boleta', async () => {
  await page.click('nav a[href="/clasificacion"]');
  const boleta = page.locator('article.boleta').first();
  await page.waitForLoadState('load');  // bandeja.js has run
  await page.keyboard.press('j');  // the keyboard moves between boletas
  assert.ok(await page.evaluate(() => document.activeElement.matches('article.boleta')),
            'j focuses a boleta');
  assert.ok((await boleta.textContent()).includes(queued), `the queued boleta ${queued} is shown`);
  assert.ok(await boleta.locator('mark').count() > 0, 'the words that fired are highlighted');
  await shot('02-bandeja');
  await boleta.locator('select[name=dependencia]').selectOption('aseo_urbano');
  await boleta.locator('select[name=categoria]').selectOption('');
  await boleta.focus();
  await page.keyboard.press('a');  // canalizar as it stands, from the keyboard
  assert.ok((await page.textContent('.hecho')).includes(`${queued} canalizada`));
  assert.equal(await page.locator('article.boleta').count(), 0, 'nothing else waits');
});

test('capture a phone petition and read its folio', async () => {
  await page.click('nav a[href="/captura"]');
  await page.check('input[name=canal][value=telefono]');
  await page.locator('textarea[name=texto]').pressSequentially(
      'hay una fuga de agua potable enorme frente a la primaria', { delay: 5 });
  // htmx asks the classifier while staff type.
  await page.waitForFunction(() => document.getElementById('sugerencia').textContent.includes('JUMAPAM'));
  await page.fill('input[name=nombre]', 'Martha Peña');
  await page.fill('input[name=telefono]', '669 123 4501');
  await page.setInputFiles('input[name=foto]', { name: 'fuga.png', mimeType: 'image/png', buffer: photo });
  await page.click('main button[type=submit]');
  const folio = (await page.textContent('.folio')).trim();
  assert.match(folio, /^\d{4}-\d{6}$/);
  assert.match(await page.textContent('.ficha'), /La atiende/);
  assert.match(await page.textContent('.ficha'), /Fotos\s*1/, 'the photo went with it');
  await shot('03-ficha');
  console.log(`folio ${folio}`);
});

test('the statistics page draws its charts', async () => {
  await page.click('nav a[href="/estadisticas"]');
  await page.waitForFunction(() => typeof Chart !== 'undefined' &&
      ['g-tendencia', 'g-medio', 'g-dependencia', 'g-validacion']
        .every((id) => Chart.getChart(document.getElementById(id))));
  await shot('04-estadisticas');
});

test('the meeting pack opens as a PDF', async () => {
  await page.click('nav a[href="/reunion"]');
  assert.match(await page.textContent('h1'), /Reunión mensual/);
  assert.ok(await page.locator('table.cifras').count() > 0, 'the summary table');
  await shot('07-reunion');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('a:has-text("Descargar el PDF")'),
  ]);
  const file = join(artifacts, 'reunion.pdf');
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.match(text, /Reunión mensual · JUMAPAM/, 'poppler reads it');
});

test('sign out', async () => {
  await page.locator('header button', { hasText: 'Salir' }).click();
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/login', 'the session is gone');
});

test('the enlace marks it read in the inbox, opens it and reports it attended', async () => {
  await page.fill('input[name=usuario]', enlace);
  await page.fill('input[name=contrasena]', firstPassword);
  await page.click('button[type=submit]');
  await page.click('nav a[href="/bandeja"]');
  const unread = page.locator('tr.sin-leer', { hasText: queued });
  await unread.locator('input[type=checkbox]').check();
  await shot('05-bandeja-dependencia');
  await page.click('button:has-text("Marcar como leídas")');
  assert.match(await page.textContent('.hecho'), /1 boleta marcada como leída/);
  await page.click(`a[href="/boletas/${queued}"]`);
  assert.match(await page.textContent('h1'), /Leída/);
  const attend = page.locator('form', { has: page.locator('button', { hasText: 'Atendida' }) });
  await attend.locator('input[name=comentario]').fill('Se levantó la basura del arroyo');
  await attend.locator('button').click();
  assert.match(await page.textContent('h1'), /Atendida/);
  await shot('06-boleta');
});

test('an administrator reloads the rules and creates an account', async () => {
  await page.locator('header button', { hasText: 'Salir' }).click();
  await page.fill('input[name=usuario]', admin);
  await page.fill('input[name=contrasena]', firstPassword);
  await page.click('button[type=submit]');
  await page.click('nav a[href="/admin"]');
  await page.click('a[href="/admin/reglas"]');
  assert.ok(await page.locator('td.bien', { hasText: 'cumple' }).count() >= 4, 'every gate passes');
  await page.click('button:has-text("Recargar reglas")');
  assert.match(await page.textContent('.hecho'), /Reglas recargadas/);
  await shot('08-admin-reglas');
  await page.goto(`${base}/admin/usuarios`);
  await page.fill('input[name=usuario]', 'director.nuevo');
  await page.fill('input[name=nombre]', 'Director de prueba');
  await page.selectOption('select[name=rol]', 'director');
  await page.click('button:has-text("Crear cuenta")');
  assert.match(await page.textContent('.hecho'), /Contraseña inicial/);
  await shot('09-admin-usuarios');
});

test('the administrator turns on the second factor and signs in with the app\'s code', async () => {
  await page.click('header a[href="/seguridad"]');
  const key = await page.textContent('figcaption code');
  // The QR code read back as a phone's app would (zbar): the account and the key shown beside it.
  const qr = join(artifacts, 'qr.png');
  await page.locator('svg.qr').screenshot({ path: qr });
  const scanned = execFileSync('zbarimg', ['--raw', '-q', qr], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  assert.equal(scanned, `otpauth://totp/SAC%20Mazatl%C3%A1n:${admin}?secret=${key.replace(/\s/g, '')}` +
                        '&issuer=SAC%20Mazatl%C3%A1n&algorithm=SHA1&digits=6&period=30');
  const step = Math.floor(Date.now() / 1000 / 30);
  await page.fill('input[name=codigo]', totp(key, step));
  await page.fill('main input[name=contrasena]', firstPassword);
  await shot('10-seguridad');
  await page.click('main button[type=submit]');
  assert.match(await page.textContent('.hecho'), /quedó activa/);
  await page.locator('header button', { hasText: 'Salir' }).click();
  await page.fill('input[name=usuario]', admin);
  await page.fill('input[name=contrasena]', firstPassword);
  await page.click('button[type=submit]');
  assert.match(await page.textContent('h1'), /Código de verificación/, 'the password is not enough');
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/login', 'no session yet');
  await page.fill('input[name=usuario]', admin);
  await page.fill('input[name=contrasena]', firstPassword);
  await page.click('button[type=submit]');
  // The code that turned it on is spent: the app's next one (accepted one step early).
  await page.fill('input[name=codigo]', totp(key, step + 1));
  await shot('11-codigo');
  await page.click('main button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.textContent('h1'), /Hola/);
});
