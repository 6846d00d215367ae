// Benchmark: a citizen's data rights at the size the law's deadlines must survive. Target (issue
// "Proof", goal P1): the export of a citizen with 1,000 boletas (JSON + PDF) in <= 60 s. Also
// times the cancellation of that citizen. Prints figures; asserts only that the work was done.
//
//   SAC_TEST_DATABASE_URL=... build/release/tests/sac_citizen_rights_bench [boletas] [other boletas]
//
// Creates its own database on that cluster. Compare runs by the ratio to the target.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "observability/log.h"
#include "privacy/citizen_rights.h"
#include "storage/database.h"
#include "tests/support/test_database.h"
#include "workflow/local_time.h"

int main(int argc, char** argv) {
  using namespace sac;
  using Stopwatch = std::chrono::steady_clock;
  const int boletas = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int others = argc > 2 ? std::atoi(argv[2]) : 200000;
  log::SetLevel(log::Level::kWarn);
  testing::TestDatabase db;
  db.SeedDependencias();
  storage::Database database(db.Settings(2));
  const auto local = workflow::LocalTime::Load("America/Mazatlan");
  if (!local) return 1;

  // The citizen: WhatsApp, 1,000 boletas, each with its message, a note and a reply; around it a
  // database of other citizens' messages and boletas, so the queries work at a realistic size.
  const auto load_start = Stopwatch::now();
  const std::string n = std::to_string(boletas);
  const std::string m = std::to_string(others);
  db.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Vecina Frecuente', '+526691110000')");
  db.Execute("INSERT INTO citizen_identity (channel, external_id, citizen_id) VALUES "
             "('whatsapp', '5216691110000', 1)");
  db.Execute("INSERT INTO webhook_request (channel, body) SELECT 'whatsapp', convert_to('{}', 'UTF8') "
             "FROM generate_series(1, " + n + " + " + m + ")");
  db.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload, state) "
             "SELECT g, 'whatsapp', 'wamid.' || g, 'message',"
             "  CASE WHEN g <= " + n + " THEN '5216691110000' ELSE '52166' || lpad(g::text, 8, '0') END,"
             "  jsonb_build_object('text', 'hay una fuga de agua en la calle número ' || g), 'processed' "
             "FROM generate_series(1, " + n + " + " + m + ") g");
  db.Execute("INSERT INTO boleta (folio, channel, citizen_id, source_inbox_id, text, status,"
             "  dependencia_id, categoria, colonia, address_text, routed_at, due_at, created_at, updated_at) "
             "SELECT '2026-' || lpad(g::text, 6, '0'), 'whatsapp', CASE WHEN g <= " + n + " THEN 1 END, g,"
             "  'hay una fuga de agua en la calle número ' || g, 'canalizada', 'jumapam', 'fuga_agua',"
             "  'Centro', 'Calle ' || g, now(), now() + interval '10 days', now() - g * interval '1 hour',"
             "  now() FROM generate_series(1, " + n + " + " + m + ") g");
  db.Execute("INSERT INTO boleta_note (boleta_id, author_kind, author, text) SELECT id, 'ciudadano',"
             " 'ciudadano', 'sigue igual, por favor' FROM boleta WHERE citizen_id = 1");
  db.Execute("INSERT INTO outbox (channel, recipient, citizen_id, boleta_id, purpose, body, state) "
             "SELECT 'whatsapp', '5216691110000', 1, id, 'acuse_boleta', 'Recibimos tu reporte ' || folio,"
             " 'sent' FROM boleta WHERE citizen_id = 1");
  db.Execute("VACUUM ANALYZE");
  std::printf("loaded a citizen with %d boletas among %d others in %.1f s\n", boletas, others,
              std::chrono::duration<double>(Stopwatch::now() - load_start).count());

  const auto export_start = Stopwatch::now();
  std::size_t json_bytes = 0;
  std::size_t pdf_bytes = 0;
  auto exported = database.Transact([&](storage::Tx& tx) -> Status {
    auto data = privacy::ExportCitizen(tx, 1, *local, "bench", std::chrono::system_clock::now());
    if (!data) return data.error();
    json_bytes = data->json.size();
    pdf_bytes = data->pdf.size();
    return {};
  });
  const double export_s = std::chrono::duration<double>(Stopwatch::now() - export_start).count();
  if (!exported || pdf_bytes == 0) {
    std::fprintf(stderr, "export failed\n");
    return 1;
  }
  std::printf("export (JSON %zu bytes + PDF %zu bytes): %.2f s; target <= 60 s: %.3fx of target\n",
              json_bytes, pdf_bytes, export_s, export_s / 60.0);

  const auto cancel_start = Stopwatch::now();
  auto cancelled = database.Transact([&](storage::Tx& tx) -> Status {
    const privacy::CancellationJournal journal(std::filesystem::temp_directory_path() /
                                               "sac_bench_cancelaciones.log");
    auto done = privacy::CancelCitizen(tx, 1, "bench", std::chrono::system_clock::now(), "solicitud",
                                       &journal);
    if (!done) return done.error();
    return {};
  });
  const double cancel_s = std::chrono::duration<double>(Stopwatch::now() - cancel_start).count();
  if (!cancelled) {
    std::fprintf(stderr, "cancellation failed: %s\n", cancelled.error().message.c_str());
    return 1;
  }
  std::printf("cancellation of the same citizen: %.2f s (same 60 s budget: %.3fx)\n", cancel_s,
              cancel_s / 60.0);
  return 0;
}
