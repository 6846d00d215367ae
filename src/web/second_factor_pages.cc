// The staff's second factor in the web: the code asked at sign-in after a right password, and
// Seguridad, where each person turns it on with an authenticator app (web/second_factor.h).
#include <string>

#include "crypto/digest.h"
#include "crypto/password.h"
#include "crypto/totp.h"
#include "http/client_address.h"
#include "web/html.h"
#include "web/login_throttle.h"
#include "web/qr_code.h"
#include "web/second_factor.h"
#include "web/sign_in_pages.h"
#include "web/staff_page.h"
#include "web/staff_web.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr Statement kPasswordHashOf{"second_factor.password_hash_of",
                                    "SELECT username, password_hash FROM staff_user WHERE id = $1"};

// "ABCD EFGH …": the secret as people type it into an app that cannot scan.
std::string Grouped(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += text[i];
  }
  return out;
}

}  // namespace

HttpResponse StaffWeb::LoginCode(const HttpRequest& request) {
  const auto form = FormOf(request);
  const auto cookie = CookieValue(request, kLoginCookie);
  if (!IsSameOrigin(request) || !cookie || cookie->empty() ||
      !crypto::ConstantTimeEquals(*cookie, Field(form, "csrf"))) {
    StaffLog().Warn("sign-in code form refused: wrong token or origin");
    return LoginPage(403, "", "La página de acceso estaba vencida; vuelve a intentarlo.",
                     sessions_.secure_cookie());
  }
  const std::string step_token = CookieValue(request, kSignInStepCookie).value_or("");
  const TimePoint now = clock_.Now();
  const std::string source =
      http::ThrottlingKey(http::ClientAddress(request, sessions_.trusted_proxies()));
  const std::string client = http::ClientForLog(request, sessions_.trusted_proxies());
  std::optional<HttpResponse> answer;
  const auto start_again = [&](int status, std::string_view username, std::string_view why) {
    answer = LoginPage(status, username, why, sessions_.secure_cookie());
    answer->headers.Add("Set-Cookie", ExpiredSignInCookie(kSignInStepCookie));
  };
  auto done = database_.Transact([&](Tx& tx) {
    const auto step = FindSignInStep(tx, step_token, now);
    if (!step) {
      start_again(401, "",
                  "Pasaron más de cinco minutos o la página venció; vuelve a escribir tu usuario "
                  "y tu contraseña.");
      return;
    }
    auto device = TrustedDevices::Vouching(tx, request, step->username, now);
    if (const auto wait = LoginThrottle::WaitFor(tx, step->username, source, now, device)) {
      StaffLog().Warn("sign-in code refused: too many failures",
                      {{"user_id", step->user_id}, {"client", client}});
      answer = CodePage(429,
                        "Demasiados intentos fallidos. Espera " + std::to_string(wait->count()) +
                            " segundos y vuelve a intentarlo.",
                        *cookie);
      answer->headers.Add("Retry-After", std::to_string(wait->count()));
      return;
    }
    switch (CheckCode(tx, sessions_.secret_box(), step->user_id, Field(form, "codigo"), now)) {
      case CodeCheck::kAccepted:
        // Ends the step, unless a request ahead of this one (holding the throttle's lock) already
        // ended it: then this one starts again like anyone late.
        if (!CloseSignInStep(tx, step_token)) {
          start_again(401, "", "La página venció; vuelve a escribir tu usuario y tu contraseña.");
          tx.RollbackAtEnd();
          return;
        }
        if (!device) LoginThrottle::Clear(tx, step->username);  // others' failures stand
        answer = SignedIn(tx, request, step->user_id, step->must_change_password);
        return;
      case CodeCheck::kAlreadyUsed:
        answer = CodePage(401,
                          "Ese código ya se usó. Espera a que la aplicación muestre el siguiente "
                          "y escríbelo.",
                          *cookie);
        return;
      case CodeCheck::kLocked:
        StaffLog().Warn("second factor locked after repeated wrong codes",
                        {{"user_id", step->user_id}});
        CloseSignInStep(tx, step_token);
        start_again(403, step->username,
                    "Esta cuenta recibió demasiados códigos incorrectos y quedó bloqueada. Pide "
                    "a un administrador que restablezca tu verificación en dos pasos.");
        return;
      case CodeCheck::kUnavailable:
        answer = CodePage(503,
                          "No es posible comprobar códigos de esta cuenta en este momento (la "
                          "clave del servidor cambió). Avisa al administrador de SAC.",
                          *cookie);
        return;
      case CodeCheck::kWrong:
        break;
    }
    LoginThrottle::RecordFailure(tx, step->username, source, now, device);
    StaffLog().Info("sign-in code refused", {{"user_id", step->user_id}, {"client", client}});
    if (RecordWrongCode(tx, step_token)) {
      answer = CodePage(
          401, "El código no es correcto. Escribe el que muestra ahora tu aplicación.", *cookie);
    } else {
      start_again(401, step->username, "Demasiados códigos incorrectos; vuelve a empezar.");
    }
  });
  if (!done) {
    StaffLog().Error("sign-in failed", {{"error", done.error().message}});
    return Message(503, "No disponible", "SAC no puede atender ahora; intenta en un momento.",
                   nullptr);
  }
  return std::move(*answer);
}

HttpResponse StaffWeb::SecurityPage(Tx& tx, const HttpRequest& request,
                                    const StaffSession& session) {
  return SecurityPageWith(tx, 200, DoneNotice(request), "", session);
}

HttpResponse StaffWeb::SecurityPageWith(Tx& tx, int status, const Html& notice,
                                        std::string_view error, const StaffSession& session) {
  Html content;
  content.Markup("<section class=\"acceso\"><h1>Verificación en dos pasos</h1>").Append(notice);
  if (!error.empty()) {
    content.Markup("<p class=\"error\" role=\"alert\">").Text(error).Markup("</p>");
  }
  const auto enrolment = EnrolmentSecret(tx, sessions_.secret_box(), session.user.id);
  if (!enrolment) {
    content.Markup(
        "<p class=\"error\" role=\"alert\">No es posible activarla en este momento (la clave "
        "del servidor cambió). Avisa al administrador de SAC.</p></section>");
    return Document(503, "Seguridad", content, &session);
  }
  const std::optional<std::string>& secret = *enrolment;
  if (!secret) {
    content.Markup(
        "<p>Está activa: al entrar, SAC te pide tu contraseña y el código de la "
        "aplicación de tu teléfono.</p><p>Si cambias de teléfono o lo pierdes, pide a "
        "un administrador que la restablezca; después la activas de nuevo aquí.</p>"
        "</section>");
    return Document(status, "Seguridad", content, &session);
  }
  if (sessions_.second_factor_required()) {
    content.Markup(
        "<p class=\"aviso\" role=\"alert\">Es obligatoria: actívala para continuar.</p>");
  }
  content
      .Markup(
          "<p>Protege las cuentas que ven datos de la ciudadanía: además de tu contraseña, "
          "SAC te pedirá un código que cambia cada 30 segundos.</p><ol><li>Instala en tu "
          "teléfono una aplicación de autenticación (por ejemplo FreeOTP, Aegis, Google "
          "Authenticator o Microsoft Authenticator).</li><li>En ella, agrega una cuenta "
          "escaneando este código:</li></ol><figure>")
      .Append(QrCodeSvg(crypto::TotpUri(*secret, session.user.username),
                        "Código QR para la aplicación de autenticación"))
      .Markup("<figcaption>o escribe esta clave: <code>")
      .Text(Grouped(crypto::Base32Encode(*secret)))
      .Markup(
          "</code></figcaption></figure>"
          "<form method=\"post\" action=\"/seguridad\">")
      .Append(CsrfField(session))
      .Markup(
          "<label>Código que muestra la aplicación <input name=\"codigo\" "
          "inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9 ]{6,7}\" "
          "maxlength=\"7\" required></label><label>Tu contraseña <input name=\"contrasena\" "
          "type=\"password\" autocomplete=\"current-password\" required></label>"
          "<button type=\"submit\">Activar</button></form></section>");
  return Document(status, "Seguridad", content, &session);
}

HttpResponse StaffWeb::EnableSecondFactor(Tx& tx, const HttpRequest& request,
                                          const StaffSession& session) {
  const auto form = FormOf(request);
  const TimePoint now = clock_.Now();
  const std::string source =
      http::ThrottlingKey(http::ClientAddress(request, sessions_.trusted_proxies()));
  // The password too: a session left open must not be enough to tie the account to another phone.
  const auto account = tx.Exec(kPasswordHashOf, {session.user.id});
  if (account.empty()) {
    return Message(404, "Sin cuenta", "La cuenta ya no existe.", &session);
  }
  const std::string username = account.at(0).Text(0);
  if (const auto wait = LoginThrottle::WaitFor(tx, username, source, now)) {
    return SecurityPageWith(tx, 429, {},
                            "Demasiados intentos fallidos. Espera " +
                                std::to_string(wait->count()) + " segundos y vuelve a intentarlo.",
                            session);
  }
  if (!crypto::VerifyPassword(account.at(0).Text(1), Field(form, "contrasena"))) {
    LoginThrottle::RecordFailure(tx, username, source, now);
    return SecurityPageWith(tx, 400, {}, "La contraseña no es correcta.", session);
  }
  if (!ConfirmEnrolment(tx, sessions_.secret_box(), session.user.id, Field(form, "codigo"), now)) {
    return SecurityPageWith(tx, 400, {},
                            "El código no coincide. Revisa que la hora del teléfono sea la "
                            "correcta y escribe el código que muestra ahora la aplicación.",
                            session);
  }
  StaffLog().Info("second factor enabled", {{"user_id", session.user.id}});
  // Sessions opened with the password alone end; this browser gets a fresh one.
  SessionStore::DestroyAllOf(tx, session.user.id);
  const std::string id = sessions_.Create(tx, session.user.id);
  HttpResponse answer =
      sessions_.second_factor_required()
          ? Redirect("/")
          : RedirectDone("/seguridad", "La verificación en dos pasos quedó activa.");
  answer.headers.Add("Set-Cookie", sessions_.CookieFor(id));
  return answer;
}

}  // namespace sac::web
