#include "channels/email/email_intake.h"

#include "intake/inbox_writer.h"

namespace sac::channels::email {
namespace {

using storage::Param;
using storage::Statement;

// Tokens older than any accepted timestamp can never be replayed: forget them.
constexpr Statement kForgetOldTokens{
    "email.forget_old_tokens",
    "DELETE FROM email_webhook_token WHERE seen_at < $1::timestamptz - interval '1 day'"};

constexpr Statement kRememberToken{
    "email.remember_token",
    "INSERT INTO email_webhook_token (token, seen_at) VALUES ($1, $2) "
    "ON CONFLICT (token) DO NOTHING RETURNING 1"};

constexpr Statement kKnownMessage{
    "email.known_message",
    "SELECT 1 FROM inbox WHERE channel = $1 AND dedupe_key = $2"};

constexpr Statement kQuarantine{
    "email.quarantine",
    "INSERT INTO email_quarantine (source, reason, size_bytes, body, received_at) "
    "SELECT $1, $2, $3, $4::bytea, $5 WHERE NOT EXISTS ("
    "  SELECT 1 FROM email_quarantine WHERE size_bytes = $3 AND body = $4::bytea)"};

constexpr Statement kRecordSubscription{
    "email.record_subscription",
    "INSERT INTO email_sns_subscription (message_id, topic_arn, subscribe_url, received_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING"};

constexpr Statement kSubscriptionConfirmed{
    "email.subscription_confirmed",
    "SELECT confirmed_at IS NOT NULL FROM email_sns_subscription WHERE message_id = $1"};

constexpr Statement kFinishSubscription{
    "email.finish_subscription",
    "UPDATE email_sns_subscription SET confirmed_at = CASE WHEN $2 THEN $3::timestamptz END,"
    "  last_error = nullif($4, '') WHERE message_id = $1"};

}  // namespace

Result<StoreOutcome> EmailIntake::Store(const ReceivedMail& mail, std::string_view raw) const {
  // Files first: a row must never name a file that is not on disk. A file without a row (the
  // transaction failed) is harmless; the retry stores the same content at the same name.
  for (const std::string& file : mail.files) {
    if (auto stored = media_.Store(file); !stored) return stored.error();
  }
  const TimePoint now = clock_.Now();
  return database_.Transact([&](storage::Tx& tx) -> StoreOutcome {
    if (!mail.replay_token.empty()) {
      tx.Exec(kForgetOldTokens, {now});
      if (tx.Exec(kRememberToken, {mail.replay_token, now}).empty()) {
        tx.RollbackAtEnd();
        // Seen before: fine for a redelivery of a mail we stored, an attack otherwise.
        const bool known = !mail.parsed.messages.empty() &&
                           !tx.Exec(kKnownMessage, {kChannelName, mail.parsed.messages[0].external_id})
                                .empty();
        return known ? StoreOutcome::kDuplicate : StoreOutcome::kReplayed;
      }
    }
    const intake::StoreSummary summary = intake::StoreParsed(tx, kChannelName, raw, mail.parsed, now);
    if (summary.stored == 0) {
      tx.RollbackAtEnd();  // a pure redelivery: not even the raw request is kept again
      return StoreOutcome::kDuplicate;
    }
    return StoreOutcome::kStored;
  });
}

Status EmailIntake::Quarantine(std::string_view kept, std::size_t received_bytes,
                               std::string_view source, std::string_view reason) const {
  const TimePoint now = clock_.Now();
  return database_.Transact([&](storage::Tx& tx) {
    tx.Exec(kQuarantine, {source, reason, static_cast<long long>(received_bytes),
                          Param::Bytes(kept), now});
  });
}

Result<bool> EmailIntake::RecordSubscription(const SnsEnvelope& envelope) const {
  const TimePoint now = clock_.Now();
  return database_.Transact([&](storage::Tx& tx) {
    tx.Exec(kRecordSubscription, {envelope.message_id, envelope.topic_arn, envelope.subscribe_url, now});
    return !tx.Exec(kSubscriptionConfirmed, {envelope.message_id}).at(0).Bool(0);
  });
}

Status EmailIntake::FinishSubscription(std::string_view message_id, const Status& visited) const {
  const TimePoint now = clock_.Now();
  return database_.Transact([&](storage::Tx& tx) {
    tx.Exec(kFinishSubscription, {message_id, visited.has_value(), now,
                                  visited ? std::string() : visited.error().message});
  });
}

}  // namespace sac::channels::email
