#include "channels/open311/open311_api.h"

#include <boost/json.hpp>

#include <thread>

#include "channels/open311/open311_format.h"
#include "channels/open311/service_request.h"
#include "crypto/digest.h"
#include "http/client_address.h"
#include "http/limits.h"
#include "http/query.h"
#include "intake/inbox_writer.h"
#include "observability/log.h"

namespace sac::channels::open311 {
namespace {

namespace bj = boost::json;
using storage::Param;
using storage::Statement;

const log::Logger& Log() {
  static const log::Logger logger("open311");
  return logger;
}

constexpr const char* kPrefix = "/open311/v2";
constexpr std::size_t kMaxIdempotencyKey = 255;

// $1 token, $2 client, $3 idempotency key (or NULL), $4 body hash, $5 inbox id
constexpr Statement kInsertRequest{
    "open311.insert_request",
    "INSERT INTO open311_request (token, client, idempotency_key, body_sha256, inbox_id) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client, idempotency_key) DO NOTHING RETURNING token"};

constexpr Statement kByIdempotencyKey{
    "open311.by_idempotency_key",
    "SELECT token, body_sha256 FROM open311_request WHERE client = $1 AND idempotency_key = $2"};

constexpr Statement kFolioOfToken{
    "open311.folio_of_token",
    "SELECT b.folio FROM open311_request r JOIN boleta b ON b.source_inbox_id = r.inbox_id "
    "WHERE r.token = $1"};

constexpr Statement kTokenExists{"open311.token_exists",
                                 "SELECT 1 FROM open311_request WHERE token = $1"};

constexpr Statement kDependenciaNames{"open311.dependencia_names",
                                      "SELECT id, name FROM dependencia"};

// Open311 knows two statuses. A boleta is closed once attended, closed, not to proceed or a
// duplicate; everything before (and a disputed one) is open. (Written twice below.)
//
// The client's own requests. $1 client, $2 folios (comma list or ''), $3 service codes (comma
// list or ''), $4 start ('' = 90 days ago, ignored with folios), $5 end (''), $6 status list ('').
constexpr Statement kListRequests{
    "open311.list_requests",
    "SELECT b.folio,"
    "  CASE WHEN b.status IN ('atendida', 'validada', 'cerrada', 'no_procede', 'duplicada')"
    "    THEN 'closed' ELSE 'open' END,"
    "  b.status, coalesce(b.categoria, ''), b.text, coalesce(d.name, ''),"
    "  to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  to_char(b.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  coalesce(to_char(b.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''),"
    "  coalesce(b.address_text, ''), coalesce(b.colonia_postal_code, ''), b.latitude, b.longitude,"
    "  coalesce(b.status_reason, ''),"
    "  coalesce((SELECT n.text FROM boleta_note n WHERE n.boleta_id = b.id AND n.public"
    "            AND n.author_kind IN ('staff', 'dependencia') ORDER BY n.id DESC LIMIT 1), ''),"
    "  coalesce((SELECT m.provider_media_id FROM boleta_media m WHERE m.boleta_id = b.id"
    "            AND m.provider_media_id LIKE 'https://%' ORDER BY m.id LIMIT 1), ''),"
    "  coalesce(b.colonia, '') "
    "FROM open311_request r JOIN boleta b ON b.source_inbox_id = r.inbox_id "
    "LEFT JOIN dependencia d ON d.id = b.dependencia_id "
    "WHERE r.client = $1"
    "  AND ($2 = '' OR b.folio = ANY (string_to_array($2, ',')))"
    "  AND ($3 = '' OR b.categoria = ANY (string_to_array($3, ',')))"
    "  AND ($2 <> '' OR b.created_at >= coalesce(nullif($4, '')::timestamptz,"
    "                                           now() - interval '90 days'))"
    "  AND ($5 = '' OR b.created_at <= $5::timestamptz)"
    "  AND ($6 = '' OR (CASE WHEN b.status IN"
    "         ('atendida', 'validada', 'cerrada', 'no_procede', 'duplicada')"
    "       THEN 'closed' ELSE 'open' END) = ANY (string_to_array($6, ',')))"
    " ORDER BY b.created_at DESC, b.id DESC LIMIT 1000"};  // the spec's suggested cap

std::string_view LastSegment(std::string_view path) { return path.substr(path.rfind('/') + 1); }

// The format a route's path asks for (its last segment ends in .json or .xml).
Format FormatOf(const HttpRequest& request) {
  const auto split = SplitFormat(LastSegment(request.path));
  return split ? split->format : Format::kJson;
}

// Parameters of a GET query or a POST form; repeated parameters are refused (pollution).
Result<FormParams> Params(std::string_view text) {
  auto params = http::ParseForm(text, 64);
  if (!params) return params.error();
  return *params;
}

std::string Param0(const FormParams& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

// YYYY-MM-DD, optionally followed by THH:MM[:SS[.fff]] and Z or ±HH:MM, with plausible values:
// what PostgreSQL's timestamptz reads the same on every server.
bool PlausibleDate(std::string_view text) {
  const auto digits = [&](std::size_t at, std::size_t count, int low, int high) {
    if (at + count > text.size()) return false;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      value = value * 10 + (text[i] - '0');
    }
    return value >= low && value <= high;
  };
  if (!digits(0, 4, 1900, 2999) || text.size() < 10 || text[4] != '-' || !digits(5, 2, 1, 12) ||
      text[7] != '-' || !digits(8, 2, 1, 31)) {
    return false;
  }
  if (text.size() == 10) return true;
  if (text[10] != 'T' || !digits(11, 2, 0, 23) || text.size() < 16 || text[13] != ':' ||
      !digits(14, 2, 0, 59)) {
    return false;
  }
  std::size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    if (!digits(at + 1, 2, 0, 60)) return false;
    at += 3;
    if (at < text.size() && text[at] == '.') {
      ++at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    }
  }
  if (at == text.size()) return true;
  if (text[at] == 'Z') return at + 1 == text.size();
  if (text[at] != '+' && text[at] != '-') return false;
  const std::string_view zone = text.substr(at + 1);
  return (zone.size() == 5 && digits(at + 1, 2, 0, 14) && zone[2] == ':' && digits(at + 4, 2, 0, 59)) ||
         (zone.size() == 4 && digits(at + 1, 2, 0, 14) && digits(at + 3, 2, 0, 59));
}

// "a,b,c" with each item allowed by `valid`.
bool ListOf(std::string_view text, const std::function<bool(std::string_view)>& valid) {
  if (text.empty()) return true;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (!valid(text.substr(start, comma - start))) return false;
    start = comma + 1;
  }
  return true;
}

bool IsFolio(std::string_view text) {
  if (text.size() != 11 || text[4] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && (text[i] < '0' || text[i] > '9')) return false;
  }
  return true;
}

// What the citizen reads about their request in the app.
std::string StatusNotes(std::string_view status, std::string_view dependencia,
                        std::string_view reason, std::string_view latest_note) {
  if (!latest_note.empty()) return std::string(latest_note);
  if (status == "por_clasificar") return "Recibida; Atención Ciudadana la turnará a la dependencia que corresponde.";
  if (status == "no_procede") return "No procede" + (reason.empty() ? std::string(".") : ": " + std::string(reason));
  if (status == "duplicada") return "Se atiende junto con otro reporte del mismo problema.";
  if (status == "atendida") return "Atendida por " + std::string(dependencia) + ".";
  if (status == "validada" || status == "cerrada") return "Atendida y cerrada.";
  if (status == "inconformidad") return "Reabierta: " + std::string(dependencia) + " la atiende de nuevo.";
  if (status == "programada") return "Programada por " + std::string(dependencia) + ".";
  return "Turnada a " + std::string(dependencia) + ".";
}

bj::object RequestDocument(const storage::Row& row,
                           const std::map<std::string, std::string, std::less<>>& service_names) {
  const std::string code = row.Text(3);
  const auto name = service_names.find(code);
  bj::object request{
      {"service_request_id", row.Text(0)},
      {"status", row.Text(1)},
      {"status_notes", StatusNotes(row.Text(2), row.Text(5), row.Text(13), row.Text(14))},
      {"service_name", name == service_names.end() ? "" : name->second},
      {"service_code", code},
      {"description", row.Text(4)},
      {"agency_responsible", row.Text(5)},
      {"service_notice", ""},
      {"requested_datetime", row.Text(6)},
      {"updated_datetime", row.Text(7)},
      {"expected_datetime", row.Text(8)},
      {"address", row.Text(9).empty() ? row.Text(16) : row.Text(9)},
      {"address_id", ""},
      {"zipcode", row.Text(10)},
      {"lat", row.IsNull(11) ? bj::value(nullptr) : bj::value(row.Double(11))},
      {"long", row.IsNull(12) ? bj::value(nullptr) : bj::value(row.Double(12))},
      {"media_url", row.Text(15)},
  };
  return request;
}

}  // namespace

Open311Api::Open311Api(Open311Config config, std::string public_base_url,
                       storage::Database& database, const classify::ClassifierHolder& classifiers,
                       const Clock& clock, std::vector<std::string> trusted_proxies)
    : config_(std::move(config)),
      public_base_url_(std::move(public_base_url)),
      database_(database),
      classifiers_(classifiers),
      clock_(clock),
      trusted_proxies_(std::move(trusted_proxies)),
      per_key_(config_.requests_per_minute),
      per_address_(config_.requests_per_minute_per_address) {}

std::optional<HttpResponse> Open311Api::OverItsRate(const HttpRequest& request,
                                                    const std::string& client,
                                                    Format format) const {
  const TimePoint now = clock_.Now();
  const std::string address =
      http::ThrottlingKey(http::ClientAddress(request, trusted_proxies_));
  // The address first: a refused caller must not spend the key's minute for everyone else.
  auto wait = address.empty() ? std::nullopt : per_address_.Take(client + "|" + address, now);
  if (!wait && !client.empty()) wait = per_key_.Take(client, now);
  if (!wait) return std::nullopt;
  // Debug: a flood of refusals must not become a flood of log lines.
  Log().Debug("request refused", {{"reason", "over its requests per minute"}});
  HttpResponse refused = ErrorAnswer(429, "too many requests: try again later", format);
  refused.headers.Add("Retry-After", std::to_string(wait->count()));
  return refused;
}

void Open311Api::AddRoutes(http::Router& router) {
  using Member = HttpResponse (Open311Api::*)(const HttpRequest&) const;
  const auto add = [&](const char* method, const std::string& path, const char* label,
                       std::size_t limit, Member member) {
    router.Add({method, path, label, limit,
                [this, member](const HttpRequest& request) { return (this->*member)(request); }});
  };
  for (const char* extension : {".json", ".xml"}) {
    const std::string ext = extension;
    add("GET", std::string(kPrefix) + "/discovery" + ext, "open311_discovery", http::kNoBody,
        &Open311Api::Discovery);
    add("GET", std::string(kPrefix) + "/services" + ext, "open311_services", http::kNoBody,
        &Open311Api::Services);
    add("POST", std::string(kPrefix) + "/requests" + ext, "open311_post_request",
        config_.max_body_bytes, &Open311Api::PostRequest);
    add("GET", std::string(kPrefix) + "/requests" + ext, "open311_requests", http::kNoBody,
        &Open311Api::GetRequests);
  }
  add("GET", std::string(kPrefix) + "/services/{code}", "open311_service", http::kNoBody,
      &Open311Api::ServiceDefinition);
  add("GET", std::string(kPrefix) + "/requests/{id}", "open311_request", http::kNoBody,
      &Open311Api::GetRequest);
  add("GET", std::string(kPrefix) + "/tokens/{token}", "open311_token", http::kNoBody,
      &Open311Api::GetToken);
}

std::optional<std::string> Open311Api::ClientOf(std::string_view api_key) const {
  std::optional<std::string> client;
  for (const auto& [name, key] : config_.api_keys) {
    // Every key is compared, so the time taken does not say which client nearly matched.
    if (crypto::ConstantTimeEquals(api_key, key) && !client) client = name;
  }
  return client;
}

HttpResponse Open311Api::Discovery(const HttpRequest& request) const {
  const bj::object document{
      {"changeset", "2026-11-30T00:00:00Z"},
      {"contact", "Atención Ciudadana, H. Ayuntamiento de Mazatlán"},
      {"key_service", "Las api_key las entrega la Dirección de Atención Ciudadana."},
      {"endpoints",
       bj::array{bj::object{{"specification", "http://wiki.open311.org/GeoReport_v2"},
                            {"url", public_base_url_ + kPrefix},
                            {"changeset", "2026-11-30T00:00:00Z"},
                            {"type", "production"},
                            {"formats", bj::array{"application/json", "text/xml"}}}}}};
  return Answer(200, document, FormatOf(request), "discovery", "discovery");
}

HttpResponse Open311Api::Services(const HttpRequest& request) const {
  const Format format = FormatOf(request);
  auto query = Params(request.query);
  if (!query) return ErrorAnswer(400, query.error().message, format);
  const std::string jurisdiction = Param0(*query, "jurisdiction_id");
  if (!jurisdiction.empty() && jurisdiction != config_.jurisdiction_id) {
    return ErrorAnswer(404, "jurisdiction_id not found", format);
  }
  auto names = database_.Transact([&](storage::Tx& tx) {
    std::map<std::string, std::string, std::less<>> by_id;
    const auto rows = tx.Exec(kDependenciaNames);
    for (std::size_t i = 0; i < rows.size(); ++i) by_id[rows[i].Text(0)] = rows[i].Text(1);
    return by_id;
  });
  if (!names) return ErrorAnswer(503, "service temporarily unavailable", format);
  bj::array services;
  const auto classifier = classifiers_.Current();
  for (const classify::Categoria& categoria : classifier->rules().categorias()) {
    const auto dependencia = names->find(categoria.dependencia);
    const std::string group =
        dependencia == names->end() ? categoria.dependencia : dependencia->second;
    services.push_back(bj::object{{"service_code", categoria.id},
                                  {"service_name", categoria.name},
                                  {"description", categoria.name + " (" + group + ")"},
                                  {"metadata", false},
                                  {"type", "realtime"},
                                  {"keywords", ""},
                                  {"group", group}});
  }
  return Answer(200, services, format, "services", "service");
}

HttpResponse Open311Api::ServiceDefinition(const HttpRequest& request) const {
  const auto code = SplitFormat(request.path_params.at("code"));
  if (!code) return ErrorAnswer(404, "not found: use services/{service_code}.json or .xml", Format::kJson);
  const auto classifier = classifiers_.Current();
  for (const classify::Categoria& categoria : classifier->rules().categorias()) {
    if (categoria.id == code->name) {
      // No extra attributes: a description, a place and a photo are all any categoría needs.
      return Answer(200, bj::object{{"service_code", categoria.id}, {"attributes", bj::array{}}},
                    code->format, "service_definition", "service_definition");
    }
  }
  return ErrorAnswer(404, "service_code not found", code->format);
}

HttpResponse Open311Api::PostRequest(const HttpRequest& request) const {
  const Format format = FormatOf(request);
  std::string media_type(request.headers.Get("Content-Type").value_or(""));
  media_type = media_type.substr(0, media_type.find(';'));
  if (media_type != "application/x-www-form-urlencoded") {
    return ErrorAnswer(415, "send the parameters as application/x-www-form-urlencoded", format);
  }
  auto form = Params(request.body);
  if (!form) return ErrorAnswer(400, form.error().message, format);
  const auto client = ClientOf(Param0(*form, "api_key"));
  if (!client) {
    Log().Warn("request refused", {{"reason", "api_key missing or unknown"}});
    return ErrorAnswer(403, "api_key was not provided or is not valid", format);
  }
  if (auto refused = OverItsRate(request, *client, format)) return std::move(*refused);
  const std::string jurisdiction = Param0(*form, "jurisdiction_id");
  if (!jurisdiction.empty() && jurisdiction != config_.jurisdiction_id) {
    return ErrorAnswer(404, "jurisdiction_id not found", format);
  }
  const auto classifier = classifiers_.Current();
  auto service_request =
      ReadServiceRequest(*form, [&](std::string_view code) {
        for (const classify::Categoria& c : classifier->rules().categorias()) {
          if (c.id == code) return true;
        }
        return false;
      }, config_.media_hosts);
  if (!service_request) {
    Log().Info("request refused", {{"client", *client}, {"reason", service_request.error().message}});
    return ErrorAnswer(400, service_request.error().message, format);
  }
  if (service_request->latitude &&
      !config_.area.Contains(*service_request->latitude, *service_request->longitude)) {
    Log().Info("request refused", {{"client", *client}, {"reason", "outside the area"}});
    return ErrorAnswer(400,
                       "lat/long: the location is outside the area the municipality attends "
                       "(la ubicación está fuera del municipio)",
                       format);
  }
  const std::string idempotency_key(request.headers.Get("Idempotency-Key").value_or(""));
  if (idempotency_key.size() > kMaxIdempotencyKey) {
    return ErrorAnswer(400, "Idempotency-Key is longer than 255 characters", format);
  }

  // The api_key is not part of what was asked: the same request with a rotated key is the same.
  FormParams signed_params;
  for (const auto& param : *form) {
    if (param.first != "api_key") signed_params.push_back(param);
  }
  const std::string body_hash = crypto::Sha256Hex(http::EncodeForm(signed_params));
  const std::string new_token = crypto::RandomToken(16);
  const TimePoint now = clock_.Now();
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();

  struct Stored {
    std::string token;
    bool conflict = false;  // same key, other body
  };
  auto stored = database_.Transact([&](storage::Tx& tx) -> Stored {
    if (!idempotency_key.empty()) {
      const auto earlier = tx.Exec(kByIdempotencyKey, {*client, idempotency_key});
      if (!earlier.empty()) {
        tx.RollbackAtEnd();
        return {earlier.at(0).Text(0), earlier.at(0).Text(1) != body_hash};
      }
    }
    const InboundMessage message =
        ToInboundMessage(*service_request, *client, new_token, static_cast<std::int64_t>(seconds));
    const auto inbox_id = intake::StoreMessage(tx, kChannelName, request.body, message, now);
    const Param key = idempotency_key.empty() ? Param(std::nullopt) : Param(idempotency_key);
    if (!inbox_id ||
        tx.Exec(kInsertRequest, {new_token, *client, key, body_hash, *inbox_id}).empty()) {
      // A concurrent retry with the same key won: answer with its request.
      tx.RollbackAtEnd();
      const auto winner = tx.Exec(kByIdempotencyKey, {*client, idempotency_key});
      if (winner.empty()) throw std::runtime_error("open311 request vanished");
      return {winner.at(0).Text(0), winner.at(0).Text(1) != body_hash};
    }
    return {new_token, false};
  });
  if (!stored) {
    Log().Warn("request not stored", {{"client", *client}, {"error", stored.error().message}});
    HttpResponse busy = ErrorAnswer(503, "service temporarily unavailable; retry", format);
    busy.headers.Add("Retry-After", "5");
    return busy;
  }
  if (stored->conflict) {
    return ErrorAnswer(422, "this Idempotency-Key was used with different parameters", format);
  }

  // The pipeline usually gives the folio within milliseconds; wait a little for it.
  std::optional<std::string> folio;
  const auto deadline = std::chrono::steady_clock::now() + config_.folio_wait;
  for (;;) {
    auto found = database_.Transact([&](storage::Tx& tx) -> std::optional<std::string> {
      const auto rows = tx.Exec(kFolioOfToken, {stored->token});
      return rows.empty() ? std::nullopt : std::optional<std::string>(rows.at(0).Text(0));
    });
    if (found && *found) {
      folio = **found;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Log().Info("request stored", {{"client", *client}, {"folio", folio.value_or("")}});
  bj::object answer;
  if (folio) {
    answer = {{"service_request_id", *folio},
              {"service_notice", "Registramos su reporte con el folio " + *folio + "."},
              {"account_id", nullptr}};
  } else {
    answer = {{"token", stored->token},
              {"service_notice", "Recibimos su reporte; su folio estará listo en unos segundos."}};
  }
  return Answer(200, bj::array{answer}, format, "service_requests", "request");
}

HttpResponse Open311Api::GetRequests(const HttpRequest& request) const {
  const Format format = FormatOf(request);
  auto query = Params(request.query);
  if (!query) return ErrorAnswer(400, query.error().message, format);
  // Requests carry what citizens wrote: each client sees only its own.
  const auto client = ClientOf(Param0(*query, "api_key"));
  if (!client) return ErrorAnswer(403, "api_key was not provided or is not valid", format);
  if (auto refused = OverItsRate(request, *client, format)) return std::move(*refused);
  const std::string ids = Param0(*query, "service_request_id");
  const std::string codes = Param0(*query, "service_code");
  const std::string start = Param0(*query, "start_date");
  const std::string end = Param0(*query, "end_date");
  const std::string status = Param0(*query, "status");
  if (!ListOf(ids, IsFolio)) return ErrorAnswer(400, "service_request_id must be folios like 2026-000123", format);
  if (!ListOf(status, [](std::string_view s) { return s == "open" || s == "closed"; })) {
    return ErrorAnswer(400, "status must be open, closed or both", format);
  }
  if ((!start.empty() && !PlausibleDate(start)) || (!end.empty() && !PlausibleDate(end))) {
    return ErrorAnswer(400, "start_date and end_date must be ISO 8601 (2026-03-10T00:00:00Z)", format);
  }
  auto requests = ListRequests(*client, ids, codes, start, end, status);
  if (!requests) return ErrorAnswer(503, "service temporarily unavailable", format);
  return Answer(200, *requests, format, "service_requests", "request");
}

HttpResponse Open311Api::GetRequest(const HttpRequest& request) const {
  const auto id = SplitFormat(request.path_params.at("id"));
  if (!id) return ErrorAnswer(404, "not found: use requests/{service_request_id}.json or .xml", Format::kJson);
  auto query = Params(request.query);
  if (!query) return ErrorAnswer(400, query.error().message, id->format);
  const auto client = ClientOf(Param0(*query, "api_key"));
  if (!client) return ErrorAnswer(403, "api_key was not provided or is not valid", id->format);
  if (auto refused = OverItsRate(request, *client, id->format)) return std::move(*refused);
  if (!IsFolio(id->name)) return ErrorAnswer(404, "service_request_id not found", id->format);
  auto found = ListRequests(*client, id->name, "", "", "", "");
  if (!found) return ErrorAnswer(503, "service temporarily unavailable", id->format);
  if (found->empty()) return ErrorAnswer(404, "service_request_id not found", id->format);
  return Answer(200, *found, id->format, "service_requests", "request");
}

HttpResponse Open311Api::GetToken(const HttpRequest& request) const {
  const auto token = SplitFormat(request.path_params.at("token"));
  if (!token) return ErrorAnswer(404, "not found: use tokens/{token}.json or .xml", Format::kJson);
  if (auto refused = OverItsRate(request, "", token->format)) return std::move(*refused);
  auto result = database_.Transact([&](storage::Tx& tx) -> std::optional<std::string> {
    if (tx.Exec(kTokenExists, {token->name}).empty()) return std::nullopt;
    const auto rows = tx.Exec(kFolioOfToken, {token->name});
    return rows.empty() ? std::string() : rows.at(0).Text(0);
  });
  if (!result) return ErrorAnswer(503, "service temporarily unavailable", token->format);
  if (!*result) return ErrorAnswer(404, "token not found", token->format);
  bj::object answer{{"token", token->name}};
  answer["service_request_id"] = (*result)->empty() ? bj::value(nullptr) : bj::value(**result);
  return Answer(200, bj::array{answer}, token->format, "service_requests", "request");
}

Result<bj::array> Open311Api::ListRequests(const std::string& client, const std::string& ids,
                                           const std::string& codes, const std::string& start,
                                           const std::string& end, const std::string& status) const {
  std::map<std::string, std::string, std::less<>> service_names;
  for (const classify::Categoria& c : classifiers_.Current()->rules().categorias()) {
    service_names[c.id] = c.name;
  }
  return database_.Transact([&](storage::Tx& tx) {
    bj::array requests;
    const auto found = tx.Exec(kListRequests, {client, ids, codes, start, end, status});
    for (std::size_t i = 0; i < found.size(); ++i) {
      requests.push_back(RequestDocument(found[i], service_names));
    }
    return requests;
  });
}

}  // namespace sac::channels::open311
