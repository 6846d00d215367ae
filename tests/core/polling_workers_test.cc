#include "core/polling_workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace sac {
namespace {

using namespace std::chrono_literals;

TEST(QueueSettingsTest, BackoffGrowsFourfoldUpToTheCap) {
  QueueSettings settings;
  settings.retry_base = 2000ms;
  settings.retry_max = 60000ms;
  EXPECT_EQ(settings.Backoff(1), 2000ms);
  EXPECT_EQ(settings.Backoff(2), 8000ms);
  EXPECT_EQ(settings.Backoff(3), 32000ms);
  EXPECT_EQ(settings.Backoff(4), 60000ms);
  EXPECT_EQ(settings.Backoff(100), 60000ms);
}

TEST(PollingWorkersTest, AWakeUpRunsTheStepWithoutWaitingForThePoll) {
  std::atomic<int> steps{0};
  PollingWorkers workers(1, 1h, [&] {
    ++steps;
    return false;
  });
  workers.Start();
  for (int i = 0; i < 200 && steps < 1; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(steps, 1) << "looks once at start";
  workers.Wake();
  for (int i = 0; i < 200 && steps < 2; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(steps, 2);
  workers.Stop();  // returns at once although the poll interval is an hour
}

TEST(PollingWorkersTest, KeepsGoingWhileThereIsWork) {
  std::atomic<int> left{50};
  PollingWorkers workers(2, 1h, [&] { return --left > 0; });
  workers.Start();
  for (int i = 0; i < 400 && left > 0; ++i) std::this_thread::sleep_for(5ms);
  workers.Stop();
  EXPECT_LE(left, 0);
}

TEST(PollingWorkersTest, StopWithoutStartIsFine) {
  PollingWorkers workers(2, 1h, [] { return false; });
  workers.Stop();
}

}  // namespace
}  // namespace sac
