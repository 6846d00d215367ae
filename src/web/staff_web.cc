#include "web/staff_web.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

#include "crypto/digest.h"
#include "crypto/password.h"
#include "http/client_address.h"
#include "http/limits.h"
#include "http/query.h"
#include "observability/log.h"
#include "web/html.h"
#include "web/password_policy.h"
#include "web/second_factor.h"
#include "web/sign_in_pages.h"
#include "web/staff_page.h"
#include "web/vendored_assets.h"
#include "web/login_throttle.h"
#include "workflow/boleta_queries.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr std::size_t kFormBytes = 16 * 1024;

constexpr Statement kUserByName{
    "staff.by_username",
    "SELECT id, password_hash, must_change_password, totp_enabled_at IS NOT NULL FROM staff_user "
    "WHERE username = $1 AND active"};
constexpr Statement kPasswordOf{"staff.password_of",
                                "SELECT password_hash FROM staff_user WHERE id = $1"};
constexpr Statement kSetPassword{
    "staff.set_password",
    "UPDATE staff_user SET password_hash = $2, must_change_password = false WHERE id = $1"};
constexpr Statement kQueueCount{"staff.queue_count",
                                "SELECT count(*) FROM boleta WHERE status = 'por_clasificar'"};
constexpr Statement kDependenciaNames{"staff.dependencia_names",
                                      "SELECT id, name FROM dependencia ORDER BY name"};

std::string NormalisedUsername(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!text.empty() && text.back() == ' ') text.pop_back();
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  return text;
}

// A hash to verify against when the username does not exist, so that an unknown user takes as
// long to refuse as a wrong password (no username discovery by timing).
const std::string& DecoyHash() {
  static const std::string hash = crypto::HashPassword(crypto::RandomToken(16));
  return hash;
}

}  // namespace

const std::vector<StaffPage>& StaffPages() {
  static const std::vector<StaffPage> pages = {
      {"GET", "/", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"GET", "/contrasena", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"POST", "/contrasena", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"POST", "/salir", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"GET", "/seguridad", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"POST", "/seguridad", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"GET", "/clasificacion", {"administrador", "atencion_ciudadana"}},
      {"GET", "/bandeja", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"GET", "/boletas/{folio}", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"GET", "/boletas/{folio}/archivos/{archivo}",
       {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"POST", "/boletas/{folio}/estado", {"administrador", "atencion_ciudadana", "enlace"}},
      {"POST", "/boletas/{folio}/nota", {"administrador", "atencion_ciudadana", "enlace"}},
      {"POST", "/boletas/{folio}/responder", {"administrador", "atencion_ciudadana"}},
      {"POST", "/bandeja/leidas", {"enlace"}},
      {"GET", "/seguimiento", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"POST", "/seguimiento/{folio}/llamada", {"administrador", "atencion_ciudadana"}},
      {"GET", "/busqueda", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"POST", "/busqueda", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"GET", "/estadisticas", {"administrador", "atencion_ciudadana", "director"}},
      {"GET", "/validacion", {"administrador", "atencion_ciudadana", "director"}},
      {"POST", "/validacion/{folio}", {"administrador", "atencion_ciudadana"}},
      {"GET", "/admin", {"administrador"}},
      {"GET", "/admin/reglas", {"administrador"}},
      {"POST", "/admin/reglas/recargar", {"administrador"}},
      {"GET", "/admin/reglas/propuestas.tsv", {"administrador"}},
      {"POST", "/admin/reglas/propuestas/incorporadas", {"administrador"}},
      {"GET", "/admin/usuarios", {"administrador"}},
      {"POST", "/admin/usuarios", {"administrador"}},
      {"POST", "/admin/usuarios/{usuario}", {"administrador"}},
      {"GET", "/admin/dependencias", {"administrador"}},
      {"GET", "/admin/calendario", {"administrador"}},
      {"GET", "/admin/plantillas", {"administrador"}},
      {"GET", "/admin/cuarentena", {"administrador"}},
      {"POST", "/admin/cuarentena/reintentar", {"administrador"}},
      {"POST", "/admin/cuarentena/revisado", {"administrador"}},
      {"GET", "/admin/envios", {"administrador"}},
      {"POST", "/admin/envios/reenviar", {"administrador"}},
      {"POST", "/admin/envios/enviada", {"administrador"}},
      {"GET", "/reunion", {"administrador", "atencion_ciudadana", "enlace", "director"}},
      {"GET", "/exportar/{archivo}", {"administrador", "atencion_ciudadana", "director"}},
      {"GET", "/captura", {"administrador", "atencion_ciudadana"}},
      {"POST", "/captura", {"administrador", "atencion_ciudadana"}},
      {"GET", "/captura/{folio}", {"administrador", "atencion_ciudadana"}},
      {"POST", "/captura/sugerencia", {"administrador", "atencion_ciudadana"}},
      {"POST", "/clasificacion/{id}/canalizar", {"administrador", "atencion_ciudadana"}},
      {"POST", "/clasificacion/{id}/no-procede", {"administrador", "atencion_ciudadana"}},
      {"POST", "/clasificacion/{id}/duplicada", {"administrador", "atencion_ciudadana"}},
      {"POST", "/clasificacion/{id}/preguntar", {"administrador", "atencion_ciudadana"}},
  };
  return pages;
}

void StaffWeb::AddRoutes(http::Router& router) {
  router.Add({"GET", "/login", "staff_login", http::kNoBody,
              [this](const HttpRequest& r) { return LoginForm(r); }});
  router.Add({"POST", "/login", "staff_login", kFormBytes,
              [this](const HttpRequest& r) { return Login(r); }});
  router.Add({"POST", "/login/codigo", "staff_login_code", kFormBytes,
              [this](const HttpRequest& r) { return LoginCode(r); }});
  router.Add({"GET", "/seguridad", "staff_security", http::kNoBody, [this](const HttpRequest& r) {
                return Guard(r, "/seguridad", &StaffWeb::SecurityPage);
              }});
  router.Add({"POST", "/seguridad", "staff_security", kFormBytes, [this](const HttpRequest& r) {
                return Guard(r, "/seguridad", &StaffWeb::EnableSecondFactor);
              }});
  // Our stylesheet and scripts, and the vendored libraries: same-origin files, as the CSP wants.
  const auto file = [](const char* content_type, std::string_view body) {
    HttpResponse response;
    response.content_type = content_type;
    response.body = std::string(body);
    response.headers.Add("Cache-Control", "public, max-age=3600");
    response.headers.Add("X-Content-Type-Options", "nosniff");
    return response;
  };
  router.Add({"GET", "/static/sac.css", "staff_static", http::kNoBody, [file](const HttpRequest&) {
                return file("text/css; charset=utf-8", StaffStylesheet());
              }});
  router.Add({"GET", "/static/estadisticas.js", "staff_static", http::kNoBody,
              [file](const HttpRequest&) {
                return file("text/javascript; charset=utf-8", StatisticsScript());
              }});
  router.Add({"GET", "/static/bandeja.js", "staff_static", http::kNoBody,
              [file](const HttpRequest&) { return file("text/javascript; charset=utf-8", QueueScript()); }});
  router.Add({"GET", "/static/{archivo}", "staff_static", http::kNoBody,
              [file](const HttpRequest& r) {
                const auto asset = VendoredAsset(r.path_params.at("archivo"));
                if (!asset) return HttpResponse::Text(404, "no existe\n");
                return file("text/javascript; charset=utf-8", *asset);
              }});
  router.Add({"GET", "/", "staff_home", http::kNoBody,
              [this](const HttpRequest& r) { return Guard(r, "/", &StaffWeb::Home); }});
  router.Add({"GET", "/contrasena", "staff_password", http::kNoBody, [this](const HttpRequest& r) {
                return Guard(r, "/contrasena", &StaffWeb::PasswordForm);
              }});
  router.Add({"POST", "/contrasena", "staff_password", kFormBytes, [this](const HttpRequest& r) {
                return Guard(r, "/contrasena", &StaffWeb::ChangePassword);
              }});
  router.Add({"POST", "/salir", "staff_logout", kFormBytes,
              [this](const HttpRequest& r) { return Logout(r); }});
  router.Add({"GET", "/clasificacion", "staff_queue", http::kNoBody, [this](const HttpRequest& r) {
                return Guard(r, "/clasificacion", &StaffWeb::Queue);
              }});
  router.Add({"GET", "/bandeja", "staff_inbox", http::kNoBody, [this](const HttpRequest& r) {
                return Guard(r, "/bandeja", &StaffWeb::DependenciaInbox);
              }});
  router.Add({"POST", "/bandeja/leidas", "staff_inbox", kFormBytes, [this](const HttpRequest& r) {
                return Guard(r, "/bandeja/leidas", &StaffWeb::MarkRead);
              }});
  router.Add({"GET", "/boletas/{folio}", "staff_boleta", http::kNoBody,
              [this](const HttpRequest& r) { return Guard(r, "/boletas/{folio}", &StaffWeb::BoletaPage); }});
  router.Add({"GET", "/boletas/{folio}/archivos/{archivo}", "staff_boleta_file", http::kNoBody,
              [this](const HttpRequest& r) {
                return Guard(r, "/boletas/{folio}/archivos/{archivo}", &StaffWeb::BoletaFile);
              }});
  const std::pair<const char*, Page> boleta_actions[] = {
      {"/boletas/{folio}/estado", &StaffWeb::BoletaChange},
      {"/boletas/{folio}/nota", &StaffWeb::BoletaNote},
      {"/boletas/{folio}/responder", &StaffWeb::BoletaReply}};
  for (const auto& [path, page] : boleta_actions) {
    router.Add({"POST", path, "staff_boleta_action", kFormBytes,
                [this, path = std::string(path), page = page](const HttpRequest& r) {
                  return Guard(r, path, page);
                }});
  }
  router.Add({"GET", "/seguimiento", "staff_follow_up", http::kNoBody, [this](const HttpRequest& r) {
                return Guard(r, "/seguimiento", &StaffWeb::FollowUp);
              }});
  router.Add({"POST", "/seguimiento/{folio}/llamada", "staff_follow_up", kFormBytes,
              [this](const HttpRequest& r) {
                return Guard(r, "/seguimiento/{folio}/llamada", &StaffWeb::RecordCall);
              }});
  router.Add({"GET", "/busqueda", "staff_search", http::kNoBody, [this](const HttpRequest& r) {
                return Guard(r, "/busqueda", &StaffWeb::Search);
              }});
  router.Add({"POST", "/busqueda", "staff_search", kFormBytes, [this](const HttpRequest& r) {
                return Guard(r, "/busqueda", &StaffWeb::Search);
              }});
  router.Add({"GET", "/estadisticas", "staff_statistics", http::kNoBody,
              [this](const HttpRequest& r) { return Guard(r, "/estadisticas", &StaffWeb::Statistics); }});
  router.Add({"GET", "/validacion", "staff_validation", http::kNoBody,
              [this](const HttpRequest& r) { return Guard(r, "/validacion", &StaffWeb::Validation); }});
  router.Add({"POST", "/validacion/{folio}", "staff_validation", kFormBytes,
              [this](const HttpRequest& r) {
                return Guard(r, "/validacion/{folio}", &StaffWeb::RecordValidation);
              }});
  const std::tuple<const char*, const char*, Page> admin_pages[] = {
      {"GET", "/admin", &StaffWeb::AdminHome},
      {"GET", "/admin/reglas", &StaffWeb::AdminRules},
      {"POST", "/admin/reglas/recargar", &StaffWeb::ReloadRules},
      {"GET", "/admin/reglas/propuestas.tsv", &StaffWeb::ProposedCases},
      {"POST", "/admin/reglas/propuestas/incorporadas", &StaffWeb::MarkCasesAdded},
      {"GET", "/admin/usuarios", &StaffWeb::AdminUsers},
      {"POST", "/admin/usuarios", &StaffWeb::CreateUser},
      {"POST", "/admin/usuarios/{usuario}", &StaffWeb::ChangeUser},
      {"GET", "/admin/dependencias", &StaffWeb::AdminDependencias},
      {"GET", "/admin/calendario", &StaffWeb::AdminCalendar},
      {"GET", "/admin/plantillas", &StaffWeb::AdminTemplates},
      {"GET", "/admin/cuarentena", &StaffWeb::Quarantine},
      {"POST", "/admin/cuarentena/reintentar", &StaffWeb::RetryQuarantined},
      {"POST", "/admin/cuarentena/revisado", &StaffWeb::MailReviewed},
      {"GET", "/admin/envios", &StaffWeb::Sends},
      {"POST", "/admin/envios/reenviar", &StaffWeb::SendAgain},
      {"POST", "/admin/envios/enviada", &StaffWeb::RecordSent}};
  for (const auto& [method, path, page] : admin_pages) {
    router.Add({method, path, "staff_admin", std::string_view(method) == "GET" ? http::kNoBody : kFormBytes,
                [this, path = std::string(path), page = page](const HttpRequest& r) {
                  return Guard(r, path, page);
                }});
  }
  router.Add({"GET", "/reunion", "staff_meeting", http::kNoBody,
              [this](const HttpRequest& r) { return Guard(r, "/reunion", &StaffWeb::Meeting); }});
  router.Add({"GET", "/exportar/{archivo}", "staff_export", http::kNoBody,
              [this](const HttpRequest& r) { return Guard(r, "/exportar/{archivo}", &StaffWeb::Export); }});
  // Open data: public, nothing personal in it (exports.cc).
  router.Add({"GET", "/datos-abiertos", "open_data", http::kNoBody,
              [this](const HttpRequest& r) { return OpenDataIndex(r); }});
  router.Add({"GET", "/datos-abiertos/{archivo}", "open_data", http::kNoBody,
              [this](const HttpRequest& r) { return OpenData(r); }});
  router.Add({"GET", "/captura", "staff_capture", http::kNoBody, [this](const HttpRequest& r) {
                return Guard(r, "/captura", &StaffWeb::CaptureForm);
              }});
  // Captura carries up to three photos (multipart/form-data).
  constexpr std::size_t kCaptureBytes = 3 * StaffWeb::kMaxPhotoBytes + 64 * 1024;
  router.Add({"POST", "/captura", "staff_capture", kCaptureBytes, [this](const HttpRequest& r) {
                return Guard(r, "/captura", &StaffWeb::Capture);
              }});
  router.Add({"POST", "/captura/sugerencia", "staff_capture_hint", kFormBytes,
              [this](const HttpRequest& r) {
                return Guard(r, "/captura/sugerencia", &StaffWeb::CaptureHint);
              }});
  router.Add({"GET", "/captura/{folio}", "staff_capture", http::kNoBody,
              [this](const HttpRequest& r) { return Guard(r, "/captura/{folio}", &StaffWeb::Captured); }});
  const std::pair<const char*, Page> decisions[] = {
      {"/clasificacion/{id}/canalizar", &StaffWeb::Canalize},
      {"/clasificacion/{id}/no-procede", &StaffWeb::NotProceeding},
      {"/clasificacion/{id}/duplicada", &StaffWeb::MarkDuplicate},
      {"/clasificacion/{id}/preguntar", &StaffWeb::AskCitizen}};
  for (const auto& [path, page] : decisions) {
    router.Add({"POST", path, "staff_queue_decision", kFormBytes,
                [this, path = std::string(path), page = page](const HttpRequest& r) {
                  return Guard(r, path, page);
                }});
  }
}

HttpResponse StaffWeb::Guard(const HttpRequest& request, std::string_view path, Page page) {
  const auto rule = std::find_if(StaffPages().begin(), StaffPages().end(), [&](const StaffPage& p) {
    return p.method == request.method && p.path == path;
  });
  std::optional<HttpResponse> answer;
  auto done = database_.Transact([&](Tx& tx) {
    const auto session = sessions_.Find(tx, request);
    if (!session) {
      answer = request.method == "GET" ? Redirect("/login")
                                       : Message(401, "Sesión terminada",
                                                 "Tu sesión terminó. Inicia sesión de nuevo.",
                                                 nullptr);
      return;
    }
    if (rule == StaffPages().end() ||
        std::find(rule->roles.begin(), rule->roles.end(), session->user.role) == rule->roles.end()) {
      StaffLog().Warn("page refused to role", {{"path", std::string(path)}, {"role", session->user.role}});
      answer = Message(403, "Sin acceso", "Esta página no es para tu perfil.", &*session);
      return;
    }
    if (request.method != "GET") {
      const std::string token = Field(FormOf(request), "csrf");
      if (!IsSameOrigin(request) || !crypto::ConstantTimeEquals(token, session->csrf_token)) {
        StaffLog().Warn("form refused: wrong token or origin",
                        {{"path", std::string(path)}, {"user_id", session->user.id}});
        answer = Message(403, "Solicitud rechazada",
                         "La página estaba vencida o no vino de SAC. Vuelve a intentarlo.",
                         &*session);
        return;
      }
    }
    if (session->user.must_change_password && path != "/contrasena" && path != "/salir") {
      answer = Redirect("/contrasena");
      return;
    }
    if (sessions_.second_factor_required() && !session->user.second_factor_enabled &&
        path != "/seguridad" && path != "/contrasena" && path != "/salir") {
      answer = Redirect("/seguridad");  // the second factor is on before any citizen's data
      return;
    }
    answer = (this->*page)(tx, request, *session);
  });
  if (!done) {
    StaffLog().Error("staff page failed", {{"path", std::string(path)}, {"error", done.error().message}});
    return Message(503, "No disponible", "SAC no puede atender ahora; intenta en un momento.",
                   nullptr);
  }
  return std::move(*answer);
}

HttpResponse StaffWeb::LoginForm(const HttpRequest& request) {
  std::optional<StaffSession> session;
  (void)database_.Transact([&](Tx& tx) { session = sessions_.Find(tx, request); });
  if (session) return Redirect("/");
  return LoginPage(200, "", "", sessions_.secure_cookie());
}

HttpResponse StaffWeb::Login(const HttpRequest& request) {
  const auto form = FormOf(request);
  const std::string username = NormalisedUsername(Field(form, "usuario"));
  const std::string password = Field(form, "contrasena");
  const auto cookie = CookieValue(request, kLoginCookie);
  if (!IsSameOrigin(request) || !cookie || cookie->empty() ||
      !crypto::ConstantTimeEquals(*cookie, Field(form, "csrf"))) {
    StaffLog().Warn("sign-in form refused: wrong token or origin");
    return LoginPage(403, username, "La página de acceso estaba vencida; vuelve a intentarlo.",
                     sessions_.secure_cookie());
  }
  if (username.empty() || password.empty() || username.size() > 64 || password.size() > 1024) {
    return LoginPage(400, username, "Escribe tu usuario y tu contraseña.", sessions_.secure_cookie());
  }
  const TimePoint now = clock_.Now();
  const std::string source =
      http::ThrottlingKey(http::ClientAddress(request, sessions_.trusted_proxies()));
  const std::string client = http::ClientForLog(request, sessions_.trusted_proxies());
  if (source.empty()) {
    static std::once_flag said;
    std::call_once(said, [] {
      StaffLog().Warn("sign-in from behind a trusted proxy that names no client (X-Forwarded-For):"
                      " failed sign-ins are counted per username only");
    });
  }
  std::optional<HttpResponse> answer;
  auto done = database_.Transact([&](Tx& tx) {
    auto device = TrustedDevices::Vouching(tx, request, username, now);
    if (const auto wait = LoginThrottle::WaitFor(tx, username, source, now, device)) {
      // No username: it may be a password typed in the wrong box. The client's address is the
      // staff's or an attacker's, never a citizen's.
      StaffLog().Warn("sign-in refused: too many failures",
                      {{"wait_seconds", wait->count()}, {"client", client}});
      answer = LoginPage(429, username,
                         "Demasiados intentos fallidos. Espera " + std::to_string(wait->count()) +
                             " segundos y vuelve a intentarlo.",
                         sessions_.secure_cookie());
      answer->headers.Add("Retry-After", std::to_string(wait->count()));
      return;
    }
    const auto rows = tx.Exec(kUserByName, {username});
    const bool known = !rows.empty();
    const bool right = crypto::VerifyPassword(known ? rows.at(0).Text(1) : DecoyHash(), password);
    if (!known || !right) {
      LoginThrottle::RecordFailure(tx, username, source, now, device);
      // No username (it may be a password typed in the wrong box): the account when there is one.
      if (known) {
        StaffLog().Info("sign-in refused: wrong password", {{"user_id", rows.at(0).Int(0)},
                                                             {"client", client},
                                                             {"trusted_browser", device.has_value()}});
      } else {
        StaffLog().Info("sign-in refused: no such account", {{"client", client}});
      }
      answer = LoginPage(401, username, "Usuario o contraseña incorrectos.",
                         sessions_.secure_cookie());
      return;
    }
    if (rows.at(0).Bool(3)) {  // the code from the app comes next; the throttle keeps counting
      answer = CodePage(200, "", *cookie);
      answer->headers.Add("Set-Cookie",
                          StepCookie(OpenSignInStep(tx, rows.at(0).Int(0), now),
                                     sessions_.secure_cookie()));
      StaffLog().Info("password accepted; code asked", {{"user_id", rows.at(0).Int(0)}});
      return;
    }
    // A vouching browser's sign-in leaves others' failures standing: they were not its own.
    if (!device) LoginThrottle::Clear(tx, username);
    answer = SignedIn(tx, request, rows.at(0).Int(0), rows.at(0).Bool(2));
  });
  if (!done) {
    StaffLog().Error("sign-in failed", {{"error", done.error().message}});
    return Message(503, "No disponible", "SAC no puede atender ahora; intenta en un momento.",
                   nullptr);
  }
  return std::move(*answer);
}

HttpResponse StaffWeb::SignedIn(Tx& tx, const HttpRequest& request, std::int64_t user_id,
                               bool must_change_password) {
  sessions_.Destroy(tx, request);  // a session this browser had before ends: one per sign-in
  const std::string id = sessions_.Create(tx, user_id);
  HttpResponse answer = Redirect(must_change_password ? "/contrasena" : "/");
  answer.headers.Add("Set-Cookie", sessions_.CookieFor(id));
  // From now on this browser's wrong tries for the account count against it alone.
  answer.headers.Add("Set-Cookie", TrustedDevices::Remember(tx, request, user_id, clock_.Now(),
                                                            sessions_.secure_cookie()));
  answer.headers.Add("Set-Cookie", ExpiredSignInCookie(kLoginCookie));
  answer.headers.Add("Set-Cookie", ExpiredSignInCookie(kSignInStepCookie));
  const std::string client = http::ClientForLog(request, sessions_.trusted_proxies());
  StaffLog().Info("signed in", {{"user_id", user_id}, {"client", client}});
  return answer;
}

HttpResponse StaffWeb::Logout(const HttpRequest& request) {
  std::optional<HttpResponse> answer;
  auto done = database_.Transact([&](Tx& tx) {
    const auto session = sessions_.Find(tx, request);
    if (session && (!IsSameOrigin(request) ||
                    !crypto::ConstantTimeEquals(Field(FormOf(request), "csrf"), session->csrf_token))) {
      answer = Message(403, "Solicitud rechazada", "La página estaba vencida; vuelve a intentarlo.",
                       &*session);
      return;
    }
    sessions_.Destroy(tx, request);
    answer = Redirect("/login");
    answer->headers.Add("Set-Cookie", sessions_.ExpiredCookie());
  });
  if (!done) return Message(503, "No disponible", "Intenta en un momento.", nullptr);
  return std::move(*answer);
}

HttpResponse StaffWeb::Home(Tx& tx, const HttpRequest& /*request*/, const StaffSession& session) {
  const TimePoint now = clock_.Now();
  const std::int64_t queued = tx.Exec(kQueueCount, {}).at(0).Int(0);
  std::map<std::string, std::string, std::less<>> names;
  const auto rows = tx.Exec(kDependenciaNames, {});
  for (std::size_t i = 0; i < rows.size(); ++i) names[rows[i].Text(0)] = rows[i].Text(1);
  std::vector<workflow::FollowUpEntry> follow_up;
  if (session.user.role == "enlace") {
    for (const std::string& dependencia : session.user.dependencias) {
      auto part = workflow::FollowUpList(tx, sla_, now, dependencia);
      follow_up.insert(follow_up.end(), part.begin(), part.end());
    }
  } else {
    follow_up = workflow::FollowUpList(tx, sla_, now, "");
  }

  struct Counts {
    int overdue = 0, due_soon = 0, unread = 0, disputed = 0;
  };
  std::map<std::string, Counts> by_dependencia;
  for (const auto& entry : follow_up) {
    Counts& counts = by_dependencia[entry.boleta.dependencia_id];
    counts.overdue += entry.overdue ? 1 : 0;
    counts.due_soon += entry.due_soon ? 1 : 0;
    counts.unread += entry.unread_long ? 1 : 0;
    counts.disputed += entry.disputed ? 1 : 0;
  }

  Html content;
  content.Markup("<h1>Hola, ").Text(session.user.display_name).Markup("</h1>");
  if (session.user.role != "enlace") {
    content.Markup("<p class=\"cifra\"><strong>").Number(queued).Markup(
        "</strong> boletas esperan clasificación.");
    if (session.user.role != "director") {
      content.Markup(" <a href=\"/clasificacion\">Ir a la bandeja</a>");
    }
    content.Markup("</p>");
  }
  content.Markup("<h2>Seguimiento de hoy</h2>");
  if (session.user.role == "enlace" && session.user.dependencias.empty()) {
    content.Markup("<p>Tu cuenta aún no está ligada a ninguna dependencia; pídelo a la "
                   "administración.</p>");
  } else if (by_dependencia.empty()) {
    content.Markup("<p>Nada vencido, por vencer, sin leer ni en inconformidad.</p>");
  } else {
    content.Markup("<table><thead><tr><th>Dependencia</th><th>Vencidas</th><th>Por vencer</th>"
                   "<th>Sin leer</th><th>Inconformidades</th></tr></thead><tbody>");
    for (const auto& [dependencia, counts] : by_dependencia) {
      const auto name = names.find(dependencia);
      content.Markup("<tr><td>")
          .Text(name != names.end() ? name->second : dependencia)
          .Markup("</td><td>").Number(counts.overdue)
          .Markup("</td><td>").Number(counts.due_soon)
          .Markup("</td><td>").Number(counts.unread)
          .Markup("</td><td>").Number(counts.disputed)
          .Markup("</td></tr>");
    }
    content.Markup("</tbody></table>");
  }
  return Document(200, "Inicio", content, &session);
}

HttpResponse StaffWeb::PasswordForm(Tx& /*tx*/, const HttpRequest& /*request*/,
                                   const StaffSession& session) {
  Html content;
  content.Markup("<section class=\"acceso\"><h1>Cambiar contraseña</h1>");
  if (session.user.must_change_password) {
    content.Markup("<p>Antes de empezar, elige una contraseña que solo tú conozcas.</p>");
  }
  content.Markup("<form method=\"post\" action=\"/contrasena\">")
      .Append(CsrfField(session))
      .Markup("<label>Contraseña actual <input name=\"actual\" type=\"password\" "
              "autocomplete=\"current-password\" required></label>"
              "<p>Una frase de varias palabras es fácil de recordar y difícil de adivinar. SAC no "
              "acepta contraseñas de las más usadas o filtradas, ni tu nombre de usuario.</p>"
              "<label>Nueva (al menos 12 caracteres) <input name=\"nueva\" type=\"password\" "
              "autocomplete=\"new-password\" minlength=\"12\" required></label>"
              "<label>Repite la nueva <input name=\"repetida\" type=\"password\" "
              "autocomplete=\"new-password\" minlength=\"12\" required></label>"
              "<button type=\"submit\">Guardar</button></form></section>");
  return Document(200, "Cambiar contraseña", content, &session);
}

HttpResponse StaffWeb::ChangePassword(Tx& tx, const HttpRequest& request,
                                     const StaffSession& session) {
  const auto form = FormOf(request);
  const std::string current = Field(form, "actual");
  const std::string next = Field(form, "nueva");
  std::string problem;
  if (next != Field(form, "repetida")) {
    problem = "La nueva contraseña no coincide con la repetida.";
  } else if (next == current) {
    problem = "La nueva contraseña debe ser distinta de la actual.";
  } else if (auto weak = PasswordProblem(next, session.user.username)) {
    problem = std::move(*weak);
  }
  const auto rows = tx.Exec(kPasswordOf, {session.user.id});
  if (problem.empty() && (rows.empty() || !crypto::VerifyPassword(rows.at(0).Text(0), current))) {
    problem = "La contraseña actual no es correcta.";
  }
  if (!problem.empty()) return Message(400, "No se cambió la contraseña", problem, &session);
  tx.Exec(kSetPassword, {session.user.id, crypto::HashPassword(next)});
  // Every other session of this user ends; this browser gets a fresh one. No browser vouches for
  // the account any more (the change may follow a compromise): each earns it again at sign-in.
  SessionStore::DestroyAllOf(tx, session.user.id);
  TrustedDevices::ForgetAll(tx, session.user.id);
  const std::string id = sessions_.Create(tx, session.user.id);
  HttpResponse answer = Redirect("/");
  answer.headers.Add("Set-Cookie", sessions_.CookieFor(id));
  return answer;
}

}  // namespace sac::web
