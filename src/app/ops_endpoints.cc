#include "app/ops_endpoints.h"

#include "http/limits.h"
#include "json/escape.h"
#include "storage/migrator.h"

namespace sac::app {
namespace {

constexpr storage::Statement kQueueDepths{
    "ops.queue_depths",
    "SELECT (SELECT count(*) FROM inbox WHERE state = 'pending'),"
    "       (SELECT count(*) FROM inbox WHERE state = 'quarantined'),"
    "       (SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')),"
    "       (SELECT count(*) FROM outbox WHERE state = 'failed'),"
    "       (SELECT count(*) FROM outbox WHERE state = 'unknown'),"
    // ARCO deadlines are Mazatlán calendar dates (src/privacy/arco_requests.h).
    "       (SELECT count(*) FROM arco_request WHERE closed_at IS NULL AND"
    "          (now() AT TIME ZONE 'America/Mazatlan')::date BETWEEN warn_on AND due_on),"
    "       (SELECT count(*) FROM arco_request WHERE closed_at IS NULL AND"
    "          (now() AT TIME ZONE 'America/Mazatlan')::date > due_on),"
    "       (SELECT count(*) FROM security_breach WHERE notify IS NULL),"
    "       (SELECT count(*) FROM security_breach WHERE notify IS NULL AND"
    "          confirmed_at < now() - interval '48 hours'),"
    "       (SELECT count(*) FROM security_breach WHERE notify AND"
    "          (citizens_notified_at IS NULL OR authority_notified_at IS NULL))"};

}  // namespace

void AddOpsRoutes(http::Router& router, storage::Database& database, Metrics& metrics,
                  int expected_schema_version) {
  router.Add({"GET", "/healthz", "healthz", http::kNoBody,
              [](const HttpRequest&) { return HttpResponse::Text(200, "ok\n"); }});

  router.Add({"GET", "/readyz", "readyz", http::kNoBody,
              [&database, expected_schema_version](const HttpRequest&) {
                auto ready = storage::CheckSchemaCurrent(database, expected_schema_version);
                if (!ready) {
                  return HttpResponse::Json(
                      503, "{\"status\":\"unavailable\",\"reason\":" +
                               json::Quote(ready.error().message) + "}\n");
                }
                return HttpResponse::Json(200, "{\"status\":\"ready\"}\n");
              }});

  router.Add({"GET", "/metrics", "metrics", http::kNoBody,
              [&database, &metrics](const HttpRequest&) {
                auto depths = database.Transact([](storage::Tx& tx) {
                  const auto row = tx.Exec(kQueueDepths).at(0);
                  return QueueDepths{row.Int(0), row.Int(1), row.Int(2), row.Int(3), row.Int(4),
                                     row.Int(5), row.Int(6), row.Int(7), row.Int(8), row.Int(9)};
                });
                HttpResponse response = HttpResponse::Text(
                    200, metrics.Render(depths ? std::optional(*depths) : std::nullopt));
                response.content_type = "text/plain; version=0.0.4; charset=utf-8";
                return response;
              }});
}

}  // namespace sac::app
