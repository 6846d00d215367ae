// The staff's second factor against a real PostgreSQL, through the staff web's router: turning it
// on with a phone's app, the code asked after the password, codes that work once, wrong codes,
// late codes, the sign-in throttle, the policy that requires it, and the reset for a lost phone.
#include "web/second_factor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/secret_box.h"
#include "crypto/totp.h"
#include "tests/support/staff_web_fixture.h"
#include "web/staff_accounts.h"

namespace sac::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class SecondFactorTest : public testing::StaffWebFixture {
 protected:
  explicit SecondFactorTest(web::SessionSettings settings = {})
      : StaffWebFixture(testing::SourceDir() / "rules", std::move(settings)) {}

  // What the database holds for the account's key, as its bytes.
  std::string StoredSecretOf(const std::string& username) {
    const std::string hex = db_.Scalar(
        "SELECT encode(totp_secret, 'hex') FROM staff_user WHERE username = '" + username + "'");
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
      bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
  }
  std::string PlaceOf(const std::string& username) {
    return "staff_user.totp_secret:" +
           db_.Scalar("SELECT id FROM staff_user WHERE username = '" + username + "'");
  }
  // The secret the account is enrolling or enrolled with, as its bytes (opened with any of the
  // tests' keys when it is sealed).
  std::string SecretOf(const std::string& username) {
    const std::string stored = StoredSecretOf(username);
    auto opened = kEveryKey.Open(stored, PlaceOf(username));
    return opened ? *opened : stored;
  }
  void Store(const std::string& username, const std::string& value) {
    std::string hex;
    for (unsigned char c : value) {
      static constexpr char kDigits[] = "0123456789abcdef";
      hex += kDigits[c >> 4];
      hex += kDigits[c & 15];
    }
    db_.Execute("UPDATE staff_user SET totp_secret = '\\x" + hex + "', totp_enabled_at = now()"
                " WHERE username = '" + username + "'");
  }

  static inline const std::string kKey = std::string(64, 'c');
  static inline const std::string kOldKey = std::string(64, 'b');
  static inline const std::string kLostKey = std::string(64, 'e');
  static inline const crypto::SecretBox kEveryKey =
      *crypto::SecretBox::FromHex({kKey, kOldKey, kLostKey});

  std::string CodeNow(const std::string& username) {
    return crypto::TotpCode(SecretOf(username), crypto::TotpStep(clock_.Now()));
  }

  // Turns the second factor on from a signed-in session, as a person does at Seguridad; returns
  // the session cookie that replaces `cookie` (every other session of the account ends).
  std::string Enrol(const std::string& cookie, const std::string& username) {
    const auto page = Get("/seguridad", cookie);
    EXPECT_EQ(page.status, 200);
    EXPECT_THAT(page.body, HasSubstr("<svg"));
    const auto enabled = Post("/seguridad",
                              "csrf=" + CsrfOf(cookie) + "&codigo=" + CodeNow(username) +
                                  "&contrasena=" + Encode(testing::kPassword),
                              cookie);
    EXPECT_EQ(enabled.status, 303) << enabled.body;
    clock_.Advance(30s);  // the code just used is spent; the next sign-in needs the next one
    return SessionCookie(enabled);
  }

  // A password sign-in of an account with the second factor on: the code page and its cookies.
  struct Halfway {
    HttpResponse page;
    std::string login_token;
    std::string step_cookie;  // "sac_paso=..."
    std::string device;       // "sac_equipo=...", when the browser has one
  };
  Halfway Password(const std::string& username, const std::string& device = "") {
    Halfway halfway;
    halfway.login_token = LoginToken();
    halfway.device = device;
    halfway.page = Post("/login",
                        "usuario=" + username + "&contrasena=" + Encode(testing::kPassword) +
                            "&csrf=" + halfway.login_token,
                        "sac_acceso=" + halfway.login_token + (device.empty() ? "" : "; " + device));
    const std::string header = Header(halfway.page, "Set-Cookie", "sac_paso=");
    halfway.step_cookie = header.substr(0, header.find(';'));
    return halfway;
  }

  HttpResponse Code(const Halfway& halfway, const std::string& code) {
    return Post("/login/codigo", "csrf=" + halfway.login_token + "&codigo=" + Encode(code),
                "sac_acceso=" + halfway.login_token + "; " + halfway.step_cookie +
                    (halfway.device.empty() ? "" : "; " + halfway.device));
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
  const std::string wrong_password =
      Post("/seguridad",
           "csrf=" + CsrfOf(cookie) + "&codigo=" + CodeNow("capturista") + "&contrasena=otra",
           cookie)
          .body;
  EXPECT_THAT(wrong_password, HasSubstr("La contraseña no es correcta"));
  EXPECT_THAT(wrong_password, HasSubstr("<svg")) << "the page again, to try once more";
  const std::string first_code = CodeNow("capturista");
  const std::string renewed = Enrol(cookie, "capturista");
  ASSERT_NE(renewed, "");
  EXPECT_EQ(Get("/", cookie).status, 303) << "the session that had only the password ended";
  EXPECT_THAT(Get("/seguridad", renewed).body, HasSubstr("Está activa"));

  Halfway halfway = Password("capturista");
  EXPECT_EQ(halfway.page.status, 200);
  EXPECT_THAT(halfway.page.body, HasSubstr("action=\"/login/codigo\""));
  EXPECT_EQ(SessionCookie(halfway.page), "") << "no session before the code";
  ASSERT_THAT(halfway.step_cookie, HasSubstr("sac_paso="));
  EXPECT_THAT(Header(halfway.page, "Set-Cookie", "sac_paso="), HasSubstr("HttpOnly"));

  const auto spent = Code(halfway, first_code);
  EXPECT_EQ(spent.status, 401) << "the code that confirmed the app is spent";
  EXPECT_THAT(spent.body, HasSubstr("Ese código ya se usó"));
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

TEST_F(SecondFactorTest, TheOwnersBrowserGetsThroughBothStepsWhileItsUsernameIsGuessedAt) {
  Enrol(SignIn("capturista"), "capturista");
  const auto in = Code(Password("capturista"), CodeNow("capturista"));
  ASSERT_EQ(in.status, 303) << in.body;
  const std::string set = Header(in, "Set-Cookie", "sac_equipo=");
  ASSERT_FALSE(set.empty()) << "a complete sign-in, code included, makes the browser known";
  const std::string device = set.substr(0, set.find(';'));
  clock_.Advance(30s);

  for (int i = 0; i < 8; ++i) {
    remote_address_ = "203.0.113." + std::to_string(i + 1);
    LogIn("capturista", "adivinanza " + std::to_string(i));
  }
  remote_address_ = "198.51.100.7";
  EXPECT_EQ(Password("capturista").page.status, 429);
  const std::int64_t failures = db_.Count("SELECT count(*) FROM login_failure");
  Halfway owner = Password("capturista", device);
  ASSERT_EQ(owner.page.status, 200) << "the code page";
  EXPECT_EQ(Code(owner, "000000").status, 401) << "a mistyped code: told, not made to wait";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM login_failure"), failures)
      << "counted against the browser";
  EXPECT_EQ(db_.Scalar("SELECT max(failures) FROM staff_trusted_device"), "1");
  EXPECT_EQ(Code(owner, CodeNow("capturista")).status, 303);
}

TEST_F(SecondFactorTest, WrongLateOrForgedCodesNeverSignIn) {
  Enrol(SignIn("capturista"), "capturista");

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
  Enrol(SignIn("capturista"), "capturista");
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
  const std::string capturista = Enrol(SignIn("capturista"), "capturista");
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
  Enrol(admin, "jefa");
  const std::string admin_again = SessionCookie(Code(Password("jefa"), CodeNow("jefa")));
  EXPECT_THAT(Get("/admin/usuarios", admin_again).body, Not(HasSubstr("Restablecer dos pasos")))
      << "not for one's own account";
  EXPECT_EQ(Post("/admin/usuarios/jefa", "csrf=" + CsrfOf(admin_again) + "&accion=segundo-factor",
                 admin_again)
                .status,
            400);
}

// Someone who has the password and guesses codes is stopped for good after twenty in a row, hours
// apart or not; a right code before that starts the count again. A password reset ends the
// sign-ins halfway.
TEST_F(SecondFactorTest, TwentyWrongCodesInARowLockTheCodesUntilAnAdministratorResets) {
  Enrol(SignIn("capturista"), "capturista");
  // Wrong codes, the throttle's hour passing every few: each answered 401 — and the one that
  // reaches twenty in a row says the account is locked (403).
  const auto guess = [&](int count) {
    for (int i = 1; i <= count; ++i) {
      if (i % 4 == 0) db_.Execute("DELETE FROM login_failure");
      const Halfway halfway = Password("capturista");
      ASSERT_EQ(halfway.page.status, 200);
      EXPECT_EQ(Code(halfway, "000000").status, i == kMaxWrongCodesInARow ? 403 : 401) << i;
    }
  };
  guess(kMaxWrongCodesInARow - 1);
  db_.Execute("DELETE FROM login_failure");
  EXPECT_EQ(Code(Password("capturista"), CodeNow("capturista")).status, 303)
      << "the count starts again at a right code";
  clock_.Advance(30s);
  guess(kMaxWrongCodesInARow);
  db_.Execute("DELETE FROM login_failure");
  const auto locked = Code(Password("capturista"), CodeNow("capturista"));
  EXPECT_EQ(locked.status, 403) << "even the right code";
  EXPECT_THAT(locked.body, HasSubstr("quedó bloqueada"));

  ASSERT_TRUE(
      database_.Transact([](storage::Tx& tx) { return ResetSecondFactor(tx, "capturista"); }));
  EXPECT_EQ(LogIn("capturista").status, 303) << "reset: the password alone, until enrolled again";
  Enrol(SignIn("capturista"), "capturista");
  const Halfway halfway = Password("capturista");
  ASSERT_TRUE(database_.Transact([](storage::Tx& tx) { return ResetPassword(tx, "capturista"); }));
  EXPECT_EQ(Code(halfway, CodeNow("capturista")).status, 401)
      << "a code cannot finish a sign-in begun with the old password";
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
  const std::string renewed = Enrol(cookie, "capturista");
  EXPECT_EQ(Get("/", renewed).status, 200);
  EXPECT_THAT(Get("/seguridad", renewed).body, Not(HasSubstr("Es obligatoria")));
}

// With SAC_SECRET_KEY set (and the previous key, as while rotating), the keys are sealed at rest:
// a copy of the database gives none away, and everything works as before.
class SealedSecondFactorTest : public SecondFactorTest {
 protected:
  static web::SessionSettings WithKeys() {
    web::SessionSettings settings;
    settings.secret_box = *crypto::SecretBox::FromHex({kKey, kOldKey});
    return settings;
  }
  SealedSecondFactorTest() : SecondFactorTest(WithKeys()) {}

  bool SealedUnderTheCurrentKey(const std::string& username) {
    const std::string stored = StoredSecretOf(username);
    const auto current = crypto::SecretBox::FromHex({kKey});
    return stored.rfind("sac1", 0) == 0 && current->Open(stored, PlaceOf(username)) &&
           !current->NeedsResealing(stored);
  }

  void SignInWithCode(const std::string& username) {
    const Halfway halfway = Password(username);
    ASSERT_EQ(halfway.page.status, 200) << halfway.page.body;
    const auto in = Code(halfway, CodeNow(username));
    EXPECT_EQ(in.status, 303) << in.body;
    clock_.Advance(30s);
  }
};

TEST_F(SealedSecondFactorTest, TheKeyIsSealedFromTheStartAndTheAppsCodesWork) {
  const std::string cookie = SignIn("capturista");
  const std::string page = Get("/seguridad", cookie).body;
  const std::string secret = SecretOf("capturista");
  ASSERT_EQ(secret.size(), 20u);
  EXPECT_THAT(page, HasSubstr(crypto::Base32Encode(secret).substr(0, 4))) << "shown to the person";
  EXPECT_EQ(StoredSecretOf("capturista").find(secret), std::string::npos);
  EXPECT_TRUE(SealedUnderTheCurrentKey("capturista"));
  Enrol(cookie, "capturista");
  SignInWithCode("capturista");
  EXPECT_TRUE(SealedUnderTheCurrentKey("capturista"));
}

TEST_F(SealedSecondFactorTest, KeysInClearOrUnderThePreviousKeyAreSealedAgainOnTheirWay) {
  AddUser("directora", "director");
  Store("capturista", "12345678901234567890");
  Store("directora", crypto::SecretBox::FromHex({kOldKey})->Seal("abcdefghijabcdefghij",
                                                                   PlaceOf("directora")));
  SignInWithCode("capturista");
  SignInWithCode("directora");
  EXPECT_TRUE(SealedUnderTheCurrentKey("capturista")) << "kept in clear before the key was set";
  EXPECT_TRUE(SealedUnderTheCurrentKey("directora")) << "sealed under the previous key";
  EXPECT_EQ(SecretOf("capturista"), "12345678901234567890");
  EXPECT_EQ(SecretOf("directora"), "abcdefghijabcdefghij");
}

TEST_F(SealedSecondFactorTest, AtStartEveryKeyIsSealedUnderTheCurrentKey) {
  AddUser("directora", "director");
  AddUser("enlace", "atencion_ciudadana");
  Store("capturista", "12345678901234567890");
  Store("directora", crypto::SecretBox::FromHex({kOldKey})->Seal("abcdefghijabcdefghij",
                                                                   PlaceOf("directora")));
  Store("enlace", crypto::SecretBox::FromHex({kKey})->Seal("klmnopqrstklmnopqrst",
                                                           PlaceOf("enlace")));
  const std::string already = StoredSecretOf("enlace");
  const auto box = crypto::SecretBox::FromHex({kKey, kOldKey});
  const auto sealed = SealSecondFactorKeys(database_, *box);
  ASSERT_TRUE(sealed) << sealed.error().message;
  EXPECT_EQ(*sealed, 2);
  for (const char* username : {"capturista", "directora", "enlace"}) {
    EXPECT_TRUE(SealedUnderTheCurrentKey(username)) << username;
  }
  EXPECT_EQ(StoredSecretOf("enlace"), already) << "one already sealed is left as it is";
  EXPECT_EQ(*SealSecondFactorKeys(database_, *box), 0);
  const auto without = SealSecondFactorKeys(database_, crypto::SecretBox{});
  EXPECT_TRUE(without && *without == 0) << "without a key nothing changes";
}

// A phone being set up when the key changed: the key it was shown never worked, so the page
// shows a new one (sealed under the current key) instead of refusing.
TEST_F(SealedSecondFactorTest, AnEnrolmentLeftUnderALostKeyStartsAfresh) {
  const std::string cookie = SignIn("capturista");
  Store("capturista", crypto::SecretBox::FromHex({kLostKey})->Seal("12345678901234567890",
                                                                   PlaceOf("capturista")));
  db_.Execute("UPDATE staff_user SET totp_enabled_at = NULL WHERE username = 'capturista'");
  const auto page = Get("/seguridad", cookie);
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(SealedUnderTheCurrentKey("capturista"));
  EXPECT_NE(SecretOf("capturista"), "12345678901234567890");
  EXPECT_THAT(page.body, HasSubstr(crypto::Base32Encode(SecretOf("capturista")).substr(0, 4)));
}

// The secret key changed without SAC_SECRET_KEY_PREVIOUS: codes cannot be checked. The person is
// told to call the administrator, and nothing counts against the account.
TEST_F(SealedSecondFactorTest, AKeySealedUnderAKeySacDoesNotHaveIsSaidAndNotCounted) {
  Store("capturista", crypto::SecretBox::FromHex({kLostKey})->Seal("12345678901234567890",
                                                                   PlaceOf("capturista")));
  const Halfway halfway = Password("capturista");
  const auto refused = Code(halfway, CodeNow("capturista"));
  EXPECT_EQ(refused.status, 503);
  EXPECT_THAT(refused.body, HasSubstr("Avisa al administrador"));
  EXPECT_EQ(db_.Scalar("SELECT totp_failures FROM staff_user WHERE username = 'capturista'"), "0");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM login_failure"), 0);
}

}  // namespace
}  // namespace sac::web
