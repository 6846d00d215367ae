// Serves a real SAC (the App, on a loopback port, against a throwaway PostgreSQL database) with a
// capturista account and a boleta waiting in the queue, then runs the browser script
// tests/browser/staff_web.test.mjs with node: Debian's chromium through playwright-core.
// Screenshots are kept in the build tree (browser-artifacts/) as the run's evidence.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "app/app.h"
#include "classify/classifier_holder.h"
#include "routing/dependencias.h"
#include "storage/database.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"
#include "web/staff_accounts.h"

namespace sac::app {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassword = "primera contraseña de prueba";

TEST(BrowserTest, ACapturistaClassifiesAndCapturesThenTheEnlaceAttendsAndAnAdministratorAdministers) {
  const std::filesystem::path script = testing::SourceDir() / "tests/browser/staff_web.test.mjs";
  ASSERT_TRUE(std::filesystem::exists(testing::SourceDir() / "web/node_modules/playwright-core"))
      << "run deploy/dev.sh test (it installs web/node_modules with npm ci)";

  testing::TestDatabase db;
  storage::Database database(db.Settings(2));
  auto dependencias = routing::LoadDependencias(testing::SourceDir() / "rules/dependencias.toml");
  ASSERT_TRUE(dependencias);
  ASSERT_TRUE(database.Transact([&](storage::Tx& tx) {
    routing::UpsertDependencias(tx, *dependencias);
    web::CreateStaffUser(tx, {"capturista", "Capturista de prueba", "atencion_ciudadana", kPassword});
    web::CreateStaffUser(tx, {"enlace.aseo", "Enlace de Aseo Urbano", "enlace", kPassword});
    web::CreateStaffUser(tx, {"admin.sac", "Administración de prueba", "administrador", kPassword});
    constexpr storage::Statement kBind{
        "browser.bind",
        "INSERT INTO staff_user_dependencia SELECT id, 'aseo_urbano' FROM staff_user "
        "WHERE username = 'enlace.aseo'"};
    tx.Exec(kBind, {});
    constexpr storage::Statement kKnown{
        "browser.known",
        "UPDATE staff_user SET must_change_password = false WHERE username <> 'capturista'"};
    tx.Exec(kKnown, {});
  }));
  // A boleta the classifier was not sure about, as the pipeline leaves it (folios carry the
  // year, in Mazatlán; a few hours either side of New Year are not worth the care here).
  const std::string year = std::to_string(static_cast<int>(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()))
          .year()));
  const std::string queued = year + "-000001";
  auto classifiers = classify::ClassifierHolder::Load(testing::SourceDir() / "rules");
  ASSERT_TRUE(classifiers);
  const auto reading = (*classifiers)->Current()->Classify("hay mucha basura tirada en el arroyo");
  ASSERT_TRUE(database.Transact([&](storage::Tx& tx) {
    constexpr storage::Statement kQueued{
        "browser.queued",
        "INSERT INTO boleta (folio, channel, text, status, intent, confidence, classification)"
        " VALUES ($2, 'telefono', 'hay mucha basura tirada en el arroyo',"
        "  'por_clasificar', 'peticion', 0.4, $1::jsonb)"};
    tx.Exec(kQueued, {reading.ToJson(), queued});
    constexpr storage::Statement kCounter{
        "browser.counter", "INSERT INTO folio_counter (year, last_number) VALUES ($1::int, 1)"};
    tx.Exec(kCounter, {year});
  }));

  Config config;
  config.rules_dir = (testing::SourceDir() / "rules").string();
  config.http.port = 0;
  config.database.url = db.url();
  config.scheduler.enabled = false;
  auto app = App::Create(config);
  ASSERT_TRUE(app) << app.error().message;
  auto port = (*app)->Start();
  ASSERT_TRUE(port) << port.error().message;

  const std::filesystem::path artifacts = std::filesystem::path(SAC_BUILD_DIR) / "browser-artifacts";
  testing::Subprocess node({"/usr/bin/env", "node", "--test", "--test-reporter=spec", script.string()},
                           {{"SAC_BASE_URL", "http://127.0.0.1:" + std::to_string(*port)},
                            {"SAC_USER", "capturista"},
                            {"SAC_ENLACE", "enlace.aseo"},
                            {"SAC_ADMIN", "admin.sac"},
                            {"SAC_PASSWORD", kPassword},
                            {"SAC_QUEUED_FOLIO", queued},
                            {"SAC_ARTIFACTS", artifacts.string()}});
  const auto result = node.Wait(120s);
  (*app)->Stop();
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_THAT(result.out, ::testing::HasSubstr("folio " + year + "-000002"));
  for (const char* shot : {"01-inicio.png", "02-bandeja.png", "03-ficha.png", "04-estadisticas.png",
                           "05-bandeja-dependencia.png", "06-boleta.png", "07-reunion.png",
                           "08-admin-reglas.png", "09-admin-usuarios.png", "reunion.pdf"}) {
    EXPECT_TRUE(std::filesystem::exists(artifacts / shot)) << shot;
  }
  EXPECT_EQ(db.Scalar("SELECT status || ':' || dependencia_id FROM boleta WHERE folio = '" + queued + "'"),
            "atendida:aseo_urbano")
      << "classified by the capturista, then read and attended by the enlace";
  EXPECT_EQ(db.Scalar("SELECT must_change_password FROM staff_user WHERE username = 'capturista'"), "f");
  EXPECT_EQ(db.Scalar("SELECT role FROM staff_user WHERE username = 'director.nuevo'"), "director");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM boleta_media WHERE download_state = 'stored'"), "1");
}

}  // namespace
}  // namespace sac::app
