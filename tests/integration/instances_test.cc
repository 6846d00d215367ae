// Three real `sac serve` processes on one PostgreSQL, on three ports: WhatsApp messages spread
// over them (and each delivered again to another instance, as a provider's retry may be) are
// stored once, processed once and answered once; exactly one instance leads the scheduler, and
// when it is killed (-9) another takes over within 10 s while the survivors keep working.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "http/curl_client.h"
#include "scheduler/scheduler.h"
#include "tests/support/fake_provider.h"
#include "tests/support/sac_process.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac {
namespace {

using namespace std::chrono_literals;
using testing::Subprocess;

constexpr const char* kSecret = "mzt_test_app_secret";
constexpr int kInstances = 3;

class InstancesTest : public ::testing::Test {
 protected:
  InstancesTest()
      : graph_("/v21.0/110220330440550/messages",
               HttpResponse::Json(200, testing::ReadTestdata("whatsapp", "outbound_send_response_ok.json"))),
        dir_(std::filesystem::temp_directory_path() / ("sac_instances_" + std::to_string(::getpid()))) {
    db_.SeedDependencias();
    for (int i = 0; i < kInstances; ++i) {
      const std::string name = "sac-" + std::to_string(i + 1);
      instances_.push_back(std::make_unique<testing::SacProcess>(
          name, dir_,
          "[pipeline]\nworkers = 2\npoll_interval_ms = 200\n[outbox]\nworkers = 2\n"
          "poll_interval_ms = 200\n[scheduler]\ntick_ms = 200\n[media]\ndir = \"" +
              (dir_ / "media").string() + "\"\n[rules]\ndir = \"" +
              (testing::SourceDir() / "rules").string() + "\"\n[channels.whatsapp]\nenabled = true\n"
              "api_base_url = \"" + graph_.BaseUrl() + "/v21.0\"\nphone_number_id = \"110220330440550\"\n",
          std::map<std::string, std::string>{{"SAC_DATABASE_URL", db_.url() + " application_name=" + name},
                                             {"SAC_WHATSAPP_APP_SECRET", kSecret},
                                             {"SAC_WHATSAPP_VERIFY_TOKEN", "mzt-verify-2026"},
                                             {"SAC_WHATSAPP_ACCESS_TOKEN", "token"},
                                             {"SAC_LOG_LEVEL", "warn"}}));
      EXPECT_TRUE(instances_.back()->Start()) << name;
    }
  }
  ~InstancesTest() override {
    instances_.clear();
    std::filesystem::remove_all(dir_);
  }

  int Post(const testing::SacProcess& instance, int n) {
    const std::string body = testing::WhatsAppTextWebhook(
        "wamid.multi" + std::to_string(n), "52166912" + std::to_string(10000 + n),
        "hay una fuga de agua enorme en la calle Río Piaxtla de la colonia Centro");
    const auto answer = client_.Execute(testing::SignedWhatsAppRequest(instance, body, kSecret));
    return answer ? answer->status : 0;
  }

  void WaitUntilQuiet(std::int64_t messages) {
    for (int i = 0; i < 600; ++i) {
      if (db_.Count("SELECT count(*) FROM inbox WHERE state <> 'pending'") == messages &&
          db_.Count("SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')") == 0) {
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "the instances did not finish";
  }

  // The instance (its application_name) holding the scheduler's leader lock; "" when none.
  std::string Leader() {
    return db_.Scalar(
        "SELECT coalesce(max(a.application_name), '') FROM pg_locks l JOIN pg_stat_activity a"
        "  ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
        "  AND ((l.classid::bigint << 32) | l.objid::bigint) = " +
        std::to_string(scheduler::kLeaderLockKey));
  }

  testing::TestDatabase db_;
  testing::FakeProvider graph_;
  std::filesystem::path dir_;
  http::CurlHttpClient client_;
  std::vector<std::unique_ptr<testing::SacProcess>> instances_;
};

TEST_F(InstancesTest, MessagesOverThreeInstancesAreProcessedOnceAndOneLeaderFailsOver) {
  constexpr int kMessages = 45;
  for (int n = 0; n < kMessages; ++n) {
    ASSERT_EQ(Post(*instances_[n % kInstances], n), 200) << n;
    ASSERT_EQ(Post(*instances_[(n + 1) % kInstances], n), 200) << "a retry reaching another instance";
  }
  WaitUntilQuiet(kMessages);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox"), kMessages);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), kMessages);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox"), db_.Count("SELECT count(DISTINCT (source_inbox_id, purpose)) FROM outbox"));
  const auto sent = db_.Count("SELECT count(*) FROM outbox WHERE state = 'sent'");
  EXPECT_GE(sent, kMessages);
  EXPECT_EQ(static_cast<std::int64_t>(graph_.Requests().size()), sent) << "no reply sent twice";
  EXPECT_EQ(db_.Count("SELECT count(DISTINCT folio) FROM boleta"), kMessages);

  // One leader; kill it without warning, and time the takeover.
  const std::string leader = Leader();
  ASSERT_FALSE(leader.empty());
  auto killed = std::find_if(instances_.begin(), instances_.end(),
                             [&](const auto& i) { return i->name() == leader; });
  ASSERT_NE(killed, instances_.end());
  const auto start = std::chrono::steady_clock::now();
  (*killed)->Kill();
  std::string next;
  while (std::chrono::steady_clock::now() - start < 15s) {
    next = Leader();
    if (!next.empty() && next != leader) break;
    std::this_thread::sleep_for(50ms);
  }
  const double takeover_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(next, leader);
  EXPECT_FALSE(next.empty());
  EXPECT_LE(takeover_s, 10.0);
  std::printf("scheduler leader %s killed; %s took over in %.2f s\n", leader.c_str(), next.c_str(), takeover_s);

  // The survivors keep taking and answering messages.
  int posted = 0;
  for (const auto& instance : instances_) {
    if (!instance->running()) continue;
    ASSERT_EQ(Post(*instance, kMessages + posted), 200);
    ++posted;
  }
  WaitUntilQuiet(kMessages + posted);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), kMessages + posted);
}

}  // namespace
}  // namespace sac
