// The scheduler: jobs that run on a cron schedule in Mazatlán time (the monthly survey, the
// 10-business-day check-in, ...), with exactly one leader across any number of `sac serve`
// processes. Every process runs a Scheduler; the one holding the PostgreSQL advisory lock runs
// the due jobs, the others stand by and take over within a tick when it dies. Jobs and their
// next run are kept in `scheduled_job`, every run in `job_run` (started, finished, counts, error).
//
// The lock makes double runs rare, not impossible (a leader can stall past a standby's takeover):
// every job must be safe to run twice — the survey is sent exactly once by a UNIQUE constraint,
// not by the scheduler.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/polling_workers.h"
#include "core/result.h"
#include "scheduler/cron.h"
#include "storage/database.h"
#include "storage/session_lock.h"
#include "workflow/local_time.h"

namespace sac::scheduler {

// What a run did, for job_run.counts and the logs: {"encuestas_enviadas": 120, ...}.
using JobCounts = std::map<std::string, std::int64_t>;

class Job {
 public:
  virtual ~Job() = default;
  virtual std::string_view Name() const = 0;
  // One run at `now`. Idempotent: a second run (or one after a crash mid-way) finds its work
  // done and does nothing more.
  virtual Result<JobCounts> Run(TimePoint now) = 0;
};

// The advisory-lock key the leader holds (any number; the same for every process of one SAC).
inline constexpr std::int64_t kLeaderLockKey = 0x5AC0'5C4E'D01E;  // "SAC scheduler"

class Scheduler {
 public:
  Scheduler(storage::Database& database, const workflow::LocalTime& local, const Clock& clock,
            std::chrono::milliseconds tick = std::chrono::seconds(5));
  ~Scheduler();

  // Before Start. Kept in scheduled_job: a changed schedule takes effect at once.
  void Add(std::unique_ptr<Job> job, CronSchedule schedule);

  void Start();
  void Stop();

  // One tick: tries to lead; as leader, runs every due job once. Returns how many ran.
  Result<int> RunOnce();
  bool leader() const { return lock_.held(); }

 private:
  Result<void> Register(TimePoint now);
  Result<bool> RunIfDue(Job& job, const CronSchedule& schedule, TimePoint now);

  storage::Database& database_;
  const workflow::LocalTime& local_;
  const Clock& clock_;
  storage::SessionLock lock_;
  struct Entry {
    std::unique_ptr<Job> job;
    CronSchedule schedule;
  };
  std::vector<Entry> entries_;
  bool registered_ = false;
  PollingWorkers workers_;
};

}  // namespace sac::scheduler
