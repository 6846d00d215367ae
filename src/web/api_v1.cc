#include "web/api_v1.h"

#include <boost/json.hpp>

#include <charconv>
#include <map>
#include <set>

#include "core/time_format.h"
#include "crypto/digest.h"
#include "http/query.h"
#include "json/reader.h"
#include "observability/log.h"
#include "web/api_tokens.h"
#include "web/personal_data_log.h"
#include "web/problem.h"
#include "workflow/boleta_queries.h"
#include "workflow/business_calendar.h"

namespace sac::web {

struct ApiV1::Call {
  std::string method;
  std::string route;
  std::string path;  // the route's template, for the access log
  std::optional<ApiToken> token;
  std::optional<std::int64_t> boleta_id;
  std::string detail;  // for the audit log: why it was refused; never personal data

  workflow::Actor Actor() const {
    return workflow::Actor::ForDependencia(token->dependencia_id, "api:" + token->label);
  }
};

namespace {

namespace bj = boost::json;
using workflow::BoletaStatus;
using workflow::Standing;

constexpr std::size_t kMaxApiBodyBytes = 16 * 1024;
constexpr std::size_t kMaxTextLength = 4000;
constexpr int kDefaultPageSize = 50;

const log::Logger& Log() {
  static const log::Logger logger("api");
  return logger;
}

constexpr storage::Statement kAudit{
    "api.audit",
    "INSERT INTO api_call (at, token_id, dependencia_id, method, route, status, boleta_id, detail)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};

HttpResponse JsonResponse(int status, const bj::value& body) {
  return HttpResponse::Json(status, bj::serialize(body));
}

std::string_view StandingName(Standing standing) {
  switch (standing) {
    case Standing::kOnTime: return "a_tiempo";
    case Standing::kDueSoon: return "por_vencer";
    case Standing::kOverdue: return "vencida";
  }
  return "a_tiempo";
}

std::optional<Standing> StandingFromName(std::string_view name) {
  if (name == "a_tiempo") return Standing::kOnTime;
  if (name == "por_vencer") return Standing::kDueSoon;
  if (name == "vencida") return Standing::kOverdue;
  return std::nullopt;
}

bj::value Nullable(const std::optional<std::string>& text) {
  return text ? bj::value(*text) : bj::value(nullptr);
}

bj::object SummaryJson(const workflow::BoletaSummary& b) {
  return bj::object{
      {"folio", b.folio},
      {"estado", workflow::StatusName(b.status)},
      {"dependencia", b.dependencia_id},
      {"categoria", b.categoria},
      {"colonia", b.colonia},
      {"texto", b.text},
      {"vence", b.due_at ? bj::value(FormatUtc(*b.due_at)) : bj::value(nullptr)},
      {"situacion", b.due_at ? bj::value(StandingName(b.standing)) : bj::value(nullptr)},
      {"no_leida", b.unread},
      {"programada_para", Nullable(b.scheduled_for)},
      {"creada", FormatUtc(b.created_at)},
      {"inconformidades", b.inconformidades},
      {"version", b.status_version},
  };
}

// The boleta's status_version as an entity tag: a client sends it back in If-Match so that a
// change decided on an older view is refused (412) instead of undoing someone else's.
std::string EntityTag(int status_version) { return "\"" + std::to_string(status_version) + "\""; }

// The version an If-Match header names: none without the header or with "*". A weak tag
// (W/"3") never matches strongly: kStale (412, RFC 9110 §13.1.1). Anything that is not one quoted
// tag — a bare 3, "tres", a list of several — is kInvalidArgument (400): a client bug to fix,
// not a boleta that changed.
Result<std::optional<int>> IfMatchVersion(const HttpRequest& request) {
  const auto header = request.headers.Get("If-Match");
  if (!header) return std::optional<int>();
  const std::string_view tag = TrimOws(*header);
  if (tag == "*") return std::optional<int>();
  if (tag.starts_with("W/")) {
    return MakeError(Errc::kStale, "If-Match con una ETag débil nunca coincide: use la de la "
                                   "respuesta, p. ej. \"3\"");
  }
  int version = -1;
  if (tag.size() >= 3 && tag.front() == '"' && tag.back() == '"') {
    const char* first = tag.data() + 1;
    const char* last = tag.data() + tag.size() - 1;
    const auto [end, error] = std::from_chars(first, last, version);
    if (error != std::errc() || end != last) version = -1;
  }
  if (version < 0) {
    return MakeError(Errc::kInvalidArgument,
                     "If-Match debe ser una sola ETag de la boleta, p. ej. \"3\"");
  }
  return std::optional<int>(version);
}

// A JSON request body with only the fields the endpoint knows (a stray field is an error, so
// nobody can slip in "dependencia_id" or "status" where they are not offered).
struct Body {
  std::map<std::string, std::string, std::less<>> strings;
  std::map<std::string, bool, std::less<>> bools;

  std::string String(std::string_view key) const {
    const auto found = strings.find(key);
    return found == strings.end() ? std::string() : found->second;
  }
};

Result<Body> ReadBody(const HttpRequest& request, const std::set<std::string_view>& string_fields,
                      const std::set<std::string_view>& bool_fields = {}) {
  auto root = json::Parse(request.body);
  if (!root) {
    return MakeError(Errc::kInvalidArgument, "el cuerpo no es JSON válido");
  }
  simdjson::dom::object object;
  if (root->get_object().get(object)) {
    return MakeError(Errc::kInvalidArgument, "el cuerpo debe ser un objeto JSON");
  }
  Body body;
  for (const auto field : object) {
    const std::string key(field.key);
    if (string_fields.contains(field.key)) {
      std::string_view value;
      if (field.value.get_string().get(value)) {
        return MakeError(Errc::kInvalidArgument, "el campo " + key + " debe ser texto");
      }
      if (value.size() > kMaxTextLength) {
        return MakeError(Errc::kInvalidArgument, "el campo " + key + " es demasiado largo");
      }
      body.strings[key] = json::CleanText(value);
    } else if (bool_fields.contains(field.key)) {
      bool value = false;
      if (field.value.get_bool().get(value)) {
        return MakeError(Errc::kInvalidArgument, "el campo " + key + " debe ser true o false");
      }
      body.bools[key] = value;
    } else {
      return MakeError(Errc::kInvalidArgument, "campo desconocido: " + key);
    }
  }
  return body;
}

}  // namespace

void ApiV1::AddRoutes(http::Router& router) {
  const auto add = [&](const char* method, const char* path, const char* label, std::size_t limit,
                       Handler handler) {
    router.Add({method, path, label, limit, [this, label, path, handler](const HttpRequest& request) {
                  return Serve(request, label, path, handler);
                }});
  };
  add("GET", "/api/v1/boletas", "api_boletas_list", 0, &ApiV1::List);
  add("GET", "/api/v1/boletas/{folio}", "api_boleta_get", 0, &ApiV1::Get);
  add("POST", "/api/v1/boletas/{folio}/estado", "api_boleta_estado", kMaxApiBodyBytes,
      &ApiV1::ChangeStatus);
  add("POST", "/api/v1/boletas/{folio}/programacion", "api_boleta_programacion",
      kMaxApiBodyBytes, &ApiV1::Schedule);
  add("POST", "/api/v1/boletas/{folio}/devolucion", "api_boleta_devolucion", kMaxApiBodyBytes,
      &ApiV1::Return);
  add("POST", "/api/v1/boletas/{folio}/notas", "api_boleta_notas", kMaxApiBodyBytes,
      &ApiV1::AddNote);
  add("GET", "/api/v1/seguimiento", "api_seguimiento", 0, &ApiV1::FollowUp);
  router.Add({"GET", "/api/v1/openapi.json", "api_openapi", 0, [](const HttpRequest&) {
                return HttpResponse::Json(200, OpenApiDocument());
              }});
}

HttpResponse ApiV1::Serve(const HttpRequest& request, std::string_view route,
                          std::string_view path, Handler handler) {
  // Counted by the credential presented, before the database is asked anything: a client over its
  // calls per minute costs neither a token lookup nor an audit row (sac_http_requests_total
  // counts the 429s). A made-up token has a bucket of its own, then a 401.
  const std::string credential(request.headers.Get("Authorization").value_or(""));
  if (!credential.empty()) {
    if (const auto wait = limiter_.Take(crypto::Sha256Hex(credential), clock_.Now())) {
      HttpResponse refused = Problem(429, "demasiadas llamadas; reintente después de Retry-After");
      refused.headers.Add("Retry-After", std::to_string(wait->count()));
      return refused;
    }
  }
  Call call;
  call.method = request.method;
  call.route = std::string(route);
  call.path = std::string(path);
  auto answered = database_.Transact([&](storage::Tx& tx) {
    call.token = AuthenticateApiToken(tx, request.headers.Get("Authorization").value_or(""));
    if (!call.token) {
      call.detail = "token ausente, inválido o revocado";
      HttpResponse refused = Problem(401, "se requiere Authorization: Bearer <token> válido");
      refused.headers.Add("WWW-Authenticate", "Bearer realm=\"sac\"");
      return refused;
    }

    HttpResponse response = (this->*handler)(tx, request, call);
    if (response.status >= 400) {
      tx.RollbackAtEnd();  // a refused request leaves nothing behind but its audit record
    }
    return response;
  });
  HttpResponse response = answered ? std::move(*answered) : ProblemFor(answered.error());
  if (!answered) {
    call.detail = answered.error().message;
    Log().Error("api call failed", {{"route", call.route}, {"error", answered.error().message}});
  }
  Audit(call, response.status);
  return response;
}

void ApiV1::Audit(const Call& call, int status) {
  auto audited = database_.Transact([&](storage::Tx& tx) {
    if (call.token) {
      TouchApiToken(tx, call.token->id, clock_.Now());
    }
    tx.Exec(kAudit, {clock_.Now(), call.token ? storage::Param(call.token->id) : std::nullopt,
                     call.token ? storage::Param(call.token->dependencia_id) : std::nullopt,
                     call.method, call.route, status, call.boleta_id,
                     call.detail.empty() ? storage::Param(std::nullopt) : call.detail});
  });
  if (!audited) {
    Log().Error("api call not audited", {{"route", call.route}, {"error", audited.error().message}});
  }
}

// Resolves the folio of the path for this call's dependencia, or says why not (404 either way).
static std::optional<std::int64_t> OwnBoleta(storage::Tx& tx, const HttpRequest& request,
                                             std::string& detail, const std::string& dependencia,
                                             std::optional<std::int64_t>& audited_id) {
  const auto owner = workflow::OwnerOfFolio(tx, request.path_params.at("folio"));
  if (!owner) {
    detail = "no existe el folio";
    return std::nullopt;
  }
  audited_id = owner->boleta_id;
  if (owner->dependencia_id != dependencia) {
    detail = "boleta de otra dependencia";
    Log().Warn("api refused another dependencia's boleta",
               {{"dependencia", dependencia}, {"boleta_id", owner->boleta_id}});
    return std::nullopt;
  }
  return owner->boleta_id;
}

HttpResponse ApiV1::List(storage::Tx& tx, const HttpRequest& request, Call& call) {
  auto params = http::ParseQuery(request.query);
  if (!params) {
    return ProblemFor(params.error());
  }
  workflow::ListFilter filter;
  std::optional<std::string> cursor;
  int limit = kDefaultPageSize;
  for (const auto& [key, value] : *params) {
    if (key == "estado") {
      for (std::size_t start = 0; start <= value.size();) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        const auto status = workflow::StatusFromName(value.substr(start, comma - start));
        if (!status) {
          return Problem(400, "estado desconocido: " + value.substr(start, comma - start));
        }
        filter.statuses.push_back(*status);
        start = comma + 1;
      }
    } else if (key == "colonia") {
      filter.colonia = value;
    } else if (key == "categoria") {
      filter.categoria = value;
    } else if (key == "situacion") {
      filter.standing = StandingFromName(value);
      if (!filter.standing) {
        return Problem(400, "situacion debe ser a_tiempo, por_vencer o vencida");
      }
    } else if (key == "q") {
      filter.text = value;
    } else if (key == "limite") {
      if (std::from_chars(value.data(), value.data() + value.size(), limit).ptr !=
          value.data() + value.size()) {
        return Problem(400, "limite debe ser un número");
      }
    } else if (key == "cursor") {
      cursor = value;
    } else {
      return Problem(400, "parámetro desconocido: " + key);
    }
  }
  auto page = workflow::ListForDependencia(tx, sla_, clock_.Now(), call.token->dependencia_id,
                                           filter, cursor, limit);
  if (!page) {
    return ProblemFor(page.error());
  }
  bj::array items;
  std::vector<std::int64_t> shown;
  for (const auto& boleta : page->items) {
    items.push_back(SummaryJson(boleta));
    shown.push_back(boleta.id);
  }
  RecordApiDataView(tx, call.token->id, shown, {"texto"}, call.path, clock_.Now());
  return JsonResponse(200, bj::object{{"boletas", std::move(items)},
                                      {"siguiente", Nullable(page->next_cursor)}});
}

HttpResponse ApiV1::Get(storage::Tx& tx, const HttpRequest& request, Call& call) {
  const auto id = OwnBoleta(tx, request, call.detail, call.token->dependencia_id, call.boleta_id);
  if (!id) {
    return Problem(404, "no existe la boleta");
  }
  const workflow::Actor actor = call.Actor();
  if (auto opened = workflow_.Open(tx, actor, *id); !opened) {
    return ProblemFor(opened.error());
  }
  auto detail = workflow::LoadBoleta(tx, sla_, clock_.Now(), request.path_params.at("folio"));
  if (!detail) {
    return ProblemFor(detail.error());
  }
  // Reading a citizen's data is recorded in the access log (which token, boleta, fields, when),
  // and their contact data in the boleta's bitácora too, where the dependencia sees it.
  std::vector<std::string_view> seen = {"texto"};
  if (!detail->address_text.empty() || detail->latitude) seen.push_back("direccion");
  bj::array fields;
  if (!detail->citizen_name.empty()) fields.push_back("nombre");
  if (!detail->citizen_phone.empty()) fields.push_back("telefono");
  for (const auto& field : fields) seen.push_back(field.as_string());
  RecordApiDataView(tx, call.token->id, {*id}, seen, call.path, clock_.Now());
  if (!fields.empty()) {
    workflow::AppendEvent(tx, *id, clock_.Now(), "datos_consultados", actor, std::nullopt,
                          std::nullopt, bj::serialize(bj::object{{"campos", fields}}));
  }
  bj::object body = SummaryJson(detail->summary);
  body["canal"] = detail->channel;
  body["direccion"] = detail->address_text;
  body["latitud"] = detail->latitude ? bj::value(*detail->latitude) : bj::value(nullptr);
  body["longitud"] = detail->longitude ? bj::value(*detail->longitude) : bj::value(nullptr);
  body["ciudadano"] = bj::object{{"nombre", detail->citizen_name},
                                 {"telefono", detail->citizen_phone}};
  body["motivo"] = detail->status_reason;
  bj::array media;
  for (const auto& item : detail->media) {
    media.push_back(bj::object{{"tipo", item.kind}, {"mime", item.mime_type},
                               {"leyenda", item.caption}, {"estado", item.download_state}});
  }
  body["medios"] = std::move(media);
  bj::array timeline;
  for (const auto& entry : detail->timeline) {
    bj::error_code ignored;
    timeline.push_back(bj::object{{"fecha", FormatUtc(entry.at)},
                                  {"tipo", entry.kind},
                                  {"actor_tipo", entry.actor_kind},
                                  {"actor", entry.actor},
                                  {"de", Nullable(entry.from_status)},
                                  {"a", Nullable(entry.to_status)},
                                  {"detalle", bj::parse(entry.detail, ignored)},
                                  {"nota", Nullable(entry.note)}});
  }
  body["bitacora"] = std::move(timeline);
  HttpResponse response = JsonResponse(200, body);
  response.headers.Add("ETag", EntityTag(detail->summary.status_version));
  return response;
}

// The three status endpoints differ only in how they read their body into a StatusChange.
HttpResponse ApiV1::ApplyChange(storage::Tx& tx, const HttpRequest& request, Call& call,
                                const Result<workflow::StatusChange>& change) {
  if (!change) {
    return ProblemFor(change.error());
  }
  const auto id = OwnBoleta(tx, request, call.detail, call.token->dependencia_id, call.boleta_id);
  if (!id) {
    return Problem(404, "no existe la boleta");
  }
  const auto seen = IfMatchVersion(request);
  if (!seen) {
    call.detail = seen.error().message;
    return ProblemFor(seen.error());
  }
  workflow::StatusChange decided = *change;
  decided.seen_version = *seen;
  auto changed = workflow_.ChangeStatus(tx, call.Actor(), *id, decided);
  if (!changed) {
    call.detail = changed.error().message;
    return ProblemFor(changed.error());
  }
  bj::object answer{{"folio", request.path_params.at("folio")},
                    {"estado", workflow::StatusName(changed->to)},
                    {"accion", changed->action}};
  if (change->scheduled_for) {
    answer["programada_para"] = workflow::FormatDate(*change->scheduled_for);
  }
  answer["version"] = changed->status_version;
  HttpResponse response = JsonResponse(200, answer);
  response.headers.Add("ETag", EntityTag(changed->status_version));
  return response;
}

HttpResponse ApiV1::ChangeStatus(storage::Tx& tx, const HttpRequest& request, Call& call) {
  const auto change = [&]() -> Result<workflow::StatusChange> {
    auto body = ReadBody(request, {"estado", "comentario", "fecha"});
    if (!body) {
      return body.error();
    }
    workflow::StatusChange read;
    const auto status = workflow::StatusFromName(body->String("estado"));
    if (!status) {
      return MakeError(Errc::kInvalidArgument, "estado desconocido o ausente");
    }
    read.to = *status;
    read.comment = body->String("comentario");
    if (const std::string date = body->String("fecha"); !date.empty()) {
      read.scheduled_for = workflow::ParseDate(date);
      if (!read.scheduled_for) {
        return MakeError(Errc::kInvalidArgument, "fecha debe ser AAAA-MM-DD");
      }
    }
    return read;
  };
  return ApplyChange(tx, request, call, change());
}

HttpResponse ApiV1::Schedule(storage::Tx& tx, const HttpRequest& request, Call& call) {
  const auto change = [&]() -> Result<workflow::StatusChange> {
    auto body = ReadBody(request, {"fecha", "comentario"});
    if (!body) {
      return body.error();
    }
    workflow::StatusChange read;
    read.to = BoletaStatus::kProgramada;
    read.comment = body->String("comentario");
    read.scheduled_for = workflow::ParseDate(body->String("fecha"));
    if (!read.scheduled_for) {
      return MakeError(Errc::kInvalidArgument, "fecha debe ser AAAA-MM-DD");
    }
    return read;
  };
  return ApplyChange(tx, request, call, change());
}

HttpResponse ApiV1::Return(storage::Tx& tx, const HttpRequest& request, Call& call) {
  const auto change = [&]() -> Result<workflow::StatusChange> {
    auto body = ReadBody(request, {"motivo"});
    if (!body) {
      return body.error();
    }
    workflow::StatusChange read;
    read.to = BoletaStatus::kPorClasificar;
    read.comment = body->String("motivo");
    return read;
  };
  return ApplyChange(tx, request, call, change());
}

HttpResponse ApiV1::AddNote(storage::Tx& tx, const HttpRequest& request, Call& call) {
  auto body = ReadBody(request, {"texto"}, {"publica"});
  if (!body) {
    return ProblemFor(body.error());
  }
  const auto id = OwnBoleta(tx, request, call.detail, call.token->dependencia_id, call.boleta_id);
  if (!id) {
    return Problem(404, "no existe la boleta");
  }
  const auto is_public = body->bools.find("publica");
  auto note = workflow_.AddNote(tx, call.Actor(), *id, body->String("texto"),
                                is_public != body->bools.end() && is_public->second);
  if (!note) {
    return ProblemFor(note.error());
  }
  return JsonResponse(201, bj::object{{"folio", request.path_params.at("folio")}, {"nota", *note}});
}

HttpResponse ApiV1::FollowUp(storage::Tx& tx, const HttpRequest& request, Call& call) {
  if (!request.query.empty()) {
    return Problem(400, "este recurso no recibe parámetros");
  }
  const TimePoint now = clock_.Now();
  bj::array items;
  std::vector<std::int64_t> shown;
  for (const auto& entry : workflow::FollowUpList(tx, sla_, now, call.token->dependencia_id)) {
    shown.push_back(entry.boleta.id);
    bj::array reasons;
    if (entry.overdue) reasons.push_back("vencida");
    if (entry.due_soon) reasons.push_back("por_vencer");
    if (entry.unread_long) reasons.push_back("no_leida");
    if (entry.disputed) reasons.push_back("inconformidad");
    bj::object item = SummaryJson(entry.boleta);
    item["motivos"] = std::move(reasons);
    items.push_back(std::move(item));
  }
  RecordApiDataView(tx, call.token->id, shown, {"texto"}, call.path, now);
  return JsonResponse(200, bj::object{{"fecha", FormatUtc(now)}, {"boletas", std::move(items)}});
}

}  // namespace sac::web
