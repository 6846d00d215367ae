// A staff web on a real PostgreSQL, called through its router the way the HTTP server would: the
// fixture every staff-web integration test starts from (users by role, sign-in, GET and POST
// with the session's cookie, CSRF token and origin).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <tuple>

#include "classify/classifier_holder.h"
#include "tests/support/fake_clock.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"
#include "web/staff_accounts.h"
#include "web/staff_web.h"
#include "workflow/business_calendar.h"
#include "workflow/local_time.h"

namespace sac::testing {

constexpr const char* kHost = "127.0.0.1:8080";

inline TimePoint Utc(int y, unsigned mo, unsigned d, int h) {
  using namespace std::chrono;
  return TimePoint(sys_days(year_month_day{year{y}, month{mo}, day{d}}) + hours{h});
}
constexpr const char* kOrigin = "http://127.0.0.1:8080";
constexpr const char* kPassword = "contraseña de prueba larga";

class StaffWebFixture : public ::testing::Test {
 protected:
  explicit StaffWebFixture(const std::filesystem::path& rules = testing::SourceDir() / "rules",
                           web::SessionSettings settings = {})
      : database_(db_.Settings()),
        calendar_(*workflow::BusinessCalendar::Load(testing::SourceDir() / "rules/calendario.toml")),
        local_(*workflow::LocalTime::Load("America/Mazatlan")),
        sla_(calendar_, local_),
        classifiers_(std::move(*classify::ClassifierHolder::Load(rules))),
        workflow_(sla_, clock_),
        media_(std::filesystem::temp_directory_path() / ("sac_media_staff_" + std::to_string(::getpid()))),
        web_(database_, workflow_, *classifiers_, sla_, local_, media_, clock_, std::move(settings)) {
    web_.AddRoutes(router_);
    db_.SeedDependencias();
    AddUser("capturista", "atencion_ciudadana");
  }

  void AddUser(const std::string& username, const std::string& role,
               const std::string& dependencia = "", bool must_change = false) {
    ASSERT_TRUE(database_.Transact([&](storage::Tx& tx) {
      return web::CreateStaffUser(tx, {username, "Usuaria " + username, role, kPassword});
    }));
    if (!must_change) {
      db_.Execute("UPDATE staff_user SET must_change_password = false WHERE username = '" +
                  username + "'");
    }
    if (!dependencia.empty()) {
      db_.Execute("INSERT INTO staff_user_dependencia SELECT id, '" + dependencia +
                  "' FROM staff_user WHERE username = '" + username + "'");
    }
  }

  // A boleta waiting for a person, as the pipeline leaves it: classified, with its explanation.
  std::int64_t Waiting(const std::string& folio, const std::string& text, bool from_a_chat = true) {
    const auto reading = classifiers_->Current()->Classify(text);
    std::optional<std::int64_t> inbox;
    if (from_a_chat) {
      db_.Execute("INSERT INTO webhook_request (channel, body) VALUES ('whatsapp', '\\x')");
      db_.Execute("INSERT INTO citizen (display_name) VALUES ('')");
      db_.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload) "
                  "SELECT max(r.id), 'whatsapp', 'wamid." + folio + "', 'message', '5216691234501',"
                  " '{}' FROM webhook_request r");
      inbox = db_.Count("SELECT max(id) FROM inbox");
    }
    auto inserted = database_.Transact([&](storage::Tx& tx) {
      constexpr storage::Statement kInsert{
          "test.queue_insert",
          "INSERT INTO boleta (folio, channel, citizen_id, source_inbox_id, text, status, intent,"
          "  categoria, confidence, colonia, colonia_postal_code, classification, created_at,"
          "  updated_at) VALUES ($1, 'whatsapp', (SELECT max(id) FROM citizen), $2, $3,"
          "  'por_clasificar', $4, nullif($5, ''), $6, nullif($7, ''), nullif($8, ''), $9::jsonb,"
          "  now(), now()) RETURNING id"};
      return tx.Exec(kInsert, {folio, inbox, text, reading.intent, reading.categoria,
                               reading.confidence, reading.colonia ? reading.colonia->name : "",
                               reading.colonia ? reading.colonia->postal_code : "",
                               reading.ToJson()})
          .at(0)
          .Int(0);
    });
    EXPECT_TRUE(inserted) << inserted.error().message;
    return inserted ? *inserted : 0;
  }

  HttpResponse Call(HttpRequest request) {
    request.headers.Add("Host", kHost);
    if (request.remote_address.empty()) request.remote_address = remote_address_;
    if (const auto question = request.path.find('?'); question != std::string::npos) {
      request.query = request.path.substr(question + 1);
      request.path.resize(question);
    }
    const auto found = router_.Find(request.method, request.path);
    if (found.route == nullptr) return HttpResponse::Text(found.status, "");
    request.path_params = found.params;
    return found.route->handler(request);
  }

  HttpResponse Get(const std::string& path, const std::string& cookie = "") {
    HttpRequest request;
    request.method = "GET";
    request.path = path;
    if (!cookie.empty()) request.headers.Add("Cookie", cookie);
    return Call(request);
  }

  HttpResponse Post(const std::string& path, const std::string& body, const std::string& cookie,
                    const char* origin = kOrigin) {
    HttpRequest request;
    request.method = "POST";
    request.path = path;
    request.body = body;
    request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
    if (!cookie.empty()) request.headers.Add("Cookie", cookie);
    if (origin != nullptr) request.headers.Add("Origin", origin);
    return Call(request);
  }

  // A multipart/form-data POST, as a form with a file input sends it: `fields` plain, `files`
  // as (field, filename, bytes).
  HttpResponse PostMultipart(const std::string& path,
                             const std::vector<std::pair<std::string, std::string>>& fields,
                             const std::vector<std::tuple<std::string, std::string, std::string>>& files,
                             const std::string& cookie) {
    const std::string boundary = "----sacTestBoundary0123456789";
    std::string body;
    for (const auto& [name, value] : fields) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
              value + "\r\n";
    }
    for (const auto& [name, filename, bytes] : files) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" +
              bytes + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    HttpRequest request;
    request.method = "POST";
    request.path = path;
    request.body = std::move(body);
    request.headers.Add("Content-Type", "multipart/form-data; boundary=" + boundary);
    request.headers.Add("Cookie", cookie);
    request.headers.Add("Origin", kOrigin);
    return Call(request);
  }

  static std::string Header(const HttpResponse& response, std::string_view name,
                            std::string_view starting = "") {
    for (const auto& [header, value] : response.headers.All()) {
      if (EqualsIgnoreCase(header, name) && value.rfind(starting, 0) == 0) return value;
    }
    return "";
  }

  // The login form's CSRF cookie and token (the same value, double-submitted).
  std::string LoginToken() {
    const auto form = Get("/login");
    const std::string cookie = Header(form, "Set-Cookie", "sac_acceso=");
    return cookie.substr(std::string("sac_acceso=").size(),
                         cookie.find(';') - std::string("sac_acceso=").size());
  }

  // `cookies`: more the browser sends to /login, e.g. its "sac_equipo=..." device cookie.
  HttpResponse LogIn(const std::string& username, const std::string& password = kPassword,
                     const std::string& cookies = "") {
    const std::string token = LoginToken();
    return Post("/login", "usuario=" + username + "&contrasena=" + Encode(password) + "&csrf=" + token,
                "sac_acceso=" + token + (cookies.empty() ? "" : "; " + cookies));
  }

  // The session cookie ("sac_sesion=...") a successful sign-in set.
  static std::string SessionCookie(const HttpResponse& response) {
    const std::string header = Header(response, "Set-Cookie", "sac_sesion=");
    return header.substr(0, header.find(';'));
  }

  std::string SignIn(const std::string& username) {
    const auto response = LogIn(username);
    EXPECT_EQ(response.status, 303) << response.body;
    return SessionCookie(response);
  }

  // The CSRF token of the signed-in session, as its pages carry it.
  std::string CsrfOf(const std::string& cookie) {
    return TextAfter(Get("/contrasena", cookie).body, "name=\"csrf\" value=\"", '"');
  }

  // What a page says right after `marker`, up to `end` ("" when the marker is not there).
  static std::string TextAfter(const std::string& page, std::string_view marker, char end) {
    const auto at = page.find(marker);
    if (at == std::string::npos) return "";
    const auto start = at + marker.size();
    return page.substr(start, page.find(end, start) - start);
  }

  // The boleta version a page's decision forms carry (the first one on the page).
  static std::string SeenVersion(const std::string& page) {
    return TextAfter(page, "name=\"version\" value=\"", '"');
  }

  static std::string Encode(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) != 0) {
        out += static_cast<char>(c);
      } else {
        char buffer[4];
        std::snprintf(buffer, sizeof buffer, "%%%02X", c);
        out += buffer;
      }
    }
    return out;
  }

  TestDatabase db_;
  testing::FakeClock clock_;
  storage::Database database_;
  workflow::BusinessCalendar calendar_;
  workflow::LocalTime local_;
  workflow::SlaClock sla_;
  std::unique_ptr<classify::ClassifierHolder> classifiers_;
  workflow::BoletaWorkflow workflow_;
  media::MediaStore media_;
  http::Router router_;
  web::StaffWeb web_;
  std::string remote_address_ = "192.0.2.10";  // where the fixture's requests come from
};

}  // namespace sac::testing
