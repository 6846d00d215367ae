// Bandeja de la dependencia: what a dependencia has to attend. The boletas it has not read yet
// come first (with a box each, to mark several read at once); then everything pending, most
// urgent deadline first, each with its standing (vencida, por vencer, a tiempo), filterable by
// standing, colonia and words. An enlace sees only the dependencias they are bound to; Atención
// Ciudadana, the administration and the directors pick any.
#include <algorithm>
#include <charconv>

#include "conversation/replies.h"
#include "http/query.h"
#include "observability/log.h"
#include "web/list_download.h"
#include "web/personal_data_log.h"
#include "web/staff_page.h"
#include "web/staff_web.h"
#include "workflow/boleta_queries.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr int kPageSize = 50;
constexpr int kMaxUnreadShown = 100;
constexpr std::size_t kMaxDownloaded = 50000;  // a download takes the whole filtered list, up to this

constexpr Statement kDependencias{
    "inbox.dependencias", "SELECT id, name FROM dependencia WHERE active ORDER BY name"};

// $1 dependencia, $2 limit: the pending boletas it has not read, oldest news first.
constexpr Statement kUnread{
    "inbox.unread",
    "SELECT id, folio, status, text, coalesce(colonia, ''),"
    "  extract(epoch FROM unread_since)::float8, extract(epoch FROM due_at)::float8 "
    "FROM boleta WHERE dependencia_id = $1 AND unread_by_dependencia"
    "  AND status IN ('canalizada', 'leida', 'programada', 'en_seguimiento', 'inconformidad') "
    "ORDER BY unread_since, id LIMIT $2"};

const char* StandingLabel(workflow::Standing standing) {
  switch (standing) {
    case workflow::Standing::kOverdue: return "vencida";
    case workflow::Standing::kDueSoon: return "por vencer";
    case workflow::Standing::kOnTime: break;
  }
  return "a tiempo";
}

bool MayOpen(const StaffSession& session, std::string_view dependencia) {
  if (session.user.role != "enlace") return true;
  const auto& mine = session.user.dependencias;
  return std::find(mine.begin(), mine.end(), dependencia) != mine.end();
}

}  // namespace

HttpResponse StaffWeb::DependenciaInbox(Tx& tx, const HttpRequest& request,
                                        const StaffSession& session) {
  const auto query = http::ParseQuery(request.query);
  if (!query) return Message(400, "Filtro inválido", "La dirección de la página está mal formada.", &session);
  const auto get = [&](const char* name) {
    const auto found = query->find(name);
    return found == query->end() ? std::string() : found->second;
  };

  std::vector<std::pair<std::string, std::string>> dependencias;
  {
    const auto rows = tx.Exec(kDependencias, {});
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (MayOpen(session, rows[i].Text(0))) dependencias.emplace_back(rows[i].Text(0), rows[i].Text(1));
    }
  }
  std::string dependencia = get("dependencia");
  if (dependencia.empty() && !dependencias.empty()) dependencia = dependencias.front().first;
  const auto chosen = std::find_if(dependencias.begin(), dependencias.end(),
                                   [&](const auto& d) { return d.first == dependencia; });
  if (chosen == dependencias.end()) {
    // Another dependencia's inbox answers like one that does not exist; the attempt is logged.
    StaffLog().Warn("inbox of another dependencia refused",
               {{"user_id", session.user.id}, {"dependencia", dependencia}});
    return Message(404, "No existe", "No existe esa bandeja.", &session);
  }

  workflow::ListFilter filter;
  const std::string standing = get("plazo");
  if (standing == "vencida") filter.standing = workflow::Standing::kOverdue;
  if (standing == "por_vencer") filter.standing = workflow::Standing::kDueSoon;
  if (standing == "a_tiempo") filter.standing = workflow::Standing::kOnTime;
  filter.colonia = get("colonia");
  filter.text = get("texto");
  const std::string cursor = get("despues");
  const TimePoint now = clock_.Now();
  if (const auto format = RequestedFormat(request)) {
    reports::Table table{"Bandeja de " + chosen->second,
                         {"Folio", "Estado", "Sin leer", "Colonia", "Plazo", "Situación", "Petición"},
                         {}};
    std::vector<std::int64_t> ids;
    std::optional<std::string> next;
    do {
      auto part = workflow::ListForDependencia(tx, sla_, now, dependencia, filter, next,
                                               workflow::kMaxPageSize);
      if (!part) return Message(400, "Filtro inválido", part.error().message, &session);
      for (const workflow::BoletaSummary& boleta : part->items) {
        ids.push_back(boleta.id);
        table.rows.push_back({boleta.folio, StatusLabel(boleta.status), boleta.unread ? "sí" : "no",
                              boleta.colonia,
                              boleta.due_at ? workflow::FormatDate(local_.LocalDate(*boleta.due_at)) : "",
                              StandingLabel(boleta.standing), boleta.text});
      }
      next = part->next_cursor;
    } while (next && table.rows.size() < kMaxDownloaded);
    RecordPersonalDataView(tx, session.user.id, ids, {"texto"}, "/bandeja", now);
    return DownloadTable(table, *format, "bandeja-" + dependencia, session);
  }
  auto page = workflow::ListForDependencia(tx, sla_, now, dependencia, filter,
                                           cursor.empty() ? std::nullopt : std::optional(cursor),
                                           kPageSize);
  if (!page) return Message(400, "Filtro inválido", page.error().message, &session);
  const auto unread = tx.Exec(kUnread, {dependencia, kMaxUnreadShown});
  const bool can_mark = session.user.role == "enlace";

  Html content;
  content.Markup("<h1>Bandeja de ").Text(chosen->second).Markup("</h1>");
  content.Append(DoneNotice(request));
  content.Markup("<form class=\"filtros\" method=\"get\" action=\"/bandeja\">");
  if (dependencias.size() > 1) {
    content.Markup("<label>Dependencia <select name=\"dependencia\">");
    for (const auto& [id, name] : dependencias) {
      content.Markup("<option").Attr("value", id);
      if (id == dependencia) content.Markup(" selected");
      content.Markup(">").Text(name).Markup("</option>");
    }
    content.Markup("</select></label>");
  } else {
    content.Markup("<input type=\"hidden\" name=\"dependencia\"").Attr("value", dependencia).Markup(">");
  }
  content.Markup("<label>Plazo <select name=\"plazo\">");
  const std::pair<const char*, const char*> standings[] = {
      {"", "Todos"}, {"vencida", "Vencidas"}, {"por_vencer", "Por vencer"}, {"a_tiempo", "A tiempo"}};
  for (const auto& [value, label] : standings) {
    content.Markup("<option").Attr("value", value);
    if (standing == value) content.Markup(" selected");
    content.Markup(">").Text(label).Markup("</option>");
  }
  content.Markup("</select></label><label>Colonia <input name=\"colonia\"")
      .Attr("value", filter.colonia)
      .Markup("></label><label>Palabras <input name=\"texto\"")
      .Attr("value", filter.text)
      .Markup("></label><button type=\"submit\">Filtrar</button></form>");

  std::vector<std::int64_t> shown;
  content.Markup("<h2>Sin leer (").Number(static_cast<long long>(unread.size())).Markup(")</h2>");
  if (unread.empty()) {
    content.Markup("<p>Todo está leído.</p>");
  } else {
    content.Markup("<form method=\"post\" action=\"/bandeja/leidas\">").Append(CsrfField(session))
        .Markup("<input type=\"hidden\" name=\"dependencia\"").Attr("value", dependencia)
        .Markup("><table class=\"lista\"><thead><tr>");
    if (can_mark) content.Markup("<th><span class=\"oculto\">Marcar</span></th>");
    content.Markup("<th>Folio</th><th>Petición</th><th>Colonia</th><th>Desde</th><th>Plazo</th>"
                   "</tr></thead><tbody>");
    for (std::size_t i = 0; i < unread.size(); ++i) {
      const auto row = unread[i];
      shown.push_back(row.Int(0));
      content.Markup("<tr class=\"sin-leer\">");
      if (can_mark) {
        content.Markup("<td><input type=\"checkbox\" name=\"boleta\"")
            .Attr("value", std::to_string(row.Int(0)))
            .Attr("aria-label", "Marcar " + row.Text(1) + " como leída")
            .Markup("></td>");
      }
      content.Markup("<td><a").Attr("href", "/boletas/" + row.Text(1)).Markup(">").Text(row.Text(1))
          .Markup("</a></td><td class=\"peticion\">")
          .Text(row.Text(3)).Markup("</td><td>").Text(row.Text(4)).Markup("</td><td>")
          .Text(row.IsNull(5) ? "" : SpanishDay(local_, FromEpoch(row.Double(5))))
          .Markup("</td><td>")
          .Text(row.IsNull(6) ? "" : SpanishDay(local_, FromEpoch(row.Double(6))))
          .Markup("</td></tr>");
    }
    content.Markup("</tbody></table>");
    if (can_mark) content.Markup("<button type=\"submit\">Marcar como leídas</button>");
    content.Markup("</form>");
  }

  content.Markup("<h2>Pendientes, lo más urgente primero</h2>");
  if (!page->items.empty()) content.Append(DownloadLinks(request));
  if (page->items.empty()) {
    content.Markup("<p>No hay boletas pendientes con estos filtros.</p>");
  } else {
    content.Markup("<table class=\"lista\"><thead><tr><th>Folio</th><th>Estado</th>"
                   "<th>Petición</th><th>Colonia</th><th>Plazo</th></tr></thead><tbody>");
    for (const workflow::BoletaSummary& boleta : page->items) {
      shown.push_back(boleta.id);
      content.Markup("<tr");
      if (boleta.standing == workflow::Standing::kOverdue) content.Markup(" class=\"vencida\"");
      content.Markup("><td><a").Attr("href", "/boletas/" + boleta.folio).Markup(">")
          .Text(boleta.folio).Markup("</a></td><td>")
          .Text(StatusLabel(boleta.status));
      if (boleta.unread) content.Markup(" <small>· sin leer</small>");
      content.Markup("</td><td class=\"peticion\">").Text(boleta.text).Markup("</td><td>")
          .Text(boleta.colonia).Markup("</td><td>");
      if (boleta.due_at) {
        content.Text(SpanishDay(local_, *boleta.due_at)).Markup(" <small>")
            .Text(StandingLabel(boleta.standing)).Markup("</small>");
      }
      content.Markup("</td></tr>");
    }
    content.Markup("</tbody></table>");
    if (page->next_cursor) {
      const std::string next =
          "/bandeja?" + http::EncodeForm({{"dependencia", dependencia},
                                          {"plazo", standing},
                                          {"colonia", filter.colonia},
                                          {"texto", filter.text},
                                          {"despues", *page->next_cursor}});
      content.Markup("<p><a").Attr("href", next).Markup(">Siguientes</a></p>");
    }
  }
  RecordPersonalDataView(tx, session.user.id, shown, {"texto"}, "/bandeja", now);
  return Document(200, "Bandeja de " + chosen->second, content, &session);
}

HttpResponse StaffWeb::MarkRead(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto fields = http::ParseForm(request.body, 300);
  if (!fields) return Message(400, "Solicitud inválida", "El formulario está mal formado.", &session);
  std::string dependencia;
  std::vector<std::int64_t> ids;
  for (const auto& [name, value] : *fields) {
    if (name == "dependencia") dependencia = value;
    if (name != "boleta") continue;
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), id);
    if (error == std::errc() && end == value.data() + value.size() && id > 0) ids.push_back(id);
  }
  if (!MayOpen(session, dependencia)) return Message(404, "No existe", "No existe esa bandeja.", &session);
  const auto actor = workflow::Actor::ForDependencia(dependencia, session.user.username);
  int marked = 0;
  for (const std::int64_t id : ids) {
    // Each must be this dependencia's: the workflow answers "not found" for another's.
    if (const auto opened = workflow_.Open(tx, actor, id); !opened) {
      return Message(404, "No existe", "Una de las boletas no es de esta bandeja.", &session);
    }
    ++marked;
  }
  const std::string done = marked == 1 ? "1 boleta marcada como leída."
                                       : std::to_string(marked) + " boletas marcadas como leídas.";
  return Redirect("/bandeja?dependencia=" + dependencia + "&" +
                  http::EncodeForm({{"hecho", done}}));
}

}  // namespace sac::web
