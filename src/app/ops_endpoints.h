// Operational endpoints: GET /healthz (the process answers), GET /readyz (the database is
// reachable and its schema is the one this binary expects), GET /metrics (Prometheus text).
#pragma once

#include "http/router.h"
#include "observability/metrics.h"
#include "storage/database.h"

namespace sac::app {

void AddOpsRoutes(http::Router& router, storage::Database& database, Metrics& metrics,
                  int expected_schema_version);

}  // namespace sac::app
