// Benchmark: how fast `sac serve` takes in webhooks, against the ceiling PostgreSQL itself sets on
// this machine, measured in the same run on the same cluster (issue "Proof"):
//   1. Acknowledgements: for 8, 32 and 128 connections, signed WhatsApp webhooks with unique ids
//      over keep-alive loopback connections for a few seconds each (the pipeline and outbox
//      running, as in production) — acks per second, ack latency p50/p99/p99.9, webhooks per
//      commit (group commit, from /metrics) — then pgbench's one-row synchronous INSERT at the
//      same client count; the ratio is the figure to compare across machines.
//   2. Latency at half load: paced at half the best rate of step 1, over as many connections as
//      that step had; latency from each request's scheduled moment (a late send counts its wait),
//      so queueing shows.
//   1b. The write path alone: the same webhooks handed to sac's own InboxWriter in this process
//      (the same group commit, statement and committer threads as `sac serve`, no HTTP), as many
//      in flight as step 1 had connections — the ceiling PostgreSQL sets for that write on this
//      machine, and so how much of it the HTTP front end leaves on the table.
//   3. Pipeline: a backlog of acknowledged webhooks turned into classified boletas with their
//      reply queued (inbox → citizen, boleta, bitácora, outbox), rows per second with 2 workers,
//      against pgbench's INSERT + enqueue in one transaction at 2 clients.
// Also the server's peak RSS. Prints tables; asserts only that nothing acknowledged was lost.
//
//   SAC_TEST_DATABASE_URL=... build/release/tests/sac_ingest_bench [seconds per step] [--solo-acuse]
//
// --solo-acuse runs no pipeline or outbox workers during steps 1 and 2: the acknowledgement
// path alone.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "channels/whatsapp/payloads.h"
#include "config/config.h"
#include "crypto/digest.h"
#include "http/curl_client.h"
#include "intake/inbox_writer.h"
#include "observability/log.h"
#include "tests/bench/http_load.h"
#include "tests/support/fake_provider.h"
#include "tests/support/sac_process.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace {

using namespace sac;
using SteadyClock = std::chrono::steady_clock;
constexpr const char* kSecret = "bench_app_secret";

struct Step {
  int connections = 0;
  double acks_per_second = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0;
  double pgbench_tps = 0;
  long acked = 0;
  double webhooks_per_commit = 0;
  double write_path_per_second = 0;  // step 1b
  double write_path_per_commit = 0;
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

// pgbench's one-row INSERT with synchronous commit, `clients` at once, on the same cluster;
// `enqueue`: the row and a queue row in one transaction (what the pipeline's commit resembles).
double PgbenchTps(const testing::TestDatabase& db, int clients, int seconds, const std::string& dir,
                  bool enqueue = false) {
  db.Execute("CREATE TABLE IF NOT EXISTS pgbench_row (id bigserial PRIMARY KEY, body text NOT NULL)");
  db.Execute("CREATE TABLE IF NOT EXISTS pgbench_queue (id bigserial PRIMARY KEY, row_id bigint,"
             " state text NOT NULL DEFAULT 'pending', body text NOT NULL)");
  const std::string script = dir + (enqueue ? "/enqueue.sql" : "/insert.sql");
  if (enqueue) {
    std::ofstream(script)
        << "BEGIN;\n"
           "INSERT INTO pgbench_row (body) VALUES ('{\"mensaje\":\"una petición\"}');\n"
           "INSERT INTO pgbench_queue (row_id, body) VALUES (lastval(), 'Su folio es 2026-000001');\n"
           "COMMIT;\n";
  } else {
    std::ofstream(script) << "INSERT INTO pgbench_row (body) VALUES ('{\"mensaje\":\"una petición\"}');\n";
  }
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

// Step 1b: `in_flight` webhooks at a time handed to an InboxWriter configured as `sac serve`'s
// (each one's completion hands over the next) for `seconds`. Every webhook is the body of
// SignedWebhook, parsed once; each gets a message id and a sender of its own.
struct WritePath {
  double per_second = 0;
  double per_commit = 0;
  long stored = 0;
};

WritePath DriveWritePath(const testing::TestDatabase& db, std::atomic<long>& sequence, int in_flight,
                         int seconds) {
  static const std::string body =
      testing::WhatsAppTextWebhook("wamid.template", "5216695000000",
                                   "hay una fuga de agua enorme en la calle Río Piaxtla colonia Centro");
  auto parsed = channels::whatsapp::ParseWebhook(body, "110220330440550");
  if (!parsed || parsed->messages.size() != 1) {
    std::fprintf(stderr, "the template webhook did not parse\n");
    std::exit(1);
  }
  const ParsedWebhook parsed_template = *parsed;
  storage::Database database({.url = db.url(), .pool_size = 4});
  SystemClock clock;
  intake::InboxWriter writer(database, clock, nullptr, {.committers = HttpConfig{}.inbox_committers});

  const auto deadline = SteadyClock::now() + std::chrono::seconds(seconds);
  std::mutex mutex;
  std::condition_variable idle;
  int outstanding = 0;
  std::atomic<long> stored{0};  // by the deadline
  std::function<void()> submit_next = [&] {
    ParsedWebhook webhook = parsed_template;
    const long n = sequence++;
    webhook.messages[0].external_id = "wamid.bench" + std::to_string(n);
    webhook.messages[0].sender_id = "5216695" + std::to_string(1000000 + n % 900000);
    writer.Submit("whatsapp", body, webhook, [&](Result<intake::StoreSummary> outcome) {
      if (outcome && SteadyClock::now() < deadline) {
        stored += outcome->stored;
        submit_next();
        return;
      }
      std::lock_guard lock(mutex);
      if (--outstanding == 0) idle.notify_all();
    });
  };
  const auto start = SteadyClock::now();
  {
    std::lock_guard lock(mutex);
    outstanding = in_flight;
  }
  for (int i = 0; i < in_flight; ++i) submit_next();
  std::unique_lock lock(mutex);
  idle.wait(lock, [&] { return outstanding == 0; });
  const auto groups = writer.stats();
  return {static_cast<double>(stored) / std::chrono::duration<double>(deadline - start).count(),
          groups.groups > 0 ? static_cast<double>(groups.webhooks) / static_cast<double>(groups.groups) : 0,
          stored};
}

long PeakRssKb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// The n-th signed WhatsApp webhook, with a message id and a sender of its own, as the whole HTTP
// request sac-load sends.
std::string SignedWebhook(long n) {
  const std::string body = testing::WhatsAppTextWebhook(
      "wamid.bench" + std::to_string(n), "5216695" + std::to_string(1000000 + n % 900000),
      "hay una fuga de agua enorme en la calle Río Piaxtla colonia Centro");
  return "POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "X-Hub-Signature-256: sha256=" + crypto::HmacSha256Hex(kSecret, body) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// `connections` keep-alive clients sending unique signed webhooks for `seconds`; with `rate` > 0
// they are paced to that many per second in all, and latency counts from each scheduled moment.
bench::LoadResult Drive(const testing::SacProcess& server, std::atomic<long>& sequence,
                        int connections, int seconds, double rate = 0) {
  const bench::LoadPlan plan{.port = server.port(), .connections = connections,
                             .duration = std::chrono::seconds(seconds), .rate = rate};
  bench::LoadResult result = bench::RunLoad(plan, [&](long) { return SignedWebhook(sequence++); });
  if (result.refused > 0 || result.broken > 0) {
    std::fprintf(stderr, "%d connections: %ld refused, %ld connections broken\n", connections,
                 result.refused, result.broken);
  }
  return result;
}

std::unique_ptr<testing::SacProcess> StartServer(const std::string& name, const std::string& dir,
                                                 const testing::TestDatabase& db,
                                                 const testing::FakeProvider& graph,
                                                 int pipeline_workers, int outbox_workers) {
  auto server = std::make_unique<testing::SacProcess>(
      name, dir,
      "[database]\npool_size = 16\n"
      "[pipeline]\nworkers = " + std::to_string(pipeline_workers) +
      "\n[outbox]\nworkers = " + std::to_string(outbox_workers) +
      "\n[scheduler]\nenabled = false\n[media]\nworkers = 0\n"
      "[rules]\ndir = \"" + (testing::SourceDir() / "rules").string() + "\"\n"
      "[channels.whatsapp]\nenabled = true\napi_base_url = \"" + graph.BaseUrl() + "/v21.0\"\n"
      "phone_number_id = \"110220330440550\"\n",
      std::map<std::string, std::string>{{"SAC_DATABASE_URL", db.url()}, {"SAC_WHATSAPP_APP_SECRET", kSecret},
       {"SAC_WHATSAPP_VERIFY_TOKEN", "v"}, {"SAC_WHATSAPP_ACCESS_TOKEN", "t"}, {"SAC_LOG_LEVEL", "warn"}});
  if (!server->Start()) {
    std::fprintf(stderr, "sac serve did not start\n");
    std::exit(1);
  }
  return server;
}

}  // namespace

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 8;
  const bool ack_only = argc > 2 && std::string(argv[2]) == "--solo-acuse";
  const int workers = ack_only ? 0 : 2;
  log::SetLevel(log::Level::kWarn);
  testing::TestDatabase db;
  db.SeedDependencias();
  testing::FakeProvider graph("/v21.0/110220330440550/messages",
                              HttpResponse::Json(200, testing::ReadTestdata("whatsapp", "outbound_send_response_ok.json")));
  const std::string dir = "/tmp/sac_ingest_bench_" + std::to_string(::getpid());
  auto server = StartServer("bench", dir, db, graph, workers, workers);

  // 1. Acknowledgements against pgbench's one-row INSERT.
  std::atomic<long> sequence{0};
  long acked_total = 0;
  std::vector<Step> steps;
  for (const int connections : {8, 32, 128}) {
    Step step;
    step.connections = connections;
    db.Execute("CHECKPOINT");  // each step starts without the last one's dirty pages to flush
    const GroupTotals before = ScrapeGroups(server->BaseUrl());
    bench::LoadResult load = Drive(*server, sequence, connections, seconds);
    const GroupTotals after = ScrapeGroups(server->BaseUrl());
    if (after.commits > before.commits) {
      step.webhooks_per_commit = (after.webhooks - before.webhooks) / (after.commits - before.commits);
    }
    step.acked = load.acked;
    acked_total += load.acked;
    step.acks_per_second = static_cast<double>(load.acked) / seconds;
    step.p50_ms = Percentile(load.latencies_ms, 0.5);
    step.p99_ms = Percentile(load.latencies_ms, 0.99);
    step.p999_ms = Percentile(load.latencies_ms, 0.999);
    step.pgbench_tps = PgbenchTps(db, connections, seconds, dir);
    db.Execute("CHECKPOINT");
    const WritePath write_path = DriveWritePath(db, sequence, connections, seconds);
    step.write_path_per_second = write_path.per_second;
    step.write_path_per_commit = write_path.per_commit;
    acked_total += write_path.stored;
    steps.push_back(step);
  }

  // 2. Half of the best rate, paced, over as many connections as the best step had.
  const Step& best_step = *std::max_element(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
    return a.acks_per_second < b.acks_per_second;
  });
  const double best = best_step.acks_per_second;
  db.Execute("CHECKPOINT");
  bench::LoadResult half = Drive(*server, sequence, best_step.connections, seconds, best / 2);
  acked_total += half.acked;
  const double rss_mb = static_cast<double>(PeakRssKb(server->pid())) / 1024.0;
  const auto stored = db.Count("SELECT count(*) FROM inbox");
  server->Terminate();

  // 3. The pipeline on a backlog, on a database of its own.
  testing::TestDatabase backlog_db;
  backlog_db.SeedDependencias();
  auto filler = StartServer("bench-fill", dir + "-fill", backlog_db, graph, 0, 0);
  Drive(*filler, sequence, 32, std::max(2, seconds / 2));
  filler->Terminate();
  const auto backlog = backlog_db.Count("SELECT count(*) FROM inbox WHERE state = 'pending'");
  auto pipeline = StartServer("bench-pipeline", dir + "-pipeline", backlog_db, graph, 2, 0);
  const auto pipeline_start = SteadyClock::now();  // the start-up counts: it is short next to the backlog
  while (backlog_db.Count("SELECT count(*) FROM inbox WHERE state = 'pending'") > 0 &&
         SteadyClock::now() - pipeline_start < std::chrono::minutes(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const double pipeline_seconds = std::chrono::duration<double>(SteadyClock::now() - pipeline_start).count();
  pipeline->Terminate();
  const auto boletas = backlog_db.Count("SELECT count(*) FROM boleta");
  const auto replies = backlog_db.Count("SELECT count(*) FROM outbox");
  const double enqueue_tps = PgbenchTps(backlog_db, 2, seconds, dir, true);

  std::printf("| connections | sac acks/s | ack p50 | ack p99 | ack p99.9 | webhooks per commit | pgbench 1-row INSERT tps | ratio |\n"
              "|---|---|---|---|---|---|---|---|\n");
  for (const Step& step : steps) {
    std::printf("| %d | %.0f | %.1f ms | %.1f ms | %.1f ms | %.1f | %.0f | %.2fx |\n", step.connections,
                step.acks_per_second, step.p50_ms, step.p99_ms, step.p999_ms,
                step.webhooks_per_commit, step.pgbench_tps,
                step.pgbench_tps > 0 ? step.acks_per_second / step.pgbench_tps : 0.0);
  }
  std::printf("\nThe write path alone (sac's InboxWriter in this process, no HTTP), as many webhooks in "
              "flight as connections:\n\n"
              "| in flight | webhooks/s | webhooks per commit | vs pgbench 1-row INSERT | sac over HTTP, share of it |\n"
              "|---|---|---|---|---|\n");
  for (const Step& step : steps) {
    std::printf("| %d | %.0f | %.1f | %.2fx | %.2f |\n", step.connections, step.write_path_per_second,
                step.write_path_per_commit,
                step.pgbench_tps > 0 ? step.write_path_per_second / step.pgbench_tps : 0.0,
                step.write_path_per_second > 0 ? step.acks_per_second / step.write_path_per_second : 0.0);
  }
  std::printf("\nAt half the best rate (%.0f/s offered, %d connections): %.0f acks/s, p50 %.1f ms, "
              "p99 %.1f ms, p99.9 %.1f ms (target p99 <= 20 ms: %.2fx)\n",
              best / 2, best_step.connections, static_cast<double>(half.acked) / seconds, Percentile(half.latencies_ms, 0.5),
              Percentile(half.latencies_ms, 0.99), Percentile(half.latencies_ms, 0.999),
              Percentile(half.latencies_ms, 0.99) / 20.0);
  std::printf("\nPipeline, 2 workers: %lld inbox rows → %lld boletas and %lld replies queued in %.1f s = "
              "%.0f rows/s; pgbench INSERT + enqueue, 2 clients: %.0f tps; ratio %.2fx\n",
              static_cast<long long>(backlog), static_cast<long long>(boletas),
              static_cast<long long>(replies), pipeline_seconds,
              static_cast<double>(backlog) / pipeline_seconds, enqueue_tps,
              enqueue_tps > 0 ? static_cast<double>(backlog) / pipeline_seconds / enqueue_tps : 0.0);
  std::printf("\nsac serve peak RSS under load: %.1f MB (target <= 150 MB: %.2fx)\n", rss_mb,
              rss_mb / 150.0);
  std::printf("acknowledged %ld, inbox rows %lld\n", acked_total, static_cast<long long>(stored));
  return stored >= acked_total ? 0 : 1;
}
