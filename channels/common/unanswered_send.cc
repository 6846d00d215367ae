#include "channels/common/unanswered_send.h"

namespace sac::channels {

SendOutcome OutcomeOfUnansweredSend(const Error& error) {
  if (error.code == Errc::kUnavailable) return SendOutcome::Retryable("connection failed");
  return SendOutcome::Unknown("no answer in time; the outcome is unknown");
}

}  // namespace sac::channels
