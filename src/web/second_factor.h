// The staff's second factor: an authenticator app on the staff member's phone (TOTP,
// crypto/totp.h), asked after the password once the account has confirmed it with a first code.
// Also the sign-ins halfway through: the password was right and the code is still to come — a
// server-side step known only by the hash of its cookie, five minutes long, five wrong codes at
// most (each also counted by the sign-in throttle); twenty wrong codes in a row, across steps and
// hours, and the account's codes are refused until an administrator resets its second factor
// (someone who has the password is guessing). The pages live in second_factor_pages.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "crypto/secret_box.h"
#include "storage/database.h"

namespace sac::web {

inline constexpr std::string_view kSignInStepCookie = "sac_paso";
inline constexpr std::chrono::minutes kSignInStepLifetime{5};
inline constexpr int kSignInStepMaxFailures = 5;
inline constexpr int kMaxWrongCodesInARow = 20;

// Whether sign-in asks this account for a code.
bool SecondFactorEnabled(storage::Tx& tx, std::int64_t user_id);

// The secret being enrolled — made on the first call and kept until a code confirms it, so the
// page can be reloaded without the app's entry going stale — or nullopt when the account's
// second factor is already on.
// kUnavailable when it cannot be read here (SAC_SECRET_KEY differs between instances).
Result<std::optional<std::string>> EnrolmentSecret(storage::Tx& tx, const crypto::SecretBox& box,
                                                   std::int64_t user_id);

// A first code from the app for the secret being enrolled: true when it is right, and from then
// on sign-in asks for one.
bool ConfirmEnrolment(storage::Tx& tx, const crypto::SecretBox& box, std::int64_t user_id,
                      std::string_view code, TimePoint now);

enum class CodeCheck {
  kAccepted,     // right, for a 30-second step not used before (recorded: it cannot be used again)
  kAlreadyUsed,  // right, but that step already let the account in: not counted as wrong
  kWrong,        // counted; the twentieth in a row locks the account's codes
  kLocked,       // too many wrong codes in a row: refused until ResetSecondFactor
  kUnavailable,  // the account's key does not open (SAC_SECRET_KEY changed): not counted
};

// A code at sign-in, for an account whose second factor is on.
CodeCheck CheckCode(storage::Tx& tx, const crypto::SecretBox& box, std::int64_t user_id,
                    std::string_view code, TimePoint now);

// At start: every key kept in clear, or sealed under the previous secret key, is sealed under the
// current one (several instances starting at once each seal what the others left). How many.
Result<int> SealSecondFactorKeys(storage::Database& database, const crypto::SecretBox& box);

// Opens a sign-in step for the account (its older ones end) and returns the cookie's value.
std::string OpenSignInStep(storage::Tx& tx, std::int64_t user_id, TimePoint now);

struct SignInStep {
  std::int64_t user_id = 0;
  std::string username;
  bool must_change_password = false;
};

// The open, unexpired step of the cookie's value, if any.
std::optional<SignInStep> FindSignInStep(storage::Tx& tx, std::string_view token, TimePoint now);
// A wrong code: true when the step may still be tried, false when it has just ended (too many).
bool RecordWrongCode(storage::Tx& tx, std::string_view token);
// Ends the step; false when it had already ended (a request racing with the one that ended it).
bool CloseSignInStep(storage::Tx& tx, std::string_view token);
// Ends every open step of the account (its password was reset).
void EndSignInStepsOf(storage::Tx& tx, std::int64_t user_id);

// `sac user reset-second-factor`: a lost phone. The account signs in with its password alone
// (and enrols again where a second factor is required); its sessions end. Returns the account's
// id; kNotFound.
Result<std::int64_t> ResetSecondFactor(storage::Tx& tx, const std::string& username);

}  // namespace sac::web
