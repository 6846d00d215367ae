// Benchmark: the citizen hears back at scale. Targets (issue "Conversation, outbound and
// scheduler"): the monthly survey over 100,000 boletas atendidas enqueued in ≤ 30 s; the outbox
// sender ≥ 1,000 messages/s against a fake provider on loopback with rate limits off. Prints
// figures; asserts only that the work was done.
//
//   SAC_TEST_DATABASE_URL=... build/release/tests/sac_outbound_bench [boletas] [messages] [workers]
//
// It creates its own databases on that cluster (like the integration tests). Run it on a quiet
// machine; compare runs by the ratio to the target, not by absolutes.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "channels/telegram/telegram_channel.h"
#include "http/curl_client.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "outbox/sender.h"
#include "routing/dependencias.h"
#include "scheduler/jobs.h"
#include "storage/database.h"
#include "tests/support/fake_provider.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"
#include "workflow/local_time.h"

namespace {

using namespace sac;
using Stopwatch = std::chrono::steady_clock;

double SecondsSince(Stopwatch::time_point start) {
  return std::chrono::duration<double>(Stopwatch::now() - start).count();
}

// `count` citizens on WhatsApp, Telegram and Messenger, each with one boleta attended in the
// middle of last month (Mazatlán time), as the pipeline and the workflow would have left them.
void LoadAttended(const testing::TestDatabase& db, int count) {
  const std::string n = std::to_string(count);
  db.Execute("INSERT INTO webhook_request (channel, body) VALUES ('whatsapp', '\\x')");
  db.Execute("INSERT INTO citizen (display_name) SELECT '' FROM generate_series(1, " + n + ")");
  db.Execute(
      "INSERT INTO citizen_identity (channel, external_id, citizen_id) "
      "SELECT (ARRAY['whatsapp', 'telegram', 'messenger'])[1 + g % 3], (5216690000000 + g)::text, g "
      "FROM generate_series(1, " + n + ") g");
  db.Execute(
      "INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload, state) "
      "SELECT 1, (ARRAY['whatsapp', 'telegram', 'messenger'])[1 + g % 3], 'bench:' || g, 'message',"
      "  (5216690000000 + g)::text, '{\"account_id\": \"110220330440550\"}', 'processed' "
      "FROM generate_series(1, " + n + ") g");
  db.Execute(
      "INSERT INTO boleta (folio, channel, citizen_id, source_inbox_id, text, status, dependencia_id,"
      "  attended_at, due_at, created_at, updated_at) "
      "SELECT '2026-' || lpad(g::text, 6, '0'), (ARRAY['whatsapp', 'telegram', 'messenger'])[1 + g % 3],"
      "  g, g, 'reporte de prueba', 'atendida', 'obras_publicas',"
      "  date_trunc('month', now() AT TIME ZONE 'America/Mazatlan') - interval '15 days'"
      "    + (g % 86400) * interval '1 second',"
      "  now() - interval '26 days', now() - interval '40 days', now() - interval '40 days' "
      "FROM generate_series(1, " + n + ") g");
  db.Execute("ANALYZE");
}

int SurveyBench(int count) {
  testing::TestDatabase db;
  storage::Database database(db.Settings(2));
  auto catalogue = routing::LoadDependencias(testing::SourceDir() / "rules/dependencias.toml");
  if (!catalogue ||
      !database.Transact([&](storage::Tx& tx) { routing::UpsertDependencias(tx, *catalogue); })) {
    std::fprintf(stderr, "cannot seed the dependencias\n");
    return 1;
  }
  const auto load_start = Stopwatch::now();
  LoadAttended(db, count);
  std::printf("survey: loaded %d boletas atendidas in %.1f s\n", count, SecondsSince(load_start));

  auto local = workflow::LocalTime::Load("America/Mazatlan");
  if (!local) {
    std::fprintf(stderr, "no time zone data\n");
    return 1;
  }
  auto job = scheduler::MonthlySurveyJob(database, *local);
  const auto now = std::chrono::system_clock::now();
  const auto start = Stopwatch::now();
  auto counts = job->Run(now);
  const double seconds = SecondsSince(start);
  if (!counts) {
    std::fprintf(stderr, "survey failed: %s\n", counts.error().message.c_str());
    return 1;
  }
  const auto questions = db.Count("SELECT count(*) FROM outbox WHERE purpose = 'encuesta'");
  std::printf("survey: %lld questions enqueued in %.2f s (%.0f boletas/s); target ≤ 30 s → %.3f× "
              "the target\n",
              static_cast<long long>(questions), seconds, count / seconds, seconds / 30.0);

  const auto again_start = Stopwatch::now();
  auto again = job->Run(now);
  const auto after = db.Count("SELECT count(*) FROM outbox WHERE purpose = 'encuesta'");
  std::printf("survey: a second run took %.2f s and added %lld questions\n",
              SecondsSince(again_start), static_cast<long long>(after - questions));
  return again && questions == count && after == questions ? 0 : 1;
}

int SenderBench(int count, int workers) {
  testing::TestDatabase db;
  const std::string n = std::to_string(count);
  db.Execute(
      "INSERT INTO outbox (channel, recipient, purpose, body, next_attempt_at) "
      "SELECT 'telegram', (100000000 + g)::text, 'bench', "
      "  'Tu reporte con folio 2026-' || lpad(g::text, 6, '0') || ' fue atendido por Obras Públicas.',"
      "  now() - interval '1 second' FROM generate_series(1, " + n + ") g");
  db.Execute("ANALYZE outbox");

  testing::FakeProvider api(
      "/bot1:bench/sendMessage",
      HttpResponse::Json(200,
                         testing::ReadTestdata("telegram", "outbound_sendMessage_response_ok.json")));
  TelegramConfig config;
  config.enabled = true;
  config.api_base_url = api.BaseUrl();
  config.bot_token = "1:bench";
  http::CurlHttpClient http;
  channels::telegram::TelegramChannel telegram(config, http);

  QueueSettings settings;
  settings.workers = workers;
  settings.poll_interval = std::chrono::milliseconds(50);
  storage::Database database(db.Settings(workers + 1));
  SystemClock clock;
  Metrics metrics;
  outbox::OutboxSender sender(database, {{"telegram", &telegram}}, settings, clock, metrics);

  const auto start = Stopwatch::now();
  sender.Start();
  std::int64_t sent = 0;
  while (sent < count && SecondsSince(start) < 300) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    sent = db.Count("SELECT count(*) FROM outbox WHERE state = 'sent'");
  }
  const double seconds = SecondsSince(start);
  sender.Stop();
  const auto requests = api.Requests().size();
  const double rate = static_cast<double>(sent) / seconds;
  std::printf("sender: %lld of %d messages sent in %.2f s with %d workers: %.0f messages/s; "
              "target ≥ 1,000/s → %.2f× the target; the provider saw %zu requests\n",
              static_cast<long long>(sent), count, seconds, workers, rate, rate / 1000.0, requests);
  return sent == count && requests == static_cast<std::size_t>(count) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int boletas = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const int messages = argc > 2 ? std::atoi(argv[2]) : 20'000;
  const int workers = argc > 3 ? std::atoi(argv[3]) : 8;
  log::SetLevel(log::Level::kWarn);  // a line per message would measure the terminal
  const int survey = SurveyBench(boletas);
  const int sender = SenderBench(messages, workers);
  return survey != 0 || sender != 0 ? 1 : 0;
}
