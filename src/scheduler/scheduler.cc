#include "scheduler/scheduler.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "observability/log.h"

namespace sac::scheduler {
namespace {

using storage::Statement;
using storage::Tx;

const log::Logger& Log() {
  static const log::Logger logger("scheduler");
  return logger;
}

// $1 name, $2 schedule, $3 next run. A job keeps its next run unless its schedule changed.
constexpr Statement kRegister{
    "scheduler.register",
    "INSERT INTO scheduled_job (name, schedule, next_run_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (name) DO UPDATE SET schedule = EXCLUDED.schedule,"
    "  next_run_at = CASE WHEN scheduled_job.schedule = EXCLUDED.schedule"
    "                     THEN scheduled_job.next_run_at ELSE EXCLUDED.next_run_at END"};

// $1 name, $2 now: the job is due; it is claimed by moving its next run (and a run is opened).
constexpr Statement kClaimDue{
    "scheduler.claim_due",
    "UPDATE scheduled_job SET last_started_at = $2 WHERE name = $1 AND next_run_at <= $2 "
    "RETURNING next_run_at"};

constexpr Statement kSetNext{"scheduler.set_next",
                             "UPDATE scheduled_job SET next_run_at = $2 WHERE name = $1"};

constexpr Statement kOpenRun{
    "scheduler.open_run",
    "INSERT INTO job_run (job, started_at, scheduled_for) VALUES ($1, $2, $3) RETURNING id"};

constexpr Statement kCloseRun{
    "scheduler.close_run",
    "UPDATE job_run SET finished_at = $2, status = $3, counts = $4::jsonb, error = $5 "
    "WHERE id = $1"};

}  // namespace

Scheduler::Scheduler(storage::Database& database, const workflow::LocalTime& local,
                     const Clock& clock, std::chrono::milliseconds tick)
    : database_(database),
      local_(local),
      clock_(clock),
      lock_(storage::Database::ConnectionString(database.settings()), kLeaderLockKey),
      workers_(1, tick, [this] {
        (void)RunOnce();
        return false;  // one tick per interval: jobs are minutes apart at the least
      }) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Add(std::unique_ptr<Job> job, CronSchedule schedule) {
  entries_.push_back({std::move(job), std::move(schedule)});
}

void Scheduler::Start() { workers_.Start(); }

void Scheduler::Stop() {
  workers_.Stop();
  lock_.Release();
}

Result<void> Scheduler::Register(TimePoint now) {
  return database_.Transact([&](Tx& tx) {
    for (const Entry& entry : entries_) {
      tx.Exec(kRegister, {entry.job->Name(), entry.schedule.expression(),
                          entry.schedule.NextAfter(now, local_)});
    }
  });
}

Result<int> Scheduler::RunOnce() {
  if (!lock_.TryHold()) return 0;  // a standby: another process leads
  const TimePoint now = clock_.Now();
  if (!registered_) {
    if (auto registered = Register(now); !registered) return registered.error();
    registered_ = true;
    Log().Info("leading the scheduler", {{"jobs", entries_.size()}});
  }
  int ran = 0;
  for (Entry& entry : entries_) {
    auto did = RunIfDue(*entry.job, entry.schedule, now);
    if (!did) return did.error();
    ran += *did ? 1 : 0;
  }
  return ran;
}

Result<bool> Scheduler::RunIfDue(Job& job, const CronSchedule& schedule, TimePoint now) {
  const std::string name(job.Name());
  std::int64_t run_id = 0;
  auto claimed = database_.Transact([&](Tx& tx) -> bool {
    const auto due = tx.Exec(kClaimDue, {name, now});
    if (due.empty()) return false;
    // The next run is set before this one works: a run that crashes is not retried in a loop;
    // its job_run stays open (no finished_at) for staff to see.
    tx.Exec(kSetNext, {name, schedule.NextAfter(now, local_)});
    run_id = tx.Exec(kOpenRun, {name, now, due.at(0).Text(0)}).at(0).Int(0);
    return true;
  });
  if (!claimed) return claimed.error();
  if (!*claimed) return false;

  const auto started = std::chrono::steady_clock::now();
  Result<JobCounts> result = job.Run(now);
  boost::json::object counts;
  if (result) {
    for (const auto& [key, value] : *result) counts[key] = value;
  }
  const auto closed = database_.Transact([&](Tx& tx) {
    tx.Exec(kCloseRun, {run_id, clock_.Now(), result ? "ok" : "error", boost::json::serialize(counts),
                        result ? storage::Param(std::nullopt) : storage::Param(result.error().message)});
  });
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  if (result) {
    Log().Info("job ran", {{"job", name}, {"ms", static_cast<std::int64_t>(millis)},
                           {"counts", boost::json::serialize(counts)}});
  } else {
    Log().Error("job failed", {{"job", name}, {"error", result.error().message}});
  }
  if (!closed) return closed.error();
  return true;
}

}  // namespace sac::scheduler
