// Búsqueda: a boleta by its folio, a citizen's boletas by their phone, or petitions by words,
// colonia and dates — the newest first. An enlace finds only their dependencias' boletas.
//
// The form is posted, so that what staff look for — a citizen's phone above all — stays out of
// addresses, and with them out of the proxy's access log and the browser's history (ASVS
// 14.2.1). A GET still answers folio, words, colonia and dates (links, bookmarks), never a phone.
#include "channels/common/mx_phone.h"
#include "http/query.h"
#include "web/list_download.h"
#include "web/personal_data_log.h"
#include "web/staff_page.h"
#include "web/staff_web.h"
#include "workflow/folio.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr int kMaxResults = 100;
constexpr int kMaxDownloaded = 20000;  // a download takes every match, up to this many

// $1 folio, $2 phone (E.164), $3 words, $4 colonia, $5 from, $6 before, $7 dependencias ('' for
// any; else '{a,b}'), $8 limit. Every criterion is optional; the caller requires one.
constexpr Statement kSearch{
    "search.boletas",
    "SELECT b.id, b.folio, b.status, coalesce(d.name, ''), b.text, coalesce(b.colonia, ''),"
    "  extract(epoch FROM b.created_at)::float8, b.channel "
    "FROM boleta b LEFT JOIN citizen c ON c.id = b.citizen_id"
    "  LEFT JOIN dependencia d ON d.id = b.dependencia_id "
    "WHERE ($1 = '' OR b.folio = $1) AND ($2 = '' OR c.phone = $2)"
    "  AND ($3 = '' OR to_tsvector('spanish', b.text) @@ plainto_tsquery('spanish', $3))"
    "  AND ($4 = '' OR b.colonia ILIKE '%' || $4 || '%')"
    "  AND b.created_at >= $5 AND b.created_at < $6"
    "  AND ($7 = '' OR b.dependencia_id = ANY($7::text[])) "
    "ORDER BY b.created_at DESC, b.id DESC LIMIT $8"};

}  // namespace

HttpResponse StaffWeb::Search(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const bool posted = request.method == "POST";
  Form criteria;
  if (posted) {
    criteria = FormOf(request);
  } else if (auto query = http::ParseQuery(request.query)) {
    criteria = std::move(*query);
  } else {
    return Message(400, "Búsqueda inválida", "La dirección está mal formada.", &session);
  }
  const auto get = [&](const char* name) { return Field(criteria, name); };
  const std::string folio_text = get("folio");
  const std::string phone_text = get("telefono");
  const std::string words = get("texto");
  const std::string colonia = get("colonia");
  const std::string from_text = get("desde");
  const std::string to_text = get("hasta");

  Html content;
  content.Markup("<h1>Búsqueda</h1><form class=\"filtros\" method=\"post\" action=\"/busqueda\">")
      .Append(CsrfField(session))
      .Markup("<label>Folio <input name=\"folio\" placeholder=\"2026-000123\"")
      .Attr("value", folio_text)
      .Markup("></label><label>Teléfono <input name=\"telefono\" type=\"tel\"")
      .Attr("value", phone_text)
      .Markup("></label><label>Palabras <input name=\"texto\"").Attr("value", words)
      .Markup("></label><label>Colonia <input name=\"colonia\"").Attr("value", colonia)
      .Markup("></label><label>Desde <input name=\"desde\" type=\"date\"").Attr("value", from_text)
      .Markup("></label><label>Hasta <input name=\"hasta\" type=\"date\"").Attr("value", to_text)
      .Markup("></label><button type=\"submit\">Buscar</button></form>");

  const bool asked = !folio_text.empty() || !phone_text.empty() || !words.empty() ||
                     !colonia.empty() || !from_text.empty() || !to_text.empty();
  if (!asked) return Document(200, "Búsqueda", content, &session);

  std::string problem;
  if (!posted && !phone_text.empty()) {
    problem = "Por la privacidad del ciudadano, el teléfono no va en la dirección de la página: "
              "búscalo desde el formulario.";
  }
  std::string folio;
  if (!folio_text.empty()) {
    const auto found = workflow::FindFolio(folio_text);
    if (!found) problem = "El folio se escribe así: 2026-000123.";
    else folio = workflow::FormatFolio(*found);
  }
  std::string phone;
  if (!phone_text.empty() && problem.empty()) {
    const auto normalized = channels::NormalizePhone(phone_text);
    if (!normalized) problem = "El teléfono no parece un número de México de 10 dígitos.";
    else phone = *normalized;
  }
  const auto from = from_text.empty() ? std::nullopt : workflow::ParseDate(from_text);
  const auto to = to_text.empty() ? std::nullopt : workflow::ParseDate(to_text);
  if ((!from_text.empty() && !from) || (!to_text.empty() && !to)) {
    problem = "Las fechas se escriben AAAA-MM-DD.";
  } else if (from && to && from_text > to_text) {
    // Both are AAAA-MM-DD, four digits of year (ParseDate took them): as text they sort as the
    // days they name.
    problem = "La fecha «desde» es posterior a «hasta».";
  }
  if (!problem.empty()) {
    content.Markup("<p class=\"error\" role=\"alert\">").Text(problem).Markup("</p>");
    return Document(400, "Búsqueda", content, &session);
  }
  std::string dependencias;
  if (session.user.role == "enlace") {
    dependencias = "{";
    for (std::size_t i = 0; i < session.user.dependencias.size(); ++i) {
      if (i > 0) dependencias += ',';
      dependencias += session.user.dependencias[i];  // ids: [a-z0-9_] only
    }
    dependencias += '}';
  }
  const storage::Param since = from ? storage::Param(local_.StartOfDay(*from)) : storage::Param("-infinity");
  const storage::Param before =
      to ? storage::Param(local_.StartOfDay(*to + std::chrono::days(1))) : storage::Param("infinity");
  const auto format = posted ? ListFormatNamed(get("formato")) : RequestedFormat(request);
  const auto rows = tx.Exec(kSearch, {folio, phone, words, colonia, since, before,
                                      session.user.role == "enlace" ? dependencias : std::string(),
                                      format ? kMaxDownloaded : kMaxResults});
  std::vector<std::string_view> fields = {"texto"};
  if (!phone.empty()) fields.push_back("telefono");
  if (format) {
    reports::Table table{"Búsqueda", {"Folio", "Fecha", "Medio", "Estado", "Dependencia", "Colonia", "Petición"}, {}};
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto row = rows[i];
      ids.push_back(row.Int(0));
      const auto status = workflow::StatusFromName(row.Text(2));
      table.rows.push_back({row.Text(1), workflow::FormatDate(local_.LocalDate(FromEpoch(row.Double(6)))),
                            ChannelLabel(row.Text(7)), status ? StatusLabel(*status) : row.Text(2),
                            row.Text(3), row.Text(5), row.Text(4)});
    }
    RecordPersonalDataView(tx, session.user.id, ids, fields, "/busqueda", clock_.Now());
    return DownloadTable(table, *format, "busqueda", session);
  }
  content.Markup("<h2>").Number(static_cast<long long>(rows.size()))
      .Text(rows.size() == 1 ? " boleta" : " boletas");
  if (static_cast<int>(rows.size()) == kMaxResults) content.Markup(" (las más recientes; afina la búsqueda)");
  content.Markup("</h2>");
  if (!rows.empty()) {
    std::vector<std::pair<std::string, std::string>> asked_for;
    for (const char* name : {"folio", "telefono", "texto", "colonia", "desde", "hasta"}) {
      if (const std::string value = get(name); !value.empty()) asked_for.emplace_back(name, value);
    }
    content.Append(posted ? DownloadButtons("/busqueda", asked_for, session) : DownloadLinks(request));
  }
  std::vector<std::int64_t> shown;
  if (!rows.empty()) {
    content.Markup("<table class=\"lista\"><thead><tr><th>Folio</th><th>Fecha</th><th>Estado</th>"
                   "<th>Dependencia</th><th>Petición</th><th>Colonia</th></tr></thead><tbody>");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto row = rows[i];
      shown.push_back(row.Int(0));
      const auto status = workflow::StatusFromName(row.Text(2));
      content.Markup("<tr><td><a").Attr("href", "/boletas/" + row.Text(1)).Markup(">")
          .Text(row.Text(1)).Markup("</a></td><td>").Text(SpanishDay(local_, FromEpoch(row.Double(6))))
          .Markup("</td><td>").Text(status ? StatusLabel(*status) : row.Text(2))
          .Markup("</td><td>").Text(row.Text(3)).Markup("</td><td class=\"peticion\">")
          .Text(row.Text(4)).Markup("</td><td>").Text(row.Text(5)).Markup("</td></tr>");
    }
    content.Markup("</tbody></table>");
  }
  RecordPersonalDataView(tx, session.user.id, shown, fields, "/busqueda", clock_.Now());
  return Document(200, "Búsqueda", content, &session);
}

}  // namespace sac::web
