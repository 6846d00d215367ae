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

#include "crypto/digest.h"
#include "http/curl_client.h"
#include "scheduler/scheduler.h"
#include "tests/support/fake_provider.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac {
namespace {

using namespace std::chrono_literals;
using testing::Subprocess;

constexpr const char* kSecret = "mzt_test_app_secret";
constexpr int kInstances = 3;

struct Instance {
  std::string name;
  std::uint16_t port = 0;
  std::unique_ptr<Subprocess> process;
};

class InstancesTest : public ::testing::Test {
 protected:
  InstancesTest()
      : graph_("/v21.0/110220330440550/messages",
               HttpResponse::Json(200, testing::ReadTestdata("whatsapp", "outbound_send_response_ok.json"))),
        dir_(std::filesystem::temp_directory_path() / ("sac_instances_" + std::to_string(::getpid()))) {
    db_.SeedDependencias();
    std::filesystem::create_directories(dir_);
    for (int i = 0; i < kInstances; ++i) Start("sac-" + std::to_string(i + 1));
  }
  ~InstancesTest() override {
    for (auto& instance : instances_) {
      if (instance.process) instance.process->Signal(SIGTERM);
    }
    for (auto& instance : instances_) {
      if (instance.process) instance.process->Wait(20s);
    }
    std::filesystem::remove_all(dir_);
  }

  void Start(const std::string& name) {
    Instance instance{name, testing::FreeLoopbackPort(), nullptr};
    const auto config = dir_ / (name + ".toml");
    std::ofstream(config) << "[http]\nlisten_address = \"127.0.0.1\"\nport = " << instance.port
                          << "\n[pipeline]\nworkers = 2\npoll_interval_ms = 200\n"
                             "[outbox]\nworkers = 2\npoll_interval_ms = 200\n"
                             "[scheduler]\ntick_ms = 200\n"
                             "[media]\ndir = \"" << (dir_ / "media").string() << "\"\n"
                          << "[rules]\ndir = \"" << (testing::SourceDir() / "rules").string() << "\"\n"
                          << "[channels.whatsapp]\nenabled = true\napi_base_url = \"" << graph_.BaseUrl()
                          << "/v21.0\"\nphone_number_id = \"110220330440550\"\n";
    instance.process = std::make_unique<Subprocess>(
        std::vector<std::string>{testing::SacBinary(), "--config", config.string(), "serve"},
        std::map<std::string, std::string>{{"SAC_DATABASE_URL", db_.url() + " application_name=" + name},
                                           {"SAC_WHATSAPP_APP_SECRET", kSecret},
                                           {"SAC_WHATSAPP_VERIFY_TOKEN", "mzt-verify-2026"},
                                           {"SAC_WHATSAPP_ACCESS_TOKEN", "token"},
                                           {"SAC_LOG_LEVEL", "warn"}});
    for (int attempt = 0; attempt < 200; ++attempt) {
      ClientRequest ready;
      ready.method = "GET";
      ready.url = "http://127.0.0.1:" + std::to_string(instance.port) + "/readyz";
      if (auto answer = client_.Execute(ready); answer && answer->status == 200) break;
      std::this_thread::sleep_for(50ms);
    }
    instances_.push_back(std::move(instance));
  }

  int Post(const Instance& instance, int n) {
    const std::string from = "52166912" + std::to_string(10000 + n);
    const std::string body =
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":"
        "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"526691000000\","
        "\"phone_number_id\":\"110220330440550\"},\"contacts\":[{\"profile\":{\"name\":\"Vecina\"},"
        "\"wa_id\":\"" + from + "\"}],\"messages\":[{\"from\":\"" + from + "\",\"id\":\"wamid.multi" +
        std::to_string(n) + "\",\"timestamp\":\"1773162161\",\"type\":\"text\",\"text\":{\"body\":"
        "\"hay una fuga de agua enorme en la calle Río Piaxtla de la colonia Centro\"}}]},"
        "\"field\":\"messages\"}]}]}";
    ClientRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(instance.port) + "/webhooks/whatsapp";
    request.headers = {{"Content-Type", "application/json"},
                       {"X-Hub-Signature-256", "sha256=" + crypto::HmacSha256Hex(kSecret, body)}};
    request.body = body;
    const auto answer = client_.Execute(request);
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
  std::vector<Instance> instances_;
};

TEST_F(InstancesTest, MessagesOverThreeInstancesAreProcessedOnceAndOneLeaderFailsOver) {
  constexpr int kMessages = 45;
  for (int n = 0; n < kMessages; ++n) {
    ASSERT_EQ(Post(instances_[n % kInstances], n), 200) << n;
    ASSERT_EQ(Post(instances_[(n + 1) % kInstances], n), 200) << "a retry reaching another instance";
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
                             [&](const Instance& i) { return i.name == leader; });
  ASSERT_NE(killed, instances_.end());
  const auto start = std::chrono::steady_clock::now();
  killed->process->Signal(SIGKILL);
  killed->process->Wait(5s);
  killed->process.reset();
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
  for (const Instance& instance : instances_) {
    if (!instance.process) continue;
    ASSERT_EQ(Post(instance, kMessages + posted), 200);
    ++posted;
  }
  WaitUntilQuiet(kMessages + posted);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), kMessages + posted);
}

}  // namespace
}  // namespace sac
