// Benchmark: a dependencia's first page of pending boletas, and the daily follow-up list for all
// dependencias, with 1,000,000 boletas in the database. Targets (issue "Boleta workflow"): first
// page p99 ≤ 20 ms; follow-up list ≤ 1 s. Prints figures; asserts nothing.
//
//   SAC_TEST_DATABASE_URL=... build/release/tests/sac_workflow_bench [boletas]
//
// It creates its own database on that cluster (like the integration tests) and loads it with
// COPY. Run it on a quiet machine; compare runs by the ratio to the target, not by absolutes.
#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "core/time_format.h"
#include "routing/dependencias.h"
#include "storage/database.h"
#include "tests/bench/percentile.h"
#include "tests/support/boleta_loader.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"
#include "workflow/boleta_queries.h"
#include "workflow/business_calendar.h"
#include "workflow/local_time.h"
#include "workflow/sla.h"

namespace {

using namespace sac;
using Stopwatch = std::chrono::steady_clock;
using bench::Percentile;

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
  testing::TestDatabase db;
  auto catalogue = routing::LoadDependencias(testing::SourceDir() / "rules/dependencias.toml");
  storage::Database database(db.Settings(2));
  std::vector<std::string> ids;
  for (const auto& d : *catalogue) ids.push_back(d.id);
  if (!database.Transact([&](storage::Tx& tx) { routing::UpsertDependencias(tx, *catalogue); })) {
    std::fprintf(stderr, "cannot seed the dependencias\n");
    return 1;
  }

  const auto load_start = Stopwatch::now();
  testing::LoadBoletas(db, count, ids);
  const double load_seconds = std::chrono::duration<double>(Stopwatch::now() - load_start).count();
  std::printf("loaded %d boletas with COPY in %.1f s (%.0f rows/s)\n", count, load_seconds,
              count / load_seconds);

  auto calendar = *workflow::BusinessCalendar::Load(testing::SourceDir() / "rules/calendario.toml");
  auto local = *workflow::LocalTime::Load("America/Mazatlan");
  workflow::SlaClock sla(calendar, local);
  const auto now = std::chrono::system_clock::now();

  // First page of each dependencia's pending list, round-robin, after a warm-up pass.
  std::vector<double> page_ms;
  std::size_t rows_seen = 0;
  for (int round = 0; round < 101; ++round) {
    for (const std::string& dependencia : ids) {
      const auto start = Stopwatch::now();
      auto page = database.Transact([&](storage::Tx& tx) {
        return workflow::ListForDependencia(tx, sla, now, dependencia, {}, std::nullopt, 50);
      });
      const double ms = std::chrono::duration<double, std::milli>(Stopwatch::now() - start).count();
      if (!page) {
        std::fprintf(stderr, "list failed: %s\n", page.error().message.c_str());
        return 1;
      }
      if (round > 0) {
        page_ms.push_back(ms);
        rows_seen += page->items.size();
      }
    }
  }
  const double page_p99 = Percentile(page_ms, 0.99);
  std::printf("first page (50) of a dependencia's pending boletas: %zu calls, %zu rows, "
              "p50 %.2f ms, p99 %.2f ms, max %.2f ms; target p99 <= 20 ms: %.2fx of target\n",
              page_ms.size(), rows_seen, Percentile(page_ms, 0.5), page_p99,
              Percentile(page_ms, 1.0), page_p99 / 20.0);

  std::vector<double> follow_ms;
  std::size_t follow_rows = 0;
  for (int round = 0; round < 11; ++round) {
    const auto start = Stopwatch::now();
    auto entries = database.Transact(
        [&](storage::Tx& tx) { return workflow::FollowUpList(tx, sla, now, ""); });
    const double ms = std::chrono::duration<double, std::milli>(Stopwatch::now() - start).count();
    if (!entries) {
      std::fprintf(stderr, "follow-up failed: %s\n", entries.error().message.c_str());
      return 1;
    }
    if (round > 0) {
      follow_ms.push_back(ms);
      follow_rows = entries->size();
    }
  }
  const double follow_max = Percentile(follow_ms, 1.0);
  std::printf("daily follow-up list, all dependencias: %zu boletas listed, p50 %.1f ms, "
              "max %.1f ms; target <= 1000 ms: %.3fx of target\n",
              follow_rows, Percentile(follow_ms, 0.5), follow_max, follow_max / 1000.0);
  return 0;
}
