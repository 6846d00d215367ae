// What SAC remembers of its conversation with one channel identity (table `conversation`): what
// it is waiting for from the citizen, the report a burst of messages is filling, which aviso de
// privacidad they were shown. Read and written inside the pipeline's transaction, which already
// serialises the messages of one identity (citizens::Resolve takes its lock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "storage/database.h"

namespace sac::conversation {

enum class Awaiting { kNothing, kLocation, kAccountData, kCurp };

struct ConversationState {
  Awaiting awaiting = Awaiting::kNothing;
  std::optional<std::int64_t> awaiting_boleta;  // the boleta a kLocation answer belongs to
  std::optional<TimePoint> asked_at;
  std::optional<std::int64_t> last_boleta_id;   // the report a burst may add to
  std::optional<TimePoint> last_boleta_at;
  std::string privacy_version;                   // "" until shown
  std::optional<TimePoint> otro_replied_at;
  std::optional<TimePoint> petitions_since;      // this identity's 24-hour window of petitions
  int petitions_count = 0;                       // ... and how many it started in it
  std::optional<TimePoint> held_replied_at;      // "your reports wait for a person" last said

  // Waiting, and not for longer than `wait`.
  bool IsAwaiting(Awaiting what, TimePoint now, std::chrono::seconds wait) const {
    return awaiting == what && asked_at && now - *asked_at <= wait;
  }
};

ConversationState LoadConversation(storage::Tx& tx, std::string_view channel,
                                   std::string_view external_id);
void SaveConversation(storage::Tx& tx, std::string_view channel, std::string_view external_id,
                      const ConversationState& state, TimePoint now);

}  // namespace sac::conversation
