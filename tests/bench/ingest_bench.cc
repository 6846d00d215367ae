// Benchmark: how fast `sac serve` acknowledges webhooks, against the ceiling PostgreSQL itself
// sets on this machine, measured in the same run on the same cluster (issue "Proof"). For 8, 32
// and 128 connections: signed WhatsApp webhooks with unique ids over keep-alive loopback
// connections for a few seconds each (the pipeline and outbox running, as in production) — acks
// per second and ack latency p50/p99/p99.9 — then pgbench's one-row synchronous INSERT at the same
// client count; the ratio is the figure to compare across machines. Also the server's peak RSS.
// Prints a table; asserts only that nothing acknowledged was lost.
//
//   SAC_TEST_DATABASE_URL=... build/release/tests/sac_ingest_bench [seconds per step] [--solo-acuse]
//
// --solo-acuse runs no pipeline or outbox workers: the acknowledgement path alone.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/curl_client.h"
#include "observability/log.h"
#include "tests/support/fake_provider.h"
#include "tests/support/sac_process.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace {

using namespace sac;
using Clock = std::chrono::steady_clock;
constexpr const char* kSecret = "bench_app_secret";

struct Step {
  int connections = 0;
  double acks_per_second = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0;
  double pgbench_tps = 0;
  long acked = 0;
  double webhooks_per_commit = 0;
};

// The server's own count of inbox commits and of the webhooks they held (group commit).
struct GroupTotals {
  double commits = 0, webhooks = 0;
};

GroupTotals ScrapeGroups(const std::string& base_url) {
  http::CurlHttpClient client;
  ClientRequest request;
  request.method = "GET";
  request.url = base_url + "/metrics";
  GroupTotals totals;
  const auto answer = client.Execute(request);
  if (!answer) return totals;
  auto value = [&](const std::string& name) {
    const auto at = answer->body.find("\n" + name + " ");
    return at == std::string::npos ? 0.0 : std::atof(answer->body.c_str() + at + name.size() + 2);
  };
  totals.commits = value("sac_inbox_commit_group_webhooks_count");
  totals.webhooks = value("sac_inbox_commit_group_webhooks_sum");
  return totals;
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

// pgbench's one-row INSERT with synchronous commit, `clients` at once, on the same cluster.
double PgbenchTps(const testing::TestDatabase& db, int clients, int seconds, const std::string& dir) {
  db.Execute("CREATE TABLE IF NOT EXISTS pgbench_row (id bigserial PRIMARY KEY, body text NOT NULL)");
  const std::string script = dir + "/insert.sql";
  std::ofstream(script) << "INSERT INTO pgbench_row (body) VALUES ('{\"mensaje\":\"una petición\"}');\n";
  const auto result = testing::RunProcess({"/usr/bin/pgbench", "-n", "-f", script, "-c",
                                           std::to_string(clients), "-j", "2", "-T",
                                           std::to_string(seconds), db.url()});
  const auto at = result.out.find("tps = ");
  if (at == std::string::npos) {
    std::fprintf(stderr, "pgbench said: %s %s\n", result.out.c_str(), result.err.c_str());
    return 0;
  }
  return std::atof(result.out.c_str() + at + 6);
}

long PeakRssKb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 8;
  const bool ack_only = argc > 2 && std::string(argv[2]) == "--solo-acuse";
  const std::string workers = ack_only ? "0" : "2";
  log::SetLevel(log::Level::kWarn);
  testing::TestDatabase db;
  db.SeedDependencias();
  testing::FakeProvider graph("/v21.0/110220330440550/messages",
                              HttpResponse::Json(200, testing::ReadTestdata("whatsapp", "outbound_send_response_ok.json")));
  const std::string dir = "/tmp/sac_ingest_bench_" + std::to_string(::getpid());
  testing::SacProcess server(
      "bench", dir,
      "[database]\npool_size = 16\n"
      "[pipeline]\nworkers = " + workers + "\n[outbox]\nworkers = " + workers +
      "\n[scheduler]\nenabled = false\n[media]\nworkers = 0\n"
      "[rules]\ndir = \"" + (testing::SourceDir() / "rules").string() + "\"\n"
      "[channels.whatsapp]\nenabled = true\napi_base_url = \"" + graph.BaseUrl() + "/v21.0\"\n"
      "phone_number_id = \"110220330440550\"\n",
      {{"SAC_DATABASE_URL", db.url()}, {"SAC_WHATSAPP_APP_SECRET", kSecret},
       {"SAC_WHATSAPP_VERIFY_TOKEN", "v"}, {"SAC_WHATSAPP_ACCESS_TOKEN", "t"}, {"SAC_LOG_LEVEL", "warn"}});
  if (!server.Start()) {
    std::fprintf(stderr, "sac serve did not start\n");
    return 1;
  }

  std::atomic<long> sequence{0};
  long acked_total = 0;
  std::vector<Step> steps;
  for (const int connections : {8, 32, 128}) {
    Step step;
    step.connections = connections;
    const GroupTotals before = ScrapeGroups(server.BaseUrl());
    std::mutex mutex;
    std::vector<double> latencies;
    std::atomic<long> acked{0};
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    std::vector<std::thread> clients;
    for (int c = 0; c < connections; ++c) {
      clients.emplace_back([&] {
        http::CurlHttpClient client;  // one keep-alive connection per client
        std::vector<double> mine;
        while (Clock::now() < end) {
          const long n = sequence++;
          const std::string body = testing::WhatsAppTextWebhook(
              "wamid.bench" + std::to_string(n), "5216695" + std::to_string(1000000 + n % 900000),
              "hay una fuga de agua enorme en la calle Río Piaxtla colonia Centro");
          const ClientRequest request = testing::SignedWhatsAppRequest(server, body, kSecret);
          const auto start = Clock::now();
          const auto answer = client.Execute(request);
          if (answer && answer->status == 200) {
            mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
            ++acked;
          }
        }
        std::lock_guard lock(mutex);
        latencies.insert(latencies.end(), mine.begin(), mine.end());
      });
    }
    for (auto& client : clients) client.join();
    step.acked = acked;
    acked_total += acked;
    const GroupTotals after = ScrapeGroups(server.BaseUrl());
    if (after.commits > before.commits) {
      step.webhooks_per_commit = (after.webhooks - before.webhooks) / (after.commits - before.commits);
    }
    step.acks_per_second = static_cast<double>(acked.load()) / seconds;
    step.p50_ms = Percentile(latencies, 0.5);
    step.p99_ms = Percentile(latencies, 0.99);
    step.p999_ms = Percentile(latencies, 0.999);
    step.pgbench_tps = PgbenchTps(db, connections, seconds, dir);
    steps.push_back(step);
  }
  const double rss_mb = static_cast<double>(PeakRssKb(server.pid())) / 1024.0;

  std::printf("| connections | sac acks/s | ack p50 | ack p99 | ack p99.9 | webhooks per commit | pgbench 1-row INSERT tps | ratio |\n"
              "|---|---|---|---|---|---|---|---|\n");
  for (const Step& step : steps) {
    std::printf("| %d | %.0f | %.1f ms | %.1f ms | %.1f ms | %.1f | %.0f | %.2fx |\n", step.connections,
                step.acks_per_second, step.p50_ms, step.p99_ms, step.p999_ms,
                step.webhooks_per_commit, step.pgbench_tps,
                step.pgbench_tps > 0 ? step.acks_per_second / step.pgbench_tps : 0.0);
  }
  std::printf("sac serve peak RSS under load: %.1f MB (target <= 150 MB: %.2fx)\n", rss_mb,
              rss_mb / 150.0);
  const auto stored = db.Count("SELECT count(*) FROM inbox");
  std::printf("acknowledged %ld, inbox rows %lld\n", acked_total, static_cast<long long>(stored));
  server.Terminate();
  return stored >= acked_total ? 0 : 1;
}
