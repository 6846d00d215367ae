#include "citizens/citizen_directory.h"

namespace sac::citizens {
namespace {

using storage::Statement;

constexpr Statement kLockIdentity{
    "citizen.lock_identity", "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"};

constexpr Statement kTouchIdentity{
    "citizen.touch_identity",
    "UPDATE citizen_identity SET last_seen_at = now(), blocked_at = NULL,"
    "  display_name = CASE WHEN $3 = '' THEN display_name ELSE $3 END "
    "WHERE channel = $1 AND external_id = $2 RETURNING citizen_id"};

// With a phone: reuse the citizen that already has it (the no-op update makes RETURNING see it).
constexpr Statement kCitizenByPhone{
    "citizen.upsert_by_phone",
    "INSERT INTO citizen (display_name, phone) VALUES ($1, $2) "
    "ON CONFLICT (phone) DO UPDATE SET phone = EXCLUDED.phone RETURNING id"};

constexpr Statement kNewCitizen{
    "citizen.insert", "INSERT INTO citizen (display_name) VALUES ($1) RETURNING id"};

constexpr Statement kInsertIdentity{
    "citizen.insert_identity",
    "INSERT INTO citizen_identity (channel, external_id, citizen_id, display_name) "
    "VALUES ($1, $2, $3, $4)"};

constexpr Statement kBlock{
    "citizen.block_identity",
    "UPDATE citizen_identity SET blocked_at = now() WHERE channel = $1 AND external_id = $2"};

}  // namespace

void MarkBlocked(storage::Tx& tx, std::string_view channel, std::string_view external_id) {
  tx.Exec(kBlock, {channel, external_id});
}

ResolvedCitizen Resolve(storage::Tx& tx, const InboundMessage& message) {
  tx.Exec(kLockIdentity, {message.channel + ":" + message.sender_id});
  auto existing =
      tx.Exec(kTouchIdentity, {message.channel, message.sender_id, message.sender_name});
  if (!existing.empty()) {
    return {existing.at(0).Int(0), false};
  }
  const std::int64_t citizen_id =
      message.sender_phone.empty()
          ? tx.Exec(kNewCitizen, {message.sender_name}).at(0).Int(0)
          : tx.Exec(kCitizenByPhone, {message.sender_name, message.sender_phone}).at(0).Int(0);
  tx.Exec(kInsertIdentity, {message.channel, message.sender_id, citizen_id, message.sender_name});
  return {citizen_id, true};
}

}  // namespace sac::citizens
