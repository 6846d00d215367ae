#include "app/ops_endpoints.h"

#include <memory>

#include "http/client_address.h"
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

// Whether the request comes from a network allowed to see the operations endpoints. Forwarded
// requests count only through a trusted proxy, by the client it names: a machine we do not trust
// that says it forwards someone (another host's proxy, a container's) is refused whatever its own
// address. A request straight from a trusted proxy's address without X-Forwarded-For is that
// machine's own (a Prometheus or a health check on the same host).
bool FromOpsNetwork(const HttpRequest& request, const OpsAccess& access) {
  const bool forwarded = request.headers.Get("X-Forwarded-For").has_value();
  if (!http::IsTrustedProxy(request.remote_address, access.trusted_proxies)) {
    return !forwarded && access.networks.Contains(request.remote_address);
  }
  return access.networks.Contains(forwarded
                                      ? http::ClientAddress(request, access.trusted_proxies)
                                      : request.remote_address);
}

HttpResponse NotFound() { return HttpResponse::Text(404, "not found\n"); }

}  // namespace

void AddOpsRoutes(http::Router& router, storage::Database& database, Metrics& metrics,
                  int expected_schema_version, OpsAccess access) {
  auto allowed = std::make_shared<const OpsAccess>(std::move(access));
  router.Add({"GET", "/healthz", "healthz", http::kNoBody, [allowed](const HttpRequest& request) {
                if (!FromOpsNetwork(request, *allowed)) return NotFound();
                return HttpResponse::Text(200, "ok\n");
              }});

  router.Add({"GET", "/readyz", "readyz", http::kNoBody,
              [allowed, &database, expected_schema_version](const HttpRequest& request) {
                if (!FromOpsNetwork(request, *allowed)) return NotFound();
                auto ready = storage::CheckSchemaCurrent(database, expected_schema_version);
                if (!ready) {
                  return HttpResponse::Json(
                      503, "{\"status\":\"unavailable\",\"reason\":" +
                               json::Quote(ready.error().message) + "}\n");
                }
                return HttpResponse::Json(200, "{\"status\":\"ready\"}\n");
              }});

  router.Add({"GET", "/metrics", "metrics", http::kNoBody,
              [allowed, &database, &metrics](const HttpRequest& request) {
                if (!FromOpsNetwork(request, *allowed)) return NotFound();
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
