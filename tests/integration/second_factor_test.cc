// The staff's second factor against a real PostgreSQL, through the staff web's router: turning it
// on with a phone's app, the code asked after the password, codes that work once, wrong codes,
// late codes, the sign-in throttle, the policy that requires it, and the reset for a lost phone.
#include "web/second_factor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/totp.h"
#include "tests/support/staff_web_fixture.h"

namespace sac::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class SecondFactorTest : public testing::StaffWebFixture {
 protected:
  explicit SecondFactorTest(web::SessionSettings settings = {})
      : StaffWebFixture(testing::SourceDir() / "rules", std::move(settings)) {}

  // The secret the account is enrolling or enrolled with, as its bytes.
  std::string SecretOf(const std::string& username) {
    const std::string hex = db_.Scalar(
        "SELECT encode(totp_secret, 'hex') FROM staff_user WHERE username = '" + username + "'");
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
      bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
  }

  std::string CodeNow(const std::string& username) {
    return crypto::TotpCode(SecretOf(username), crypto::TotpStep(clock_.Now()));
  }

  // Turns the second factor on from a signed-in session, as a person does at Seguridad.
  void Enrol(const std::string& cookie, const std::string& username) {
    const auto page = Get("/seguridad", cookie);
    ASSERT_EQ(page.status, 200);
    ASSERT_THAT(page.body, HasSubstr("<svg"));
    const auto enabled =
        Post("/seguridad", "csrf=" + CsrfOf(cookie) + "&codigo=" + CodeNow(username), cookie);
    ASSERT_EQ(enabled.status, 303) << enabled.body;
    clock_.Advance(30s);  // the code just used is spent; the next sign-in needs the next one
  }

  // A password sign-in of an account with the second factor on: the code page and its cookies.
  struct Halfway {
    HttpResponse page;
    std::string login_token;
    std::string step_cookie;  // "sac_paso=..."
  };
  Halfway Password(const std::string& username) {
    Halfway halfway;
    halfway.login_token = LoginToken();
    halfway.page = Post("/login",
                        "usuario=" + username + "&contrasena=" + Encode(testing::kPassword) +
                            "&csrf=" + halfway.login_token,
                        "sac_acceso=" + halfway.login_token);
    const std::string header = Header(halfway.page, "Set-Cookie", "sac_paso=");
    halfway.step_cookie = header.substr(0, header.find(';'));
    return halfway;
  }

  HttpResponse Code(const Halfway& halfway, const std::string& code) {
    return Post("/login/codigo", "csrf=" + halfway.login_token + "&codigo=" + Encode(code),
                "sac_acceso=" + halfway.login_token + "; " + halfway.step_cookie);
  }
};

TEST_F(SecondFactorTest, OnceTurnedOnTheAppsCodeIsAskedAfterThePasswordAndWorksOnce) {
  const std::string cookie = SignIn("capturista");
  const auto page = Get("/seguridad", cookie);
  EXPECT_THAT(page.body, HasSubstr(crypto::Base32Encode(SecretOf("capturista")).substr(0, 4)));
  const auto wrong = Post("/seguridad", "csrf=" + CsrfOf(cookie) + "&codigo=000000", cookie);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(
      db_.Scalar("SELECT totp_enabled_at IS NULL FROM staff_user WHERE username = 'capturista'"),
      "t");
  const std::string first_code = CodeNow("capturista");
  ASSERT_NO_FATAL_FAILURE(Enrol(cookie, "capturista"));
  EXPECT_THAT(Get("/seguridad", cookie).body, HasSubstr("Está activa"));

  Halfway halfway = Password("capturista");
  EXPECT_EQ(halfway.page.status, 200);
  EXPECT_THAT(halfway.page.body, HasSubstr("action=\"/login/codigo\""));
  EXPECT_EQ(SessionCookie(halfway.page), "") << "no session before the code";
  ASSERT_THAT(halfway.step_cookie, HasSubstr("sac_paso="));
  EXPECT_THAT(Header(halfway.page, "Set-Cookie", "sac_paso="), HasSubstr("HttpOnly"));

  EXPECT_EQ(Code(halfway, first_code).status, 401) << "the code that confirmed the app is spent";
  const std::string code = CodeNow("capturista");
  const auto in = Code(halfway, code.substr(0, 3) + " " + code.substr(3));
  ASSERT_EQ(in.status, 303) << in.body;
  const std::string session = SessionCookie(in);
  EXPECT_EQ(Get("/", session).status, 200);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM staff_sign_in_step"), 0) << "the step ended";

  halfway = Password("capturista");
  EXPECT_EQ(Code(halfway, code).status, 401) << "the same code cannot sign in twice";
  clock_.Advance(30s);
  EXPECT_EQ(Code(halfway, CodeNow("capturista")).status, 303);
}

TEST_F(SecondFactorTest, WrongLateOrForgedCodesNeverSignIn) {
  ASSERT_NO_FATAL_FAILURE(Enrol(SignIn("capturista"), "capturista"));

  Halfway halfway = Password("capturista");
  for (int i = 1; i < kSignInStepMaxFailures; ++i) {
    const auto again = Code(halfway, "000000");
    EXPECT_EQ(again.status, 401);
    EXPECT_THAT(again.body, HasSubstr("action=\"/login/codigo\"")) << "may try again";
  }
  const auto last = Code(halfway, "000000");
  EXPECT_EQ(last.status, 401);
  EXPECT_THAT(last.body, HasSubstr("Demasiados códigos incorrectos"));
  EXPECT_EQ(Code(halfway, CodeNow("capturista")).status, 401) << "that step has ended";

  // Five wrong codes count like five wrong passwords: the next sign-in must wait.
  const auto throttled = LogIn("capturista");
  EXPECT_EQ(throttled.status, 429);
  clock_.Advance(15min);
  db_.Execute("DELETE FROM login_failure");

  halfway = Password("capturista");
  clock_.Advance(kSignInStepLifetime + 1s);
  EXPECT_EQ(Code(halfway, CodeNow("capturista")).status, 401) << "five minutes is the limit";

  halfway = Password("capturista");
  const std::string code = CodeNow("capturista");
  EXPECT_EQ(Post("/login/codigo", "csrf=" + halfway.login_token + "&codigo=" + code,
                 "sac_acceso=" + halfway.login_token)
                .status,
            401)
      << "no step cookie";
  EXPECT_EQ(Post("/login/codigo", "csrf=otro&codigo=" + code,
                 "sac_acceso=" + halfway.login_token + "; " + halfway.step_cookie)
                .status,
            403)
      << "the sign-in's CSRF token";
  EXPECT_EQ(Post("/login/codigo", "csrf=" + halfway.login_token + "&codigo=" + code,
                 "sac_acceso=" + halfway.login_token + "; sac_paso=inventado")
                .status,
            401)
      << "a step nobody opened";
  EXPECT_EQ(Code(halfway, code).status, 303) << "and the real one still works";
}

TEST_F(SecondFactorTest, AResetForALostPhoneEndsTheSessionsAndTheAccountSignsInWithItsPassword) {
  ASSERT_NO_FATAL_FAILURE(Enrol(SignIn("capturista"), "capturista"));
  Halfway halfway = Password("capturista");
  const std::string session = SessionCookie(Code(halfway, CodeNow("capturista")));
  ASSERT_EQ(Get("/", session).status, 200);
  halfway = Password("capturista");  // a step open when the phone is reported lost

  ASSERT_TRUE(
      database_.Transact([](storage::Tx& tx) { return ResetSecondFactor(tx, "capturista"); }));
  EXPECT_EQ(Get("/", session).status, 303) << "its sessions ended";
  EXPECT_EQ(Code(halfway, "123456").status, 401);
  EXPECT_EQ(LogIn("capturista").status, 303) << "the password alone, until it is turned on again";
  const auto unknown =
      database_.Transact([](storage::Tx& tx) { return ResetSecondFactor(tx, "nadie"); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
}

TEST_F(SecondFactorTest, AnAdministratorSeesWhoHasItAndResetsItFromTheWeb) {
  AddUser("jefa", "administrador");
  const std::string capturista = SignIn("capturista");
  ASSERT_NO_FATAL_FAILURE(Enrol(capturista, "capturista"));
  const std::string admin = SignIn("jefa");
  const auto users = Get("/admin/usuarios", admin);
  EXPECT_THAT(users.body, HasSubstr("<th>Dos pasos</th>"));
  EXPECT_THAT(users.body, HasSubstr("Restablecer dos pasos"));
  const auto reset =
      Post("/admin/usuarios/capturista", "csrf=" + CsrfOf(admin) + "&accion=segundo-factor", admin);
  EXPECT_EQ(reset.status, 303) << reset.body;
  EXPECT_EQ(Get("/", capturista).status, 303) << "the capturista's sessions ended";
  EXPECT_EQ(db_.Scalar("SELECT totp_secret IS NULL AND totp_enabled_at IS NULL FROM staff_user "
                       "WHERE username = 'capturista'"),
            "t");
  EXPECT_THAT(Get("/admin/usuarios", admin).body, Not(HasSubstr("Restablecer dos pasos")));
}

class RequiredSecondFactorTest : public SecondFactorTest {
 protected:
  static web::SessionSettings Required() {
    web::SessionSettings settings;
    settings.second_factor_required = true;
    return settings;
  }
  RequiredSecondFactorTest() : SecondFactorTest(Required()) {}
};

TEST_F(RequiredSecondFactorTest, AnAccountWithoutItTurnsItOnBeforeSeeingAnything) {
  const std::string cookie = SignIn("capturista");
  for (const char* page : {"/", "/bandeja", "/clasificacion", "/busqueda"}) {
    const auto answer = Get(page, cookie);
    EXPECT_EQ(answer.status, 303) << page;
    EXPECT_EQ(Header(answer, "Location"), "/seguridad") << page;
  }
  const auto security = Get("/seguridad", cookie);
  EXPECT_EQ(security.status, 200);
  EXPECT_THAT(security.body, HasSubstr("Es obligatoria"));
  ASSERT_NO_FATAL_FAILURE(Enrol(cookie, "capturista"));
  EXPECT_EQ(Get("/", cookie).status, 200);
  EXPECT_THAT(Get("/seguridad", cookie).body, Not(HasSubstr("Es obligatoria")));
}

}  // namespace
}  // namespace sac::web
