// /api/v1: the dependencias' JSON API. Each dependencia's system (or the staff web) calls it with
// its bearer token and sees and touches only its own boletas: another's is 404, exactly like one
// that does not exist, and the refusal is recorded. Every call is audited in api_call. Errors are
// RFC 9457 problem objects. The contract: src/web/openapi.json, served at /api/v1/openapi.json.
#pragma once

#include "core/clock.h"
#include "http/request_quota.h"
#include "http/router.h"
#include "storage/database.h"
#include "workflow/boleta_workflow.h"
#include "workflow/sla.h"

namespace sac::web {

// The OpenAPI document (embedded from src/web/openapi.json at build time).
const char* OpenApiDocument();

class ApiV1 {
 public:
  // `requests_per_minute`: per token, in this process ([api] requests_per_minute); 429 beyond.
  ApiV1(storage::Database& database, const workflow::BoletaWorkflow& workflow,
        const workflow::SlaClock& sla, const Clock& clock, int requests_per_minute = 600)
      : database_(database), workflow_(workflow), sla_(sla), clock_(clock),
        limiter_(requests_per_minute) {}

  void AddRoutes(http::Router& router);

 private:
  struct Call;
  using Handler = HttpResponse (ApiV1::*)(storage::Tx&, const HttpRequest&, Call&);

  // `route` names the call in the audit log and metrics; `path` is its template, as the access
  // log of personal data names pages ("/api/v1/boletas/{folio}").
  HttpResponse Serve(const HttpRequest& request, std::string_view route, std::string_view path,
                     Handler handler);
  void Audit(const Call& call, int status);

  HttpResponse List(storage::Tx& tx, const HttpRequest& request, Call& call);
  HttpResponse Get(storage::Tx& tx, const HttpRequest& request, Call& call);
  HttpResponse ChangeStatus(storage::Tx& tx, const HttpRequest& request, Call& call);
  HttpResponse Schedule(storage::Tx& tx, const HttpRequest& request, Call& call);
  HttpResponse Return(storage::Tx& tx, const HttpRequest& request, Call& call);
  HttpResponse AddNote(storage::Tx& tx, const HttpRequest& request, Call& call);
  HttpResponse FollowUp(storage::Tx& tx, const HttpRequest& request, Call& call);
  HttpResponse ApplyChange(storage::Tx& tx, const HttpRequest& request, Call& call,
                           const Result<workflow::StatusChange>& change);

  storage::Database& database_;
  const workflow::BoletaWorkflow& workflow_;
  const workflow::SlaClock& sla_;
  const Clock& clock_;
  http::RequestQuota limiter_;
};

}  // namespace sac::web
