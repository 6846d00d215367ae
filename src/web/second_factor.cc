#include "web/second_factor.h"

#include <limits>

#include "crypto/digest.h"
#include "crypto/totp.h"
#include "web/staff_page.h"
#include "web/staff_session.h"
#include "web/trusted_devices.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr std::size_t kSecretBytes = 20;  // RFC 4226's recommended 160 bits

constexpr Statement kFactorOf{"second_factor.of",
                              "SELECT totp_secret, totp_enabled_at IS NOT NULL, totp_last_step,"
                              "  totp_failures FROM staff_user WHERE id = $1"};
// Two pages loading at once keep the first secret: both show the same.
constexpr Statement kSetPendingSecret{
    "second_factor.set_pending_secret",
    "UPDATE staff_user SET totp_secret = coalesce(totp_secret, $2::bytea) "
    "WHERE id = $1 AND totp_enabled_at IS NULL RETURNING totp_secret"};
constexpr Statement kDropPendingSecret{
    "second_factor.drop_pending_secret",
    "UPDATE staff_user SET totp_secret = NULL WHERE id = $1 AND totp_enabled_at IS NULL"};
constexpr Statement kReseal{
    "second_factor.reseal",
    "UPDATE staff_user SET totp_secret = $2::bytea WHERE id = $1 AND totp_secret = $3::bytea"};
constexpr Statement kEverySecret{
    "second_factor.every_secret",
    "SELECT id, totp_secret FROM staff_user WHERE totp_secret IS NOT NULL ORDER BY id"};
constexpr Statement kEnable{"second_factor.enable",
                            "UPDATE staff_user SET totp_enabled_at = $2, totp_last_step = $3 "
                            "WHERE id = $1 AND totp_enabled_at IS NULL"};
// Only a later step than the last one used: two requests racing with the same code, one wins.
constexpr Statement kUseStep{"second_factor.use_step",
                             "UPDATE staff_user SET totp_last_step = $2, totp_failures = 0 "
                             "WHERE id = $1 AND totp_last_step < $2"};
constexpr Statement kCountWrongCode{"second_factor.count_wrong_code",
                                    "UPDATE staff_user SET totp_failures = totp_failures + 1 WHERE "
                                    "id = $1 RETURNING totp_failures"};
constexpr Statement kReset{
    "second_factor.reset",
    "UPDATE staff_user SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0,"
    "  totp_failures = 0 WHERE username = $1 RETURNING id"};
constexpr Statement kOpenStep{
    "second_factor.open_step",
    "INSERT INTO staff_sign_in_step (token_hash, user_id, expires_at) VALUES ($1, $2, $3)"};
constexpr Statement kEndStepsOf{
    "second_factor.end_steps_of",
    "DELETE FROM staff_sign_in_step WHERE user_id = $1 OR expires_at < $2"};
constexpr Statement kFindStep{
    "second_factor.find_step",
    "SELECT u.id, u.username, u.must_change_password FROM staff_sign_in_step s "
    "JOIN staff_user u ON u.id = s.user_id "
    "WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active AND u.totp_enabled_at IS NOT NULL"};
constexpr Statement kCountStepFailure{"second_factor.count_step_failure",
                                      "UPDATE staff_sign_in_step SET failures = failures + 1 WHERE "
                                      "token_hash = $1 RETURNING failures"};
constexpr Statement kCloseStep{"second_factor.close_step",
                               "DELETE FROM staff_sign_in_step WHERE token_hash = $1 RETURNING 1"};

// Where a key belongs: sealed for one account, it opens for no other (crypto/secret_box.h).
std::string PlaceOf(std::int64_t user_id) {
  return "staff_user.totp_secret:" + std::to_string(user_id);
}

// The account's key, read from what is stored. A key kept in clear, or sealed under a retired
// secret key, is sealed under the current one on the way (only if nobody changed it meanwhile;
// `resealed` says whether this did). nullopt when it does not open: said in the log, for the
// administrator.
std::optional<std::string> OpenSecret(Tx& tx, const crypto::SecretBox& box, std::int64_t user_id,
                                      const std::string& stored, bool* resealed = nullptr) {
  auto opened = box.Open(stored, PlaceOf(user_id));
  if (!opened) {
    StaffLog().Error("a second-factor key does not open",
                     {{"user_id", user_id}, {"why", opened.error().message}});
    return std::nullopt;
  }
  if (box.NeedsResealing(stored)) {
    const std::string sealed = box.Seal(*opened, PlaceOf(user_id));
    const auto changed = tx.Exec(
        kReseal, {user_id, storage::Param::Bytes(sealed), storage::Param::Bytes(stored)});
    if (resealed != nullptr) *resealed = changed.affected() == 1;
  }
  return *opened;
}

}  // namespace

bool SecondFactorEnabled(Tx& tx, std::int64_t user_id) {
  const auto rows = tx.Exec(kFactorOf, {user_id});
  return !rows.empty() && rows.at(0).Bool(1);
}

Result<std::optional<std::string>> EnrolmentSecret(Tx& tx, const crypto::SecretBox& box,
                                                   std::int64_t user_id) {
  const auto rows = tx.Exec(kFactorOf, {user_id});
  if (rows.empty() || rows.at(0).Bool(1)) {
    return std::optional<std::string>();
  }
  if (!rows.at(0).IsNull(0)) {
    // A pending secret that no longer opens (the key changed) was never confirmed: a new one.
    if (auto pending = OpenSecret(tx, box, user_id, rows.at(0).Bytes(0))) return pending;
    tx.Exec(kDropPendingSecret, {user_id});
  }
  const std::string fresh = crypto::RandomBytes(kSecretBytes);
  const std::string sealed = box.Seal(fresh, PlaceOf(user_id));
  const auto kept = tx.Exec(kSetPendingSecret, {user_id, storage::Param::Bytes(sealed)});
  if (kept.empty()) {
    return std::optional<std::string>();  // turned on meanwhile
  }
  const std::string stored = kept.at(0).Bytes(0);
  if (stored == sealed) return std::optional<std::string>(fresh);
  // Another page's, sealed by an instance with other keys: it cannot be shown from here.
  if (auto other = OpenSecret(tx, box, user_id, stored)) return other;
  return MakeError(Errc::kUnavailable, "the pending second-factor key does not open here");
}

bool ConfirmEnrolment(Tx& tx, const crypto::SecretBox& box, std::int64_t user_id,
                      std::string_view code, TimePoint now) {
  const auto rows = tx.Exec(kFactorOf, {user_id});
  if (rows.empty() || rows.at(0).Bool(1) || rows.at(0).IsNull(0)) {
    return false;
  }
  const auto secret = OpenSecret(tx, box, user_id, rows.at(0).Bytes(0));
  if (!secret) {
    return false;
  }
  const auto step = crypto::MatchTotp(*secret, code, now, 0);
  if (!step) {
    return false;
  }
  return tx.Exec(kEnable, {user_id, now, *step}).affected() == 1;
}

CodeCheck CheckCode(Tx& tx, const crypto::SecretBox& box, std::int64_t user_id,
                    std::string_view code, TimePoint now) {
  const auto rows = tx.Exec(kFactorOf, {user_id});
  if (rows.empty() || !rows.at(0).Bool(1) || rows.at(0).IsNull(0)) {
    return CodeCheck::kWrong;
  }
  if (rows.at(0).Int(3) >= kMaxWrongCodesInARow) {
    return CodeCheck::kLocked;
  }
  const auto opened = OpenSecret(tx, box, user_id, rows.at(0).Bytes(0));
  if (!opened) {
    return CodeCheck::kUnavailable;
  }
  const std::string& secret = *opened;
  const auto step = crypto::MatchTotp(secret, code, now, rows.at(0).Int(2));
  if (step && tx.Exec(kUseStep, {user_id, *step}).affected() == 1) {
    return CodeCheck::kAccepted;
  }
  if (crypto::MatchTotp(secret, code, now, std::numeric_limits<std::int64_t>::min())) {
    return CodeCheck::kAlreadyUsed;
  }
  const std::int64_t wrong = tx.Exec(kCountWrongCode, {user_id}).at(0).Int(0);
  return wrong >= kMaxWrongCodesInARow ? CodeCheck::kLocked : CodeCheck::kWrong;
}

Result<int> SealSecondFactorKeys(storage::Database& database, const crypto::SecretBox& box) {
  if (!box.seals()) return 0;
  return database.Transact([&](Tx& tx) -> Result<int> {
    int sealed = 0;
    const auto rows = tx.Exec(kEverySecret);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::int64_t user_id = rows[i].Int(0);
      const std::string stored = rows[i].Bytes(1);
      if (!box.NeedsResealing(stored)) continue;
      // Opening seals it again under the first key (or says why it cannot be read).
      bool resealed = false;
      OpenSecret(tx, box, user_id, stored, &resealed);
      if (resealed) ++sealed;
    }
    return sealed;
  });
}

std::string OpenSignInStep(Tx& tx, std::int64_t user_id, TimePoint now) {
  tx.Exec(kEndStepsOf, {user_id, now});
  std::string token = crypto::RandomToken(32);
  tx.Exec(kOpenStep, {crypto::Sha256Hex(token), user_id, now + kSignInStepLifetime});
  return token;
}

std::optional<SignInStep> FindSignInStep(Tx& tx, std::string_view token, TimePoint now) {
  if (token.empty()) {
    return std::nullopt;
  }
  const auto rows = tx.Exec(kFindStep, {crypto::Sha256Hex(token), now});
  if (rows.empty()) {
    return std::nullopt;
  }
  return SignInStep{rows.at(0).Int(0), rows.at(0).Text(1), rows.at(0).Bool(2)};
}

bool RecordWrongCode(Tx& tx, std::string_view token) {
  const auto rows = tx.Exec(kCountStepFailure, {crypto::Sha256Hex(token)});
  if (rows.empty() || rows.at(0).Int(0) >= kSignInStepMaxFailures) {
    CloseSignInStep(tx, token);
    return false;
  }
  return true;
}

bool CloseSignInStep(Tx& tx, std::string_view token) {
  return !tx.Exec(kCloseStep, {crypto::Sha256Hex(token)}).empty();
}

void EndSignInStepsOf(Tx& tx, std::int64_t user_id) {
  tx.Exec(kEndStepsOf, {user_id, TimePoint{}});
}

Result<std::int64_t> ResetSecondFactor(Tx& tx, const std::string& username) {
  const auto rows = tx.Exec(kReset, {username});
  if (rows.empty()) {
    return MakeError(Errc::kNotFound, "no existe el usuario '" + username + "'");
  }
  const std::int64_t user_id = rows.at(0).Int(0);
  EndSignInStepsOf(tx, user_id);
  SessionStore::DestroyAllOf(tx, user_id);
  TrustedDevices::ForgetAll(tx, user_id);  // a lost phone may have gone with a laptop
  return user_id;
}

}  // namespace sac::web
