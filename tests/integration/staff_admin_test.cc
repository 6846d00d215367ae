// Administración against a real PostgreSQL: the rules page with its golden-case results, a
// reload that refuses broken rules and says why, proposed cases from the queue to rules/cases,
// the accounts, and the catalogues.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "tests/support/staff_web_fixture.h"

namespace sac::web {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::kPassword;

// A private copy of rules/, so a test can break it.
std::filesystem::path RulesCopyDir() {
  return std::filesystem::temp_directory_path() / ("sac_rules_admin_" + std::to_string(::getpid()));
}
std::filesystem::path CopyOfRules() {
  const auto dir = RulesCopyDir();
  std::filesystem::remove_all(dir);
  std::filesystem::copy(testing::SourceDir() / "rules", dir, std::filesystem::copy_options::recursive);
  return dir;
}

class StaffAdminTest : public testing::StaffWebFixture {
 protected:
  StaffAdminTest() : StaffWebFixture(CopyOfRules()), rules_(RulesCopyDir()) {
    AddUser("admin", "administrador");
    admin_ = SignIn("admin");
    csrf_ = CsrfOf(admin_);
  }
  ~StaffAdminTest() override { std::filesystem::remove_all(rules_); }

  HttpResponse AdminPost(const std::string& path, const std::string& fields) {
    return Post(path, "csrf=" + csrf_ + (fields.empty() ? "" : "&" + fields), admin_);
  }

  static std::string PasswordIn(const std::string& page) {
    return TextAfter(page, "se cambia al entrar): ", '<');
  }

  std::filesystem::path rules_;
  std::string admin_;
  std::string csrf_;
};

TEST_F(StaffAdminTest, TheRulesPageShowsTheGoldenCasesAgainstTheirGatesAndEachCategoria) {
  const auto page = Get("/admin/reglas", admin_);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("Precisión de lo canalizado automáticamente"));
  EXPECT_THAT(page.body, HasSubstr(">cumple<"));
  EXPECT_THAT(page.body, Not(HasSubstr(">no cumple<"))) << "the shipped rules pass their gates";
  EXPECT_THAT(page.body, HasSubstr("Fuga de agua potable"));
  EXPECT_THAT(page.body, HasSubstr("categorias/agua_drenaje.toml"));
  EXPECT_THAT(page.body, HasSubstr("Casos propuestos (0)"));
  EXPECT_EQ(Get("/admin/reglas", SignIn("capturista")).status, 403);
}

TEST_F(StaffAdminTest, ReloadingRefusesBrokenRulesSayingWhereAndKeepsTheOnesInForce) {
  const auto before = classifiers_->Current();
  {
    std::ofstream broken(rules_ / "categorias" / "parques.toml", std::ios::app);
    broken << "\n[[categoria]]\nid = \"rota\"\nnombre = \"Rota\"\ndependencia = \"parques\"\n"
              "prioridad = \"normal\"\npatrones = [ { re = '(sin cerrar', peso = 3 } ]\n";
  }
  const auto refused = AdminPost("/admin/reglas/recargar", "");
  EXPECT_EQ(refused.status, 422);
  EXPECT_THAT(refused.body, HasSubstr("Las reglas nuevas no se aplicaron"));
  EXPECT_THAT(refused.body, HasSubstr("categorias/parques.toml:"));
  EXPECT_EQ(classifiers_->Current(), before) << "the last good set stays";

  std::filesystem::copy_file(testing::SourceDir() / "rules" / "categorias" / "parques.toml",
                             rules_ / "categorias" / "parques.toml",
                             std::filesystem::copy_options::overwrite_existing);
  const auto reloaded = AdminPost("/admin/reglas/recargar", "");
  ASSERT_EQ(reloaded.status, 303) << reloaded.body;
  EXPECT_THAT(Header(reloaded, "Location"), HasSubstr("/admin/reglas?hecho="));
  EXPECT_NE(classifiers_->Current(), before) << "a new set in force";
}

TEST_F(StaffAdminTest, StaffProposeACaseFromTheQueueAndAnAdministratorTakesItToRulesCases) {
  const std::string staff = SignIn("capturista");
  const std::string staff_csrf = CsrfOf(staff);
  const auto agreed = Waiting("2026-000001", "hay una fuga de agua en la calle");
  const auto corrected = Waiting("2026-000002", "hay mucha basura tirada en el arroyo");
  const auto plain = Waiting("2026-000003", "se fue la luz del poste");
  ASSERT_EQ(Post("/clasificacion/" + std::to_string(agreed) + "/canalizar",
                 "csrf=" + staff_csrf + "&dependencia=jumapam&proponer=1", staff).status, 303);
  ASSERT_EQ(Post("/clasificacion/" + std::to_string(corrected) + "/canalizar",
                 "csrf=" + staff_csrf + "&dependencia=ecologia&categoria=contaminacion&proponer=1",
                 staff).status,
            303);
  ASSERT_EQ(Post("/clasificacion/" + std::to_string(plain) + "/canalizar",
                 "csrf=" + staff_csrf + "&dependencia=alumbrado_publico", staff).status, 303);

  const auto page = Get("/admin/reglas", admin_);
  EXPECT_THAT(page.body, HasSubstr("Casos propuestos (2)"));
  EXPECT_THAT(page.body, HasSubstr("2026-000001"));
  EXPECT_THAT(page.body, HasSubstr("2026-000002"));
  const auto tsv = Get("/admin/reglas/propuestas.tsv", admin_);
  ASSERT_EQ(tsv.status, 200);
  EXPECT_THAT(Header(tsv, "Content-Disposition"), HasSubstr("casos-propuestos.tsv"));
  EXPECT_THAT(tsv.body, HasSubstr("hay una fuga de agua en la calle\tpeticion\tjumapam\t"));
  EXPECT_THAT(tsv.body, HasSubstr("hay mucha basura tirada en el arroyo\tpeticion\tecologia\t"));
  EXPECT_THAT(tsv.body, Not(HasSubstr("se fue la luz")));
  EXPECT_EQ(Get("/admin/reglas", admin_).body.find("Casos propuestos (0)"), std::string::npos)
      << "downloading changes nothing";

  const auto ids = db_.Scalar("SELECT string_agg('caso=' || id, '&') FROM classification_correction"
                              " WHERE proposed_by IS NOT NULL");
  const auto marked = AdminPost("/admin/reglas/propuestas/incorporadas", ids);
  ASSERT_EQ(marked.status, 303);
  EXPECT_THAT(Get("/admin/reglas", admin_).body, HasSubstr("Casos propuestos (0)"));
  EXPECT_GE(db_.Count("SELECT count(*) FROM personal_data_access WHERE route LIKE '/admin/reglas%'"), 2);
}

TEST_F(StaffAdminTest, AProposalIsTheRoutingJustMadeNotAnEarlierCorrection) {
  const std::string staff = SignIn("capturista");
  const auto id = Waiting("2026-000001", "hay una fuga de agua en la calle");
  // An earlier routing elsewhere, since returned to the queue, left its correction behind.
  db_.Execute("INSERT INTO classification_correction (boleta_id, staff, machine_dependencia,"
              "  human_dependencia) VALUES (" + std::to_string(id) + ", 'otra', 'jumapam', 'ecologia')");
  ASSERT_EQ(Post("/clasificacion/" + std::to_string(id) + "/canalizar",
                 "csrf=" + CsrfOf(staff) + "&dependencia=jumapam&proponer=1", staff).status, 303);
  const auto tsv = Get("/admin/reglas/propuestas.tsv", admin_);
  EXPECT_THAT(tsv.body, HasSubstr("hay una fuga de agua en la calle\tpeticion\tjumapam\t"));
  EXPECT_THAT(tsv.body, Not(HasSubstr("\tecologia\t")));
  // Marking takes proposals only: an unproposed correction stays for `sac rules corrections`.
  const auto old = db_.Scalar("SELECT id FROM classification_correction WHERE staff = 'otra'");
  ASSERT_EQ(AdminPost("/admin/reglas/propuestas/incorporadas", "caso=" + old).status, 303);
  EXPECT_EQ(db_.Scalar("SELECT proposed_as_case FROM classification_correction WHERE staff = 'otra'"), "f");
}

TEST_F(StaffAdminTest, AccountsAreCreatedResetReboundAndDisabledFromTheWeb) {
  const auto created = AdminPost("/admin/usuarios",
                                 "usuario=enlace.agua&nombre=Ana%20Ruiz&rol=enlace&dependencia=jumapam"
                                 "&dependencia=aseo_urbano");
  ASSERT_EQ(created.status, 201) << created.body.substr(created.body.find("<main>"));
  const std::string first = PasswordIn(created.body);
  ASSERT_GE(first.size(), 20u);
  const auto signed_in = LogIn("enlace.agua", first);
  EXPECT_EQ(signed_in.status, 303);
  EXPECT_EQ(Header(signed_in, "Location"), "/contrasena") << "a first password is changed first";
  EXPECT_EQ(db_.Scalar("SELECT string_agg(dependencia_id, ',' ORDER BY dependencia_id) FROM "
                       "staff_user_dependencia b JOIN staff_user u ON u.id = b.user_id "
                       "WHERE u.username = 'enlace.agua'"),
            "aseo_urbano,jumapam");

  EXPECT_EQ(AdminPost("/admin/usuarios", "usuario=enlace.agua&nombre=Otra&rol=director").status, 409);
  const auto no_dependencia = AdminPost("/admin/usuarios", "usuario=enlace.dos&nombre=X&rol=enlace");
  EXPECT_EQ(no_dependencia.status, 400);
  EXPECT_THAT(no_dependencia.body, HasSubstr("un enlace necesita al menos una dependencia"));
  EXPECT_EQ(AdminPost("/admin/usuarios", "usuario=A!&nombre=X&rol=director").status, 400);

  const auto rebound = AdminPost("/admin/usuarios/enlace.agua", "accion=dependencias&dependencia=ecologia");
  ASSERT_EQ(rebound.status, 303);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(dependencia_id, ',') FROM staff_user_dependencia b JOIN "
                       "staff_user u ON u.id = b.user_id WHERE u.username = 'enlace.agua'"),
            "ecologia");

  const auto reset = AdminPost("/admin/usuarios/enlace.agua", "accion=restablecer");
  ASSERT_EQ(reset.status, 200);
  const std::string second = PasswordIn(reset.body);
  EXPECT_NE(second, first);
  EXPECT_EQ(LogIn("enlace.agua", first).status, 401);
  EXPECT_EQ(LogIn("enlace.agua", second).status, 303);

  std::string other = SignIn("capturista");
  ASSERT_EQ(AdminPost("/admin/usuarios/capturista", "accion=cerrar-sesiones").status, 303);
  EXPECT_EQ(Get("/", other).status, 303) << "a computer left signed in: its session ended";
  EXPECT_EQ(AdminPost("/admin/usuarios/nadie", "accion=cerrar-sesiones").status, 404);
  other = SignIn("capturista");
  ASSERT_EQ(AdminPost("/admin/usuarios/capturista", "accion=desactivar").status, 303);
  EXPECT_EQ(Get("/", other).status, 303) << "their session ended";
  EXPECT_EQ(LogIn("capturista").status, 401);
  EXPECT_EQ(AdminPost("/admin/usuarios/admin", "accion=desactivar").status, 400)
      << "nobody disables their own account";
  EXPECT_EQ(AdminPost("/admin/usuarios/nadie", "accion=restablecer").status, 404);
  const auto list = Get("/admin/usuarios", admin_);
  EXPECT_THAT(list.body, HasSubstr("desactivada"));
  EXPECT_THAT(list.body, Not(HasSubstr(second))) << "a password is shown once";
}

TEST_F(StaffAdminTest, TheCataloguesShowDependenciasCalendarAndMessages) {
  db_.Execute("INSERT INTO staff_user_dependencia SELECT id, 'jumapam' FROM staff_user "
              "WHERE username = 'admin'");
  const auto dependencias = Get("/admin/dependencias", admin_);
  ASSERT_EQ(dependencias.status, 200);
  EXPECT_THAT(dependencias.body, HasSubstr("Fugas de agua potable"));
  EXPECT_THAT(dependencias.body, HasSubstr("10 días hábiles"));
  EXPECT_THAT(dependencias.body, HasSubstr("Usuaria admin")) << "its enlaces";

  const auto calendar = Get("/admin/calendario?anio=2026", admin_);
  ASSERT_EQ(calendar.status, 200);
  EXPECT_THAT(calendar.body, HasSubstr("16 de septiembre de 2026"));
  EXPECT_THAT(calendar.body, HasSubstr("Día de la Independencia"));
  EXPECT_THAT(calendar.body, HasSubstr("LFT art. 74"));
  EXPECT_THAT(calendar.body, HasSubstr("2 de abril de 2026")) << "Holy Thursday, from Easter";
  EXPECT_EQ(Get("/admin/calendario?anio=dos", admin_).status, 400);

  const auto messages = Get("/admin/plantillas", admin_);
  ASSERT_EQ(messages.status, 200);
  EXPECT_THAT(messages.body, HasSubstr("2026-000123"));
  EXPECT_THAT(messages.body, HasSubstr("Encuesta mensual"));
  EXPECT_THAT(Get("/admin", admin_).body, HasSubstr("/admin/usuarios"));
}

TEST_F(StaffAdminTest, QuarantinedMessagesAreShownWithoutTheirContentAndPutBack) {
  db_.Execute("INSERT INTO webhook_request (channel, body) VALUES ('whatsapp', '\\x')");
  db_.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload, state,"
              "  attempts, last_error) SELECT 1, 'whatsapp', 'w' || g, 'message', '5216691234501',"
              "  '{\"text\":\"texto privado\"}', 'quarantined', 5, 'clasificador: fallo ' || g"
              " FROM generate_series(1, 3) g");
  const auto page = Get("/admin/cuarentena", admin_);
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("clasificador: fallo 2"));
  EXPECT_THAT(page.body, Not(HasSubstr("texto privado"))) << "the content is personal data";
  EXPECT_THAT(page.body, Not(HasSubstr("6691234501")));
  EXPECT_THAT(Get("/admin", admin_).body, HasSubstr("3 mensajes que SAC no pudo procesar"));
  ASSERT_EQ(AdminPost("/admin/cuarentena/reintentar?mensaje=2", "").status, 303);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(state || ':' || attempts, ',' ORDER BY id) FROM inbox"),
            "quarantined:5,pending:0,quarantined:5");
  EXPECT_EQ(AdminPost("/admin/cuarentena/reintentar?mensaje=x", "").status, 400);
  const auto all = AdminPost("/admin/cuarentena/reintentar", "");
  ASSERT_EQ(all.status, 303);
  EXPECT_THAT(Header(all, "Location"), HasSubstr("hecho="));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox WHERE state = 'quarantined'"), 0);
  EXPECT_THAT(Get("/admin/cuarentena", admin_).body, HasSubstr("Ninguno."));
}

TEST_F(StaffAdminTest, RepliesSacCouldNotSettleAreSentAgainOrRecordedAsSentByStaff) {
  db_.Execute("INSERT INTO outbox (channel, recipient, purpose, body, state, attempts, last_error)"
              " VALUES ('whatsapp', '5216691234501', 'acuse_boleta', 'texto privado', 'unknown', 1,"
              "         'no answer in time; the outcome is unknown'),"
              "        ('telegram', '777000111', 'encuesta', 'texto privado', 'failed', 1,"
              "         'telegram answered 400 (chat not found)'),"
              "        ('whatsapp', '', 'aviso_atender', '', 'unknown', 1, 'sin respuesta'),"
              "        ('whatsapp', '5216691234502', 'acuse_boleta', 'otro', 'sent', 1, NULL)");
  db_.Execute("INSERT INTO boleta (folio, channel, text, status) VALUES"
              " ('2026-000900', 'whatsapp', 'bache', 'por_clasificar')");
  db_.Execute("UPDATE outbox SET boleta_id = (SELECT id FROM boleta WHERE folio = '2026-000900')"
              " WHERE id = 1");
  EXPECT_THAT(Get("/admin", admin_).body, HasSubstr("2 respuestas sin confirmar"));
  const auto page = Get("/admin/envios", admin_);
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, AllOf(HasSubstr("sin confirmar"), HasSubstr("fallida"),
                               HasSubstr("chat not found"), HasSubstr("sin datos")));
  EXPECT_THAT(page.body, AllOf(Not(HasSubstr("texto privado")), Not(HasSubstr("6691234501")),
                               Not(HasSubstr("777000111"))))
      << "the text and the recipient are personal data";
  EXPECT_THAT(page.body, Not(HasSubstr("?respuesta=4\""))) << "a sent reply is not listed";
  EXPECT_THAT(page.body, Not(HasSubstr("reenviar?respuesta=3"))) << "its recipient was cancelled";
  EXPECT_THAT(page.body, Not(HasSubstr("enviada?respuesta=2"))) << "a failed one was not sent";

  EXPECT_EQ(AdminPost("/admin/envios/reenviar?respuesta=x", "").status, 400);
  EXPECT_EQ(AdminPost("/admin/envios/reenviar?respuesta=3", "").status, 404);
  EXPECT_EQ(AdminPost("/admin/envios/enviada?respuesta=2", "").status, 404);
  EXPECT_EQ(AdminPost("/admin/envios/reenviar?respuesta=4", "").status, 404);
  ASSERT_EQ(AdminPost("/admin/envios/enviada?respuesta=1", "").status, 303);
  ASSERT_EQ(AdminPost("/admin/envios/reenviar?respuesta=2", "").status, 303);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(state || ':' || attempts, ',' ORDER BY id) FROM outbox"),
            "sent:1,pending:0,unknown:1,sent:1");
  EXPECT_EQ(db_.Scalar("SELECT sent_at IS NOT NULL FROM outbox WHERE id = 1"), "t");
  EXPECT_EQ(db_.Scalar("SELECT actor_kind || ' ' || (detail->>'dada_por_enviada') FROM boleta_event"
                       " WHERE kind = 'respuesta_enviada'"),
            "staff true")
      << "in the boleta's bitácora, as when the provider confirms it";
  EXPECT_THAT(page.body, HasSubstr("/boletas/2026-000900"));
}

TEST_F(StaffAdminTest, MailSacCouldNotReadIsListedWithoutItsContentUntilMarkedReviewed) {
  db_.Execute("INSERT INTO email_quarantine (source, reason, size_bytes, body) VALUES"
              " ('webhook:postmark', 'over the MIME limits: more than 100 parts', 3145728,"
              "  convert_to('From: vecina@correo.example', 'UTF8')),"
              " ('ingest-mail', 'not a mail', 5, convert_to('hola', 'UTF8'))");
  EXPECT_THAT(Get("/admin", admin_).body, HasSubstr("2 correos que no pudo leer"));
  const auto page = Get("/admin/cuarentena", admin_);
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, AllOf(HasSubstr("webhook:postmark"), HasSubstr("more than 100 parts"),
                               HasSubstr("3 MiB"), HasSubstr("5 B")));
  EXPECT_THAT(page.body, Not(HasSubstr("vecina@correo.example"))) << "the content is personal data";
  EXPECT_EQ(AdminPost("/admin/cuarentena/revisado?correo=x", "").status, 400);
  EXPECT_EQ(AdminPost("/admin/cuarentena/revisado", "").status, 400);
  ASSERT_EQ(AdminPost("/admin/cuarentena/revisado?correo=1", "").status, 303);
  EXPECT_EQ(AdminPost("/admin/cuarentena/revisado?correo=1", "").status, 404) << "once";
  EXPECT_EQ(db_.Scalar("SELECT string_agg((reviewed_at IS NOT NULL)::text, ',' ORDER BY id)"
                       " FROM email_quarantine"),
            "true,false");
  const auto after = Get("/admin/cuarentena", admin_).body;
  EXPECT_THAT(after, Not(HasSubstr("webhook:postmark")));
  EXPECT_THAT(after, HasSubstr("not a mail"));
  EXPECT_THAT(Get("/admin", admin_).body, HasSubstr("1 correos que no pudo leer"));
}

}  // namespace
}  // namespace sac::web
