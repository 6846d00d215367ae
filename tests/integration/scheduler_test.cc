// The scheduler against a real PostgreSQL: one leader among several processes' schedulers, jobs
// run when due (cron in Mazatlán time) and recorded, a standby takes over when the leader goes.
#include "scheduler/scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/support/fake_clock.h"
#include "tests/support/test_database.h"

namespace sac::scheduler {
namespace {

using ::testing::HasSubstr;
using testing::TestDatabase;
using namespace std::chrono_literals;

TimePoint Utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  using namespace std::chrono;
  return TimePoint(sys_days(year_month_day{year{y}, month{mo}, day{d}}) + hours{h} + minutes{mi});
}

class CountingJob final : public Job {
 public:
  CountingJob(std::string name, std::atomic<int>& runs, bool fail = false)
      : name_(std::move(name)), runs_(runs), fail_(fail) {}
  std::string_view Name() const override { return name_; }
  Result<JobCounts> Run(TimePoint) override {
    ++runs_;
    if (fail_) return MakeError(Errc::kUnavailable, "the provider is down");
    return JobCounts{{"hechos", 3}};
  }

 private:
  std::string name_;
  std::atomic<int>& runs_;
  bool fail_;
};

class SchedulerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Scheduler> NewScheduler(std::atomic<int>& runs, const char* schedule = "0 10 1 * *") {
    auto scheduler = std::make_unique<Scheduler>(database_, local_, clock_);
    scheduler->Add(std::make_unique<CountingJob>("encuesta_mensual", runs),
                   *CronSchedule::Parse(schedule));
    return scheduler;
  }

  TestDatabase db_;
  storage::Database database_{db_.Settings()};
  workflow::LocalTime local_ = *workflow::LocalTime::Load("America/Mazatlan");
  testing::FakeClock clock_{Utc(2026, 3, 10, 17)};
};

TEST_F(SchedulerTest, RunsAJobWhenDueOnceAndRecordsTheRun) {
  std::atomic<int> runs = 0;
  auto scheduler = NewScheduler(runs);
  EXPECT_EQ(*scheduler->RunOnce(), 0) << "registered for 1 April, 10:00 Mazatlán";
  EXPECT_TRUE(scheduler->leader());
  EXPECT_EQ(db_.Scalar("SELECT next_run_at FROM scheduled_job"), "2026-04-01 17:00:00+00");
  clock_.Set(Utc(2026, 4, 1, 17, 0));
  EXPECT_EQ(*scheduler->RunOnce(), 1);
  EXPECT_EQ(*scheduler->RunOnce(), 0) << "not twice";
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(db_.Scalar("SELECT next_run_at FROM scheduled_job"), "2026-05-01 17:00:00+00");
  EXPECT_EQ(db_.Scalar("SELECT status || ' ' || (counts->>'hechos') FROM job_run"), "ok 3");
  EXPECT_EQ(db_.Scalar("SELECT finished_at IS NOT NULL FROM job_run"), "t");
}

TEST_F(SchedulerTest, OnlyOneProcessLeadsAndAStandbyTakesOverWhenItGoes) {
  std::atomic<int> runs = 0;
  auto first = NewScheduler(runs, "*/5 * * * *");
  auto second = NewScheduler(runs, "*/5 * * * *");
  first->RunOnce();
  second->RunOnce();
  EXPECT_TRUE(first->leader());
  EXPECT_FALSE(second->leader());
  clock_.Advance(5min);
  EXPECT_EQ(*first->RunOnce(), 1);
  EXPECT_EQ(*second->RunOnce(), 0);
  EXPECT_EQ(runs, 1);

  first.reset();  // the leader's process ends: its session, and so its lock, goes
  clock_.Advance(5min);
  // PostgreSQL frees the lock when it has noticed the disconnection, a moment later: the standby
  // takes over on one of its next ticks.
  int ran = 0;
  for (int tick = 0; tick < 100 && !second->leader(); ++tick) {
    ran += *second->RunOnce();
    if (!second->leader()) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(second->leader());
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(runs, 2);
}

TEST_F(SchedulerTest, AFailedRunIsRecordedWithItsErrorAndTheNextOneStillComes) {
  std::atomic<int> runs = 0;
  Scheduler scheduler(database_, local_, clock_);
  scheduler.Add(std::make_unique<CountingJob>("falla", runs, true), *CronSchedule::Parse("0 * * * *"));
  scheduler.RunOnce();
  clock_.Advance(1h);
  EXPECT_EQ(*scheduler.RunOnce(), 1);
  EXPECT_THAT(db_.Scalar("SELECT status || ': ' || error FROM job_run"), HasSubstr("error: the provider is down"));
  clock_.Advance(1h);
  EXPECT_EQ(*scheduler.RunOnce(), 1);
  EXPECT_EQ(runs, 2);
}

TEST_F(SchedulerTest, AChangedScheduleTakesEffectAtOnce) {
  std::atomic<int> runs = 0;
  NewScheduler(runs, "0 10 1 * *")->RunOnce();
  auto changed = NewScheduler(runs, "0 9 * * *");
  changed->RunOnce();
  EXPECT_EQ(db_.Scalar("SELECT schedule || ' ' || next_run_at FROM scheduled_job"),
            "0 9 * * * 2026-03-11 16:00:00+00");
}

}  // namespace
}  // namespace sac::scheduler
