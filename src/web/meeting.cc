// Reunión mensual: the pack for the directors' and enlaces' meeting — per dependencia, overdue,
// unread and pending boletas with their ages, and the month's figures — on screen, as a PDF to
// print (src/reports/meeting_pack_pdf), and as CSV/XLSX. An enlace gets their dependencias only;
// the others pick one or take all of them.
#include <algorithm>

#include "http/query.h"
#include "reports/meeting_pack.h"
#include "reports/meeting_pack_pdf.h"
#include "web/list_download.h"
#include "web/personal_data_log.h"
#include "web/staff_page.h"
#include "web/staff_web.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr Statement kDependencias{
    "meeting_page.dependencias", "SELECT id, name FROM dependencia WHERE active ORDER BY name"};

// Each list on screen stops here; the PDF and the downloads carry all of it.
constexpr std::size_t kShownPerList = 100;

std::string Days(int days) { return days == 1 ? "1 día" : std::to_string(days) + " días"; }

const char* ListName(const reports::MeetingBoleta& boleta) {
  if (boleta.standing == workflow::Standing::kOverdue) return "Vencida";
  return boleta.unread ? "Sin leer" : "En plazo";
}

}  // namespace

HttpResponse StaffWeb::Meeting(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto query = http::ParseQuery(request.query);
  if (!query) return Message(400, "Solicitud inválida", "La dirección está mal formada.", &session);
  const auto found = query->find("dependencia");
  const std::string wanted = found == query->end() ? std::string() : found->second;
  const auto format = query->find("formato");
  const std::string as = format == query->end() ? std::string() : format->second;

  std::vector<std::pair<std::string, std::string>> choices;
  {
    const auto rows = tx.Exec(kDependencias, {});
    const auto& mine = session.user.dependencias;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string id = rows[i].Text(0);
      if (session.user.role == "enlace" && std::find(mine.begin(), mine.end(), id) == mine.end()) {
        continue;
      }
      choices.emplace_back(id, rows[i].Text(1));
    }
  }
  std::vector<std::string> dependencias;
  if (!wanted.empty()) {
    if (std::none_of(choices.begin(), choices.end(), [&](const auto& c) { return c.first == wanted; })) {
      StaffLog().Warn("meeting pack of another dependencia refused",
                      {{"user_id", session.user.id}, {"dependencia", wanted}});
      return Message(404, "No existe", "No existe esa dependencia.", &session);
    }
    dependencias.push_back(wanted);
  } else {
    for (const auto& [id, _] : choices) dependencias.push_back(id);
  }

  const TimePoint now = clock_.Now();
  reports::MeetingPack pack;
  if (!dependencias.empty()) pack = reports::LoadMeetingPack(tx, sla_, local_, now, dependencias);
  pack.as_of = now;
  const auto classifier = classifiers_.Current();
  const bool on_screen = as != "pdf" && !RequestedFormat(request);
  std::vector<std::int64_t> shown;
  for (auto& section : pack.sections) {
    for (auto* list : {&section.overdue, &section.unread, &section.pending}) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        auto& boleta = (*list)[i];
        boleta.categoria = classifier->rules().CategoriaName(boleta.categoria);
        if (!on_screen || i < kShownPerList) shown.push_back(boleta.id);
      }
    }
  }
  RecordPersonalDataView(tx, session.user.id, shown, {"texto"}, "/reunion", now);
  const std::string stem = "reunion-" + workflow::FormatDate(local_.LocalDate(now)) +
                           (wanted.empty() ? "" : "-" + wanted);

  if (as == "pdf") {
    auto pdf = reports::MeetingPackPdf(pack, local_);
    if (!pdf) return Message(503, "No disponible", "No se pudo escribir el PDF; intenta de nuevo.", &session);
    return Attachment(std::move(*pdf), "application/pdf", stem + ".pdf");
  }
  if (const auto list_format = RequestedFormat(request)) {
    reports::Table table{"Reunión mensual",
                         {"Dependencia", "Lista", "Folio", "Estado", "Categoría", "Colonia",
                          "Canalizada", "Días hábiles", "Plazo", "Días de atraso", "Días sin leer",
                          "Petición"},
                         {}};
    for (const auto& section : pack.sections) {
      for (const auto* list : {&section.overdue, &section.unread, &section.pending}) {
        for (const auto& boleta : *list) {
          table.rows.push_back({section.dependencia_name, ListName(boleta), boleta.folio,
                                workflow::StatusLabel(boleta.status), boleta.categoria,
                                boleta.colonia,
                                workflow::FormatDate(local_.LocalDate(boleta.routed_at)),
                                std::to_string(boleta.business_days_held),
                                workflow::FormatDate(local_.LocalDate(boleta.due_at)),
                                std::to_string(boleta.business_days_overdue),
                                boleta.unread ? std::to_string(boleta.business_days_unread) : "",
                                boleta.text});
        }
      }
    }
    return DownloadTable(table, *list_format, stem, session);
  }

  Html content;
  content.Markup("<h1>Reunión mensual</h1><p>Situación al ").Text(SpanishDayTime(local_, now))
      .Markup(": lo que cada dependencia tiene pendiente, con su antigüedad en días hábiles.</p>"
              "<form class=\"filtros\" method=\"get\" action=\"/reunion\">"
              "<label>Dependencia <select name=\"dependencia\">");
  if (session.user.role != "enlace" || choices.size() > 1) {
    content.Markup("<option value=\"\">Todas</option>");
  }
  for (const auto& [id, name] : choices) {
    content.Markup("<option").Attr("value", id);
    if (id == wanted) content.Markup(" selected");
    content.Markup(">").Text(name).Markup("</option>");
  }
  content.Markup("</select></label><button type=\"submit\">Ver</button></form>");
  auto pdf_parameters = std::vector<std::pair<std::string, std::string>>{{"formato", "pdf"}};
  if (!wanted.empty()) pdf_parameters.insert(pdf_parameters.begin(), {"dependencia", wanted});
  content.Markup("<p class=\"descargas\"><a class=\"boton\"")
      .Attr("href", "/reunion?" + http::EncodeForm(pdf_parameters))
      .Markup(">Descargar el PDF para imprimir</a></p>")
      .Append(DownloadLinks(request));

  // A summary table first: the meeting starts from it.
  content.Markup("<table class=\"cifras\"><caption>Resumen</caption><thead><tr><th>Dependencia</th>"
                 "<th>Pendientes</th><th>Vencidas</th><th>Sin leer</th><th>Por vencer</th>"
                 "<th>Inconformidad</th><th>Atendidas este mes</th><th>En plazo</th></tr></thead><tbody>");
  for (const auto& section : pack.sections) {
    content.Markup("<tr><td>").Text(section.dependencia_name)
        .Markup("</td><td>").Number(section.PendingTotal())
        .Markup("</td><td>").Number(static_cast<long long>(section.overdue.size()))
        .Markup("</td><td>").Number(section.unread_total)
        .Markup("</td><td>").Number(section.due_soon)
        .Markup("</td><td>").Number(section.in_dispute)
        .Markup("</td><td>").Number(section.attended_this_month)
        .Markup("</td><td>").Number(section.attended_on_time_this_month)
        .Markup("</td></tr>");
  }
  content.Markup("</tbody></table>");

  const auto list = [&](const char* title, const std::vector<reports::MeetingBoleta>& boletas,
                        const char* age_title, auto age) {
    if (boletas.empty()) return;
    content.Markup("<h3>").Text(title).Markup(" (").Number(static_cast<long long>(boletas.size()))
        .Markup(")</h3><table class=\"lista\"><thead><tr><th>Folio</th><th>Estado</th>"
                "<th>Categoría</th><th>Colonia</th><th>Canalizada</th><th>Días hábiles</th>"
                "<th>Plazo</th><th>")
        .Text(age_title).Markup("</th><th>Petición</th></tr></thead><tbody>");
    for (std::size_t i = 0; i < boletas.size() && i < kShownPerList; ++i) {
      const auto& boleta = boletas[i];
      content.Markup("<tr><td><a").Attr("href", "/boletas/" + boleta.folio).Markup(">")
          .Text(boleta.folio).Markup("</a></td><td>").Text(workflow::StatusLabel(boleta.status));
      if (boleta.unread && boleta.standing == workflow::Standing::kOverdue) {
        content.Markup(" <small>· sin leer</small>");
      }
      content.Markup("</td><td>").Text(boleta.categoria)
          .Markup("</td><td>").Text(boleta.colonia)
          .Markup("</td><td>").Text(SpanishDay(local_, boleta.routed_at))
          .Markup("</td><td>").Number(boleta.business_days_held)
          .Markup("</td><td>").Text(SpanishDay(local_, boleta.due_at))
          .Markup("</td><td>").Text(age(boleta))
          .Markup("</td><td class=\"peticion\">").Text(boleta.text).Markup("</td></tr>");
    }
    content.Markup("</tbody></table>");
    if (boletas.size() > kShownPerList) {
      content.Markup("<p class=\"nota\">Y ").Number(static_cast<long long>(boletas.size() - kShownPerList))
          .Markup(" más: la lista completa está en el PDF y en las descargas.</p>");
    }
  };
  for (const auto& section : pack.sections) {
    content.Markup("<section class=\"reunion\"><h2>").Text(section.dependencia_name).Markup("</h2>");
    if (section.PendingTotal() == 0) content.Markup("<p>Sin boletas pendientes.</p>");
    list("Vencidas", section.overdue, "Atraso",
         [](const reports::MeetingBoleta& b) { return Days(b.business_days_overdue); });
    list("Sin leer", section.unread, "Sin leer desde hace",
         [](const reports::MeetingBoleta& b) { return Days(b.business_days_unread); });
    list("Pendientes en plazo", section.pending, "Estado del plazo",
         [](const reports::MeetingBoleta& b) {
           return std::string(b.standing == workflow::Standing::kDueSoon ? "por vencer" : "a tiempo");
         });
    content.Markup("</section>");
  }
  if (pack.sections.empty()) content.Markup("<p>No hay dependencias que mostrar.</p>");
  return Document(200, "Reunión mensual", content, &session);
}

}  // namespace sac::web
