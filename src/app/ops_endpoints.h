// Operational endpoints: GET /healthz (the process answers), GET /readyz (the database is
// reachable and its schema is the one this binary expects), GET /metrics (Prometheus text).
// Only for the networks of `[http] ops_networks` (forwarded requests only through a trusted
// proxy); anyone else gets 404 "not found".
#pragma once

#include <string>
#include <vector>

#include "http/address_ranges.h"
#include "http/router.h"
#include "observability/metrics.h"
#include "storage/database.h"

namespace sac::app {

struct OpsAccess {
  http::AddressRanges networks;
  std::vector<std::string> trusted_proxies;  // whose X-Forwarded-For names the client
};

void AddOpsRoutes(http::Router& router, storage::Database& database, Metrics& metrics,
                  int expected_schema_version, OpsAccess access);

}  // namespace sac::app
