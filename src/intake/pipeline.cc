#include "intake/pipeline.h"

#include "observability/log.h"
#include "observability/metrics.h"

namespace sac::intake {
namespace {

using storage::Statement;
using storage::Tx;

const log::Logger& Log() {
  static const log::Logger logger("pipeline");
  return logger;
}

// $1 now, $2 retry base (ms), $3 retry max (ms).
constexpr Statement kClaim{
    "pipeline.claim",
    "WITH next AS ("
    "  SELECT id FROM inbox WHERE state = 'pending' AND next_attempt_at <= $1"
    "  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
    "UPDATE inbox i SET attempts = i.attempts + 1,"
    "  next_attempt_at = $1::timestamptz"
    "    + least($2::float8 * power(4, i.attempts), $3::float8) * interval '1 millisecond' "
    "FROM next WHERE i.id = next.id "
    "RETURNING i.id, i.channel, i.kind, i.attempts, i.payload::text"};

constexpr Statement kLockPending{
    "pipeline.lock_pending", "SELECT 1 FROM inbox WHERE id = $1 AND state = 'pending' FOR UPDATE"};

constexpr Statement kFinish{
    "pipeline.finish",
    "UPDATE inbox SET state = $2, outcome = $3, processed_at = $4, last_error = NULL "
    "WHERE id = $1"};

constexpr Statement kRecordFailure{
    "pipeline.record_failure",
    "UPDATE inbox SET last_error = $2,"
    "  state = CASE WHEN attempts >= $3 THEN 'quarantined' ELSE 'pending' END "
    "WHERE id = $1 AND state = 'pending' RETURNING state"};

constexpr Statement kQuarantine{
    "pipeline.quarantine",
    "UPDATE inbox SET state = 'quarantined',"
    "  last_error = coalesce(last_error, 'processing never finished (the worker stopped)') "
    "WHERE id = $1 AND state = 'pending'"};

}  // namespace

Pipeline::Pipeline(storage::Database& database, InboxProcessor& processor, QueueSettings settings,
                   const Clock& clock, Metrics& metrics)
    : database_(database),
      processor_(processor),
      settings_(settings),
      clock_(clock),
      metrics_(metrics),
      workers_(settings.workers, settings.poll_interval, [this] {
        auto found = RunOnce();
        return found && *found;
      }) {}

Pipeline::~Pipeline() { Stop(); }

void Pipeline::Start() { workers_.Start(); }
void Pipeline::Stop() { workers_.Stop(); }
void Pipeline::Wake() { workers_.Wake(); }

Result<bool> Pipeline::RunOnce() {
  auto claimed = database_.Transact([&](Tx& tx) -> std::optional<InboxItem> {
    auto rows = tx.Exec(kClaim, {clock_.Now(), static_cast<double>(settings_.retry_base.count()),
                                 static_cast<double>(settings_.retry_max.count())});
    if (rows.empty()) {
      return std::nullopt;
    }
    const auto row = rows.at(0);
    InboxItem item;
    item.id = row.Int(0);
    item.channel = row.Text(1);
    const std::string kind = row.Text(2);
    item.kind = kind == "delivery"    ? InboxKind::kDelivery
                : kind == "unhandled" ? InboxKind::kUnhandled
                                      : InboxKind::kMessage;
    item.attempts = static_cast<int>(row.Int(3));
    item.payload = row.Text(4);
    return item;
  });
  if (!claimed) {
    metrics_.CountPipelineError("claim");
    Log().Warn("cannot claim inbox rows", {{"error", claimed.error().message}});
    return claimed.error();
  }
  if (!*claimed) {
    return false;
  }
  const InboxItem& item = **claimed;

  if (item.attempts > settings_.max_attempts) {
    // Claimed this often without an outcome: the process died while handling it every time.
    auto quarantined = database_.Transact([&](Tx& tx) { tx.Exec(kQuarantine, {item.id}); });
    metrics_.CountPipelineError(quarantined ? "quarantine" : "record");
    Log().Error("inbox row quarantined", {{"inbox_id", item.id}, {"attempts", item.attempts}});
    return true;
  }

  auto outcome = database_.Transact([&](Tx& tx) -> Result<std::optional<ProcessOutcome>> {
    if (tx.Exec(kLockPending, {item.id}).empty()) {
      return std::nullopt;  // another worker finished it while our claim aged
    }
    auto result = processor_.Process(tx, item);
    if (!result) {
      return result.error();
    }
    const bool ignored = result->state == ProcessOutcome::State::kIgnored;
    tx.Exec(kFinish, {item.id, ignored ? "ignored" : "processed", result->detail, clock_.Now()});
    return std::optional<ProcessOutcome>(std::move(*result));
  });

  if (outcome) {
    if (*outcome) {
      const bool ignored = (*outcome)->state == ProcessOutcome::State::kIgnored;
      metrics_.CountPipelineProcessed(ignored ? "ignored" : "processed");
      Log().Debug("inbox row done", {{"inbox_id", item.id}, {"outcome", (*outcome)->detail}});
    }
    return true;
  }

  metrics_.CountPipelineError("process");
  const std::string error = outcome.error().message;
  auto recorded = database_.Transact([&](Tx& tx) -> std::string {
    auto rows = tx.Exec(kRecordFailure, {item.id, error, settings_.max_attempts});
    return rows.empty() ? std::string() : rows.at(0).Text(0);
  });
  if (!recorded) {
    metrics_.CountPipelineError("record");
  } else if (*recorded == "quarantined") {
    metrics_.CountPipelineError("quarantine");
    Log().Error("inbox row quarantined",
                {{"inbox_id", item.id}, {"attempts", item.attempts}, {"error", error}});
  } else {
    Log().Warn("inbox row failed; will retry",
               {{"inbox_id", item.id}, {"attempts", item.attempts}, {"error", error}});
  }
  return true;
}

}  // namespace sac::intake
