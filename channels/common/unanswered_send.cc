#include "channels/common/unanswered_send.h"

#include <string>

namespace sac::channels {

SendOutcome OutcomeOfUnansweredSend(const Error& error, std::size_t pieces_sent) {
  if (error.code == Errc::kUnavailable) return SendOutcome::Retryable("connection failed");
  if (pieces_sent > 0) {
    return SendOutcome::Retryable("no answer in time after " + std::to_string(pieces_sent) +
                                  " pieces went; the whole reply goes again");
  }
  return SendOutcome::Unknown("no answer in time; the outcome is unknown");
}

}  // namespace sac::channels
