#include "conversation/conversation_state.h"

namespace sac::conversation {
namespace {

using storage::Statement;

constexpr Statement kLoad{
    "conversation.load",
    "SELECT awaiting, awaiting_boleta, extract(epoch FROM asked_at)::float8, last_boleta_id,"
    "  extract(epoch FROM last_boleta_at)::float8, coalesce(privacy_version, ''),"
    "  extract(epoch FROM otro_replied_at)::float8, extract(epoch FROM held_replied_at)::float8,"
    "  extract(epoch FROM petitions_since)::float8, petitions_count "
    "FROM conversation WHERE channel = $1 AND external_id = $2"};

// $1 channel, $2 external id, $3 awaiting, $4 boleta, $5 asked, $6 last boleta, $7 its time,
// $8 privacy version, $9 now (the privacy notice's time when the version changes; the citizen's
// last message), $10 otro replied, $11 held replied, $12 petitions since, $13 their count
constexpr Statement kSave{
    "conversation.save",
    "INSERT INTO conversation (channel, external_id, awaiting, awaiting_boleta, asked_at,"
    "  last_boleta_id, last_boleta_at, privacy_version, privacy_shown_at, otro_replied_at,"
    "  last_inbound_at, held_replied_at, petitions_since, petitions_count) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), $9, $10, $9, $11, $12, $13) "
    "ON CONFLICT (channel, external_id) DO UPDATE SET awaiting = $3, awaiting_boleta = $4,"
    "  asked_at = $5, last_boleta_id = $6, last_boleta_at = $7,"
    "  privacy_shown_at = CASE WHEN conversation.privacy_version IS DISTINCT FROM nullif($8, '')"
    "                     THEN $9 ELSE conversation.privacy_shown_at END,"
    "  privacy_version = nullif($8, ''), otro_replied_at = $10, last_inbound_at = $9,"
    "  held_replied_at = $11, petitions_since = $12, petitions_count = $13"};

constexpr const char* AwaitingName(Awaiting awaiting) {
  switch (awaiting) {
    case Awaiting::kLocation: return "ubicacion";
    case Awaiting::kAccountData: return "datos_cuenta";
    case Awaiting::kCurp: return "curp";
    case Awaiting::kNothing: break;
  }
  return "nada";
}

Awaiting AwaitingFrom(std::string_view name) {
  if (name == "ubicacion") return Awaiting::kLocation;
  if (name == "datos_cuenta") return Awaiting::kAccountData;
  if (name == "curp") return Awaiting::kCurp;
  return Awaiting::kNothing;
}

std::optional<TimePoint> Instant(const storage::Row& row, int column) {
  if (row.IsNull(column)) return std::nullopt;
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::duration<double>(row.Double(column))));
}

}  // namespace

ConversationState LoadConversation(storage::Tx& tx, std::string_view channel,
                                   std::string_view external_id) {
  ConversationState state;
  const auto rows = tx.Exec(kLoad, {channel, external_id});
  if (rows.empty()) return state;
  const auto row = rows.at(0);
  state.awaiting = AwaitingFrom(row.Text(0));
  state.awaiting_boleta = row.OptInt(1);
  state.asked_at = Instant(row, 2);
  state.last_boleta_id = row.OptInt(3);
  state.last_boleta_at = Instant(row, 4);
  state.privacy_version = row.Text(5);
  state.otro_replied_at = Instant(row, 6);
  state.held_replied_at = Instant(row, 7);
  state.petitions_since = Instant(row, 8);
  state.petitions_count = static_cast<int>(row.Int(9));
  return state;
}

void SaveConversation(storage::Tx& tx, std::string_view channel, std::string_view external_id,
                      const ConversationState& state, TimePoint now) {
  tx.Exec(kSave, {channel, external_id, AwaitingName(state.awaiting), state.awaiting_boleta,
                  state.asked_at, state.last_boleta_id, state.last_boleta_at,
                  state.privacy_version, now, state.otro_replied_at, state.held_replied_at,
                  state.petitions_since, state.petitions_count});
}

}  // namespace sac::conversation
