#include "intake/inbox_writer.h"

#include <algorithm>
#include <chrono>

#include "core/inbound.h"
#include "crypto/digest.h"
#include "intake/inbox_codec.h"
#include "json/escape.h"
#include "observability/metrics.h"

namespace sac::intake {
namespace {

using storage::Param;
using storage::Statement;

constexpr Statement kInsertRequest{
    "inbox.insert_request",
    "INSERT INTO webhook_request (channel, body, received_at) VALUES ($1, $2::bytea, $3) "
    "RETURNING id"};

constexpr Statement kInsertRow{
    "inbox.insert_row",
    "INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload,"
    "  received_at, next_attempt_at) "
    "SELECT $1, $2, $3, $4, $5, $6::jsonb, $7, $7 "
    // A key kept only as a hash (its citizen's data was cancelled) is a duplicate too.
    "WHERE NOT EXISTS (SELECT 1 FROM inbox o WHERE o.channel = $2 AND o.dedupe_key = dedupe_hash($2, $3)) "
    "ON CONFLICT (channel, dedupe_key) DO NOTHING RETURNING id"};

// A whole group in one statement, from one JSON document — [{"c": channel, "b": raw body in
// base64, "r": [{"d": dedupe key, "k": kind, "s": sender, "p": payload}, ...]}, ...] — so a group
// of any size costs one round trip. Inbox rows go in first: a request is kept only when at least
// one of its rows is new (the foreign key is checked at the end of the statement, when both are
// in). A key kept only as a salted hash (migrations/0022) counts as already there: $3 is the salt,
// read once per writer, so that the hash is inlined into the plan (migrations/0026; read inside the
// statement, even as a scalar subquery, it made the statement 40 times slower). Answers, per
// webhook (1-based, in document order), how many of its rows were new.
constexpr Statement kInsertGroup{
    "inbox.insert_group",
    "WITH webhook AS MATERIALIZED ("
    "  SELECT n AS position, w->>'c' AS channel, decode(w->>'b', 'base64') AS body, w->'r' AS rows,"
    "         nextval(pg_get_serial_sequence('webhook_request', 'id')) AS request_id"
    "  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS given(w, n)"
    "), stored AS ("
    "  INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload,"
    "                     received_at, next_attempt_at)"
    "  SELECT webhook.request_id, webhook.channel, r->>'d', r->>'k', r->>'s', r->'p', $2, $2"
    "  FROM webhook CROSS JOIN LATERAL jsonb_array_elements(webhook.rows) WITH ORDINALITY AS item(r, m)"
    // OFFSET 0 keeps this a per-row probe of the unique index: flattened into an anti-join, the
    // planner (which cannot count a JSON array's items) would hash the whole inbox each time.
    "  WHERE NOT EXISTS (SELECT 1 FROM inbox o WHERE o.channel = webhook.channel AND o.dedupe_key ="
    "                    salted_dedupe_hash($3, webhook.channel, r->>'d') OFFSET 0)"
    "  ORDER BY webhook.position, item.m"
    "  ON CONFLICT (channel, dedupe_key) DO NOTHING"
    "  RETURNING request_id"
    "), kept AS ("
    "  INSERT INTO webhook_request (id, channel, body, received_at) OVERRIDING SYSTEM VALUE"
    "  SELECT request_id, channel, body, $2 FROM webhook"
    "  WHERE request_id IN (SELECT request_id FROM stored)"
    ") "
    "SELECT webhook.position, count(stored.request_id) FROM webhook"
    "  LEFT JOIN stored USING (request_id) GROUP BY webhook.position"};

// Two 32-bit keys: a space of their own, apart from the single-key locks of citizens and
// the scheduler. Shared by every inbox store, exclusive for a key rewrite.
constexpr Statement kShareKeyLock{"inbox.share_key_lock",
                                  "SELECT pg_advisory_xact_lock_shared(5314, 1)"};
constexpr Statement kExcludeKeyLock{"inbox.exclude_key_lock", "SELECT pg_advisory_xact_lock(5314, 1)"};
constexpr Statement kReadSalt{"inbox.read_salt", "SELECT salt FROM dedupe_salt"};

struct PendingRow {
  std::string dedupe_key;
  const char* kind;
  std::string sender_id;
  std::string payload;
};

// A delivery update is unique per provider message and state: "delivered" then "read" are two
// rows, a redelivered "read" is a duplicate.
std::string UpdateKey(const DeliveryUpdate& update) {
  if (update.provider_message_id.empty() && update.watermark != 0) {
    return "status:" + update.recipient_id + "@" + std::to_string(update.watermark) + ":" +
           DeliveryStateName(update.state);
  }
  return "status:" + update.provider_message_id + ":" + DeliveryStateName(update.state);
}

}  // namespace

void ExcludeInboxStores(storage::Tx& tx) { tx.Exec(kExcludeKeyLock); }

std::optional<std::int64_t> StoreMessage(storage::Tx& tx, std::string_view channel,
                                         std::string_view raw_body, const InboundMessage& message,
                                         TimePoint now) {
  tx.ExecUnread(kShareKeyLock);
  const std::int64_t request_id =
      tx.Exec(kInsertRequest, {channel, Param::Bytes(raw_body), now}).at(0).Int(0);
  const auto inserted = tx.Exec(kInsertRow, {request_id, channel, message.external_id, "message",
                                             message.sender_id, EncodeMessage(message), now});
  if (inserted.empty()) {
    return std::nullopt;
  }
  tx.Notify(kInboxNotifyChannel);
  return inserted.at(0).Int(0);
}

namespace {

std::vector<PendingRow> RowsOf(const ParsedWebhook& parsed) {
  std::vector<PendingRow> rows;
  rows.reserve(parsed.messages.size() + parsed.updates.size() + parsed.unhandled.size());
  for (const InboundMessage& message : parsed.messages) {
    rows.push_back({message.external_id, "message", message.sender_id, EncodeMessage(message)});
  }
  for (const DeliveryUpdate& update : parsed.updates) {
    // News names the citizen it is about when the provider says (Messenger's watermarks,
    // WhatsApp's and Twilio's statuses), so an ARCO request finds it (migrations/0024).
    rows.push_back({UpdateKey(update), "delivery", update.recipient_id, EncodeUpdate(update)});
  }
  for (const UnhandledUpdate& update : parsed.unhandled) {
    rows.push_back({update.key, "unhandled", "", EncodeUnhandled(update)});
  }
  return rows;
}

// Raw bodies one group's document may carry (base64 makes them a third larger): a burst of
// 4 MiB Meta webhooks is split over several commits rather than built into one huge statement.
constexpr std::size_t kMaxGroupBytes = 8 * 1024 * 1024;

bool DatabaseIsDown(const Error& error) {
  return error.code == Errc::kUnavailable || error.code == Errc::kTimeout;
}

}  // namespace

StoreSummary StoreParsed(storage::Tx& tx, std::string_view channel, std::string_view raw_body,
                         const ParsedWebhook& parsed, TimePoint now) {
  const std::vector<PendingRow> rows = RowsOf(parsed);
  StoreSummary summary;
  if (rows.empty()) {
    return summary;
  }
  tx.ExecUnread(kShareKeyLock);
  const std::int64_t request_id =
      tx.Exec(kInsertRequest, {channel, Param::Bytes(raw_body), now}).at(0).Int(0);
  for (const PendingRow& row : rows) {
    const auto inserted = tx.Exec(kInsertRow, {request_id, channel, row.dedupe_key, row.kind,
                                               row.sender_id, row.payload, now});
    inserted.empty() ? ++summary.duplicates : ++summary.stored;
  }
  if (summary.stored > 0) {
    tx.Notify(kInboxNotifyChannel);
  }
  return summary;
}

struct InboxWriter::Pending {
  std::string_view channel;
  std::string_view raw_body;
  std::vector<PendingRow> rows;
  StoreSummary summary;  // written by the group's committer
  StoreDone done;
};

InboxWriter::InboxWriter(storage::Database& database, const Clock& clock, Metrics* metrics,
                         InboxWriterSettings settings)
    : database_(database), clock_(clock), metrics_(metrics), settings_(settings) {
  for (int i = 0; i < std::max(1, settings_.committers); ++i) {
    committers_.emplace_back([this] { CommitLoop(); });
  }
}

InboxWriter::~InboxWriter() { Stop(); }

void InboxWriter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  for (std::thread& committer : committers_) {
    if (committer.joinable()) committer.join();
  }
}

void InboxWriter::Submit(std::string_view channel, std::string_view raw_body,
                         const ParsedWebhook& parsed, StoreDone done) {
  auto pending = std::make_unique<Pending>();
  pending->channel = channel;
  pending->raw_body = raw_body;
  pending->rows = RowsOf(parsed);
  if (pending->rows.empty()) {
    done(StoreSummary{});
    return;
  }
  pending->done = std::move(done);
  {
    std::unique_lock lock(mutex_);
    const char* refusal = stopping_ ? "shutting down"
                          : waiting_.size() >= settings_.max_queued ||
                                  waiting_bytes_ + raw_body.size() > settings_.max_queued_bytes
                              ? "too many webhooks waiting for the database"
                              : nullptr;
    if (refusal != nullptr) {
      lock.unlock();
      pending->done(Error{Errc::kUnavailable, refusal});
      return;
    }
    waiting_.push_back(std::move(pending));
    waiting_bytes_ += raw_body.size();
  }
  queued_.notify_one();  // costs no system call while every committer is busy committing
}

Result<StoreSummary> InboxWriter::Store(std::string_view channel, std::string_view raw_body,
                                        const ParsedWebhook& parsed) {
  std::mutex mutex;
  std::condition_variable finished;
  std::optional<Result<StoreSummary>> outcome;
  Submit(channel, raw_body, parsed, [&](Result<StoreSummary> result) {
    std::lock_guard lock(mutex);  // notified under the lock: the waiter cannot return before
    outcome.emplace(std::move(result));
    finished.notify_one();
  });
  std::unique_lock lock(mutex);
  finished.wait(lock, [&] { return outcome.has_value(); });
  return std::move(*outcome);
}

// Each committer takes whatever is queued (up to max_group webhooks and kMaxGroupBytes of raw
// bodies), commits it, answers every webhook in it, and goes back for what queued meanwhile.
// On stopping it first commits what is still queued: those webhooks are waiting for an answer.
void InboxWriter::CommitLoop() {
  for (;;) {
    std::vector<std::unique_ptr<Pending>> group;
    try {
      group.reserve(settings_.max_group);  // so that taking the group below cannot throw
    } catch (const std::bad_alloc&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // what waits stays queued
      continue;
    }
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
      if (waiting_.empty()) return;
      std::size_t bytes = 0;
      while (!waiting_.empty() && group.size() < settings_.max_group &&
             (group.empty() || bytes + waiting_.front()->raw_body.size() <= kMaxGroupBytes)) {
        bytes += waiting_.front()->raw_body.size();
        group.push_back(std::move(waiting_.front()));
        waiting_.pop_front();
      }
      waiting_bytes_ -= bytes;
    }
    std::vector<Pending*> members;
    std::vector<Result<StoreSummary>> outcomes;
    try {
      for (const auto& pending : group) members.push_back(pending.get());
      outcomes = CommitGroup(members);
    } catch (const std::exception&) {
      // e.g. no memory for the group's document: its webhooks get a 503
      outcomes.clear();
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      try {
        group[i]->done(i < outcomes.size() ? std::move(outcomes[i])
                                           : Result<StoreSummary>(Error{Errc::kUnavailable, "not stored"}));
      } catch (const std::exception&) {
        // the caller's answer could not be delivered (no memory): nothing else to tell it
      }
    }
  }
}

// The installation's salt never changes (migrations/0022 keeps it from the application).
std::string InboxWriter::Salt(storage::Tx& tx) {
  {
    std::lock_guard lock(mutex_);
    if (!salt_.empty()) return salt_;
  }
  std::string salt = tx.Exec(kReadSalt).at(0).Text(0);
  std::lock_guard lock(mutex_);
  salt_ = salt;
  return salt;
}

InboxWriter::GroupStats InboxWriter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::size_t InboxWriter::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

std::vector<Result<StoreSummary>> InboxWriter::CommitGroup(const std::vector<Pending*>& group) {
  std::vector<Status> statuses;
  const Status together = InsertGroup(group);
  const bool one_by_one = !together && group.size() > 1 && !DatabaseIsDown(together.error());
  if (!one_by_one) {
    statuses.assign(group.size(), together);
  } else {
    for (Pending* pending : group) {  // find the one the database refused; the rest are stored
      statuses.push_back(InsertGroup({pending}));
    }
  }
  std::vector<Result<StoreSummary>> outcomes;
  outcomes.reserve(group.size());
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (statuses[i]) {
      outcomes.emplace_back(group[i]->summary);
    } else {
      outcomes.emplace_back(statuses[i].error());
    }
  }
  if (metrics_ != nullptr) {
    metrics_->ObserveInboxGroup(group.size());
  }
  std::lock_guard lock(mutex_);
  stats_.groups += one_by_one ? 1 + group.size() : 1;
  stats_.webhooks += group.size();
  return outcomes;
}

Status InboxWriter::InsertGroup(const std::vector<Pending*>& group) {
  std::string document = "[";
  for (const Pending* pending : group) {
    if (document.size() > 1) document += ',';
    document += "{\"c\":";
    json::AppendQuoted(document, pending->channel);
    document += ",\"b\":\"" + crypto::Base64Encode(pending->raw_body) + "\",\"r\":[";
    for (std::size_t i = 0; i < pending->rows.size(); ++i) {
      const PendingRow& row = pending->rows[i];
      document += i == 0 ? "{\"d\":" : ",{\"d\":";
      json::AppendQuoted(document, row.dedupe_key);
      document += ",\"k\":";
      json::AppendQuoted(document, row.kind);
      document += ",\"s\":";
      json::AppendQuoted(document, row.sender_id);
      document += ",\"p\":" + row.payload + "}";
    }
    document += "]}";
  }
  document += "]";
  const TimePoint now = clock_.Now();
  return database_.Transact([&](storage::Tx& tx) {
    tx.ExecUnread(kShareKeyLock);  // its own statement: the insert's snapshot comes after the lock
    const auto answers = tx.Exec(kInsertGroup, {document, now, Salt(tx)});
    bool any_new = false;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      Pending& pending = *group.at(static_cast<std::size_t>(answers[i].Int(0) - 1));
      const int stored = static_cast<int>(answers[i].Int(1));
      pending.summary = {stored, static_cast<int>(pending.rows.size()) - stored};
      any_new = any_new || stored > 0;
    }
    if (any_new) {
      tx.Notify(kInboxNotifyChannel);
    } else {
      tx.RollbackAtEnd();  // pure redeliveries: nothing to keep
    }
  });
}

}  // namespace sac::intake
