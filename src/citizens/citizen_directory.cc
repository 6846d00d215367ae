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

constexpr Statement kNameIfNone{
    "citizen.name_if_none",
    "UPDATE citizen SET display_name = $2 WHERE id = $1 AND display_name = ''"};

constexpr Statement kNewCitizen{
    "citizen.insert", "INSERT INTO citizen (display_name) VALUES ($1) RETURNING id"};

constexpr Statement kInsertIdentity{
    "citizen.insert_identity",
    "INSERT INTO citizen_identity (channel, external_id, citizen_id, display_name) "
    "VALUES ($1, $2, $3, $4)"};

constexpr Statement kLockPhone{
    "citizen.lock_phone", "SELECT pg_advisory_xact_lock(hashtextextended('phone:' || $1, 0))"};

constexpr Statement kPhoneOf{"citizen.phone_of", "SELECT phone FROM citizen WHERE id = $1"};

constexpr Statement kOwnerOfPhone{"citizen.owner_of_phone",
                                  "SELECT id FROM citizen WHERE phone = $1"};

constexpr Statement kSetPhone{"citizen.set_phone", "UPDATE citizen SET phone = $2 WHERE id = $1"};

// $1 from, $2 into: every reference moves; followers keep one row per boleta.
constexpr Statement kMoveIdentities{
    "citizen.move_identities", "UPDATE citizen_identity SET citizen_id = $2 WHERE citizen_id = $1"};
constexpr Statement kMoveBoletas{"citizen.move_boletas",
                                 "UPDATE boleta SET citizen_id = $2 WHERE citizen_id = $1"};
constexpr Statement kMoveOutbox{"citizen.move_outbox",
                                "UPDATE outbox SET citizen_id = $2 WHERE citizen_id = $1"};
// Their ARCO requests are the same person's (src/privacy/arco_requests.h).
constexpr Statement kMoveArcoRequests{
    "citizen.move_arco_requests", "UPDATE arco_request SET citizen_id = $2 WHERE citizen_id = $1"};
constexpr Statement kMoveFollowers{
    "citizen.move_followers",
    "WITH moved AS (DELETE FROM boleta_follower WHERE citizen_id = $1 RETURNING *) "
    "INSERT INTO boleta_follower (boleta_id, citizen_id, via_boleta, since) "
    "SELECT boleta_id, $2, via_boleta, since FROM moved ON CONFLICT DO NOTHING"};
constexpr Statement kMarkMerged{"citizen.mark_merged",
                                "UPDATE citizen SET merged_into = $2 WHERE id = $1"};

constexpr Statement kBlock{
    "citizen.block_identity",
    "UPDATE citizen_identity SET blocked_at = now() WHERE channel = $1 AND external_id = $2"};

}  // namespace

std::optional<std::int64_t> ForCapture(storage::Tx& tx, std::string_view display_name,
                                       std::string_view phone) {
  if (phone.empty()) {
    if (display_name.empty()) return std::nullopt;
    return tx.Exec(kNewCitizen, {display_name}).at(0).Int(0);
  }
  tx.Exec(kLockPhone, {phone});
  const std::int64_t id = tx.Exec(kCitizenByPhone, {display_name, phone}).at(0).Int(0);
  if (!display_name.empty()) tx.Exec(kNameIfNone, {id, display_name});
  return id;
}

void MarkBlocked(storage::Tx& tx, std::string_view channel, std::string_view external_id) {
  tx.Exec(kBlock, {channel, external_id});
}

std::int64_t LinkPhone(storage::Tx& tx, std::int64_t citizen_id, std::string_view phone) {
  tx.Exec(kLockPhone, {phone});
  const std::string current = tx.Exec(kPhoneOf, {citizen_id}).at(0).Text(0);
  if (!current.empty()) {
    return citizen_id;  // already known by a number; a second one proves nothing
  }
  const auto owner = tx.Exec(kOwnerOfPhone, {phone});
  if (owner.empty()) {
    tx.Exec(kSetPhone, {citizen_id, phone});
    return citizen_id;
  }
  const std::int64_t into = owner.at(0).Int(0);
  for (const storage::Statement* move : {&kMoveIdentities, &kMoveBoletas, &kMoveOutbox, &kMoveFollowers, &kMoveArcoRequests}) {
    tx.Exec(*move, {citizen_id, into});
  }
  tx.Exec(kMarkMerged, {citizen_id, into});
  return into;
}

ResolvedCitizen Resolve(storage::Tx& tx, const InboundMessage& message) {
  tx.Exec(kLockIdentity, {message.channel + ":" + message.sender_id});
  auto existing =
      tx.Exec(kTouchIdentity, {message.channel, message.sender_id, message.sender_name});
  if (!existing.empty()) {
    const std::int64_t citizen_id = existing.at(0).Int(0);
    if (!message.sender_phone.empty()) {
      return {LinkPhone(tx, citizen_id, message.sender_phone), false};
    }
    return {citizen_id, false};
  }
  const std::int64_t citizen_id =
      message.sender_phone.empty()
          ? tx.Exec(kNewCitizen, {message.sender_name}).at(0).Int(0)
          : tx.Exec(kCitizenByPhone, {message.sender_name, message.sender_phone}).at(0).Int(0);
  tx.Exec(kInsertIdentity, {message.channel, message.sender_id, citizen_id, message.sender_name});
  return {citizen_id, true};
}

}  // namespace sac::citizens
