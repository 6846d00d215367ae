// Seguimiento diario: what Atención Ciudadana calls the dependencias about today — boletas past
// their deadline, about to be, routed but unread for more than a business day, and in
// inconformidad — per dependencia; each with a box to record the call ("llamé al enlace, quedó
// para el jueves"), kept as a staff note in the boleta's bitácora.
#include <map>

#include "http/query.h"
#include "web/list_download.h"
#include "web/personal_data_log.h"
#include "web/staff_page.h"
#include "web/staff_web.h"
#include "workflow/boleta_queries.h"
#include "workflow/folio.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr Statement kDependencias{"follow_up.dependencias",
                                  "SELECT id, name FROM dependencia ORDER BY name"};

// Why a boleta is on today's list, in the words of the manual.
std::string Reasons(const workflow::FollowUpEntry& entry) {
  std::string reasons;
  const auto add = [&](const char* reason) {
    if (!reasons.empty()) reasons += ", ";
    reasons += reason;
  };
  if (entry.overdue) add("vencida");
  if (entry.due_soon) add("por vencer");
  if (entry.unread_long) add("sin leer");
  if (entry.disputed) add("inconformidad");
  return reasons;
}

}  // namespace

HttpResponse StaffWeb::FollowUp(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const TimePoint now = clock_.Now();
  std::map<std::string, std::string, std::less<>> names;
  {
    const auto rows = tx.Exec(kDependencias, {});
    for (std::size_t i = 0; i < rows.size(); ++i) names[rows[i].Text(0)] = rows[i].Text(1);
  }
  std::vector<workflow::FollowUpEntry> entries;
  if (session.user.role == "enlace") {
    for (const std::string& dependencia : session.user.dependencias) {
      auto part = workflow::FollowUpList(tx, sla_, now, dependencia);
      entries.insert(entries.end(), part.begin(), part.end());
    }
  } else {
    entries = workflow::FollowUpList(tx, sla_, now, "");
  }
  const bool may_note = session.user.role == "administrador" ||
                        session.user.role == "atencion_ciudadana";
  const auto name_of = [&](const std::string& id) {
    const auto name = names.find(id);
    return name != names.end() ? name->second : id;
  };
  std::vector<std::int64_t> shown;
  for (const auto& entry : entries) shown.push_back(entry.boleta.id);
  RecordPersonalDataView(tx, session.user.id, shown, {"texto"}, "/seguimiento", now);
  if (const auto format = RequestedFormat(request)) {
    reports::Table table{"Seguimiento diario",
                         {"Dependencia", "Folio", "Por qué", "Estado", "Colonia", "Plazo", "Petición"},
                         {}};
    for (const auto& entry : entries) {
      const workflow::BoletaSummary& boleta = entry.boleta;
      table.rows.push_back({name_of(boleta.dependencia_id), boleta.folio, Reasons(entry),
                            StatusLabel(boleta.status), boleta.colonia,
                            boleta.due_at ? workflow::FormatDate(local_.LocalDate(*boleta.due_at)) : "",
                            boleta.text});
    }
    return DownloadTable(table, *format, "seguimiento-" + workflow::FormatDate(local_.LocalDate(now)),
                         session);
  }

  Html content;
  content.Markup("<h1>Seguimiento diario</h1><p>")
      .Number(static_cast<long long>(entries.size()))
      .Text(entries.size() == 1 ? " boleta necesita" : " boletas necesitan")
      .Markup(" una llamada hoy: vencidas, por vencer, sin leer más de un día hábil o en "
              "inconformidad.</p>");
  const auto query = http::ParseQuery(request.query);
  content.Append(DoneNotice(request));
  if (!entries.empty()) content.Append(DownloadLinks(request));
  std::string current;
  for (const auto& entry : entries) {
    const workflow::BoletaSummary& boleta = entry.boleta;
    if (boleta.dependencia_id != current) {
      if (!current.empty()) content.Markup("</tbody></table>");
      current = boleta.dependencia_id;
      content.Markup("<h2>").Text(name_of(current))
          .Markup("</h2><table class=\"lista\"><thead><tr><th>Folio</th><th>Por qué</th>"
                  "<th>Petición</th><th>Plazo</th>");
      if (may_note) content.Markup("<th>Llamada</th>");
      content.Markup("</tr></thead><tbody>");
    }
    content.Markup("<tr");
    if (entry.overdue) content.Markup(" class=\"vencida\"");
    content.Markup("><td><a").Attr("href", "/boletas/" + boleta.folio).Markup(">").Text(boleta.folio)
        .Markup("</a></td><td>").Text(Reasons(entry)).Markup("</td><td class=\"peticion\">")
        .Text(boleta.text).Markup("</td><td>");
    if (boleta.due_at) content.Text(SpanishDay(local_, *boleta.due_at));
    content.Markup("</td>");
    if (may_note) {
      content.Markup("<td><form class=\"llamada\" method=\"post\"")
          .Attr("action", "/seguimiento/" + boleta.folio + "/llamada").Markup(">")
          .Append(CsrfField(session))
          .Markup("<input name=\"texto\" required maxlength=\"500\"")
          .Attr("aria-label", "Qué dijo la dependencia sobre " + boleta.folio)
          .Markup(" placeholder=\"Qué dijo la dependencia\"><button type=\"submit\">Anotar"
                  "</button></form></td>");
    }
    content.Markup("</tr>");
  }
  if (!current.empty()) content.Markup("</tbody></table>");
  return Document(200, "Seguimiento diario", content, &session);
}

HttpResponse StaffWeb::RecordCall(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto param = request.path_params.find("folio");
  const auto folio = param == request.path_params.end() ? std::nullopt
                                                        : workflow::FindFolio(param->second);
  const auto owner = folio ? workflow::OwnerOfFolio(tx, workflow::FormatFolio(*folio)) : std::nullopt;
  if (!owner) return Message(404, "No existe", "No existe esa boleta.", &session);
  const std::string text = Field(FormOf(request), "texto");
  if (text.empty() || text.size() > 2000) {
    return Message(400, "No se anotó", "Escribe qué dijo la dependencia.", &session);
  }
  const auto noted = workflow_.AddNote(tx, workflow::Actor::Staff(session.user.username),
                                       owner->boleta_id, "Seguimiento (llamada): " + text, false);
  if (!noted) return Message(400, "No se anotó", noted.error().message, &session);
  return Redirect("/seguimiento?" +
                  http::EncodeForm({{"hecho", "Llamada anotada en " + workflow::FormatFolio(*folio) + "."}}));
}

}  // namespace sac::web
