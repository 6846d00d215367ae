// Administración, the catalogues SAC works from: the dependencias (with their plazos, contacts,
// enlaces and pending work), the calendar of días inhábiles with the legal source of each day,
// and every message SAC writes to citizens, shown with example values. The catalogues are
// files under review — rules/dependencias.toml, rules/calendario.toml, and
// src/conversation/replies.cc for the wording — so these pages show them and say where they
// change, rather than editing them behind the review's back.
#include <charconv>
#include <map>

#include "conversation/replies.h"
#include "http/query.h"
#include "routing/dependencias.h"
#include "web/staff_page.h"
#include "web/staff_web.h"
#include "workflow/business_calendar.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr Statement kDependencias{
    "admin.dependencias",
    "SELECT d.id, d.name, d.sla_business_days, d.contact, d.active,"
    "  coalesce((SELECT string_agg(o.categoria || ': ' || o.sla_business_days, ', '"
    "                              ORDER BY o.categoria)"
    "            FROM sla_override o WHERE o.dependencia_id = d.id), ''),"
    "  coalesce((SELECT string_agg(u.display_name, ', ' ORDER BY u.display_name)"
    "            FROM staff_user_dependencia b JOIN staff_user u ON u.id = b.user_id"
    "            WHERE b.dependencia_id = d.id AND u.active), ''),"
    "  (SELECT count(*) FROM boleta b WHERE b.dependencia_id = d.id AND b.status IN"
    "     ('canalizada', 'leida', 'programada', 'en_seguimiento', 'inconformidad')),"
    "  (SELECT count(*) FROM boleta b WHERE b.dependencia_id = d.id AND b.due_at < $1 AND b.status IN"
    "     ('canalizada', 'leida', 'programada', 'en_seguimiento', 'inconformidad')) "
    "FROM dependencia d ORDER BY d.active DESC, d.name"};

const char* kWeekdays[] = {"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"};

void Sample(Html& content, const char* when, const std::string& text) {
  content.Markup("<tr><th scope=\"row\">").Text(when).Markup("</th><td class=\"mensaje\">")
      .Text(text).Markup("</td></tr>");
}

}  // namespace

HttpResponse StaffWeb::AdminDependencias(Tx& tx, const HttpRequest& /*request*/,
                                         const StaffSession& session) {
  const auto classifier = classifiers_.Current();
  const classify::RuleSet& rules = classifier->rules();
  // What each one attends, as the catalogue file says it (for staff who route by hand).
  std::map<std::string, std::string, std::less<>> handles;
  if (const auto file = routing::LoadDependencias(rules.dir() / "dependencias.toml")) {
    for (const auto& dependencia : *file) handles[dependencia.id] = dependencia.handles;
  }
  std::map<std::string, int, std::less<>> categorias;
  for (const auto& categoria : rules.categorias()) ++categorias[categoria.dependencia];

  Html content;
  content.Markup("<h1>Dependencias</h1><p>El catálogo vive en <code>rules/dependencias.toml</code> "
                 "(nombre, plazo en días hábiles, plazos por categoría, contacto, qué atiende) y se "
                 "aplica con <code>sac seed</code>; los enlaces de cada dependencia se asignan en "
                 "<a href=\"/admin/usuarios\">Usuarios</a>.</p>"
                 "<table class=\"lista\"><thead><tr><th>Dependencia</th><th>Atiende</th>"
                 "<th>Plazo</th><th>Plazos por categoría</th><th>Contacto</th><th>Enlaces</th>"
                 "<th>Categorías</th><th>Pendientes</th><th>Vencidas</th></tr></thead><tbody>");
  const auto rows = tx.Exec(kDependencias, {clock_.Now()});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = rows[i];
    const std::string id = row.Text(0);
    const auto attends = handles.find(id);
    const auto count = categorias.find(id);
    content.Markup("<tr><td>").Text(row.Text(1)).Markup(" <small><code>").Text(id)
        .Markup("</code></small>");
    if (!row.Bool(4)) content.Markup(" <small>(inactiva)</small>");
    content.Markup("</td><td>").Text(attends != handles.end() ? attends->second : "")
        .Markup("</td><td>").Number(row.Int(2)).Markup(" días hábiles</td><td>")
        .Text(row.Text(5).empty() ? "—" : row.Text(5))
        .Markup("</td><td>").Text(row.Text(3))
        .Markup("</td><td>").Text(row.Text(6).empty() ? "sin enlace" : row.Text(6))
        .Markup("</td><td>").Number(count != categorias.end() ? count->second : 0)
        .Markup("</td><td><a").Attr("href", "/bandeja?dependencia=" + id).Markup(">")
        .Number(row.Int(7)).Markup("</a></td><td>").Number(row.Int(8)).Markup("</td></tr>");
  }
  content.Markup("</tbody></table>");
  return Document(200, "Dependencias", content, &session);
}

HttpResponse StaffWeb::AdminCalendar(Tx& /*tx*/, const HttpRequest& request,
                                     const StaffSession& session) {
  const std::chrono::year_month_day today(local_.LocalDate(clock_.Now()));
  int year = static_cast<int>(today.year());
  const auto query = http::ParseQuery(request.query);
  if (query && query->contains("anio")) {
    const std::string& text = query->at("anio");
    int asked = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), asked);
    if (error != std::errc() || end != text.data() + text.size() || asked < 2000 || asked > 2100) {
      return Message(400, "Año inválido", "Escribe un año entre 2000 y 2100.", &session);
    }
    year = asked;
  }
  const auto days = sla_.calendar().DaysOff(year);
  Html content;
  content.Markup("<h1>Días inhábiles de ").Number(year)
      .Markup("</h1><form class=\"filtros\" method=\"get\" action=\"/admin/calendario\"><label>Año "
              "<input name=\"anio\" type=\"number\" min=\"2000\" max=\"2100\"")
      .Attr("value", std::to_string(year))
      .Markup("></label><button type=\"submit\">Ver</button></form>"
              "<p>Además de sábados y domingos. Los plazos de 10 días hábiles se cuentan sin estos "
              "días. Las reglas están en <code>rules/calendario.toml</code>, cada una con su "
              "fundamento; los periodos vacacionales que acuerda el Cabildo se agregan ahí con su "
              "acuerdo.</p><table class=\"lista\"><thead><tr><th>Fecha</th><th>Día</th>"
              "<th>Motivo</th><th>Fundamento</th></tr></thead><tbody>");
  for (const workflow::DayOff& day : days) {
    const std::chrono::year_month_day date(day.date);
    const std::chrono::weekday weekday(day.date);
    content.Markup("<tr><td>")
        .Text(conversation::SpanishDate(static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                                        static_cast<unsigned>(date.day())))
        .Markup("</td><td>").Text(kWeekdays[weekday.c_encoding()])
        .Markup("</td><td>").Text(day.name).Markup("</td><td>").Text(day.source).Markup("</td></tr>");
  }
  content.Markup("</tbody></table>");
  if (days.empty()) content.Markup("<p>Ningún día inhábil registrado para ese año.</p>");
  return Document(200, "Calendario", content, &session);
}

HttpResponse StaffWeb::AdminTemplates(Tx& /*tx*/, const HttpRequest& /*request*/,
                                      const StaffSession& session) {
  namespace reply = conversation;
  const std::string folio = "2026-000123";
  const std::string dependencia = "JUMAPAM";
  reply::BoletaView view;
  view.folio = folio;
  view.status = "programada";
  view.dependencia = dependencia;
  view.created = "10 de marzo de 2026";
  view.due = "24 de marzo de 2026";
  view.scheduled = "18 de marzo de 2026";

  Html content;
  content.Markup("<h1>Mensajes a los ciudadanos</h1><p>Lo que SAC escribe, con datos de ejemplo. "
                 "Todos los textos están en un solo lugar del código, "
                 "<code>src/conversation/replies.cc</code>, para que cambiar la redacción no toque "
                 "la lógica; en WhatsApp, fuera de la ventana de 24 horas se usan las plantillas "
                 "aprobadas por Meta que indica la configuración "
                 "(<code>[channels.whatsapp.templates]</code>).</p>");
  content.Markup("<h2>Al recibir una petición</h2><table class=\"mensajes\"><tbody>");
  Sample(content, "Primer contacto (aviso de privacidad)",
         reply::PrivacyNotice("https://sac.mazatlan.gob.mx/privacidad"));
  Sample(content, "Petición registrada, espera clasificación", reply::BoletaRegistered(folio));
  Sample(content, "Petición canalizada al momento", reply::BoletaRouted(folio, dependencia, 10));
  Sample(content, "No es del Ayuntamiento", reply::BoletaExternal(folio, "CFE, 071"));
  Sample(content, "Falta la ubicación", reply::AskLocation(folio, true));
  Sample(content, "Ubicación recibida", reply::LocationAdded(folio));
  Sample(content, "Nota agregada a una boleta", reply::NoteAdded(folio));
  Sample(content, "Duplicada", reply::MarkedDuplicate(folio, "2026-000098"));
  Sample(content, "Pregunta de Atención Ciudadana",
         reply::StaffQuestion(folio, "¿Entre qué calles está la fuga?"));
  Sample(content, "Mensaje que no se puede leer", reply::UnsupportedMessage());
  Sample(content, "Mensaje que no se entiende", reply::NotUnderstood());
  content.Markup("</tbody></table><h2>Consultas del ciudadano</h2><table class=\"mensajes\"><tbody>");
  Sample(content, "Estado de una boleta", reply::BoletaStatusAnswer(view));
  Sample(content, "Sus boletas abiertas", reply::OpenBoletasList({view}));
  Sample(content, "No tiene boletas abiertas", reply::NoOpenBoletas());
  Sample(content, "Folio inexistente", reply::FolioNotFound(folio));
  Sample(content, "Folio de otra persona", reply::FolioNotTheirs(folio));
  Sample(content, "Estado de cuenta: qué datos se piden", reply::AskAccountData());
  Sample(content, "Estado de cuenta registrado", reply::AccountRequestRegistered(folio));
  Sample(content, "CURP: qué se pide", reply::AskCurp());
  Sample(content, "CURP con dígito verificador equivocado", reply::CurpLooksWrong("GOMC800101HSLNRR09"));
  Sample(content, "Trámite de CURP registrado", reply::CurpRequestRegistered(folio));
  content.Markup("</tbody></table><h2>Avisos de estado</h2><table class=\"mensajes\"><tbody>");
  Sample(content, "Programada", reply::ScheduledNotice(folio, dependencia, "18 de marzo de 2026"));
  Sample(content, "Atendida", reply::AttendedNotice(folio, dependencia));
  Sample(content, "No procede", reply::NotProceedingNotice(folio, "El predio es de propiedad privada."));
  Sample(content, "Plazo vencido", reply::OverdueCheckIn(folio, dependencia));
  content.Markup("</tbody></table><h2>Encuesta mensual</h2><table class=\"mensajes\"><tbody>");
  Sample(content, "Pregunta", reply::SurveyQuestion(folio, "marzo"));
  Sample(content, "Botones", reply::SurveyYesButton() + " · " + reply::SurveyNoButton());
  Sample(content, "Gracias, resuelto", reply::SurveyThanksResolved(folio));
  Sample(content, "Gracias, se reabre", reply::SurveyThanksReopened(folio, dependencia));
  content.Markup("</tbody></table><h2>Otros</h2><table class=\"mensajes\"><tbody>");
  Sample(content, "Bienvenida (Telegram, Messenger)", reply::Welcome());
  Sample(content, "Teléfono ligado (Telegram)", reply::PhoneLinked());
  content.Markup("</tbody></table>");
  return Document(200, "Mensajes", content, &session);
}

}  // namespace sac::web
