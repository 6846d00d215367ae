#include "tests/support/boleta_loader.h"

#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <tuple>

#include "core/time_format.h"

namespace sac::testing {
namespace {

const char* kPending[] = {"canalizada", "leida", "programada", "en_seguimiento", "inconformidad"};
const char* kDone[] = {"cerrada", "validada", "atendida", "no_procede"};

}  // namespace

void LoadBoletas(const TestDatabase& db, int count, const std::vector<std::string>& dependencias) {
  std::mt19937_64 random(42);  // the same data every run
  const auto now = std::chrono::system_clock::now();
  pqxx::connection connection(db.url());
  pqxx::work tx(connection);
  tx.exec("ALTER TABLE boleta DISABLE TRIGGER ALL");  // bulk load: foreign keys checked by design
  pqxx::stream_to copy(tx, "boleta",
                       std::vector<std::string>{"folio", "channel", "text", "status",
                                                "dependencia_id", "colonia", "categoria",
                                                "due_at", "unread_by_dependencia", "unread_since",
                                                "created_at", "updated_at", "status_changed_at"});
  for (int i = 1; i <= count; ++i) {
    const int year = 2020 + (i - 1) / 999999;
    const int number = (i - 1) % 999999 + 1;
    char folio[16];
    std::snprintf(folio, sizeof folio, "%04d-%06d", year, number);
    // One in ten boletas is still in a dependencia's hands; the rest is history.
    const bool pending = random() % 10 == 0;
    const std::string status = pending ? kPending[random() % 5] : kDone[random() % 4];
    const std::string& dependencia = dependencias[random() % dependencias.size()];
    const auto created = now - std::chrono::hours(static_cast<long>(random() % (5 * 365 * 24)));
    // Pending work is due from 10 days ago to 20 days ahead.
    const auto due = pending ? now + std::chrono::hours(static_cast<long>(random() % 720) - 240)
                             : created + std::chrono::hours(24 * 14);
    const bool unread = pending && random() % 4 == 0;
    const std::string unread_since =
        unread ? FormatUtc(now - std::chrono::hours(static_cast<long>(random() % 200))) : "";
    copy << std::make_tuple(
        std::string(folio), std::string("whatsapp"),
        std::string("reporte de prueba número ") + std::to_string(i), status, dependencia,
        std::string("Colonia ") + std::to_string(random() % 500),
        std::string("categoria_") + std::to_string(random() % 40), FormatUtc(due),
        std::string(unread ? "t" : "f"),
        unread ? std::optional<std::string>(unread_since) : std::nullopt, FormatUtc(created),
        FormatUtc(created), FormatUtc(created));
  }
  copy.complete();
  tx.exec("ALTER TABLE boleta ENABLE TRIGGER ALL");
  tx.commit();
  pqxx::nontransaction analyze(connection);
  analyze.exec("ANALYZE boleta");
}

}  // namespace sac::testing
