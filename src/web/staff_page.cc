#include "web/staff_page.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "conversation/replies.h"
#include "http/multipart.h"
#include "http/query.h"

namespace sac::web {

// Every page: no inline script or style, nothing from elsewhere, never framed.
void SecureHeaders(HttpResponse& response) {
  response.headers.Add("Content-Security-Policy",
                       "default-src 'self'; script-src 'self'; style-src 'self'; "
                       "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                       "form-action 'self'; frame-ancestors 'none'");
  response.headers.Add("X-Content-Type-Options", "nosniff");
  response.headers.Add("Referrer-Policy", "same-origin");
  response.headers.Add("Cache-Control", "no-store");
}

const char* RoleName(std::string_view role) {
  if (role == "administrador") return "Administración";
  if (role == "atencion_ciudadana") return "Atención Ciudadana";
  if (role == "enlace") return "Enlace de dependencia";
  if (role == "director") return "Dirección";
  return "";
}

// The page around `content`: header with who is signed in and the sign-out button.
std::string ChannelLabel(std::string_view channel) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"whatsapp", "WhatsApp"},        {"telegram", "Telegram"},
      {"messenger", "Messenger"},      {"instagram", "Instagram"},
      {"twilio_sms", "SMS"},           {"email", "Correo electrónico"},
      {"open311", "App Mazatlán"},     {"telefono", "Llamada telefónica"},
      {"modulo", "Módulo"},            {"recorrido", "Recorrido"}};
  for (const auto& [id, label] : kLabels) {
    if (id == channel) return std::string(label);
  }
  return std::string(channel);
}

std::string SpanishDay(const workflow::LocalTime& local, TimePoint instant) {
  const std::chrono::year_month_day day(local.LocalDate(instant));
  return conversation::SpanishDate(static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                                   static_cast<unsigned>(day.day()));
}

std::string SpanishDayTime(const workflow::LocalTime& local, TimePoint instant) {
  const auto since_midnight = instant - local.StartOfDay(local.LocalDate(instant));
  const auto minutes = std::clamp<long long>(
      std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count(), 0, 24 * 60 - 1);
  char clock[32];
  std::snprintf(clock, sizeof clock, "%02lld:%02lld", minutes / 60, minutes % 60);
  return SpanishDay(local, instant) + ", " + clock;
}

TimePoint FromEpoch(double seconds) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::duration<double>(seconds)));
}

const log::Logger& StaffLog() {
  static const log::Logger logger("staff_web");
  return logger;
}

std::string PhoneForPeople(std::string_view e164) {
  if (e164.size() == 13 && e164.substr(0, 3) == "+52") {
    const std::string_view digits = e164.substr(3);
    return std::string(digits.substr(0, 3)) + " " + std::string(digits.substr(3, 3)) + " " +
           std::string(digits.substr(6));
  }
  return std::string(e164);
}

HttpResponse Document(int status, std::string_view title, const Html& content,
                      const StaffSession* session) {
  Html page;
  page.Markup("<!doctype html>\n<html lang=\"es-MX\"><head><meta charset=\"utf-8\">"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
              // htmx must not add its indicator <style>: the CSP allows no inline style.
              "<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\":false}'>"
              "<title>")
      .Text(title)
      .Markup(" · SAC Mazatlán</title><link rel=\"icon\" href=\"data:,\">"
              "<link rel=\"stylesheet\" href=\"/static/sac.css\">"
              "</head><body><header class=\"barra\"><a class=\"marca\" href=\"/\">SAC "
              "<span>Atención Ciudadana · Mazatlán</span></a>");
  if (session != nullptr) {
    page.Markup("<div class=\"quien\"><span>")
        .Text(session->user.display_name)
        .Markup("</span> <small>")
        .Text(RoleName(session->user.role))
        .Markup("</small><a href=\"/contrasena\">Contraseña</a><a href=\"/seguridad\">Seguridad</a>"
                "<form method=\"post\" action=\"/salir\">")
        .Append(CsrfField(*session))
        .Markup("<button type=\"submit\">Salir</button></form></div>");
  }
  page.Markup("</header>");
  if (session != nullptr) {
    page.Markup("<nav><a href=\"/\">Inicio</a><a href=\"/bandeja\">Bandeja</a>"
                "<a href=\"/seguimiento\">Seguimiento</a><a href=\"/busqueda\">Búsqueda</a>");
    const std::string& role = session->user.role;
    if (role == "administrador" || role == "atencion_ciudadana") {
      page.Markup("<a href=\"/clasificacion\">Clasificación</a><a href=\"/captura\">Captura</a>");
    }
    if (role != "enlace") {
      page.Markup("<a href=\"/validacion\">Validación</a><a href=\"/estadisticas\">Estadísticas</a>");
    }
    page.Markup("<a href=\"/reunion\">Reunión mensual</a>");
    if (role == "administrador") page.Markup("<a href=\"/admin\">Administración</a>");
    page.Markup("</nav>");
  }
  page.Markup("<main>").Append(content).Markup("</main></body></html>\n");
  HttpResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = page.Take();
  SecureHeaders(response);
  return response;
}

HttpResponse RedirectDone(const std::string& path, std::string_view done) {
  return Redirect(path + (path.find('?') == std::string::npos ? "?" : "&") +
                  http::EncodeForm({{"hecho", std::string(done)}}));
}

Html DoneNotice(const HttpRequest& request) {
  Html notice;
  const auto query = http::ParseQuery(request.query);
  if (query && query->contains("hecho")) {
    notice.Markup("<p class=\"hecho\" role=\"status\">").Text(query->at("hecho")).Markup("</p>");
  }
  return notice;
}

std::string Percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + " %";
}

HttpResponse Redirect(std::string location) {
  HttpResponse response;
  response.status = 303;
  response.headers.Add("Location", std::move(location));
  SecureHeaders(response);
  return response;
}

HttpResponse Message(int status, std::string_view title, std::string_view text,
                     const StaffSession* session) {
  Html content;
  content.Markup("<section class=\"aviso\"><h1>").Text(title).Markup("</h1><p>").Text(text)
      .Markup("</p><p><a href=\"/\">Volver al inicio</a></p></section>");
  return Document(status, title, content, session);
}

Form FormOf(const HttpRequest& request) {
  Form fields;
  const auto content_type = request.headers.Get("Content-Type");
  if (content_type && !http::MultipartBoundary(*content_type).empty()) {
    // A form that carries files: its plain fields (the files are read by the page that wants them).
    const auto parts = http::ParseMultipart(*content_type, request.body, kMaxMultipartParts);
    if (!parts) return fields;
    for (const auto& part : *parts) {
      if (part.filename.empty()) fields.emplace(part.name, std::string(part.data));
    }
    return fields;
  }
  // The route's body limit bounds the form; the count only guards against a flood of empty fields.
  auto parsed = http::ParseForm(request.body, 4096);
  if (!parsed) return fields;
  for (auto& [name, value] : *parsed) fields.emplace(std::move(name), std::move(value));
  return fields;
}

std::string Field(const Form& form, std::string_view name) {
  const auto found = form.find(name);
  return found == form.end() ? std::string() : found->second;
}

Html CsrfField(const StaffSession& session) {
  Html field;
  field.Markup("<input type=\"hidden\" name=\"csrf\"").Attr("value", session.csrf_token).Markup(">");
  return field;
}

Html SeenVersionField(int status_version) {
  Html field;
  field.Markup("<input type=\"hidden\" name=\"version\"")
      .Attr("value", std::to_string(status_version))
      .Markup(">");
  return field;
}

Result<std::optional<int>> SeenVersionOf(const Form& form) {
  const std::string text = Field(form, "version");
  if (text.empty()) return std::optional<int>();
  int version = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (error != std::errc() || end != text.data() + text.size() || version < 0) {
    return MakeError(Errc::kInvalidArgument, "La página no dijo qué versión de la boleta veías.");
  }
  return std::optional<int>(version);
}

int FormRefusalStatus(Errc code) {
  switch (code) {
    case Errc::kNotFound: return 404;
    case Errc::kPermissionDenied: return 403;
    case Errc::kConflict:
    case Errc::kStale: return 409;
    default: return 400;
  }
}

std::optional<std::int64_t> IdInQuery(std::string_view query, std::string_view name) {
  if (!query.starts_with(name) || query.substr(name.size(), 1) != "=") return std::nullopt;
  const std::string_view text = query.substr(name.size() + 1);
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace sac::web
