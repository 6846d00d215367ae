// The staff web's door against a real PostgreSQL: signing in and out, throttling, sessions that
// end, the forced password change, CSRF and origin checks, and every page × role.
#include "web/staff_web.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "classify/classifier_holder.h"
#include "routing/dependencias.h"
#include "tests/support/staff_web_fixture.h"
#include "web/trusted_devices.h"

namespace sac::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestDatabase;
using namespace std::chrono_literals;

using StaffWebTest = testing::StaffWebFixture;
using testing::kOrigin;
using testing::kPassword;
using testing::Utc;

TEST_F(StaffWebTest, WithoutASessionEveryPageLeadsToTheSignIn) {
  for (const StaffPage& page : StaffPages()) {
    SCOPED_TRACE(page.method + " " + page.path);
    const auto response = page.method == "GET" ? Get(page.path) : Post(page.path, "", "");
    if (page.method == "GET") {
      EXPECT_EQ(response.status, 303);
      EXPECT_EQ(Header(response, "Location"), "/login");
    } else {
      EXPECT_THAT(response.status, ::testing::AnyOf(303, 401));
    }
  }
  const auto login = Get("/login");
  EXPECT_EQ(login.status, 200);
  EXPECT_THAT(login.body, HasSubstr("Iniciar sesión"));
  const std::string policy = Header(login, "Content-Security-Policy");
  EXPECT_THAT(policy, HasSubstr("script-src 'self'"));
  EXPECT_THAT(policy, Not(HasSubstr("unsafe-inline")));
  EXPECT_THAT(policy, HasSubstr("frame-ancestors 'none'"));
}

TEST_F(StaffWebTest, SigningInStartsAServerSideSessionKeptOnlyAsAHash) {
  const auto response = LogIn("capturista");
  ASSERT_EQ(response.status, 303) << response.body;
  EXPECT_EQ(Header(response, "Location"), "/");
  const std::string set_cookie = Header(response, "Set-Cookie", "sac_sesion=");
  EXPECT_THAT(set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("SameSite=Strict"));
  const std::string cookie = SessionCookie(response);
  const std::string id = cookie.substr(cookie.find('=') + 1);
  EXPECT_GE(id.size(), 40u) << "at least 128 random bits (here 256)";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM staff_session WHERE id_hash = '" + id + "'"), 0)
      << "the table keeps only its hash";

  const auto home = Get("/", cookie);
  EXPECT_EQ(home.status, 200);
  EXPECT_THAT(home.body, HasSubstr("Hola, Usuaria capturista"));
  EXPECT_THAT(home.body, HasSubstr("esperan clasificación"));

  const std::string second = SessionCookie(LogIn("capturista"));
  EXPECT_NE(second, cookie) << "every sign-in makes a new session";
}

TEST_F(StaffWebTest, WrongPasswordsAndUnknownUsersGetTheSameAnswerThenMustWait) {
  const auto unknown = LogIn("nadie", "lo que sea de prueba");
  const auto wrong = LogIn("capturista", "otra contraseña mala");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_THAT(wrong.body, HasSubstr("Usuario o contraseña incorrectos"));
  EXPECT_THAT(unknown.body, HasSubstr("Usuario o contraseña incorrectos"));

  for (int i = 0; i < 4; ++i) EXPECT_EQ(LogIn("capturista", "mala").status, 401);
  const auto throttled = LogIn("capturista");  // even the right password must wait now
  EXPECT_EQ(throttled.status, 429);
  EXPECT_FALSE(Header(throttled, "Retry-After").empty());
  EXPECT_THAT(throttled.body, HasSubstr("Demasiados intentos"));
  clock_.Advance(3s);
  EXPECT_EQ(LogIn("capturista").status, 303) << "after the wait the right password works";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM login_failure WHERE username = 'capturista'"), 0)
      << "and clears the count";
}

// Bad input #30, the other half: guesses spread over many usernames from one address are slowed
// too (more generously: an office may share one address); other addresses are not.
TEST_F(StaffWebTest, GuessesSpreadOverManyUsernamesFromOneAddressMustWaitToo) {
  remote_address_ = "203.0.113.7";
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(LogIn("usuario" + std::to_string(i), "mala").status, 401) << i;
  }
  const auto throttled = LogIn("alguien-mas", "mala");
  EXPECT_EQ(throttled.status, 429) << "the 31st guess from the same address";
  EXPECT_FALSE(Header(throttled, "Retry-After").empty());
  EXPECT_EQ(LogIn("capturista").status, 429) << "from there even a right password waits";
  remote_address_ = "198.51.100.9";
  EXPECT_EQ(LogIn("capturista").status, 303) << "another address is not slowed";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM login_failure WHERE source = '203.0.113.7'"), 30);
  clock_.Advance(2h);
  EXPECT_EQ(LogIn("nadie", "mala").status, 401);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM login_failure"), 1) << "older than the hour: forgotten";
}

// The browsers an account's wrong tries count against alone (web/trusted_devices.h).
std::int64_t DevicesOf(TestDatabase& db, const std::string& username) {
  return db.Count("SELECT count(*) FROM staff_trusted_device d JOIN staff_user u ON u.id = "
                  "d.user_id WHERE u.username = '" + username + "'");
}

// ASVS 6.1.1: someone guessing at a username from elsewhere must not keep its owner out.
TEST_F(StaffWebTest, GuessesAtAUsernameElsewhereDoNotKeepItsOwnerOutOfTheirOwnBrowser) {
  const auto before = LogIn("capturista");
  ASSERT_EQ(before.status, 303);
  const std::string set = Header(before, "Set-Cookie", "sac_equipo=");
  EXPECT_THAT(set, HasSubstr("; Path=/login; HttpOnly; SameSite=Strict; Max-Age=15552000"));
  const std::string device = set.substr(0, set.find(';'));
  EXPECT_EQ(DevicesOf(db_, "capturista"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM staff_trusted_device WHERE token_hash = '" +
                      device.substr(device.find('=') + 1) + "'"),
            0) << "only its hash is kept";

  for (int i = 0; i < 12; ++i) {
    remote_address_ = "203.0.113." + std::to_string(i + 1);  // a different address each time
    LogIn("capturista", "adivinanza " + std::to_string(i));
  }
  remote_address_ = "198.51.100.7";
  EXPECT_EQ(LogIn("capturista").status, 429) << "a browser that never signed in waits";
  const auto owner = LogIn("capturista", kPassword, device);
  EXPECT_EQ(owner.status, 303) << "the owner's browser signs in at once";
  EXPECT_EQ(Header(owner, "Set-Cookie", "sac_equipo=").substr(0, device.size()), device)
      << "and keeps its device";
  EXPECT_EQ(LogIn("capturista").status, 429)
      << "the guesses still count for everyone else: the owner's sign-in did not clear them";
  clock_.Advance(2h);
  db_.Execute("DELETE FROM login_failure");  // past the hour they count for nothing

  // Its own wrong tries count against it alone; at the tenth it is forgotten.
  const std::int64_t devices = DevicesOf(db_, "capturista");  // that last browser's too
  for (int i = 0; i < TrustedDevices::kMaxFailures; ++i) {
    EXPECT_EQ(LogIn("capturista", "me equivoqué", device).status, 401) << i;
  }
  EXPECT_EQ(DevicesOf(db_, "capturista"), devices - 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM login_failure"), 0) << "none was the username's";
  EXPECT_EQ(LogIn("capturista", "otra mala", device).status, 401);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM login_failure"), 1) << "now it counts like any other";

  // Another account's device vouches for nobody else, nor does a made-up one.
  AddUser("otra", "atencion_ciudadana");
  const std::string others = Header(LogIn("otra"), "Set-Cookie", "sac_equipo=");
  for (int i = 0; i < 6; ++i) LogIn("capturista", "mala");
  EXPECT_EQ(LogIn("capturista", kPassword, others.substr(0, others.find(';'))).status, 429);
  EXPECT_EQ(LogIn("capturista", kPassword, "sac_equipo=inventado").status, 429);
}

TEST_F(StaffWebTest, EndingAnAccountsSessionsForgetsItsBrowsersToo) {
  const std::string set = Header(LogIn("capturista"), "Set-Cookie", "sac_equipo=");
  ASSERT_FALSE(set.empty());
  ASSERT_EQ(DevicesOf(db_, "capturista"), 1);
  auto ended = database_.Transact([&](storage::Tx& tx) { return EndSessions(tx, "capturista"); });
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(DevicesOf(db_, "capturista"), 0);
  LogIn("capturista");
  auto reset = database_.Transact([&](storage::Tx& tx) { return ResetPassword(tx, "capturista"); });
  ASSERT_TRUE(reset) << reset.error().message;
  EXPECT_EQ(DevicesOf(db_, "capturista"), 0);
}

// ASVS 16.3.1: who tried, from where, with what outcome — never the username typed (it may be a
// password in the wrong box) nor the password.
TEST_F(StaffWebTest, SignInsAndRefusalsAreLoggedWithAccountAndAddressNeverWhatWasTyped) {
  const std::string id = db_.Scalar("SELECT id FROM staff_user WHERE username = 'capturista'");
  ::testing::internal::CaptureStdout();
  LogIn("capturista", "contraseña equivocada");
  LogIn("persona.inexistente", "otra equivocada");
  LogIn("capturista");
  const std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_THAT(log, HasSubstr("\"msg\":\"sign-in refused: wrong password\",\"user_id\":" + id +
                             ",\"client\":\"192.0.2.10\",\"trusted_browser\":false"));
  EXPECT_THAT(log, HasSubstr("\"msg\":\"sign-in refused: no such account\",\"client\":\"192.0.2.10\""));
  EXPECT_THAT(log, HasSubstr("\"msg\":\"signed in\",\"user_id\":" + id +
                             ",\"client\":\"192.0.2.10\""));
  EXPECT_THAT(log, Not(HasSubstr("equivocada")));
  EXPECT_THAT(log, Not(HasSubstr("persona.inexistente")));
}

TEST_F(StaffWebTest, SignInNeedsTheFormsTokenAndOurOrigin) {
  const std::string token = LoginToken();
  const std::string body = "usuario=capturista&contrasena=" + Encode(kPassword) + "&csrf=" + token;
  EXPECT_EQ(Post("/login", body, "sac_acceso=" + token, "https://otro.example").status, 403);
  EXPECT_EQ(Post("/login", body, "sac_acceso=" + token, nullptr).status, 403);
  EXPECT_EQ(Post("/login", body, "sac_acceso=otro").status, 403);
  EXPECT_EQ(Post("/login", body, "").status, 403);
  EXPECT_EQ(Post("/login", body, "sac_acceso=" + token).status, 303);
}

// Bad input #29: a session id planted in the browser before sign-in (session fixation) is never
// honoured; signing in always starts a new one.
TEST_F(StaffWebTest, ASessionIdPlantedBeforeSignInIsNeverHonoured) {
  const std::string planted = "sac_sesion=" + std::string(64, 'a');
  const std::string token = LoginToken();
  const auto signed_in = Post("/login", "usuario=capturista&contrasena=" + Encode(kPassword) + "&csrf=" + token,
                              "sac_acceso=" + token + "; " + planted);
  ASSERT_EQ(signed_in.status, 303);
  const std::string fresh = SessionCookie(signed_in);
  EXPECT_NE(fresh, planted);
  EXPECT_EQ(Get("/", planted).status, 303) << "the planted id leads to the sign-in page";
  EXPECT_EQ(Get("/", fresh).status, 200);
}

// Signing in again from a browser that has a session ends that session: one session per sign-in
// (ASVS 7.2.4).
TEST_F(StaffWebTest, SigningInAgainEndsTheSessionTheBrowserHad) {
  const std::string before = SignIn("capturista");
  const std::string token = LoginToken();
  const auto again = Post("/login", "usuario=capturista&contrasena=" + Encode(kPassword) + "&csrf=" + token,
                          "sac_acceso=" + token + "; " + before);
  ASSERT_EQ(again.status, 303);
  EXPECT_EQ(Get("/", before).status, 303);
  EXPECT_EQ(Get("/", SessionCookie(again)).status, 200);
}

// Over https the session cookie is __Host- prefixed and Secure, and only that name is honoured
// (ASVS 3.3.1, 3.3.3).
class SecureStaffWebTest : public testing::StaffWebFixture {
 protected:
  static web::SessionSettings Secure() {
    web::SessionSettings settings;
    settings.secure_cookie = true;
    return settings;
  }
  SecureStaffWebTest() : StaffWebFixture(testing::SourceDir() / "rules", Secure()) {}
};

TEST_F(SecureStaffWebTest, OverHttpsTheSessionCookieIsHostPrefixedAndSecure) {
  const auto signed_in = LogIn("capturista");
  ASSERT_EQ(signed_in.status, 303);
  const std::string header = Header(signed_in, "Set-Cookie", "__Host-sac_sesion=");
  ASSERT_NE(header, "");
  EXPECT_THAT(header, HasSubstr("; Path=/;"));
  EXPECT_THAT(header, HasSubstr("; Secure"));
  EXPECT_THAT(header, HasSubstr("HttpOnly"));
  EXPECT_THAT(header, Not(HasSubstr("Domain")));
  EXPECT_THAT(Header(Get("/login"), "Set-Cookie", "sac_acceso="), HasSubstr("; Secure"));
  const std::string id = header.substr(header.find('=') + 1, header.find(';') - header.find('=') - 1);
  EXPECT_EQ(Get("/", "__Host-sac_sesion=" + id).status, 200);
  EXPECT_EQ(Get("/", "sac_sesion=" + id).status, 303) << "the unprefixed name is not honoured";
}

// Bad input #28 on an authenticated form: another site's page posting with the staff member's
// cookie and even the right token (say it leaked) is refused by the origin check, and no GET
// changes anything.
TEST_F(StaffWebTest, AFormFromAnotherSiteOrAGetChangesNothingEvenWithTheSessionAndToken) {
  const std::string cookie = SignIn("capturista");
  const std::string csrf = CsrfOf(cookie);
  ASSERT_FALSE(csrf.empty());
  EXPECT_EQ(Post("/salir", "csrf=" + csrf, cookie, "https://otro.example").status, 403);
  EXPECT_EQ(Post("/salir", "csrf=" + csrf, cookie, "null").status, 403) << "a sandboxed frame";
  EXPECT_EQ(Get("/salir", cookie).status, 405);
  EXPECT_EQ(Get("/", cookie).status, 200) << "still signed in: nothing above signed them out";
  EXPECT_EQ(Post("/salir", "csrf=" + csrf, cookie).status, 303) << "from our own page it works";
  EXPECT_EQ(Get("/", cookie).status, 303);
}

TEST_F(StaffWebTest, SessionsEndWhenIdleOrOldAndAtSignOut) {
  std::string cookie = SignIn("capturista");
  clock_.Advance(29min);
  EXPECT_EQ(Get("/", cookie).status, 200) << "each page keeps it alive";
  clock_.Advance(31min);
  EXPECT_EQ(Get("/", cookie).status, 303) << "idle for more than 30 minutes";

  cookie = SignIn("capturista");
  for (int i = 0; i < 25; ++i) {
    clock_.Advance(29min);
    (void)Get("/", cookie);
  }
  EXPECT_EQ(Get("/", cookie).status, 303) << "never longer than 12 hours";

  cookie = SignIn("capturista");
  const std::string csrf = CsrfOf(cookie);
  EXPECT_EQ(Post("/salir", "csrf=wrong", cookie).status, 403) << "no sign-out by a forged form";
  const auto out = Post("/salir", "csrf=" + csrf, cookie);
  EXPECT_EQ(out.status, 303);
  EXPECT_THAT(Header(out, "Set-Cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(Get("/", cookie).status, 303);

  cookie = SignIn("capturista");
  db_.Execute("UPDATE staff_user SET active = false WHERE username = 'capturista'");
  EXPECT_EQ(Get("/", cookie).status, 303) << "a disabled account is out at once";
}

TEST_F(StaffWebTest, ANewAccountMustChooseItsPasswordFirst) {
  AddUser("nueva", "director", "", true);
  const auto response = LogIn("nueva");
  EXPECT_EQ(Header(response, "Location"), "/contrasena");
  const std::string cookie = SessionCookie(response);
  EXPECT_EQ(Header(Get("/", cookie), "Location"), "/contrasena") << "nothing else until then";
  const std::string csrf = CsrfOf(cookie);
  ASSERT_FALSE(csrf.empty());

  const std::string change = "csrf=" + csrf + "&actual=" + Encode(kPassword);
  EXPECT_EQ(Post("/contrasena", change + "&nueva=corta&repetida=corta", cookie).status, 400);
  const std::string eleven = Encode("ñañañañañañ");  // 11 characters in 17 bytes
  EXPECT_EQ(Post("/contrasena", change + "&nueva=" + eleven + "&repetida=" + eleven, cookie).status,
            400)
      << "twelve characters, not twelve bytes";
  for (const char* guessable : {"Mazatlan2026!", "password1234", "la+nueva+de+aseo+urbano"}) {
    const auto refused = Post("/contrasena",
                              change + "&nueva=" + guessable + "&repetida=" + guessable, cookie);
    EXPECT_EQ(refused.status, 400) << guessable << ": leaked, local, or the username";
  }
  EXPECT_EQ(Post("/contrasena", change + "&nueva=tres+palabras+bien+largas&repetida=otra+distinta+larga",
                 cookie).status, 400);
  EXPECT_EQ(Post("/contrasena",
                 "csrf=x&actual=" + Encode(kPassword) + "&nueva=tres+palabras+bien+largas&repetida=tres+palabras+bien+largas",
                 cookie).status, 403);
  const auto changed = Post(
      "/contrasena", change + "&nueva=tres+palabras+bien+largas&repetida=tres+palabras+bien+largas", cookie);
  ASSERT_EQ(changed.status, 303);
  const std::string fresh = SessionCookie(changed);
  EXPECT_EQ(Get("/", fresh).status, 200);
  EXPECT_EQ(Get("/", cookie).status, 303) << "the old session ended with the old password";
  EXPECT_EQ(LogIn("nueva", "tres palabras bien largas").status, 303);
  EXPECT_EQ(LogIn("nueva", kPassword).status, 401);
}

TEST_F(StaffWebTest, EveryPageAnswersEveryRoleAsItsTableSays) {
  for (const char* role : kStaffRoles) {
    AddUser(std::string("u_") + role, role, std::string(role) == "enlace" ? "jumapam" : "");
  }
  for (const char* role : kStaffRoles) {
    const std::string cookie = SignIn(std::string("u_") + role);
    const std::string csrf = CsrfOf(cookie);
    for (const StaffPage& page : StaffPages()) {
      if (page.path == "/salir") continue;  // it ends the session the loop needs
      SCOPED_TRACE(std::string(role) + " " + page.method + " " + page.path);
      const bool allowed =
          std::find(page.roles.begin(), page.roles.end(), role) != page.roles.end();
      const auto response =
          page.method == "GET" ? Get(page.path, cookie) : Post(page.path, "csrf=" + csrf, cookie);
      EXPECT_EQ(response.status == 403, !allowed) << response.status;
    }
  }
}

// The role × page × dependencia matrix, generated from the role table: every page an enlace may
// open that names a boleta answers 404 for another dependencia's (as if it did not exist) and
// never 404 for their own; the pages that take a dependencia do the same.
TEST_F(StaffWebTest, AnEnlaceReachesOnlyItsOwnDependenciasBoletasOnEveryPage) {
  AddUser("enlace_agua", "enlace", "jumapam");
  clock_.Set(std::chrono::system_clock::now());
  db_.Execute(
      "INSERT INTO boleta (folio, channel, text, status, dependencia_id, due_at, created_at,"
      "  updated_at, status_changed_at) VALUES "
      "('2026-000001', 'whatsapp', 'fuga', 'leida', 'jumapam', now() + interval '5 days', now(),"
      "  now(), now()),"
      "('2026-000002', 'whatsapp', 'bache', 'leida', 'obras_publicas', now() + interval '5 days',"
      "  now(), now(), now())");
  const auto photo = media_.Store("\xFF\xD8\xFF\xE0 foto");
  ASSERT_TRUE(photo);
  db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type,"
              "  download_state, file_sha256) SELECT id, 'image', 'm' || id, 'image/jpeg', 'stored', '" +
              photo->sha256 + "' FROM boleta");
  const std::string cookie = SignIn("enlace_agua");
  const std::string csrf = CsrfOf(cookie);
  int cells = 0;
  for (const StaffPage& page : StaffPages()) {
    if (page.path.find("{folio}") == std::string::npos ||
        std::find(page.roles.begin(), page.roles.end(), "enlace") == page.roles.end()) {
      continue;
    }
    for (const auto& [folio, own] : {std::pair{"2026-000001", true}, std::pair{"2026-000002", false}}) {
      std::string path = page.path;
      path.replace(path.find("{folio}"), 7, folio);
      if (const auto at = path.find("{archivo}"); at != std::string::npos) {
        path.replace(at, 9, db_.Scalar("SELECT m.id FROM boleta_media m JOIN boleta b ON "
                                       "b.id = m.boleta_id WHERE b.folio = '" + std::string(folio) + "'"));
      }
      SCOPED_TRACE(page.method + " " + path);
      const auto response = page.method == "GET" ? Get(path, cookie) : Post(path, "csrf=" + csrf, cookie);
      if (own) {
        EXPECT_NE(response.status, 404);
      } else {
        EXPECT_EQ(response.status, 404);
      }
      ++cells;
    }
  }
  for (const char* path : {"/bandeja", "/reunion", "/bandeja?formato=csv&"}) {
    const std::string base = std::string(path) + (std::string(path).back() == '&' ? "" : "?");
    EXPECT_EQ(Get(base + "dependencia=jumapam", cookie).status, 200) << path;
    EXPECT_EQ(Get(base + "dependencia=obras_publicas", cookie).status, 404) << path;
    cells += 2;
  }
  EXPECT_GE(cells, 12);
  // Each attempt on the other dependencia's boleta is on record in the access log, as refused.
  EXPECT_EQ(db_.Count("SELECT count(*) FROM personal_data_access a JOIN boleta b ON b.id = a.boleta_id"
                      " WHERE b.folio = '2026-000002' AND a.fields = '{acceso_denegado}'"),
            cells / 2 - 3)
      << "one per folio page tried (the three inbox views name no boleta)";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM personal_data_access a JOIN boleta b ON b.id = a.boleta_id"
                      " WHERE b.folio = '2026-000002' AND a.fields <> '{acceso_denegado}'"),
            0)
      << "and nothing of it was shown";
  // Nothing of the other dependencia's changed.
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_event b JOIN boleta o ON o.id = b.boleta_id "
                      "WHERE o.folio = '2026-000002'"), 0);
}

TEST_F(StaffWebTest, AnEnlaceSeesTheFollowUpOfItsOwnDependenciasOnly) {
  AddUser("enlace_agua", "enlace", "jumapam");
  db_.Execute(
      "INSERT INTO boleta (folio, channel, text, status, dependencia_id, due_at, created_at,"
      "  updated_at, status_changed_at) VALUES "
      "('2026-000001', 'whatsapp', 'fuga', 'canalizada', 'jumapam', now() - interval '2 days',"
      "  now() - interval '20 days', now(), now()),"
      "('2026-000002', 'whatsapp', 'bache', 'canalizada', 'obras_publicas', now() - interval '2 days',"
      "  now() - interval '20 days', now(), now())");
  clock_.Set(std::chrono::system_clock::now());
  const auto home = Get("/", SignIn("enlace_agua"));
  EXPECT_EQ(home.status, 200);
  EXPECT_THAT(home.body, HasSubstr("JUMAPAM"));
  EXPECT_THAT(home.body, Not(HasSubstr("Obras P")));
  EXPECT_THAT(home.body, Not(HasSubstr("esperan clasificación"))) << "the queue is staff work";

  const auto staff = Get("/", SignIn("capturista"));
  EXPECT_THAT(staff.body, HasSubstr("JUMAPAM"));
  EXPECT_THAT(staff.body, HasSubstr("Obras P"));
}


// --- The bandeja de clasificación ---------------------------------------------------------------

class QueueTest : public StaffWebTest {
 protected:
  QueueTest() { cookie_ = SignIn("capturista"); csrf_ = CsrfOf(cookie_); }

  HttpResponse Decide(std::int64_t id, const std::string& decision, const std::string& fields) {
    return Post("/clasificacion/" + std::to_string(id) + "/" + decision,
                "csrf=" + csrf_ + (fields.empty() ? "" : "&" + fields), cookie_);
  }

  std::string cookie_;
  std::string csrf_;
};

TEST_F(QueueTest, ShowsWhatWaitsOldestFirstWithWhatSacReadAndLogsTheView) {
  Waiting("2026-000001", "hay agua tirada y también basura <script>alert(1)</script> en la esquina");
  clock_.Advance(1min);
  Waiting("2026-000002", "algo raro pasa en mi calle");
  const auto page = Get("/clasificacion", cookie_);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("2 boletas esperan"));
  EXPECT_LT(page.body.find("2026-000001"), page.body.find("2026-000002"));
  EXPECT_THAT(page.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page.body, Not(HasSubstr("<script>alert(1)")));
  EXPECT_THAT(page.body, HasSubstr("<mark>")) << "the words that fired";
  EXPECT_THAT(page.body, HasSubstr("Lo que leyó SAC"));
  EXPECT_THAT(page.body, HasSubstr("<datalist id=\"colonias\">"));
  EXPECT_THAT(page.body, HasSubstr("(82000)")) << "the gazetteer offers colonias with their CP";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM personal_data_access WHERE route = '/clasificacion'"), 2)
      << "each boleta whose text was shown";

  AddUser("enlace_agua", "enlace", "jumapam");
  EXPECT_EQ(Get("/clasificacion", SignIn("enlace_agua")).status, 403);
}

TEST_F(QueueTest, CanalizarAcceptsOrChangesTheDependenciaCategoriaAndColonia) {
  const auto id = Waiting("2026-000001", "hay mucha basura tirada en el arroyo");
  db_.Execute("UPDATE boleta SET classification = jsonb_set(classification, '{dependencia}', "
              "'\"aseo_urbano\"')");
  const auto& some = classifiers_->Current()->rules().gazetteer().colonias().at(10);
  const std::string colonia = some.name + " (" + some.postal_code + ")";
  const auto kept = Decide(id, "canalizar", "dependencia=ecologia&categoria=");
  EXPECT_EQ(kept.status, 400) << "its categoría (basura) would be left in another dependencia";
  EXPECT_THAT(kept.body, HasSubstr("que es de otra dependencia; elige también una categoría"));
  EXPECT_EQ(db_.Scalar("SELECT status FROM boleta"), "por_clasificar");
  const auto canalized = Decide(id, "canalizar",
                                "dependencia=ecologia&categoria=contaminacion&colonia=" +
                                    Encode(colonia));
  ASSERT_EQ(canalized.status, 303) << canalized.body.substr(canalized.body.find("<main>"));
  EXPECT_THAT(Header(canalized, "Location"), HasSubstr("/clasificacion?hecho="));
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || dependencia_id || ':' || categoria FROM boleta"),
            "canalizada:ecologia:contaminacion");
  EXPECT_EQ(db_.Scalar("SELECT colonia || ':' || colonia_postal_code FROM boleta"),
            some.name + ":" + some.postal_code);
  EXPECT_EQ(db_.Scalar("SELECT human_dependencia || ':' || machine_dependencia || ':' || staff "
                       "FROM classification_correction"),
            "ecologia:aseo_urbano:capturista")
      << "a person routing elsewhere than the machine is a lesson for the rules";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_event WHERE kind = 'clasificacion_corregida'"), 1);
}

TEST_F(QueueTest, RefusesACategoriaOfAnotherDependenciaOrAnUnknownColoniaChangingNothing) {
  const auto id = Waiting("2026-000001", "hay mucha basura tirada en el arroyo");
  const std::string categoria = db_.Scalar("SELECT coalesce(categoria, '') FROM boleta");
  ASSERT_FALSE(categoria.empty());
  const auto mismatched = Decide(id, "canalizar", "dependencia=jumapam&categoria=" + categoria);
  EXPECT_EQ(mismatched.status, 400);
  EXPECT_THAT(mismatched.body, HasSubstr("corresponde a otra dependencia"));
  const auto unknown = Decide(id, "canalizar", "dependencia=aseo_urbano&colonia=Narnia");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_THAT(unknown.body, HasSubstr("no está en el catálogo"));
  EXPECT_EQ(Decide(id, "canalizar", "dependencia=").status, 400);
  EXPECT_EQ(db_.Scalar("SELECT status FROM boleta"), "por_clasificar");

  const auto forged = Post("/clasificacion/" + std::to_string(id) + "/canalizar",
                           "csrf=otro&dependencia=aseo_urbano", cookie_);
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(db_.Scalar("SELECT status FROM boleta"), "por_clasificar");
  EXPECT_EQ(Decide(999999, "canalizar", "dependencia=aseo_urbano").status, 404);
}

TEST_F(QueueTest, TwoPeopleDecidingOnOneBoletaAtOnceOnlyTheFirstActs) {
  const auto id = Waiting("2026-000001", "hay mucha basura tirada en el arroyo");
  const auto other_id = Waiting("2026-000002", "hay mucha basura en la esquina");
  AddUser("capturista2", "atencion_ciudadana");
  const std::string other = SignIn("capturista2");
  const std::string mine = SeenVersion(Get("/clasificacion", cookie_).body);
  const std::string theirs = SeenVersion(Get("/clasificacion", other).body);
  ASSERT_EQ(mine, "0");
  ASSERT_EQ(theirs, "0");
  const std::string colonia_before = db_.Scalar("SELECT coalesce(colonia, '') FROM boleta WHERE "
                                                "id = " + std::to_string(id));
  const auto& some = classifiers_->Current()->rules().gazetteer().colonias().at(10);

  const auto first = Post("/clasificacion/" + std::to_string(id) + "/canalizar",
                          "csrf=" + CsrfOf(other) + "&dependencia=aseo_urbano&version=" + theirs,
                          other);
  ASSERT_EQ(first.status, 303) << first.body;
  const auto late = Decide(id, "canalizar",
                           "dependencia=ecologia&colonia=" +
                               Encode(some.name + " (" + some.postal_code + ")") +
                               "&version=" + mine);
  EXPECT_EQ(late.status, 409);
  EXPECT_THAT(late.body, HasSubstr("cambió de estado mientras la veías"));
  const std::string boleta = " FROM boleta_event WHERE boleta_id = " + std::to_string(id);
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || dependencia_id || ':' || status_version FROM "
                       "boleta WHERE id = " + std::to_string(id)),
            "canalizada:aseo_urbano:1")
      << "not reassigned by the second decision";
  EXPECT_EQ(db_.Scalar("SELECT coalesce(colonia, '') FROM boleta WHERE id = " + std::to_string(id)),
            colonia_before)
      << "the refused decision's colonia went with it";
  EXPECT_EQ(db_.Scalar("SELECT string_agg(kind, ',' ORDER BY id)" + boleta), "canalizar");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM classification_correction WHERE "
                      "human_dependencia = 'ecologia'"),
            0);
  EXPECT_EQ(Decide(id, "no-procede", "motivo=publicidad&version=" + mine).status, 409);
  EXPECT_EQ(Decide(id, "duplicada", "folio=2026-000002&version=" + mine).status, 409);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note"), 0) << "nor a refused decision's reason";

  EXPECT_EQ(Decide(other_id, "no-procede", "motivo=x&version=uno").status, 400);
  EXPECT_EQ(Decide(other_id, "no-procede", "motivo=publicidad&version=0").status, 303)
      << "the other boleta, decided on the version it has";
}

TEST_F(QueueTest, NoProcedeDuplicadaAndAQuestionToTheCitizen) {
  const auto original = Waiting("2026-000001", "hay una fuga de agua en la colonia Juárez");
  const auto repeated = Waiting("2026-000002", "la fuga de agua de la colonia Juárez sigue");
  const auto spam = Waiting("2026-000003", "vendo tenis baratos");
  const auto unclear = Waiting("2026-000004", "vengan a ver esto");
  const auto captured = Waiting("2026-000005", "reporte por teléfono sin canal", false);

  EXPECT_EQ(Decide(spam, "no-procede", "motivo=").status, 400);
  EXPECT_EQ(Decide(spam, "no-procede", "motivo=publicidad").status, 303);
  EXPECT_EQ(Decide(repeated, "duplicada", "folio=2026-999999").status, 400);
  EXPECT_EQ(Decide(repeated, "duplicada", "folio=2026-000001").status, 303);
  EXPECT_EQ(Decide(unclear, "preguntar", "pregunta=" + Encode("¿Qué problema es y en qué calle?"))
                .status,
            303);
  EXPECT_EQ(Decide(captured, "preguntar", "pregunta=hola").status, 400)
      << "no channel to write to: staff must call";

  EXPECT_EQ(db_.Scalar("SELECT string_agg(folio || ':' || status, ',' ORDER BY id) FROM boleta"),
            "2026-000001:por_clasificar,2026-000002:duplicada,2026-000003:no_procede,"
            "2026-000004:por_clasificar,2026-000005:por_clasificar");
  EXPECT_EQ(db_.Scalar("SELECT duplicate_of FROM boleta WHERE folio = '2026-000002'"),
            std::to_string(original));
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox WHERE purpose = 'pregunta_staff'"),
              HasSubstr("Sobre tu reporte con folio 2026-000004, Atención Ciudadana pregunta: "
                        "¿Qué problema es y en qué calle?"));
  EXPECT_THAT(db_.Scalar("SELECT text FROM boleta_note WHERE boleta_id = " + std::to_string(unclear)),
              HasSubstr("Pregunta al ciudadano"));
  const auto page = Get("/clasificacion", cookie_);
  EXPECT_THAT(page.body, HasSubstr("3 boletas esperan"));
}


// --- Captura ------------------------------------------------------------------------------------

TEST_F(QueueTest, ACapturedCallGetsItsFolioRoutedWithTheColoniaStaffGave) {
  const auto form = Get("/captura", cookie_);
  ASSERT_EQ(form.status, 200);
  EXPECT_THAT(form.body, HasSubstr("Llamada telefónica"));
  const auto& colonia = classifiers_->Current()->rules().gazetteer().colonias().at(10);
  const std::string fields =
      "csrf=" + csrf_ + "&canal=telefono&texto=" +
      Encode("hay una fuga de agua potable enorme frente a la primaria") + "&colonia=" +
      Encode(colonia.name + " (" + colonia.postal_code + ")") + "&direccion=" +
      Encode("Calle Laureles 123") + "&nombre=" + Encode("Martha Peña") + "&telefono=" +
      Encode("669 123 4501");
  const auto created = Post("/captura", fields, cookie_);
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(Header(created, "Location"), "/captura/2026-000001");
  EXPECT_EQ(db_.Scalar("SELECT channel || ':' || status || ':' || dependencia_id || ':' || colonia "
                       "|| ':' || address_text FROM boleta"),
            "telefono:canalizada:jumapam:" + colonia.name + ":Calle Laureles 123");
  EXPECT_EQ(db_.Scalar("SELECT display_name || ':' || phone FROM citizen"), "Martha Peña:+526691234501");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_event WHERE kind = 'capturada' AND actor = 'capturista'"), 1);

  const auto ficha = Get("/captura/2026-000001", cookie_);
  ASSERT_EQ(ficha.status, 200);
  EXPECT_THAT(ficha.body, HasSubstr("<p class=\"folio\">2026-000001</p>"));
  EXPECT_THAT(ficha.body, HasSubstr("La atiende <strong>JUMAPAM"));
  EXPECT_THAT(ficha.body, HasSubstr("</strong>; plazo hasta el "));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM personal_data_access WHERE route = '/captura/{folio}'"), 1);

  // The same caller again: the same citizen.
  ASSERT_EQ(Post("/captura", "csrf=" + csrf_ + "&canal=modulo&texto=" + Encode("no pasa el camión de la basura") +
                                 "&telefono=" + Encode("+52 1 669 123 4501"),
                 cookie_).status,
            303);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen"), 1);
  EXPECT_EQ(db_.Count("SELECT count(DISTINCT citizen_id) FROM boleta"), 1);
}

TEST_F(QueueTest, ACaptureCarriesPhotosThatAreRealImagesOnly) {
  const std::string jpeg = "\xFF\xD8\xFF\xE0 la foto del bache";
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + " la otra foto";
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"csrf", csrf_}, {"canal", "recorrido"}, {"texto", "un bache enorme en la avenida"}};
  const auto created = PostMultipart("/captura", fields,
                                     {{"foto", "bache.jpg", jpeg}, {"foto", "otra\xC3.png", png},
                                      {"foto", "", ""}},  // an empty file input
                                     cookie_);
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(db_.Scalar("SELECT string_agg(mime_type || ':' || download_state || ':' || size_bytes"
                       " || ':' || filename, ',' ORDER BY id) FROM boleta_media"),
            "image/jpeg:stored:" + std::to_string(jpeg.size()) + ":bache.jpg,image/png:stored:" +
                std::to_string(png.size()) + ":foto")
      << "a name that is not UTF-8 is not kept";
  const auto sha = db_.Scalar("SELECT file_sha256 FROM boleta_media ORDER BY id LIMIT 1");
  std::ifstream stored(media_.PathOf(sha), std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(stored), {}), jpeg) << "the bytes, on disk";
  EXPECT_THAT(Get(Header(created, "Location"), cookie_).body, HasSubstr("<dt>Fotos</dt><dd>2</dd>"));
  const auto page = Get("/boletas/2026-000001", cookie_);
  EXPECT_THAT(page.body, HasSubstr("<img")) << "shown on the boleta";

  // Not a photo, whatever its name says; too many; a broken body: nothing is registered.
  const auto svg = PostMultipart("/captura", fields,
                                 {{"foto", "foto.jpg", "<svg onload=alert(1)></svg>"}}, cookie_);
  EXPECT_EQ(svg.status, 400);
  EXPECT_THAT(svg.body, HasSubstr("no es una foto"));
  EXPECT_THAT(svg.body, HasSubstr("un bache enorme en la avenida")) << "the form is kept";
  const auto four = PostMultipart("/captura", fields,
                                  {{"foto", "1.jpg", jpeg}, {"foto", "2.jpg", jpeg},
                                   {"foto", "3.jpg", jpeg}, {"foto", "4.jpg", jpeg}}, cookie_);
  EXPECT_EQ(four.status, 400);
  EXPECT_THAT(four.body, HasSubstr("hasta 3 fotos"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_media"), 2);
}

TEST_F(QueueTest, WhileStaffTypeTheClassifierSaysWhatItUnderstands) {
  const auto sure = Post("/captura/sugerencia",
                         "csrf=" + csrf_ + "&texto=" + Encode("hay una fuga de agua potable enorme en la colonia Juárez"),
                         cookie_);
  ASSERT_EQ(sure.status, 200) << sure.body;
  EXPECT_THAT(sure.body, HasSubstr("SAC entiende: <strong>"));
  EXPECT_THAT(sure.body, HasSubstr("JUMAPAM"));
  EXPECT_THAT(sure.body, HasSubstr("colonia Benito Juárez"));
  EXPECT_EQ(sure.body.find("<html"), std::string::npos) << "a fragment, not a page";
  EXPECT_THAT(Post("/captura/sugerencia", "csrf=" + csrf_ + "&texto=" + Encode("vengan a ver"), cookie_).body,
              HasSubstr("Aún no queda claro"));
  EXPECT_EQ(Post("/captura/sugerencia", "csrf=" + csrf_ + "&texto=", cookie_).body, "");
  EXPECT_EQ(Post("/captura/sugerencia", "csrf=otro&texto=bache", cookie_).status, 403);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 0) << "a hint writes nothing";
}

TEST_F(QueueTest, AnUnclearCaptureWaitsForStaffAndBadInputIsSaidWithTheFormKept) {
  ASSERT_EQ(Post("/captura", "csrf=" + csrf_ + "&canal=recorrido&texto=" + Encode("vengan a ver esto"),
                 cookie_).status,
            303);
  const auto ficha = Get("/captura/2026-000001", cookie_);
  EXPECT_THAT(ficha.body, HasSubstr("Atención Ciudadana la revisará"));
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || (citizen_id IS NULL) FROM boleta"), "por_clasificar:true")
      << "an anonymous petition";

  const auto empty = Post("/captura", "csrf=" + csrf_ + "&canal=telefono&texto=+++", cookie_);
  EXPECT_EQ(empty.status, 400);
  EXPECT_THAT(empty.body, HasSubstr("Escribe lo que pide"));
  const auto phone = Post("/captura", "csrf=" + csrf_ + "&canal=telefono&texto=bache&telefono=123", cookie_);
  EXPECT_EQ(phone.status, 400);
  EXPECT_THAT(phone.body, HasSubstr("bache</textarea>")) << "what was typed is kept";
  EXPECT_EQ(Post("/captura", "csrf=" + csrf_ + "&canal=fax&texto=bache", cookie_).status, 400);
  EXPECT_EQ(Post("/captura", "csrf=" + csrf_ + "&canal=telefono&texto=bache&colonia=Narnia", cookie_).status,
            400);
  EXPECT_EQ(Post("/captura", "csrf=" + csrf_ + "&canal=telefono&texto=bache&colonia=" +
                                 Encode("Los Sauces (99999)"), cookie_).status,
            400) << "a postal code the colonia does not have";
  EXPECT_EQ(Post("/captura", "csrf=x&canal=telefono&texto=bache", cookie_).status, 403);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 1);
  // SEPOMEX has two Los Sauces (82159 in Mazatlán, 82216 in Villa Unión): the one picked is kept.
  ASSERT_EQ(Post("/captura", "csrf=" + csrf_ + "&canal=telefono&texto=bache&colonia=" +
                                 Encode("Los Sauces (82216)"), cookie_).status,
            303);
  EXPECT_EQ(db_.Scalar("SELECT colonia || ' ' || colonia_postal_code FROM boleta WHERE folio = "
                       "'2026-000002'"),
            "Los Sauces 82216");
  EXPECT_EQ(Get("/captura/2026-999999", cookie_).status, 404);
}


// --- Bandeja de la dependencia --------------------------------------------------------------------

class InboxTest : public StaffWebTest {
 protected:
  InboxTest() {
    AddUser("enlace_agua", "enlace", "jumapam");
    clock_.Set(std::chrono::system_clock::now());
    // Routed boletas: one unread and overdue, one read and due soon, one of another dependencia.
    db_.Execute(
        "INSERT INTO boleta (folio, channel, text, status, dependencia_id, colonia, due_at,"
        "  unread_by_dependencia, unread_since, created_at, updated_at, status_changed_at) VALUES "
        "('2026-000001', 'whatsapp', 'fuga <b>grande</b>', 'canalizada', 'jumapam', 'Centro',"
        "  now() - interval '1 day', true, now() - interval '12 days', now() - interval '12 days',"
        "  now(), now()),"
        "('2026-000002', 'whatsapp', 'sin agua desde ayer', 'leida', 'jumapam', 'Juárez',"
        "  now() + interval '1 day', false, NULL, now() - interval '9 days', now(), now()),"
        "('2026-000003', 'whatsapp', 'bache enorme', 'canalizada', 'obras_publicas', 'Centro',"
        "  now() + interval '5 days', true, now(), now(), now(), now())");
    cookie_ = SignIn("enlace_agua");
    csrf_ = CsrfOf(cookie_);
  }
  std::string cookie_;
  std::string csrf_;
};

TEST_F(InboxTest, AnEnlaceSeesItsOwnUnreadFirstThenTheMostUrgent) {
  const auto page = Get("/bandeja", cookie_);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("Sin leer (1)"));
  const auto unread = page.body.find("Sin leer (1)");
  const auto pending = page.body.find("Pendientes, lo más urgente primero");
  ASSERT_NE(pending, std::string::npos);
  EXPECT_LT(unread, page.body.find("2026-000001"));
  EXPECT_LT(page.body.find("2026-000001", pending), page.body.find("2026-000002", pending))
      << "the overdue one first";
  EXPECT_THAT(page.body, HasSubstr("vencida"));
  EXPECT_THAT(page.body, HasSubstr("fuga &lt;b&gt;grande&lt;/b&gt;"));
  EXPECT_THAT(page.body, Not(HasSubstr("2026-000003"))) << "another dependencia's";
  EXPECT_EQ(Get("/bandeja?dependencia=obras_publicas", cookie_).status, 404);
  EXPECT_GE(db_.Count("SELECT count(*) FROM personal_data_access WHERE route = '/bandeja'"), 2);

  const auto overdue = Get("/bandeja?plazo=vencida", cookie_);
  EXPECT_THAT(overdue.body.substr(overdue.body.find("Pendientes")), Not(HasSubstr("2026-000002")));
  const auto words = Get("/bandeja?texto=agua", cookie_);
  EXPECT_THAT(words.body.substr(words.body.find("Pendientes")), HasSubstr("2026-000002"));
  EXPECT_THAT(words.body.substr(words.body.find("Pendientes")), Not(HasSubstr("2026-000001")));
}

TEST_F(InboxTest, MarkingReadIsTheDependenciasAndOnlyForItsOwnBoletas) {
  const auto id = db_.Scalar("SELECT id FROM boleta WHERE folio = '2026-000001'");
  const auto other = db_.Scalar("SELECT id FROM boleta WHERE folio = '2026-000003'");
  EXPECT_EQ(Post("/bandeja/leidas", "csrf=" + csrf_ + "&dependencia=jumapam&boleta=" + other, cookie_)
                .status,
            404);
  EXPECT_EQ(Post("/bandeja/leidas", "csrf=" + csrf_ + "&dependencia=obras_publicas&boleta=" + other,
                 cookie_)
                .status,
            404);
  const auto marked =
      Post("/bandeja/leidas", "csrf=" + csrf_ + "&dependencia=jumapam&boleta=" + id, cookie_);
  ASSERT_EQ(marked.status, 303);
  EXPECT_THAT(Header(marked, "Location"), HasSubstr("hecho=1%20boleta%20marcada"));
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || unread_by_dependencia FROM boleta WHERE id = " + id),
            "leida:false");
  EXPECT_EQ(db_.Scalar("SELECT unread_by_dependencia FROM boleta WHERE id = " + other), "t");
  EXPECT_THAT(Get("/bandeja", cookie_).body, HasSubstr("Todo está leído"));

  const std::string staff = SignIn("capturista");
  EXPECT_THAT(Get("/bandeja?dependencia=obras_publicas", staff).body, HasSubstr("2026-000003"))
      << "Atención Ciudadana opens any inbox";
  EXPECT_EQ(Post("/bandeja/leidas", "csrf=" + CsrfOf(staff) + "&dependencia=obras_publicas&boleta=" + other,
                 staff)
                .status,
            403)
      << "but reading is the dependencia's act";
}


// --- The boleta ----------------------------------------------------------------------------------

TEST_F(InboxTest, AnEnlaceOpensReadsSchedulesAndAttendsItsBoleta) {
  db_.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Martha Peña', '+526691234501')");
  db_.Execute("UPDATE boleta SET citizen_id = (SELECT max(id) FROM citizen) WHERE folio = '2026-000001'");
  const auto page = Get("/boletas/2026-000001", cookie_);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("Leída")) << "opening it is reading it";
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || unread_by_dependencia FROM boleta WHERE folio = '2026-000001'"),
            "leida:false");
  EXPECT_THAT(page.body, HasSubstr("fuga &lt;b&gt;grande&lt;/b&gt;"));
  EXPECT_THAT(page.body, HasSubstr("Martha Peña · 669 123 4501"));
  EXPECT_THAT(page.body, HasSubstr("vencida"));
  EXPECT_THAT(page.body, HasSubstr(">Programar</button>"));
  EXPECT_THAT(page.body, HasSubstr(">Atendida</button>"));
  EXPECT_THAT(page.body, Not(HasSubstr(">Reasignar</button>"))) << "staff's, not the dependencia's";
  EXPECT_THAT(page.body, Not(HasSubstr("Responder al ciudadano")));
  EXPECT_EQ(db_.Scalar("SELECT array_to_string(fields, ',') FROM personal_data_access "
                       "WHERE route = '/boletas/{folio}'"),
            "texto,direccion,telefono,nombre");
  EXPECT_EQ(Get("/boletas/2026-000003", cookie_).status, 404) << "another dependencia's";
  EXPECT_EQ(Post("/boletas/2026-000003/estado", "csrf=" + csrf_ + "&estado=atendida", cookie_).status,
            404);

  const auto when = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() + 72h));
  char date[64];
  std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(when.year()),
                static_cast<unsigned>(when.month()), static_cast<unsigned>(when.day()));
  EXPECT_EQ(Post("/boletas/2026-000001/estado", "csrf=" + csrf_ + "&estado=programada&fecha=ayer",
                 cookie_).status,
            400);
  const auto scheduled = Post("/boletas/2026-000001/estado",
                              "csrf=" + csrf_ + "&estado=programada&fecha=" + date, cookie_);
  ASSERT_EQ(scheduled.status, 303) << scheduled.body;
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || scheduled_for FROM boleta WHERE folio = '2026-000001'"),
            std::string("programada:") + date);
  EXPECT_EQ(Post("/boletas/2026-000001/estado", "csrf=" + csrf_ + "&estado=cerrada", cookie_).status,
            409) << "the transition table refuses it, naming both statuses";
  EXPECT_EQ(Post("/boletas/2026-000001/nota", "csrf=" + csrf_ + "&texto=" + Encode("Cuadrilla 3 asignada") +
                     "&publica=si",
                 cookie_).status,
            303);
  ASSERT_EQ(Post("/boletas/2026-000001/estado", "csrf=" + csrf_ + "&estado=atendida&comentario=" +
                     Encode("Se cambió la válvula"),
                 cookie_).status,
            303);
  EXPECT_EQ(db_.Scalar("SELECT status FROM boleta WHERE folio = '2026-000001'"), "atendida");
  const auto after = Get("/boletas/2026-000001", cookie_);
  EXPECT_THAT(after.body, HasSubstr("Cuadrilla 3 asignada"));
  EXPECT_THAT(after.body, HasSubstr("Programada → Atendida"));
}

TEST_F(InboxTest, StaffReassignAndWriteToTheCitizenWhileADirectorOnlyReads) {
  const std::string staff = SignIn("capturista");
  const std::string csrf = CsrfOf(staff);
  db_.Execute("UPDATE boleta SET categoria = 'bache' WHERE folio = '2026-000003'");
  const std::string before = db_.Scalar("SELECT coalesce(dependencia_id, '') || ':' || categoria "
                                        "FROM boleta WHERE folio = '2026-000003'");
  EXPECT_THAT(Get("/boletas/2026-000003", staff).body, HasSubstr("<select name=\"categoria\">"))
      << "reasignar offers the categoría with the dependencia";
  const auto kept = Post("/boletas/2026-000003/estado",
                         "csrf=" + csrf + "&estado=canalizada&dependencia=jumapam&comentario=" +
                             Encode("es fuga, no bache"),
                         staff);
  EXPECT_EQ(kept.status, 400) << "a bache would be counted in JUMAPAM's statistics";
  EXPECT_THAT(kept.body, HasSubstr("que es de otra dependencia"));
  EXPECT_EQ(Post("/boletas/2026-000003/estado",
                 "csrf=" + csrf + "&estado=canalizada&dependencia=jumapam&categoria=bache", staff)
                .status,
            400);
  EXPECT_EQ(db_.Scalar("SELECT coalesce(dependencia_id, '') || ':' || categoria FROM boleta WHERE "
                       "folio = '2026-000003'"),
            before)
      << "nothing changed";
  const auto moved = Post("/boletas/2026-000003/estado",
                          "csrf=" + csrf + "&estado=canalizada&dependencia=jumapam&categoria=fuga_agua"
                          "&comentario=" + Encode("es fuga, no bache"),
                          staff);
  EXPECT_EQ(moved.status, 303) << moved.body;
  EXPECT_EQ(db_.Scalar("SELECT dependencia_id || ':' || categoria FROM boleta WHERE folio = '2026-000003'"),
            "jumapam:fuga_agua");
  EXPECT_EQ(Post("/boletas/2026-000003/responder", "csrf=" + csrf + "&texto=hola", staff).status, 400)
      << "no channel to write back to";

  AddUser("directora", "director");
  const std::string director = SignIn("directora");
  const auto page = Get("/boletas/2026-000002", director);
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, Not(HasSubstr("<h2>Acciones</h2>")));
  EXPECT_EQ(Post("/boletas/2026-000002/estado", "csrf=" + CsrfOf(director) + "&estado=atendida",
                 director).status,
            403);
}


TEST_F(InboxTest, AChangeDecidedOnAnOlderPageIsRefusedWithNothingWritten) {
  const std::string staff = SignIn("capturista");
  const std::string csrf = CsrfOf(staff);
  const std::string seen = SeenVersion(Get("/boletas/2026-000002", staff).body);
  ASSERT_EQ(seen, "0");
  // Meanwhile the enlace schedules it.
  const std::string enlace_seen = SeenVersion(Get("/boletas/2026-000002", cookie_).body);
  ASSERT_EQ(Post("/boletas/2026-000002/estado",
                 "csrf=" + csrf_ + "&estado=programada&fecha=2099-01-05&version=" + enlace_seen,
                 cookie_).status,
            303);
  const auto late = Post("/boletas/2026-000002/estado",
                         "csrf=" + csrf + "&estado=canalizada&dependencia=obras_publicas&" +
                             "comentario=" + Encode("no es de agua") + "&version=" + seen,
                         staff);
  EXPECT_EQ(late.status, 409);
  EXPECT_THAT(late.body, HasSubstr("cambió de estado mientras la veías (ahora está programada)"));
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || dependencia_id FROM boleta WHERE folio = "
                       "'2026-000002'"),
            "programada:jumapam");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note"), 0);

  const std::string now_seen = SeenVersion(Get("/boletas/2026-000002", staff).body);
  EXPECT_EQ(now_seen, "1");
  EXPECT_EQ(Post("/boletas/2026-000002/estado",
                 "csrf=" + csrf + "&estado=canalizada&dependencia=jumapam&comentario=x&version=" +
                     now_seen,
                 staff).status,
            400)
      << "already there";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note"), 0)
      << "a change refused for any reason leaves no note behind";
  EXPECT_EQ(Post("/boletas/2026-000002/estado",
                 "csrf=" + csrf + "&estado=canalizada&dependencia=obras_publicas&comentario=" +
                     Encode("no es de agua") + "&version=" + now_seen,
                 staff).status,
            303);
  EXPECT_EQ(db_.Scalar("SELECT dependencia_id FROM boleta WHERE folio = '2026-000002'"),
            "obras_publicas");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note"), 1);
}


// --- Seguimiento diario ---------------------------------------------------------------------------

TEST_F(InboxTest, TheDailyFollowUpListsWhatNeedsACallAndRecordsTheCall) {
  const std::string staff = SignIn("capturista");
  const auto page = Get("/seguimiento", staff);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("2026-000001"));
  EXPECT_THAT(page.body, HasSubstr("vencida, sin leer"));
  EXPECT_THAT(page.body, HasSubstr("2026-000002")) << "due tomorrow: por vencer";
  EXPECT_THAT(page.body, Not(HasSubstr("2026-000003"))) << "on time and unread only since today";
  const auto called = Post("/seguimiento/2026-000001/llamada",
                           "csrf=" + CsrfOf(staff) + "&texto=" + Encode("El enlace dice que va el jueves"),
                           staff);
  ASSERT_EQ(called.status, 303) << called.body;
  EXPECT_THAT(db_.Scalar("SELECT text || ':' || public FROM boleta_note"),
              HasSubstr("Seguimiento (llamada): El enlace dice que va el jueves:false"));

  const auto mine = Get("/seguimiento", cookie_);  // the enlace: their own, without the call box
  EXPECT_THAT(mine.body, HasSubstr("2026-000001"));
  EXPECT_THAT(mine.body, Not(HasSubstr("/llamada")));
  EXPECT_EQ(Post("/seguimiento/2026-000001/llamada", "csrf=" + csrf_ + "&texto=x", cookie_).status, 403);
}


// --- Búsqueda -------------------------------------------------------------------------------------

TEST_F(InboxTest, SearchByFolioPhoneWordsColoniaAndDatesWithinWhatTheReaderMaySee) {
  db_.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Martha', '+526691234501')");
  db_.Execute("UPDATE boleta SET citizen_id = (SELECT max(id) FROM citizen) "
              "WHERE folio IN ('2026-000001', '2026-000003')");
  const std::string staff = SignIn("capturista");
  const auto by_folio = Get("/busqueda?folio=2026-2", staff);
  EXPECT_EQ(by_folio.status, 200);
  EXPECT_THAT(by_folio.body, HasSubstr("1 boleta"));
  EXPECT_THAT(by_folio.body, HasSubstr(">2026-000002</a>"));
  // The form is posted: a phone never goes in an address (ASVS 14.2.1).
  const std::string staff_csrf = CsrfOf(staff);
  const auto form = Get("/busqueda", staff);
  EXPECT_THAT(form.body, HasSubstr("<form class=\"filtros\" method=\"post\" action=\"/busqueda\">"));
  const auto by_phone =
      Post("/busqueda", "csrf=" + staff_csrf + "&telefono=" + Encode("(669) 123-4501"), staff);
  EXPECT_EQ(by_phone.status, 200);
  EXPECT_THAT(by_phone.body, HasSubstr("2 boletas"));
  EXPECT_THAT(by_phone.body, HasSubstr("2026-000003"));
  EXPECT_THAT(by_phone.body, HasSubstr("<button type=\"submit\" name=\"formato\" value=\"csv\">"))
      << "the download posts the criteria again";
  EXPECT_THAT(by_phone.body, Not(HasSubstr("?telefono=")));
  const auto phone_csv = Post("/busqueda",
                              "csrf=" + staff_csrf + "&telefono=" + Encode("(669) 123-4501") +
                                  "&formato=csv", staff);
  EXPECT_EQ(phone_csv.status, 200);
  EXPECT_THAT(phone_csv.body, HasSubstr("2026-000003"));
  const auto phone_in_address = Get("/busqueda?telefono=" + Encode("(669) 123-4501"), staff);
  EXPECT_EQ(phone_in_address.status, 400);
  EXPECT_THAT(phone_in_address.body, HasSubstr("el teléfono no va en la dirección"));
  EXPECT_THAT(phone_in_address.body, Not(HasSubstr("2026-000003")));
  EXPECT_EQ(Post("/busqueda", "csrf=otro&telefono=6691234501", staff).status, 403);
  const auto reversed = Get("/busqueda?desde=2026-12-01&hasta=2026-11-01", staff);
  EXPECT_EQ(reversed.status, 400);
  EXPECT_THAT(reversed.body, HasSubstr("es posterior a"));
  EXPECT_THAT(Get("/busqueda?texto=agua", staff).body, HasSubstr(">2026-000002</a>"));
  const auto by_colonia = Get("/busqueda?colonia=centro", staff);
  EXPECT_THAT(by_colonia.body, HasSubstr("2 boletas"));
  EXPECT_THAT(Get("/busqueda?desde=2000-01-01&hasta=2000-01-31", staff).body, HasSubstr("0 boletas"));
  EXPECT_EQ(Post("/busqueda", "csrf=" + staff_csrf + "&telefono=123", staff).status, 400);
  EXPECT_EQ(Get("/busqueda?desde=ayer", staff).status, 400);
  EXPECT_EQ(Get("/busqueda", staff).status, 200) << "the form alone";

  const auto enlace = Post("/busqueda", "csrf=" + csrf_ + "&telefono=" + Encode("669 123 4501"), cookie_);
  EXPECT_THAT(enlace.body, HasSubstr("1 boleta")) << "only their dependencia's";
  EXPECT_THAT(enlace.body, Not(HasSubstr("2026-000003")));
  EXPECT_GE(db_.Count("SELECT count(*) FROM personal_data_access WHERE route = '/busqueda' "
                      "AND 'telefono' = ANY(fields)"),
            3);
}


// --- Estadísticas ---------------------------------------------------------------------------------

TEST_F(StaffWebTest, TheMonthsStatisticsCountAttendAndValidate) {
  // March 2026 in Mazatlán: three boletas, two attended (one late), one surveyed.
  db_.Execute(
      "INSERT INTO boleta (folio, channel, text, status, dependencia_id, categoria, colonia,"
      "  routed_at, due_at, attended_at, created_at, updated_at, status_changed_at) VALUES "
      "('2026-000001', 'whatsapp', 'fuga', 'atendida', 'jumapam', 'fuga_agua', 'Centro',"
      "  '2026-03-02 17:00Z', '2026-03-16 17:00Z', '2026-03-05 17:00Z', '2026-03-02 17:00Z', now(), now()),"
      "('2026-000002', 'telegram', 'fuga', 'atendida', 'jumapam', 'fuga_agua', 'Centro',"
      "  '2026-03-02 17:00Z', '2026-03-16 17:00Z', '2026-03-20 17:00Z', '2026-03-02 18:00Z', now(), now()),"
      "('2026-000003', 'whatsapp', 'bache <script>', 'canalizada', 'obras_publicas', NULL, 'Juárez',"
      "  '2026-03-10 17:00Z', '2026-03-24 17:00Z', NULL, '2026-03-10 17:00Z', now(), now()),"
      "('2026-000004', 'whatsapp', 'otro mes', 'por_clasificar', NULL, NULL, NULL,"
      "  NULL, NULL, NULL, '2026-04-10 17:00Z', now(), now())");
  db_.Execute("INSERT INTO survey (boleta_id, month, sent_at, answer) "
              "SELECT id, '2026-03-01', '2026-04-01 17:00Z', 'positiva' FROM boleta WHERE folio = '2026-000001'");
  const auto page = Get("/estadisticas?mes=2026-03", SignIn("capturista"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("Estadísticas de marzo de 2026"));
  EXPECT_THAT(page.body, HasSubstr("<strong>3</strong> boletas registradas"));
  EXPECT_THAT(page.body, HasSubstr("<td>WhatsApp</td><td>2</td>"));
  EXPECT_THAT(page.body, HasSubstr("<td>Telegram</td><td>1</td>"));
  // JUMAPAM attended two: 3 and 13 business days (16 March, Benito Juárez, is not one).
  EXPECT_THAT(page.body, HasSubstr("</td><td>2</td><td>8.0</td><td>13.0</td><td>50 %</td>"));
  EXPECT_THAT(page.body, HasSubstr("<td>Satisfechos</td><td>1</td>"));
  EXPECT_THAT(page.body, HasSubstr("<td>2026-03</td><td>3</td>"));
  EXPECT_THAT(page.body, HasSubstr("<script type=\"application/json\" id=\"datos\">"));
  EXPECT_THAT(page.body, HasSubstr("<script src=\"/static/chart.umd.min.js\"></script>"));
  EXPECT_EQ(Get("/estadisticas?mes=marzo", SignIn("capturista")).status, 400);
  const auto chart = Get("/static/chart.umd.min.js");
  EXPECT_EQ(chart.status, 200);
  EXPECT_GT(chart.body.size(), 100000u) << "Chart.js is served from the binary";
  EXPECT_EQ(Get("/static/nada.js").status, 404);
  AddUser("enlace_agua", "enlace", "jumapam");
  EXPECT_EQ(Get("/estadisticas", SignIn("enlace_agua")).status, 403);
}


// --- Validación mensual ---------------------------------------------------------------------------

TEST_F(StaffWebTest, TheTwelveMonthTrendCountsByMazatlanMonths) {
  // 06:30 UTC on 1 April is still 31 March in Mazatlán (UTC-7); a year back is outside.
  db_.Execute("INSERT INTO boleta (folio, channel, text, created_at, updated_at) VALUES "
              "('2026-000001', 'whatsapp', 'a', '2026-03-10 17:00Z', now()),"
              "('2026-000002', 'whatsapp', 'b', '2026-04-01 06:30Z', now()),"
              "('2026-000003', 'whatsapp', 'c', '2026-04-01 07:30Z', now()),"
              "('2025-000004', 'whatsapp', 'd', '2025-04-10 17:00Z', now()),"
              "('2025-000005', 'whatsapp', 'e', '2025-05-01 08:00Z', now())");
  const auto page = Get("/estadisticas?mes=2026-04", SignIn("capturista"));
  ASSERT_EQ(page.status, 200);
  const std::string trend = page.body.substr(page.body.find("Últimos doce meses"));
  EXPECT_THAT(trend, HasSubstr("<td>2026-03</td><td>2</td>"));
  EXPECT_THAT(trend, HasSubstr("<td>2026-04</td><td>1</td>"));
  EXPECT_THAT(trend, HasSubstr("<td>2025-05</td><td>1</td>"));
  EXPECT_THAT(trend, Not(HasSubstr("2025-04")));
}

TEST_F(StaffWebTest, TheMonthlyValidationReportsAndRecordsTheCallsForWhatTheSurveyLeft) {
  db_.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Martha Peña', '+526691234501')");
  db_.Execute(
      "INSERT INTO boleta (folio, channel, citizen_id, text, status, dependencia_id, routed_at,"
      "  due_at, attended_at, created_at, updated_at, status_changed_at) "
      "SELECT f, ch, (SELECT max(id) FROM citizen), 'fuga', 'atendida', 'jumapam',"
      "  '2026-03-02 17:00Z', '2026-03-16 17:00Z', '2026-03-05 17:00Z', '2026-03-02 17:00Z', now(), now() "
      "FROM (VALUES ('2026-000001', 'whatsapp'), ('2026-000002', 'whatsapp'),"
      "             ('2026-000003', 'telefono'), ('2026-000004', 'whatsapp')) AS v(f, ch)");
  db_.Execute("UPDATE boleta SET status = 'validada' WHERE folio = '2026-000001'");
  db_.Execute("INSERT INTO survey (boleta_id, month, sent_at, answer) SELECT id, '2026-03-01',"
              "  '2026-04-01 17:00Z', CASE folio WHEN '2026-000001' THEN 'positiva'"
              "  WHEN '2026-000002' THEN 'sin_respuesta' END FROM boleta"
              "  WHERE folio IN ('2026-000001', '2026-000002', '2026-000004')");
  clock_.Set(Utc(2026, 4, 10, 18));
  const std::string staff = SignIn("capturista");
  const auto page = Get("/validacion", staff);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("Validación mensual de marzo de 2026")) << "the previous month";
  EXPECT_THAT(page.body, HasSubstr("Por validar (3)"));
  EXPECT_THAT(page.body, Not(HasSubstr(">2026-000001</a>"))) << "settled by the survey";
  EXPECT_THAT(page.body, HasSubstr("669 123 4501"));
  EXPECT_THAT(page.body, HasSubstr("<td>4</td><td>3</td><td>1</td><td>0</td><td>1</td><td>0</td><td>100 %</td>"));
  // A citizen who objected to surveys is not on the list to call.
  db_.Execute("UPDATE citizen SET opposed_at = now()");
  EXPECT_THAT(Get("/validacion", staff).body, HasSubstr("Por validar (0)"));
  db_.Execute("UPDATE citizen SET opposed_at = NULL");

  const std::string csrf = CsrfOf(staff);
  EXPECT_EQ(Post("/validacion/2026-000003", "csrf=" + csrf + "&resultado=positiva", staff).status, 303);
  EXPECT_EQ(Post("/validacion/2026-000002", "csrf=" + csrf + "&resultado=negativa", staff).status, 400)
      << "an inconformidad needs the citizen's words";
  EXPECT_EQ(Post("/validacion/2026-000002", "csrf=" + csrf + "&resultado=negativa&palabras=" +
                     Encode("sigue saliendo agua"), staff).status,
            303);
  EXPECT_EQ(Post("/validacion/2026-000004", "csrf=" + csrf + "&resultado=sin_respuesta", staff).status, 303);
  EXPECT_EQ(Post("/validacion/2026-000004", "csrf=" + csrf + "&resultado=positiva", staff).status, 409)
      << "already settled";
  EXPECT_EQ(db_.Scalar("SELECT string_agg(b.folio || ':' || b.status || ':' || s.answer || ':' ||"
                       " coalesce(s.validated_by, '-'), ',' ORDER BY b.folio) FROM boleta b JOIN survey s"
                       " ON s.boleta_id = b.id"),
            "2026-000001:validada:positiva:-,2026-000002:inconformidad:negativa:capturista,"
            "2026-000003:validada:positiva:capturista,2026-000004:cerrada:sin_respuesta:capturista");
  const auto after = Get("/validacion?mes=2026-03", staff);
  EXPECT_THAT(after.body, HasSubstr("Por validar (0)"));
  EXPECT_THAT(after.body, HasSubstr("<td>4</td><td>4</td><td>2</td><td>1</td><td>1</td><td>3</td><td>67 %</td>"));

  AddUser("directora", "director");
  const std::string director = SignIn("directora");
  EXPECT_EQ(Get("/validacion?mes=2026-03", director).status, 200);
  EXPECT_EQ(Post("/validacion/2026-000003", "csrf=" + CsrfOf(director) + "&resultado=positiva", director).status,
            403);
}


// --- Exports and open data ------------------------------------------------------------------------

// Two people calling about the same attended boleta record their calls at once: one stands. (Before
// status_version, "sin respuesta" closing it and "negativa" reopening it could both go through.)
TEST_F(StaffWebTest, TwoCallsRecordedAtOnceForOneBoletaOneStands) {
  constexpr int kBoletas = 8;
  db_.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Martha Peña', '+526691234501')");
  db_.Execute(
      "INSERT INTO boleta (folio, channel, citizen_id, text, status, dependencia_id, routed_at,"
      "  due_at, attended_at, created_at, updated_at, status_changed_at) "
      "SELECT '2026-00000' || n, 'telefono', (SELECT max(id) FROM citizen), 'fuga', 'atendida',"
      "  'jumapam', '2026-03-02 17:00Z', '2026-03-16 17:00Z', '2026-03-05 17:00Z',"
      "  '2026-03-02 17:00Z', now(), now() FROM generate_series(1, " + std::to_string(kBoletas) +
      ") AS n");
  clock_.Set(Utc(2026, 4, 10, 18));
  AddUser("otra", "atencion_ciudadana");
  const std::string people[] = {SignIn("capturista"), SignIn("otra")};
  const std::string forms[] = {"&resultado=sin_respuesta",
                               "&resultado=negativa&palabras=" + Encode("sigue igual")};
  const std::string csrf[] = {CsrfOf(people[0]), CsrfOf(people[1])};
  std::atomic<int> recorded{0};
  std::atomic<int> refused{0};
  for (int n = 1; n <= kBoletas; ++n) {
    std::vector<std::thread> calls;
    for (int who = 0; who < 2; ++who) {
      calls.emplace_back([&, n, who] {
        const int status = Post("/validacion/2026-00000" + std::to_string(n),
                                "csrf=" + csrf[who] + forms[who], people[who]).status;
        if (status == 303) ++recorded;
        if (status == 409) ++refused;
      });
    }
    for (auto& call : calls) call.join();
  }
  EXPECT_EQ(recorded, kBoletas);
  EXPECT_EQ(refused, kBoletas);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_event WHERE kind IN ('cerrar', 'inconformar')"),
            kBoletas)
      << "one decision per boleta";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta WHERE status_version = 1"), kBoletas);
}

TEST_F(StaffWebTest, AMonthExportsToCsvAndXlsxForStaffAndAsOpenDataWithoutPersonalData) {
  db_.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Martha Peña', '+526691234501')");
  db_.Execute(
      "INSERT INTO boleta (folio, channel, citizen_id, text, status, dependencia_id, categoria,"
      "  colonia, colonia_postal_code, address_text, routed_at, due_at, created_at, updated_at,"
      "  status_changed_at) VALUES "
      "('2026-000001', 'whatsapp', (SELECT max(id) FROM citizen),"
      "  'fuga frente a mi casa, dice \"urgente\", soy Martha', 'canalizada', 'jumapam',"
      "  'fuga_agua', 'Centro', '82000', 'Calle Laureles 123', '2026-03-02 17:00Z',"
      "  '2026-03-16 17:00Z', '2026-03-02 17:00Z', now(), now())");
  const std::string staff = SignIn("capturista");
  const auto csv = Get("/exportar/2026-03.csv", staff);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_THAT(Header(csv, "Content-Disposition"), HasSubstr("boletas-2026-03.csv"));
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_THAT(csv.body, HasSubstr("Folio,Fecha,Medio,Estado,Dependencia"));
  EXPECT_THAT(csv.body, HasSubstr("2026-000001,2026-03-02,WhatsApp,Canalizada,"));
  EXPECT_THAT(csv.body, HasSubstr("\"fuga frente a mi casa, dice \"\"urgente\"\", soy Martha\""));
  const auto xlsx = Get("/exportar/2026-03.xlsx", staff);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK") << "an Office Open XML (zip) file";
  EXPECT_GT(xlsx.body.size(), 3000u);
  EXPECT_EQ(Get("/exportar/marzo.csv", staff).status, 404);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM personal_data_access WHERE route = '/exportar/{archivo}'"), 2);
  AddUser("enlace_agua", "enlace", "jumapam");
  EXPECT_EQ(Get("/exportar/2026-03.csv", SignIn("enlace_agua")).status, 403);

  const auto open = Get("/datos-abiertos/2026-03.csv");  // no session: public
  ASSERT_EQ(open.status, 200);
  EXPECT_THAT(open.body, HasSubstr("folio,fecha,medio,estado,dependencia,categoria,colonia,codigo_postal"));
  EXPECT_THAT(open.body, HasSubstr("2026-000001,2026-03-02,WhatsApp,canalizada,"));
  for (const char* personal : {"Martha", "Laureles", "fuga frente", "669", "urgente"}) {
    EXPECT_THAT(open.body, Not(HasSubstr(personal))) << personal;
  }
  const auto json = Get("/datos-abiertos/2026-03.json");
  ASSERT_EQ(json.status, 200);
  EXPECT_THAT(json.body, HasSubstr("\"colonia\":\"Centro\""));
  EXPECT_THAT(json.body, Not(HasSubstr("Martha")));
  EXPECT_EQ(Get("/datos-abiertos/2026-03.xlsx").status, 404);
  const auto index = Get("/datos-abiertos");  // public, documented
  ASSERT_EQ(index.status, 200);
  EXPECT_THAT(index.body, HasSubstr("sin ningún dato personal"));
  EXPECT_THAT(index.body, HasSubstr("codigo_postal</th>"));
  EXPECT_THAT(index.body, HasSubstr(".csv\">"));
}


// --- Files --------------------------------------------------------------------------------------

TEST_F(InboxTest, PhotosShowInlineAndEverythingElseOnlyDownloadsNeverRunning) {
  const auto photo = media_.Store("\xFF\xD8\xFF\xE0 una foto de la fuga");
  const auto svg = media_.Store("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
  ASSERT_TRUE(photo && svg);
  db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type, caption,"
              "  download_state, file_sha256) SELECT id, 'image', 'm1', 'image/jpeg', 'la fuga', 'stored', '" +
              photo->sha256 + "' FROM boleta WHERE folio = '2026-000001'");
  db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type,"
              "  download_state, file_sha256) SELECT id, 'document', 'm2', 'image/svg+xml', 'stored', '" +
              svg->sha256 + "' FROM boleta WHERE folio = '2026-000001'");
  db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type)"
              " SELECT id, 'audio', 'm3', 'audio/ogg' FROM boleta WHERE folio = '2026-000001'");
  db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type,"
              "  download_state, file_sha256) SELECT id, 'image', 'm4', 'image/jpeg', 'stored', '" +
              photo->sha256 + "' FROM boleta WHERE folio = '2026-000003'");
  db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type, download_state)"
              " SELECT id, 'video', 'm5', 'video/mp4', 'blocked' FROM boleta WHERE folio = '2026-000001'");
  db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, download_state)"
              " SELECT id, 'document', 'too_large', 'too_large' FROM boleta WHERE folio = '2026-000001'");
  const auto ids = db_.Scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM boleta_media");
  const std::string jpeg_id = ids.substr(0, ids.find(','));
  const std::string svg_id = std::to_string(std::stoll(jpeg_id) + 1);
  const std::string other_id = std::to_string(std::stoll(jpeg_id) + 3);

  const auto page = Get("/boletas/2026-000001", cookie_);
  EXPECT_THAT(page.body, HasSubstr("<img src=\"/boletas/2026-000001/archivos/" + jpeg_id + "\""));
  EXPECT_THAT(page.body, HasSubstr("Nota de voz <small>(descargándose)</small>"));
  EXPECT_THAT(page.body, HasSubstr("Video <small>(bloqueado por seguridad: pida al ciudadano que lo "
                                   "envíe de nuevo)</small>"))
      << "the provider placed it where SAC never connects: waiting would not help";
  EXPECT_THAT(page.body, HasSubstr("Documento <small>(demasiado grande: no llegó (a quien escribió "
                                   "por mensaje o correo, SAC ya le pidió uno más ligero))</small>"));
  EXPECT_THAT(page.body, Not(HasSubstr("<img src=\"/boletas/2026-000001/archivos/" + svg_id)));

  const auto image = Get("/boletas/2026-000001/archivos/" + jpeg_id, cookie_);
  ASSERT_EQ(image.status, 200);
  EXPECT_EQ(image.content_type, "image/jpeg");
  EXPECT_EQ(image.body, "\xFF\xD8\xFF\xE0 una foto de la fuga");
  EXPECT_THAT(Header(image, "Content-Security-Policy"), HasSubstr("sandbox"));
  const auto script = Get("/boletas/2026-000001/archivos/" + svg_id, cookie_);
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "application/octet-stream") << "an SVG can carry script";
  EXPECT_THAT(Header(script, "Content-Disposition"), HasSubstr("attachment"));
  EXPECT_EQ(Header(script, "Content-Security-Policy"),
            "default-src 'none'; sandbox; frame-ancestors 'none'")
      << "even if a browser rendered it, nothing in it would run";
  EXPECT_EQ(Header(script, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get("/boletas/2026-000003/archivos/" + other_id, cookie_).status, 404)
      << "another dependencia's";
  EXPECT_EQ(Get("/boletas/2026-000001/archivos/" + other_id, cookie_).status, 404)
      << "a file of another boleta under this folio";
  EXPECT_EQ(Get("/boletas/2026-000001/archivos/x1", cookie_).status, 404);
  EXPECT_GE(db_.Count("SELECT count(*) FROM personal_data_access WHERE 'archivo' = ANY(fields)"), 2);
}

}  // namespace
}  // namespace sac::web
