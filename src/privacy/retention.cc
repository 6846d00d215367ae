#include "privacy/retention.h"

#include <algorithm>

#include "privacy/citizen_rights.h"

namespace sac::privacy {
namespace {

using storage::Statement;
using storage::Tx;

// $1 cutoff, $2 batch. Each returns how many rows it emptied; repeated until fewer than $2.
constexpr Statement kRawRequests{
    "retention.raw_requests",
    "UPDATE webhook_request SET body = ''::bytea WHERE id IN ("
    "  SELECT id FROM webhook_request WHERE received_at < $1 AND octet_length(body) > 0"
    "  ORDER BY id LIMIT $2)"};
constexpr Statement kQuarantinedMail{
    "retention.quarantined_mail",
    "UPDATE email_quarantine SET body = ''::bytea WHERE id IN ("
    "  SELECT id FROM email_quarantine WHERE received_at < $1 AND octet_length(body) > 0"
    "  ORDER BY id LIMIT $2)"};

// Who provider news was for, kept only to place news of a send whose answer was lost
// (outbox/delivery_tracker): after a day that send has been settled or left to staff.
constexpr std::chrono::days kUnplacedNewsRecipientDays{1};
constexpr Statement kUnplacedNewsRecipients{
    "retention.unplaced_news_recipients",
    "UPDATE delivery_event SET recipient = '' WHERE id IN ("
    "  SELECT id FROM delivery_event WHERE recipient <> '' AND received_at < $1"
    "  ORDER BY id LIMIT $2)"};

// Finished, and for the whole period: nothing more will be done on the boleta, so its messages
// are no longer needed. (A boleta closed yesterday may still be reopened — a "no" to next month's
// survey, staff reopening a duplicate — and its messages are what it is about.)
#define SAC_FINISHED                                                                       \
  "(b.status IN ('cerrada', 'validada', 'no_procede', 'duplicada')"                        \
  " AND coalesce(b.status_changed_at, b.updated_at) < $1)"
constexpr Statement kInboxMessages{
    "retention.inbox_messages",
    "UPDATE inbox SET payload = jsonb_build_object('depurado', true) WHERE id IN ("
    "  SELECT x.id FROM inbox x LEFT JOIN boleta b ON b.source_inbox_id = x.id"
    "  WHERE x.received_at < $1 AND x.state <> 'pending' AND NOT x.payload ? 'depurado'"
    "    AND NOT x.payload ? 'suprimido'"
    "    AND (b.id IS NULL OR " SAC_FINISHED ")"
    "  ORDER BY x.id LIMIT $2)"};
// Boletas no citizen owns (captured without a name or a phone), finished for as long as a silent
// citizen is kept: nobody can ask for them by phone or channel any more, and no cancellation
// would ever reach them. One that staff hold locked this moment (reopening it?) is skipped: the
// next day's run finds it again if it is still finished.
constexpr Statement kOwnerlessBoletas{
    "retention.ownerless_boletas",
    "SELECT coalesce(array_agg(id ORDER BY id), '{}')::text, count(*) FROM ("
    "  SELECT b.id FROM boleta b WHERE b.citizen_id IS NULL AND b.personal_data_removed_at IS NULL"
    "    AND b.created_at < $1 AND " SAC_FINISHED
    "  ORDER BY b.id LIMIT $2 FOR UPDATE OF b SKIP LOCKED) ownerless"};
constexpr Statement kOutboxMessages{
    "retention.outbox_messages",
    "UPDATE outbox SET body = '', template_params = NULL, buttons = NULL WHERE id IN ("
    "  SELECT o.id FROM outbox o LEFT JOIN boleta b ON b.id = o.boleta_id"
    "  WHERE o.created_at < $1 AND o.state IN ('sent', 'failed', 'unknown') AND o.body <> ''"
    "    AND (b.id IS NULL OR " SAC_FINISHED ")"
    "  ORDER BY o.id LIMIT $2)"};
#undef SAC_FINISHED

// Boletas per transaction: each holds the inbox's stores off (citizen_rights.h) until it commits,
// as a citizen's cancellation does — a few at a time, so webhooks never wait long.
constexpr int kBoletasPerTransaction = 20;

// Citizens silent since the cutoff with nothing open: no contact on any channel, no boleta
// created, none still in the works — neither their own nor one they follow (their report was a
// duplicate of it: they are told when it is attended).
constexpr Statement kInactiveCitizens{
    "retention.inactive_citizens",
    "SELECT c.id FROM citizen c WHERE c.cancelled_at IS NULL AND c.created_at < $1"
    "  AND NOT EXISTS (SELECT 1 FROM citizen_identity i WHERE i.citizen_id = c.id"
    "                  AND i.last_seen_at >= $1)"
    "  AND NOT EXISTS (SELECT 1 FROM boleta b WHERE b.citizen_id = c.id AND (b.created_at >= $1"
    "      OR b.status NOT IN ('cerrada', 'validada', 'no_procede', 'duplicada')))"
    "  AND NOT EXISTS (SELECT 1 FROM boleta_follower f JOIN boleta b ON b.id = f.boleta_id"
    "      WHERE f.citizen_id = c.id"
    "        AND b.status NOT IN ('cerrada', 'validada', 'no_procede', 'duplicada'))"
    "ORDER BY c.id LIMIT $2"};

Result<std::int64_t> Repeat(storage::Database& database, const Statement& statement,
                            TimePoint cutoff, int batch) {
  std::int64_t total = 0;
  for (;;) {
    auto done = database.Transact(
        [&](Tx& tx) { return static_cast<std::int64_t>(tx.Exec(statement, {cutoff, batch}).affected()); });
    if (!done) return done.error();
    total += *done;
    if (*done < batch) return total;
  }
}

}  // namespace

Result<Purged> ApplyRetention(storage::Database& database, const media::MediaStore& media,
                              const CancellationJournal& journal, const RetentionPeriods& periods,
                              TimePoint now, int batch) {
  Purged purged;
  for (const auto* statement : {&kRawRequests, &kQuarantinedMail}) {
    auto count = Repeat(database, *statement, now - periods.raw_requests, batch);
    if (!count) return count.error();
    purged.raw_requests += *count;
  }
  auto recipients = Repeat(database, kUnplacedNewsRecipients, now - kUnplacedNewsRecipientDays, batch);
  if (!recipients) return recipients.error();
  purged.raw_requests += *recipients;

  for (const auto* statement : {&kInboxMessages, &kOutboxMessages}) {
    auto count = Repeat(database, *statement, now - periods.messages, batch);
    if (!count) return count.error();
    purged.messages += *count;
  }
  const TimePoint silent_since = now - periods.inactive_citizens;
  for (;;) {
    std::vector<std::string> files;
    auto done = database.Transact([&](Tx& tx) -> Result<std::int64_t> {
      files.clear();  // a retried transaction starts afresh
      const auto found = tx.Exec(kOwnerlessBoletas, {silent_since, kBoletasPerTransaction});
      const std::int64_t count = found.at(0).Int(1);
      if (count == 0) return count;
      BoletasRemoved removed =
          RemoveBoletasPersonalData(tx, found.at(0).Text(0), "depuracion", now, "conservacion");
      files = std::move(removed.files_to_delete);
      return count;
    });
    if (!done) return done.error();
    for (const std::string& sha : files) purged.files += media.Remove(sha) ? 1 : 0;
    purged.ownerless_boletas += *done;
    if (*done < kBoletasPerTransaction) break;
  }
  // Each cancellation holds the inbox's stores off until its transaction commits: a few
  // citizens per transaction, so webhooks never wait long.
  const int citizens_per_transaction = std::min(batch, 20);
  for (;;) {
    std::vector<std::string> files;
    std::vector<JournalEntry> journalled;
    auto done = database.Transact([&](Tx& tx) -> Result<std::int64_t> {
      files.clear();  // a retried transaction starts afresh
      journalled.clear();
      const auto rows = tx.Exec(kInactiveCitizens, {silent_since, citizens_per_transaction});
      for (std::size_t i = 0; i < rows.size(); ++i) {
        auto cancelled = CancelCitizen(tx, rows[i].Int(0), "depuracion", now, "conservacion", nullptr);
        if (!cancelled) return cancelled.error();
        files.insert(files.end(), cancelled->files_to_delete.begin(), cancelled->files_to_delete.end());
        journalled.push_back({rows[i].Int(0), cancelled->citizen_created_us, "conservacion"});
      }
      return static_cast<std::int64_t>(rows.size());
    });
    if (!done) return done.error();
    // Journalled after the commit: a citizen who wrote again meanwhile must not be cancelled by
    // a later restore. A line lost to a crash here is made good by the next day's run, which
    // finds the restored citizen just as silent.
    // The files go first: the cancellation is committed, and no later run would find them.
    for (const std::string& sha : files) purged.files += media.Remove(sha) ? 1 : 0;
    for (const JournalEntry& entry : journalled) {
      if (auto recorded = journal.Record(entry, now); !recorded) return recorded.error();
    }
    purged.citizens += *done;
    if (*done < citizens_per_transaction) return purged;
  }
}

}  // namespace sac::privacy
