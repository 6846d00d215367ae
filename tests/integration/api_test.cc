// /api/v1 over real HTTP against a real PostgreSQL: who may see what, what each endpoint does,
// how bad requests are refused, and that every call is audited.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "app/app.h"
#include "http/curl_client.h"
#include "routing/dependencias.h"
#include "storage/database.h"
#include "tests/support/served_app.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"
#include "web/api_tokens.h"
#include "web/api_v1.h"
#include "workflow/boleta_workflow.h"
#include "workflow/boletas.h"

namespace sac {
namespace {

using ::testing::HasSubstr;
using testing::TestDatabase;
using namespace std::chrono_literals;
namespace bj = boost::json;

class ApiTest : public ::testing::Test {
 protected:
  Config MakeConfig() {
    Config config;
    config.rules_dir = (testing::SourceDir() / "rules").string();
    config.http.port = 0;
    config.database.url = db_.url() + " user=sac_app";  // the application's least-privileged role
    config.pipeline.workers = 0;
    config.outbox.workers = 0;
    return config;
  }

  void StartApp(const Config& config) {
    if (app_) app_->Stop();
    auto served = testing::Serve(config);
    ASSERT_TRUE(served.app);
    app_ = std::move(served.app);
    base_ = served.base_url;
  }

  void SetUp() override {
    StartApp(MakeConfig());
    db_.SeedDependencias();
    obras_token_ = Token("obras_publicas");
    jumapam_token_ = Token("jumapam");
    obras_folio_ = RoutedBoleta("obras_publicas", "hay un bache enorme en la avenida");
    jumapam_folio_ = RoutedBoleta("jumapam", "fuga de agua en la esquina");
  }
  void TearDown() override {
    if (app_) app_->Stop();
  }

  std::string Token(const std::string& dependencia) {
    auto created = admin_.Transact(
        [&](storage::Tx& tx) { return web::CreateApiToken(tx, dependencia, "pruebas"); });
    EXPECT_TRUE(created) << created.error().message;
    return created->token;
  }

  // A boleta from a citizen, canalizada by staff to `dependencia`.
  std::string RoutedBoleta(const std::string& dependencia, const std::string& text) {
    db_.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Ciudadana de Prueba', "
                "'+52669" + std::to_string(1000000 + ++citizens_) + "')");
    const std::string citizen = db_.Scalar("SELECT max(id) FROM citizen");
    SystemClock clock;
    auto calendar = *workflow::BusinessCalendar::Load(testing::SourceDir() / "rules/calendario.toml");
    auto local = *workflow::LocalTime::Load("America/Mazatlan");
    workflow::SlaClock sla(calendar, local);
    workflow::BoletaWorkflow flow(sla, clock);
    auto folio = admin_.Transact([&](storage::Tx& tx) -> Result<std::string> {
      workflow::NewBoleta boleta;
      boleta.channel = "whatsapp";
      boleta.citizen_id = std::stoll(citizen);
      boleta.text = text;
      const auto ref = workflow::CreateBoleta(tx, boleta, clock.Now());
      workflow::StatusChange route;
      route.to = workflow::BoletaStatus::kCanalizada;
      route.dependencia_id = dependencia;
      auto routed = flow.ChangeStatus(tx, workflow::Actor::Staff("ana"), ref.id, route);
      if (!routed) return routed.error();
      return ref.folio;
    });
    EXPECT_TRUE(folio) << folio.error().message;
    return *folio;
  }

  ClientResponse Call(const std::string& method, const std::string& target,
                      const std::optional<std::string>& token, const std::string& body = "",
                      const std::optional<std::string>& if_match = std::nullopt) {
    ClientRequest request;
    request.method = method;
    request.url = base_ + target;
    if (token) request.headers.emplace_back("Authorization", "Bearer " + *token);
    if (if_match) request.headers.emplace_back("If-Match", *if_match);
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    auto response = client_.Execute(request);
    EXPECT_TRUE(response) << response.error().message;
    return response ? *response : ClientResponse{};
  }

  bj::object Json(const ClientResponse& response) {
    bj::error_code error;
    auto value = bj::parse(response.body, error);
    EXPECT_FALSE(error) << response.body;
    return value.is_object() ? value.as_object() : bj::object{};
  }

  std::string Col(const std::string& folio, const std::string& expression) {
    return db_.Scalar("SELECT " + expression + " FROM boleta WHERE folio = '" + folio + "'");
  }

  TestDatabase db_;
  storage::Database admin_{db_.Settings()};
  http::CurlHttpClient client_;
  std::unique_ptr<app::App> app_;
  std::string base_;
  std::string obras_token_;
  std::string jumapam_token_;
  std::string obras_folio_;
  std::string jumapam_folio_;
  int citizens_ = 0;
};

// Every endpoint × no token / another dependencia's boleta / its own boleta.
TEST_F(ApiTest, AuthorizationMatrix) {
  struct Endpoint {
    std::string method;
    std::string path;  // with {folio}
    std::string body;
    int own_status;
  };
  const std::vector<Endpoint> endpoints = {
      {"GET", "/api/v1/boletas", "", 200},
      {"GET", "/api/v1/seguimiento", "", 200},
      {"GET", "/api/v1/boletas/{folio}", "", 200},
      {"POST", "/api/v1/boletas/{folio}/notas", R"({"texto":"revisado"})", 201},
      {"POST", "/api/v1/boletas/{folio}/estado", R"({"estado":"en_seguimiento"})", 200},
      {"POST", "/api/v1/boletas/{folio}/programacion", R"({"fecha":"2099-01-05"})", 200},
      {"POST", "/api/v1/boletas/{folio}/devolucion", R"({"motivo":"no es nuestro"})", 200},
  };
  const auto path_for = [](std::string path, const std::string& folio) {
    const auto at = path.find("{folio}");
    if (at != std::string::npos) path.replace(at, 7, folio);
    return path;
  };
  for (const Endpoint& e : endpoints) {
    SCOPED_TRACE(e.method + " " + e.path);
    const std::string own = path_for(e.path, obras_folio_);
    EXPECT_EQ(Call(e.method, own, std::nullopt, e.body).status, 401);
    EXPECT_EQ(Call(e.method, own, "sac_not-a-real-token", e.body).status, 401);
    if (e.path.find("{folio}") != std::string::npos) {
      const ClientResponse other = Call(e.method, own, jumapam_token_, e.body);
      EXPECT_EQ(other.status, 404);
      EXPECT_EQ(Json(other).at("detail").as_string(), "no existe la boleta")
          << "indistinguishable from a folio that does not exist";
      EXPECT_EQ(Call(e.method, path_for(e.path, "2026-999999"), obras_token_, e.body).status, 404);
    }
    EXPECT_EQ(Call(e.method, own, obras_token_, e.body).status, e.own_status);
  }
  EXPECT_EQ(Col(jumapam_folio_, "status"), "canalizada") << "jumapam's boleta untouched";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM api_call WHERE detail = 'boleta de otra dependencia'"), 5);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM api_call WHERE status = 401 AND token_id IS NULL"), 14);
}

TEST_F(ApiTest, ListsOnlyTheDependenciasPendingBoletasMostUrgentFirst) {
  const std::string second = RoutedBoleta("obras_publicas", "banqueta rota frente a la escuela");
  db_.Execute("UPDATE boleta SET due_at = due_at - interval '1 day' WHERE folio = '" + second + "'");
  const ClientResponse response = Call("GET", "/api/v1/boletas", obras_token_);
  ASSERT_EQ(response.status, 200);
  const auto boletas = Json(response).at("boletas").as_array();
  ASSERT_EQ(boletas.size(), 2u);
  EXPECT_EQ(boletas[0].at("folio").as_string(), second);
  EXPECT_EQ(boletas[1].at("folio").as_string(), obras_folio_);
  EXPECT_EQ(boletas[1].at("estado").as_string(), "canalizada");
  EXPECT_EQ(boletas[1].at("situacion").as_string(), "a_tiempo");
  EXPECT_TRUE(boletas[1].at("no_leida").as_bool());
  EXPECT_FALSE(boletas[1].as_object().contains("ciudadano")) << "lists carry no contact data";
}

TEST_F(ApiTest, PaginatesWithACursor) {
  for (int i = 0; i < 4; ++i) RoutedBoleta("obras_publicas", "bache " + std::to_string(i));
  std::set<std::string> seen;
  std::string target = "/api/v1/boletas?limite=2";
  int pages = 0;
  for (;;) {
    const auto page = Json(Call("GET", target, obras_token_));
    for (const auto& boleta : page.at("boletas").as_array()) {
      EXPECT_TRUE(seen.insert(std::string(boleta.at("folio").as_string())).second);
    }
    ++pages;
    if (page.at("siguiente").is_null()) break;
    target = "/api/v1/boletas?limite=2&cursor=" + std::string(page.at("siguiente").as_string());
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(Call("GET", "/api/v1/boletas?cursor=garbage", obras_token_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/boletas?limite=5000", obras_token_).status, 400);
}

TEST_F(ApiTest, FiltersByStatusStandingAndWords) {
  RoutedBoleta("obras_publicas", "las luminarias de la cancha");
  EXPECT_EQ(Json(Call("GET", "/api/v1/boletas?q=baches", obras_token_)).at("boletas").as_array().size(),
            1u) << "Spanish stemming: bache ~ baches";
  EXPECT_EQ(Json(Call("GET", "/api/v1/boletas?situacion=vencida", obras_token_))
                .at("boletas").as_array().size(), 0u);
  db_.Execute("UPDATE boleta SET due_at = now() - interval '1 hour' WHERE folio = '" + obras_folio_ + "'");
  const auto overdue = Json(Call("GET", "/api/v1/boletas?situacion=vencida", obras_token_));
  ASSERT_EQ(overdue.at("boletas").as_array().size(), 1u);
  EXPECT_EQ(overdue.at("boletas").as_array()[0].at("situacion").as_string(), "vencida");
  EXPECT_EQ(Json(Call("GET", "/api/v1/boletas?estado=atendida", obras_token_))
                .at("boletas").as_array().size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/boletas?estado=resuelta", obras_token_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/boletas?situacion=pronto", obras_token_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/boletas?orden=raro", obras_token_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/boletas?q=a&q=b", obras_token_).status, 400);
}

TEST_F(ApiTest, OpeningABoletaMarksItReadAndRecordsWhoSawTheCitizensData) {
  db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type, download_state)"
              " SELECT id, 'video', 'too_large', 'video/mp4', 'too_large' FROM boleta WHERE folio = '" +
              obras_folio_ + "'");
  const ClientResponse response = Call("GET", "/api/v1/boletas/" + obras_folio_, obras_token_);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto boleta = Json(response);
  EXPECT_EQ(boleta.at("estado").as_string(), "leida");
  EXPECT_FALSE(boleta.at("no_leida").as_bool());
  EXPECT_EQ(boleta.at("ciudadano").at("nombre").as_string(), "Ciudadana de Prueba");
  const auto timeline = boleta.at("bitacora").as_array();
  std::vector<std::string> kinds;
  for (const auto& entry : timeline) kinds.emplace_back(entry.at("tipo").as_string());
  EXPECT_THAT(kinds, ::testing::ElementsAre("creada", "canalizar", "abrir"));
  ASSERT_EQ(boleta.at("medios").as_array().size(), 1u);
  EXPECT_EQ(boleta.at("medios").at(0).at("estado").as_string(), "too_large")
      << "a system reading the API knows there is no file to wait for";
  EXPECT_EQ(db_.Scalar("SELECT actor_kind || ':' || actor || ':' || (detail->'campos')::text "
                       "FROM boleta_event WHERE kind = 'datos_consultados'"),
            "dependencia:api:pruebas:[\"nombre\", \"telefono\"]");
  // In the access log too, under the token, as staff reads are (ASVS 8.2.3, LGPDPPSO).
  EXPECT_EQ(db_.Scalar("SELECT (user_id IS NULL) || ':' || b.folio || ':' || array_to_string(fields, ',')"
                       " || ':' || route FROM personal_data_access a JOIN boleta b ON b.id = a.boleta_id"
                       " JOIN api_token t ON t.id = a.api_token_id AND t.dependencia_id = 'obras_publicas'"),
            "true:" + obras_folio_ + ":texto,nombre,telefono:/api/v1/boletas/{folio}");
  const ClientResponse list = Call("GET", "/api/v1/boletas", obras_token_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM personal_data_access WHERE route = '/api/v1/boletas'"),
            static_cast<std::int64_t>(Json(list).at("boletas").as_array().size()))
      << "each boleta whose words the list gave";
  ASSERT_EQ(Call("GET", "/api/v1/seguimiento", obras_token_).status, 200);
}

TEST_F(ApiTest, ADependenciaWorksItsBoletaThroughTheApi) {
  const std::string base = "/api/v1/boletas/" + obras_folio_;
  Call("GET", base, obras_token_);
  ClientResponse scheduled =
      Call("POST", base + "/programacion", obras_token_, R"({"fecha":"2099-01-05","comentario":"cuadrilla 3"})");
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  EXPECT_EQ(Col(obras_folio_, "status || ':' || scheduled_for"), "programada:2099-01-05");
  ASSERT_EQ(Call("POST", base + "/estado", obras_token_, R"({"estado":"en_seguimiento"})").status, 200);
  ASSERT_EQ(Call("POST", base + "/notas", obras_token_, R"({"texto":"se bacheó","publica":true})").status,
            201);
  ASSERT_EQ(Call("POST", base + "/estado", obras_token_, R"({"estado":"atendida"})").status, 200);
  EXPECT_EQ(Col(obras_folio_, "status"), "atendida");
  const ClientResponse closed = Call("POST", base + "/estado", obras_token_, R"({"estado":"cerrada"})");
  EXPECT_EQ(closed.status, 403) << "closing is for Atención Ciudadana";
  const ClientResponse illegal = Call("POST", base + "/estado", obras_token_, R"({"estado":"canalizada"})");
  EXPECT_EQ(illegal.status, 409);
  EXPECT_THAT(Json(illegal).at("detail").as_string().c_str(), HasSubstr("atendida"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note WHERE public"), 1);
}

TEST_F(ApiTest, AChangeDecidedOnAnOlderVersionIsRefusedWithNothingWritten) {
  const std::string base = "/api/v1/boletas/" + obras_folio_;
  const ClientResponse read = Call("GET", base, obras_token_);
  ASSERT_EQ(read.status, 200) << read.body;
  const std::string seen(read.headers.Get("ETag").value_or(""));
  EXPECT_EQ(seen, "\"2\"") << "canalizada, then leída by this GET";
  EXPECT_EQ(Json(read).at("version").as_int64(), 2);

  // Another system of the same dependencia schedules it meanwhile.
  ASSERT_EQ(Call("POST", base + "/programacion", obras_token_, R"({"fecha":"2099-01-05"})").status,
            200);
  const ClientResponse stale = Call("POST", base + "/estado", obras_token_,
                                    R"({"estado":"atendida","comentario":"ya quedó"})", seen);
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.headers.Get("Content-Type"), "application/problem+json");
  EXPECT_THAT(std::string(Json(stale).at("detail").as_string()), HasSubstr("programada"));
  EXPECT_EQ(Col(obras_folio_, "status || ':' || status_version"), "programada:3");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_event WHERE kind = 'atender'"), 0);

  EXPECT_EQ(
      Call("POST", base + "/estado", obras_token_, R"({"estado":"atendida"})", "W/\"3\"").status,
      412)
      << "a weak tag never matches";
  for (const char* malformed : {"3", "\"tres\"", "\"3\", \"4\"", "\"-1\""}) {
    SCOPED_TRACE(malformed);
    const ClientResponse refused =
        Call("POST", base + "/estado", obras_token_, R"({"estado":"atendida"})", malformed);
    EXPECT_EQ(refused.status, 400);
    EXPECT_THAT(std::string(Json(refused).at("detail").as_string()), HasSubstr("If-Match"));
  }
  EXPECT_EQ(Col(obras_folio_, "status"), "programada");

  const ClientResponse current = Call("GET", base, obras_token_);
  const ClientResponse done =
      Call("POST", base + "/estado", obras_token_, R"({"estado":"atendida"})",
           std::string(current.headers.Get("ETag").value_or("")));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.headers.Get("ETag"), "\"4\"");
  EXPECT_EQ(Json(done).at("version").as_int64(), 4);
  EXPECT_EQ(Col(obras_folio_, "status"), "atendida");
  EXPECT_EQ(Call("POST", base + "/estado", obras_token_, R"({"estado":"atendida"})", "*").status,
            409)
      << "* matches any version: what is left is the transition table's own refusal";
}

TEST_F(ApiTest, ReturningItNeedsAReasonAndTakesItAway) {
  const std::string base = "/api/v1/boletas/" + obras_folio_;
  EXPECT_EQ(Call("POST", base + "/devolucion", obras_token_, R"({"motivo":""})").status, 400);
  ASSERT_EQ(Call("POST", base + "/devolucion", obras_token_, R"({"motivo":"es de JUMAPAM"})").status, 200);
  EXPECT_EQ(Col(obras_folio_, "status"), "por_clasificar");
  EXPECT_EQ(Call("GET", base, obras_token_).status, 404) << "no longer theirs";
}

TEST_F(ApiTest, RefusesMalformedAndOverreachingBodies) {
  const std::string base = "/api/v1/boletas/" + obras_folio_;
  const std::pair<const char*, const char*> cases[] = {
      {"not json", "JSON"},
      {"[1,2]", "objeto"},
      {R"({"estado":"atendida","dependencia_id":"jumapam"})", "campo desconocido: dependencia_id"},
      {R"({"estado":"atendida","created_by":1})", "campo desconocido: created_by"},
      {R"({"estado":7})", "debe ser texto"},
      {R"({"estado":"en_seguimiento","fecha":"05/01/2099"})", "AAAA-MM-DD"},
  };
  for (const auto& [body, message] : cases) {
    SCOPED_TRACE(body);
    const ClientResponse response = Call("POST", base + "/estado", obras_token_, body);
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(response.headers.Get("Content-Type"), "application/problem+json");
    EXPECT_THAT(std::string(Json(response).at("detail").as_string()), HasSubstr(message));
  }
  EXPECT_EQ(Col(obras_folio_, "status"), "canalizada");
  EXPECT_EQ(Call("POST", base + "/notas", obras_token_, R"({"texto":")" + std::string(5000, 'a') + R"("})").status,
            400);
  EXPECT_EQ(Call("POST", base + "/notas", obras_token_, std::string(20000, ' ')).status, 413);
}

TEST_F(ApiTest, ATokenOverItsCallsPerMinuteWaitsAndOthersDoNot) {
  Config config = MakeConfig();
  config.api.requests_per_minute = 2;
  StartApp(config);

  EXPECT_EQ(Call("GET", "/api/v1/boletas", obras_token_).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/boletas", obras_token_).status, 200);
  const ClientResponse refused =
      Call("POST", "/api/v1/boletas/" + obras_folio_ + "/estado", obras_token_,
           R"({"estado":"en_seguimiento"})");
  EXPECT_EQ(refused.status, 429);
  const int retry_after = std::stoi(std::string(refused.headers.Get("Retry-After").value_or("0")));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 30) << "one call every 30 s at 2 a minute";
  EXPECT_EQ(refused.headers.Get("Content-Type"), "application/problem+json");
  EXPECT_EQ(Col(obras_folio_, "status"), "canalizada") << "nothing done";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM api_call WHERE status = 429"), 0)
      << "a flood of refused calls writes nothing (the HTTP metrics count them)";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM api_call"), 2);
  EXPECT_EQ(Call("GET", "/api/v1/boletas", jumapam_token_).status, 200) << "another token";
}

TEST_F(ApiTest, RevokedTokensStopWorking) {
  ASSERT_EQ(Call("GET", "/api/v1/boletas", obras_token_).status, 200);
  db_.Execute("UPDATE api_token SET revoked_at = now() WHERE dependencia_id = 'obras_publicas'");
  EXPECT_EQ(Call("GET", "/api/v1/boletas", obras_token_).status, 401);
}

TEST_F(ApiTest, TheFollowUpListSaysWhyEachBoletaNeedsACall) {
  db_.Execute("UPDATE boleta SET due_at = now() - interval '1 hour' WHERE folio = '" + obras_folio_ + "'");
  const std::string unread = RoutedBoleta("obras_publicas", "poste caído");
  db_.Execute("UPDATE boleta SET unread_since = now() - interval '10 days', due_at = now() + "
              "interval '30 days' WHERE folio = '" + unread + "'");
  RoutedBoleta("obras_publicas", "todo en orden");  // on time, just routed: not listed
  const auto list = Json(Call("GET", "/api/v1/seguimiento", obras_token_)).at("boletas").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("folio").as_string(), obras_folio_);
  EXPECT_THAT(bj::serialize(list[0].at("motivos")), HasSubstr("vencida"));
  EXPECT_EQ(list[1].at("folio").as_string(), unread);
  EXPECT_EQ(bj::serialize(list[1].at("motivos")), "[\"no_leida\"]");
}

TEST_F(ApiTest, EveryCallIsAudited) {
  Call("GET", "/api/v1/boletas", obras_token_);
  Call("GET", "/api/v1/boletas/" + obras_folio_, obras_token_);
  Call("GET", "/api/v1/boletas", std::nullopt);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(route || ':' || status, ' ' ORDER BY id) FROM api_call"),
            "api_boletas_list:200 api_boleta_get:200 api_boletas_list:401");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM api_call WHERE boleta_id IS NOT NULL"), 1);
}

TEST_F(ApiTest, TheOpenApiDocumentDescribesEveryRoute) {
  const ClientResponse response = Call("GET", "/api/v1/openapi.json", std::nullopt);
  ASSERT_EQ(response.status, 200);
  const auto paths = Json(response).at("paths").as_object();
  http::Router router;
  storage::Database unused(db_.Settings());
  SystemClock clock;
  auto calendar = *workflow::BusinessCalendar::Load(testing::SourceDir() / "rules/calendario.toml");
  auto local = *workflow::LocalTime::Load("America/Mazatlan");
  workflow::SlaClock sla(calendar, local);
  workflow::BoletaWorkflow flow(sla, clock);
  web::ApiV1(unused, flow, sla, clock).AddRoutes(router);
  for (const http::Route& route : router.routes()) {
    SCOPED_TRACE(route.method + " " + route.path);
    ASSERT_TRUE(paths.contains(route.path));
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    EXPECT_TRUE(paths.at(route.path).as_object().contains(method));
  }
  EXPECT_EQ(paths.size(), router.routes().size());
}

}  // namespace
}  // namespace sac
