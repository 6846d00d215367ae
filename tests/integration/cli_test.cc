// The real `sac` binary, as an operator or deploy/dev.sh runs it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <regex>
#include <thread>

#include "crypto/digest.h"
#include "crypto/password.h"
#include "http/curl_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac {
namespace {

using ::testing::Not;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;
using testing::RunProcess;
using testing::SacBinary;
using testing::TestDatabase;
using namespace std::chrono_literals;

int CountLines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

std::string WriteConfig(const std::string& text) {
  const std::string path = ::testing::TempDir() + "sac_cli_" + std::to_string(getpid()) + ".toml";
  std::ofstream(path) << text;
  return path;
}

TEST(CliTest, VersionPrintsTheVersionAndCommit) {
  const auto result = RunProcess({SacBinary(), "version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, MatchesRegex("sac [0-9]+\\.[0-9]+\\.[0-9]+ \\(.+\\)\n"));
}

TEST(CliTest, UnknownFlagsAndSubcommandsFailWithOneLine) {
  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{SacBinary(), "serve", "--bogus"},
        std::vector<std::string>{SacBinary(), "frobnicate"},
        std::vector<std::string>{SacBinary()}}) {
    const auto result = RunProcess(argv);
    EXPECT_NE(result.exit_code, 0);
    EXPECT_THAT(result.err, StartsWith("sac: "));
    EXPECT_EQ(CountLines(result.err), 1) << result.err;
  }
}

TEST(CliTest, ABadConfigurationValueFailsNamingTheKey) {
  const std::string config = WriteConfig("[http]\nport = \"eighty\"\n[pipline]\nworkers = 1\n");
  const auto result = RunProcess({SacBinary(), "--config", config, "migrate"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("http.port"));
  EXPECT_THAT(result.err, HasSubstr("'pipline'"));
  EXPECT_EQ(CountLines(result.err), 1);
}

TEST(CliTest, ServeRefusesToStartWithoutItsSecrets) {
  const auto result = RunProcess({SacBinary(), "--config",
                           (testing::SourceDir() / "deploy/config/sac.dev.toml").string(), "serve"},
                          {{"SAC_DATABASE_URL", "host=/nonexistent"},
                           {"SAC_WHATSAPP_APP_SECRET", ""},
                           {"SAC_WHATSAPP_VERIFY_TOKEN", "x"},
                           {"SAC_WHATSAPP_ACCESS_TOKEN", "y"}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("SAC_WHATSAPP_APP_SECRET"));
}

TEST(CliTest, MigrateIsDryRunnableAndIdempotent) {
  TestDatabase db(TestDatabase::Schema::kEmpty);
  const std::map<std::string, std::string> env = {{"SAC_DATABASE_URL", db.url()}};
  const auto dry = RunProcess({SacBinary(), "migrate", "--dry-run"}, env);
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("0 applied"));
  EXPECT_THAT(dry.out, HasSubstr("would apply 0001_"));
  EXPECT_EQ(db.Scalar("SELECT to_regclass('schema_migrations') IS NULL"), "t");

  const auto first = RunProcess({SacBinary(), "migrate"}, env);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("applied"));
  const auto second = RunProcess({SacBinary(), "migrate"}, env);
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_THAT(second.out, HasSubstr("schema is up to date"));
}

TEST(CliTest, MigrateWithoutADatabaseFailsClearly) {
  const auto result = RunProcess({SacBinary(), "migrate"}, {{"SAC_DATABASE_URL", "host=/nonexistent"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot connect to the database"));
}

TEST(CliTest, SeedLoadsTheDependenciasAndShowsTheDemoPasswordOnlyOnce) {
  TestDatabase db;
  const std::map<std::string, std::string> env = {{"SAC_DATABASE_URL", db.url()}};
  const std::string rules_config =
      WriteConfig("[rules]\ndir = \"" + (testing::SourceDir() / "rules").string() + "\"\n");
  const auto production = RunProcess({SacBinary(), "--config", rules_config, "seed"}, env);
  ASSERT_EQ(production.exit_code, 0) << production.err;
  EXPECT_EQ(db.Count("SELECT count(*) FROM dependencia"), 15);
  EXPECT_EQ(db.Count("SELECT count(*) FROM staff_user"), 0) << "no demo account unless asked";
  EXPECT_THAT(production.out, Not(HasSubstr("contraseña")));
  const auto first = RunProcess({SacBinary(), "--config", rules_config, "seed", "--demo"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(db.Scalar("SELECT sla_business_days FROM dependencia WHERE id = 'alumbrado_publico'"),
            "15");
  std::smatch match;
  const std::regex password_line("contraseña: ([a-z0-9]+)");
  ASSERT_TRUE(std::regex_search(first.out, match, password_line)) << first.out;
  const std::string password = match[1];
  EXPECT_GE(password.size(), 20u);
  EXPECT_TRUE(crypto::VerifyPassword(
      db.Scalar("SELECT password_hash FROM staff_user WHERE username = 'demo'"), password));

  const auto second = RunProcess({SacBinary(), "--config", rules_config, "seed", "--demo"}, env);
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_THAT(second.out, HasSubstr("0 added or updated"));
  EXPECT_THAT(second.out, ::testing::Not(HasSubstr(password)));
  EXPECT_THAT(second.out, HasSubstr("already exists"));
}

TEST(CliTest, TokenCreatePrintsTheTokenOnceAsTheLastWord) {
  TestDatabase db;
  const std::map<std::string, std::string> env = {{"SAC_DATABASE_URL", db.url()}};
  db.Execute("INSERT INTO dependencia (id, name, sla_business_days) VALUES ('jumapam', 'JUMAPAM', 10)");
  const auto created = RunProcess({SacBinary(), "token", "create", "--dependencia", "jumapam"}, env);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string token = created.out.substr(created.out.find_last_of(' ') + 1,
                                               created.out.size() - created.out.find_last_of(' ') - 2);
  EXPECT_THAT(token, StartsWith("sac_"));
  EXPECT_GE(token.size(), 40u);
  EXPECT_EQ(db.Count("SELECT count(*) FROM api_token WHERE token_sha256 = encode(sha256('" + token +
                     "'::bytea), 'hex')"),
            1) << "only the hash is stored";
  EXPECT_EQ(db.Count("SELECT count(*) FROM api_token WHERE token_sha256 LIKE '%" + token + "%'"), 0);

  const auto unknown = RunProcess({SacBinary(), "token", "create", "--dependencia", "nope"}, env);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no existe la dependencia nope"));
  const auto missing = RunProcess({SacBinary(), "token", "create"}, env);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_EQ(CountLines(missing.err), 1);

  const auto revoked = RunProcess({SacBinary(), "token", "revoke", "1"}, env);
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(db.Count("SELECT count(*) FROM api_token WHERE revoked_at IS NOT NULL"), 1);
  EXPECT_EQ(RunProcess({SacBinary(), "token", "revoke", "1"}, env).exit_code, 2) << "already revoked";
}

TEST(CliTest, UserCommandsCreateDisableAndResetAccountsShowingPasswordsOnce) {
  TestDatabase db;
  const std::map<std::string, std::string> env = {{"SAC_DATABASE_URL", db.url()}};
  db.Execute("INSERT INTO dependencia (id, name, sla_business_days) VALUES ('jumapam', 'JUMAPAM', 10)");
  const auto created = RunProcess({SacBinary(), "user", "create", "lucia.enlace", "--nombre",
                                   "Lucía Enlace", "--rol", "enlace", "--dependencia", "jumapam"},
                                  env);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string password = created.out.substr(created.out.find_last_of(' ') + 1,
                                                  created.out.size() - created.out.find_last_of(' ') - 2);
  EXPECT_GE(password.size(), 20u);
  EXPECT_EQ(db.Scalar("SELECT role || ':' || must_change_password || ':' || "
                      "(password_hash LIKE '$argon2id$%') FROM staff_user"),
            "enlace:true:true");
  EXPECT_EQ(db.Scalar("SELECT dependencia_id FROM staff_user_dependencia"), "jumapam");
  EXPECT_EQ(db.Count("SELECT count(*) FROM staff_user WHERE password_hash LIKE '%" + password + "%'"), 0);

  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"user", "create", "lucia.enlace", "--nombre", "Otra", "--rol", "director"},
        std::vector<std::string>{"user", "create", "pedro", "--nombre", "Pedro", "--rol", "enlace"},
        std::vector<std::string>{"user", "create", "pedro", "--nombre", "Pedro", "--rol", "jefe"},
        std::vector<std::string>{"user", "create", "Pedro Pérez", "--nombre", "Pedro", "--rol", "director"},
        std::vector<std::string>{"user", "create", "pedro", "--nombre", "Pedro", "--rol", "enlace",
                                 "--dependencia", "nope"}}) {
    std::vector<std::string> args = {SacBinary()};
    args.insert(args.end(), bad.begin(), bad.end());
    const auto refused = RunProcess(args, env);
    EXPECT_EQ(refused.exit_code, 2) << bad[2] << " " << bad.back();
    EXPECT_EQ(CountLines(refused.err), 1) << refused.err;
  }
  EXPECT_EQ(db.Count("SELECT count(*) FROM staff_user"), 1);

  db.Execute("INSERT INTO staff_session SELECT 'h', id, 't', now(), now() FROM staff_user");
  const auto reset = RunProcess({SacBinary(), "user", "reset-password", "lucia.enlace"}, env);
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_THAT(reset.out, Not(HasSubstr(password)));
  EXPECT_EQ(db.Count("SELECT count(*) FROM staff_session"), 0) << "its sessions end";
  db.Execute("UPDATE staff_user SET totp_secret = '\\x01', totp_enabled_at = now()");
  db.Execute("INSERT INTO staff_session SELECT 'h', id, 't', now(), now() FROM staff_user");
  const auto lost_phone =
      RunProcess({SacBinary(), "user", "reset-second-factor", "lucia.enlace"}, env);
  ASSERT_EQ(lost_phone.exit_code, 0) << lost_phone.err;
  EXPECT_EQ(db.Scalar("SELECT totp_secret IS NULL AND totp_enabled_at IS NULL FROM staff_user"), "t");
  EXPECT_EQ(db.Count("SELECT count(*) FROM staff_session"), 0) << "its sessions end";
  EXPECT_EQ(RunProcess({SacBinary(), "user", "reset-second-factor", "nadie"}, env).exit_code, 2);
  const auto disabled = RunProcess({SacBinary(), "user", "disable", "lucia.enlace"}, env);
  EXPECT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_EQ(db.Scalar("SELECT active FROM staff_user"), "f");
  EXPECT_EQ(RunProcess({SacBinary(), "user", "disable", "nadie"}, env).exit_code, 2);
}

TEST(CliTest, RulesCorreccionesPrintsEachStaffCorrectionOnceAsAGoldenCase) {
  TestDatabase db;
  const std::map<std::string, std::string> env = {{"SAC_DATABASE_URL", db.url()}};
  db.Execute("INSERT INTO boleta (folio, channel, text) VALUES "
             "('2026-000007', 'whatsapp', E'se cayo un arbol\\ten la banqueta')");
  db.Execute("INSERT INTO classification_correction (boleta_id, staff, machine_dependencia,"
             " machine_categoria, machine_confidence, human_dependencia) "
             "SELECT id, 'ana', 'obras_publicas', 'banqueta', 0.5, 'parques_jardines' FROM boleta");
  const auto first = RunProcess({SacBinary(), "rules", "correcciones"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out,
            "# folio 2026-000007: la máquina dijo obras_publicas/banqueta (0.50); ana canalizó a "
            "parques_jardines\nse cayo un arbol en la banqueta\tpeticion\tparques_jardines\t-\n");
  EXPECT_THAT(first.err, HasSubstr("quite nombres, teléfonos y domicilios"));
  const auto second = RunProcess({SacBinary(), "rules", "correcciones"}, env);
  EXPECT_EQ(second.out, "");
  const auto all = RunProcess({SacBinary(), "rules", "correcciones", "--todas"}, env);
  EXPECT_EQ(CountLines(all.out), 2);
}

TEST(CliTest, ClassifyReadsJsonLinesAndAnswersOneLineEach) {
  const std::string rules = (testing::SourceDir() / "tests/classify/testdata/rules").string();
  const auto result = RunProcess(
      {SacBinary(), "classify", "--rules", rules},
      {}, "{\"id\": 1, \"text\": \"hay una fuga de agua en la col juarez\", \"canal\": \"x\"}\n"
          "not json\n"
          "{\"id\": \"b\"}\n"
          "{\"id\": \"c\", \"text\": \"hola\"}\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  std::vector<std::string> out;
  for (std::string line; std::getline(lines, line);) out.push_back(line);
  ASSERT_EQ(out.size(), 4u) << "one line per input line, in order";
  EXPECT_THAT(out[0], StartsWith("{\"id\":1,"));
  EXPECT_THAT(out[0], HasSubstr("\"dependencia\":\"jumapam\""));
  EXPECT_THAT(out[0], HasSubstr("\"colonia\":\"Benito Juárez\""));
  EXPECT_THAT(out[0], HasSubstr("\"needs_review\":false"));
  EXPECT_THAT(out[0], HasSubstr("\"rules\":["));
  EXPECT_THAT(out[1], HasSubstr("\"error\""));
  EXPECT_THAT(out[2], StartsWith("{\"id\":\"b\",\"error\""));
  EXPECT_THAT(out[3], HasSubstr("\"intent\":\"saludo\""));
}

TEST(CliTest, ClassifyExplainsOneTextToAPerson) {
  const auto result = RunProcess({SacBinary(), "classify", "--rules",
                                  (testing::SourceDir() / "tests/classify/testdata/rules").string(),
                                  "la lampara esta fundida"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("alumbrado_publico"));
  EXPECT_THAT(result.out, HasSubstr("categorias/prueba.toml"));
}

TEST(CliTest, RulesCheckAndTestReportProblemsAndGates) {
  const std::string good = (testing::SourceDir() / "tests/classify/testdata/rules").string();
  const auto check = RunProcess({SacBinary(), "rules", "check", good});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("4 categorías"));
  const auto test = RunProcess({SacBinary(), "rules", "test", good});
  EXPECT_EQ(test.exit_code, 0) << test.err;
  EXPECT_THAT(test.out, HasSubstr("precisión"));

  const auto broken = std::filesystem::temp_directory_path() / "sac_cli_broken_rules";
  std::filesystem::remove_all(broken);
  std::filesystem::copy(good, broken, std::filesystem::copy_options::recursive);
  std::ofstream(broken / "categorias" / "mala.toml")
      << "[[categoria]]\nid = \"x\"\nnombre = \"X\"\ndependencia = \"jumapam\"\n"
      << "patrones = [{ re = '(roto', peso = 2 }]\n";
  const auto refused = RunProcess({SacBinary(), "rules", "check", broken.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("categorias/mala.toml:5"));

  // Stricter gates than the rules can meet: `rules test` fails.
  std::filesystem::remove(broken / "categorias" / "mala.toml");
  std::ofstream(broken / "clasificador.toml") << "[casos]\nautomatico_minimo = 1.0\n"
                                                 "[enrutamiento]\nconfianza_minima = 0.99\n";
  const auto gated = RunProcess({SacBinary(), "rules", "test", broken.string()});
  EXPECT_EQ(gated.exit_code, 1);
  EXPECT_THAT(gated.err, HasSubstr("por debajo del umbral"));
}

TEST(CliTest, RulesTestEvaluatesASeparateCaseFileWithItsOwnGates) {
  const std::string rules = (testing::SourceDir() / "tests/classify/testdata/rules").string();
  const auto file = std::filesystem::temp_directory_path() / "sac_cli_blind.tsv";
  std::ofstream(file) << "# apart from the rules\n"
                      << "hay agua en la calle\tpeticion\tjumapam\t-\n"
                      << "la lampara esta fundida\tpeticion\talumbrado_publico\t-\n"
                      << "quiero saber algo\totro\t-\t-\n";
  const auto result = RunProcess({SacBinary(), "rules", "test", rules, "--casos", file.string(),
                                  "--automatico-minimo", "0.5"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("casos: 3\n")) << "only the file's cases, no examples";
  const auto strict = RunProcess({SacBinary(), "rules", "test", rules, "--casos", file.string(),
                                  "--automatico-minimo", "1"});
  EXPECT_EQ(strict.exit_code, 1) << "'agua' alone is weak evidence";
  std::ofstream(file, std::ios::app) << "una linea sin columnas\n";
  const auto malformed = RunProcess({SacBinary(), "rules", "test", rules, "--casos", file.string()});
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_THAT(malformed.err, HasSubstr("sac_cli_blind.tsv:5: expected 4 tab-separated columns"));
}

// A value for every secret of the channels the dev configuration enables.
std::map<std::string, std::string> ChannelSecrets() {
  return {{"SAC_WHATSAPP_APP_SECRET", "mzt_test_app_secret"},
          {"SAC_WHATSAPP_VERIFY_TOKEN", "v"},
          {"SAC_WHATSAPP_ACCESS_TOKEN", "t"},
          {"SAC_TELEGRAM_BOT_TOKEN", "7012345678:t"},
          {"SAC_TELEGRAM_SECRET_TOKEN", "s"},
          {"SAC_META_APP_SECRET", "mzt_test_app_secret"},
          {"SAC_META_VERIFY_TOKEN", "v"},
          {"SAC_META_PAGE_TOKEN", "t"},
          {"SAC_TWILIO_AUTH_TOKEN", "t"},
          {"SAC_PUBLIC_BASE_URL", "https://atencion.municipio.example"},
          {"SAC_OPEN311_API_KEYS", "app:k"},
          {"SAC_MAILGUN_SIGNING_KEY", "mzt-test-mailgun-signing-key"},
          {"SAC_EMAIL_WEBHOOK_TOKEN", "e"},
          {"SAC_POSTMARK_TOKEN", "p"},
          {"SAC_SENDGRID_TOKEN", "s"}};
}

// The dev configuration, with the rules found from wherever the test runs.
std::string DevConfig() {
  std::ifstream in(testing::SourceDir() / "deploy/config/sac.dev.toml");
  std::stringstream text;
  text << in.rdbuf();
  std::string config = text.str();
  const std::string relative = "dir = \"rules\"";
  config.replace(config.find(relative), relative.size(),
                 "dir = \"" + (testing::SourceDir() / "rules").string() + "\"");
  return WriteConfig(config);
}

TEST(CliTest, ServeShutsDownGracefullyOnSigterm) {
  TestDatabase db;
  const std::uint16_t port = testing::FreeLoopbackPort();
  std::map<std::string, std::string> env = ChannelSecrets();
  env["SAC_DATABASE_URL"] = db.url();
  env["SAC_HTTP_PORT"] = std::to_string(port);
  // A second-factor key kept in clear from before SAC_SECRET_KEY was set: sealed at start.
  env["SAC_SECRET_KEY"] = std::string(64, '7');
  db.Execute("INSERT INTO staff_user (username, display_name, role, password_hash, totp_secret,"
             "  totp_enabled_at) VALUES ('ana', 'Ana', 'administrador', 'x',"
             "  convert_to('12345678901234567890', 'UTF8'), now())");
  testing::Subprocess serve({SacBinary(), "--config", DevConfig(), "serve"}, env);
  http::CurlHttpClient client;
  bool healthy = false;
  for (int i = 0; i < 100 && !healthy; ++i) {
    auto response = client.Execute({"GET", "http://127.0.0.1:" + std::to_string(port) + "/readyz",
                                    {}, "", 1000ms});
    healthy = response && response->status == 200;
    if (!healthy) std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(healthy);
  const std::string file = "text_fuga_agua_colonia_juarez.json";
  auto accepted = client.Execute(
      {"POST", "http://127.0.0.1:" + std::to_string(port) + "/webhooks/whatsapp",
       {{"Content-Type", "application/json"},
        {"X-Hub-Signature-256", testing::ReadSignatures("whatsapp").at(file)}},
       testing::ReadTestdata("whatsapp", file), 5000ms});
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200);

  serve.Signal(SIGHUP);  // reload the rules; the server keeps serving
  std::this_thread::sleep_for(500ms);
  auto still = client.Execute({"GET", "http://127.0.0.1:" + std::to_string(port) + "/healthz", {}, "", 1000ms});
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200);
  serve.Signal(SIGTERM);
  const auto result = serve.Wait(15s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\"msg\":\"rules reloaded\""));
  EXPECT_THAT(result.out, HasSubstr("\"msg\":\"stopping\""));
  EXPECT_THAT(result.out, HasSubstr("\"msg\":\"sac stopped\""));
  EXPECT_THAT(result.out, HasSubstr("\"msg\":\"second-factor keys sealed under the current"));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr(env["SAC_SECRET_KEY"])));
  EXPECT_EQ(db.Scalar("SELECT encode(substring(totp_secret FROM 1 FOR 4), 'escape')"
                      " FROM staff_user"),
            "sac1");
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 1) << "the acknowledged webhook is stored";
  // Structured logs: every stdout line is one JSON object, and no citizen data is in them.
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_THAT(line, StartsWith("{\"ts\":"));
  }
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("6691234501")));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("Guadalupe")));
}

// --- sac ingest-mail: what Postfix's pipe(8) runs, one message on stdin -------------------------

std::string IngestMailConfig(const std::string& media_dir) {
  return WriteConfig("[channels.email]\nenabled = true\n"
                     "from_address = \"atencion-ciudadana@municipio.example\"\n"
                     "[media]\ndir = \"" + media_dir + "\"\n");
}

TEST(CliTest, IngestMailStoresEveryMailFixtureOnce) {
  TestDatabase db;
  const std::string media = ::testing::TempDir() + "sac_ingest_media_" + std::to_string(getpid());
  const std::string config = IngestMailConfig(media);
  const std::map<std::string, std::string> env = {{"SAC_DATABASE_URL", db.url()}};
  int files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::SourceDir() / "channels/email/testdata")) {
    if (entry.path().extension() != ".eml") continue;
    ++files;
    SCOPED_TRACE(entry.path().filename().string());
    const std::string mail = testing::ReadFile(entry.path());
    const auto stored = RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env, mail);
    EXPECT_EQ(stored.exit_code, 0) << stored.err;
    const auto again = RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env, mail);
    EXPECT_EQ(again.exit_code, 0) << "Postfix redelivering: " << again.err;
  }
  EXPECT_EQ(files, 6);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox WHERE channel = 'email' AND kind = 'message'"), 5);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox WHERE channel = 'email' AND kind = 'delivery'"), 1)
      << "the bounce";
  EXPECT_EQ(db.Count("SELECT count(*) FROM webhook_request WHERE channel = 'email'"), 6)
      << "one raw message each; the redeliveries added nothing";
  const std::string sha = db.Scalar(
      "SELECT substr(payload->'media'->0->>'provider_media_id', 8) FROM inbox WHERE payload ? 'media'");
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(media) / sha.substr(0, 2) / sha))
      << "the attachment is on disk before the exit";
  std::filesystem::remove_all(media);
}

TEST(CliTest, IngestMailQuarantinesWhatItCannotRead) {
  TestDatabase db;
  const std::string config = IngestMailConfig(::testing::TempDir() + "sac_ingest_q");
  const std::map<std::string, std::string> env = {{"SAC_DATABASE_URL", db.url()}};
  std::string bomb = "From: a@correo.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 100000; ++i) bomb += "--b\r\n\r\n";
  const auto refused = RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env, bomb);
  EXPECT_EQ(refused.exit_code, 65) << "EX_DATAERR: Postfix bounces it";
  EXPECT_THAT(refused.err, HasSubstr("more than 100 parts"));
  const auto garbage = RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env, "hola\n");
  EXPECT_EQ(garbage.exit_code, 65);
  std::string deep = "From: a@correo.example\r\n";
  for (int i = 0; i < 1000; ++i) {
    deep += "Content-Type: multipart/mixed; boundary=d" + std::to_string(i) + "\r\n\r\n--d" +
            std::to_string(i) + "\r\n";
  }
  const auto nested = RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env, deep);
  EXPECT_EQ(nested.exit_code, 65);
  EXPECT_THAT(nested.err, HasSubstr("nested deeper than 10"));
  EXPECT_EQ(RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env, bomb).exit_code, 65);
  EXPECT_EQ(db.Count("SELECT count(*) FROM email_quarantine"), 3) << "the same bytes kept once";
  EXPECT_EQ(db.Scalar("SELECT size_bytes FROM email_quarantine ORDER BY id LIMIT 1"),
            std::to_string(bomb.size()));
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 0);
}

// A mail with `attachment` (as base64, in lines of 76) after a short text.
std::string MailWithAttachment(const std::string& name, const std::string& type,
                               const std::string& attachment) {
  const std::string encoded = crypto::Base64Encode(attachment);
  std::string mail =
      "From: Vecina <vecina@correo.example>\r\nTo: atencion-ciudadana@municipio.example\r\n"
      "Subject: Fuga de agua\r\nMessage-ID: <bomba-" + name + "@correo.example>\r\n"
      "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
      "Hay una fuga de agua enorme en la calle Río Piaxtla, colonia Centro.\r\n"
      "--b\r\nContent-Type: " + type + "; name=\"" + name + "\"\r\n"
      "Content-Disposition: attachment; filename=\"" + name + "\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n";
  for (std::size_t at = 0; at < encoded.size(); at += 76) mail += encoded.substr(at, 76) + "\r\n";
  return mail + "--b--\r\n";
}

// Bad input #20: attachment bombs. A gzip that expands a thousandfold (100 MB of zeros in ~100 KB)
// is kept as the bytes that came, never expanded, and the message with it; an attachment whose
// base64 alone passes the 25 MiB limit makes the mail too big: quarantined with its size, bounced.
TEST(CliTest, IngestMailKeepsACompressedBombAsItCameAndAMailWithAnOversizedAttachmentWithoutIt) {
  TestDatabase db;
  const std::string media = ::testing::TempDir() + "sac_ingest_bomb_" + std::to_string(getpid());
  const std::string config = IngestMailConfig(media);
  const std::map<std::string, std::string> env = {{"SAC_DATABASE_URL", db.url()}};
  const std::string gzip =
      RunProcess({"/bin/sh", "-c", "head -c 100000000 /dev/zero | gzip -9"}).out;
  ASSERT_GT(gzip.size(), 1000u);
  ASSERT_LT(gzip.size(), 200000u);
  const auto stored = RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env,
                                 MailWithAttachment("reporte.gz", "application/gzip", gzip));
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox WHERE channel = 'email' AND kind = 'message'"), 1);
  EXPECT_THAT(db.Scalar("SELECT payload->>'text' FROM inbox"), HasSubstr("Río Piaxtla"));
  EXPECT_EQ(db.Scalar("SELECT payload->'media'->0->>'size_bytes' FROM inbox"),
            std::to_string(gzip.size()))
      << "the attachment is the bytes that came, not what they expand to";
  const std::string sha = crypto::Sha256Hex(gzip);
  const auto file = std::filesystem::path(media) / sha.substr(0, 2) / sha;
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(std::filesystem::file_size(file), gzip.size());

  // An attachment whose base64 makes the mail bigger than the limit: the message is kept from its
  // first bytes, without that attachment, which is on record as too large.
  const std::string big(26 * 1024 * 1024, 'x');
  const std::string oversized = MailWithAttachment("grande.bin", "application/octet-stream", big);
  const auto cut = RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env, oversized);
  EXPECT_EQ(cut.exit_code, 0) << cut.err;
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 2);
  EXPECT_EQ(db.Count("SELECT count(*) FROM email_quarantine"), 0);
  EXPECT_THAT(db.Scalar("SELECT payload->>'text' FROM inbox ORDER BY id DESC LIMIT 1"),
              HasSubstr("Río Piaxtla"));
  EXPECT_EQ(db.Scalar("SELECT string_agg((m->>'provider_media_id') || ' ' || (m->>'too_large'), ',') "
                      "FROM inbox, jsonb_array_elements(payload->'media') m WHERE inbox.id = "
                      "(SELECT max(id) FROM inbox)"),
            "too_large true");
  EXPECT_LT(db.Count("SELECT length(body) FROM webhook_request ORDER BY id DESC LIMIT 1"), 100000)
      << "the raw mail kept is the part before the attachment, not 25 MB of its base64";
  const auto again = RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env, oversized);
  EXPECT_EQ(again.exit_code, 0) << "a redelivery";
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 2) << "is a duplicate";

  // Too big with nothing whole before the cut (a single-part mail): quarantined and bounced.
  const std::string single = "From: Vecina <vecina@correo.example>\r\nTo: atencion@mazatlan.example\r\n"
                             "Subject: Texto enorme\r\nContent-Type: text/plain\r\n\r\n" + big;
  const auto refused = RunProcess({SacBinary(), "--config", config, "ingest-mail"}, env, single);
  EXPECT_EQ(refused.exit_code, 65) << "EX_DATAERR: Postfix bounces it";
  EXPECT_EQ(db.Scalar("SELECT size_bytes FROM email_quarantine"), std::to_string(single.size()));
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 2) << "nothing of it entered the inbox";
  std::filesystem::remove_all(media);
}

TEST(CliTest, IngestMailDefersWhileTheDatabaseIsDown) {
  const std::string config = IngestMailConfig(::testing::TempDir() + "sac_ingest_down");
  const std::string mail =
      testing::ReadTestdata("email", "mime_nuevo_reporte_iso8859_qp_con_html.eml");
  const auto deferred = RunProcess({SacBinary(), "--config", config, "ingest-mail"},
                                   {{"SAC_DATABASE_URL", "host=/nonexistent"}}, mail);
  EXPECT_EQ(deferred.exit_code, 75) << "EX_TEMPFAIL: Postfix keeps it and retries";
  const auto unreadable = RunProcess({SacBinary(), "--config", config, "ingest-mail"},
                                     {{"SAC_DATABASE_URL", "host=/nonexistent"}},
                                     "no es un correo");
  EXPECT_EQ(unreadable.exit_code, 75) << "not even the quarantine can be written: keep it queued";
  const auto misconfigured =
      RunProcess({SacBinary(), "--config", WriteConfig("[channels.email]\nbogus = 1\n"), "ingest-mail"},
                 {{"SAC_DATABASE_URL", "host=/nonexistent"}}, mail);
  EXPECT_EQ(misconfigured.exit_code, 75);
}

}  // namespace
}  // namespace sac
