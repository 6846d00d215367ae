// Validación mensual: the boletas attended in a month that the satisfaction survey did not settle
// (no answer, or no channel to ask on: captured by phone, the app) — Atención Ciudadana calls each
// citizen and records the result: satisfied (validada), not satisfied (inconformidad, back to
// the dependencia with the citizen's words), or not reached (cerrada after the attempt). Above
// the list, the month's validation report: per dependencia, attended, asked, satisfied, not,
// without answer, and the share satisfied — survey and phone calls together.
#include <map>

#include "conversation/replies.h"
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

constexpr int kPageSize = 100;
constexpr int kMaxDownloaded = 20000;  // the call list as a file: all of it, up to this

// $1 month start, $2 next month start (instants). Per dependencia: attended in the month, how
// many were asked (survey or call), and their answers.
constexpr Statement kReport{
    "validation.report",
    "SELECT coalesce(d.name, b.dependencia_id, ''), count(*), count(s.boleta_id),"
    "  count(*) FILTER (WHERE s.answer = 'positiva'), count(*) FILTER (WHERE s.answer = 'negativa'),"
    "  count(*) FILTER (WHERE s.answer = 'sin_respuesta'),"
    "  count(*) FILTER (WHERE s.validated_by IS NOT NULL) "
    "FROM boleta b LEFT JOIN survey s ON s.boleta_id = b.id"
    "  LEFT JOIN dependencia d ON d.id = b.dependencia_id "
    "WHERE b.attended_at >= $1 AND b.attended_at < $2 GROUP BY 1 ORDER BY 1"};

// The ones still to settle: still atendida, and the survey gave no answer or could not ask.
constexpr Statement kPending{
    "validation.pending",
    "SELECT b.id, b.folio, coalesce(d.name, ''), b.text, extract(epoch FROM b.attended_at)::float8,"
    "  coalesce(c.display_name, ''), coalesce(c.phone, ''), b.channel,"
    "  CASE WHEN s.boleta_id IS NULL THEN 'sin encuesta' WHEN s.answer IS NULL THEN 'esperando'"
    "       ELSE 'sin respuesta' END "
    "FROM boleta b LEFT JOIN survey s ON s.boleta_id = b.id"
    "  LEFT JOIN dependencia d ON d.id = b.dependencia_id LEFT JOIN citizen c ON c.id = b.citizen_id "
    "WHERE b.attended_at >= $1 AND b.attended_at < $2 AND b.status = 'atendida'"
    "  AND (s.answer IS NULL OR s.answer = 'sin_respuesta')"
    // A citizen who objected to surveys is not called either (oposición, src/privacy).
    "  AND c.opposed_at IS NULL "
    "ORDER BY b.attended_at, b.id LIMIT $3"};

// $1 boleta, $2 month, $3 answer, $4 the citizen's words, $5 now, $6 who called.
constexpr Statement kRecordCall{
    "validation.record_call",
    "INSERT INTO survey (boleta_id, month, citizen_id, sent_at, answer, answer_text, answered_at,"
    "  validated_by) "
    "SELECT b.id, $2::date, b.citizen_id, $5, $3, nullif($4, ''), $5, $6 FROM boleta b WHERE b.id = $1 "
    "ON CONFLICT (boleta_id) DO UPDATE SET answer = $3, answer_text = nullif($4, ''),"
    "  answered_at = $5, validated_by = $6"};

constexpr Statement kAttendedMonth{
    "validation.attended_month",
    "SELECT to_char(attended_at AT TIME ZONE 'America/Mazatlan', 'YYYY-MM-01'), status,"
    "  status_version "
    "FROM boleta WHERE id = $1"};

std::string Percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "—";
  return std::to_string((part * 100 + whole / 2) / whole) + " %";
}

}  // namespace

HttpResponse StaffWeb::Validation(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  using namespace std::chrono;
  const auto query = http::ParseQuery(request.query);
  // By default the previous month: the one the survey of the 1st asked about.
  const year_month_day today(local_.LocalDate(clock_.Now()));
  year_month month = today.year() / today.month() - months(1);
  if (query && query->contains("mes")) {
    const auto first = workflow::ParseDate(query->at("mes") + "-01");
    if (!first) return Message(400, "Mes inválido", "El mes se escribe AAAA-MM.", &session);
    const year_month_day chosen(*first);
    month = chosen.year() / chosen.month();
  }
  const TimePoint start = local_.StartOfDay(sys_days(month / day(1)));
  const TimePoint end = local_.StartOfDay(sys_days((month + months(1)) / day(1)));
  char month_value[16];
  std::snprintf(month_value, sizeof month_value, "%04d-%02u", static_cast<int>(month.year()) % 10000,
                static_cast<unsigned>(month.month()));
  const bool may_call = session.user.role == "administrador" ||
                        session.user.role == "atencion_ciudadana";

  Html content;
  content.Markup("<h1>Validación mensual de ")
      .Text(conversation::SpanishMonth(static_cast<unsigned>(month.month())) + " de " +
            std::to_string(static_cast<int>(month.year())))
      .Markup("</h1><form class=\"filtros\" method=\"get\" action=\"/validacion\"><label>Mes "
              "<input type=\"month\" name=\"mes\"")
      .Attr("value", month_value)
      .Markup("></label><button type=\"submit\">Ver</button></form>");
  content.Append(DoneNotice(request));

  // The report.
  content.Markup("<h2>Reporte de validación</h2><table class=\"cifras\"><thead><tr>"
                 "<th>Dependencia</th><th>Atendidas</th><th>Consultadas</th><th>Satisfechos</th>"
                 "<th>Inconformes</th><th>Sin respuesta</th><th>Por teléfono</th>"
                 "<th>Satisfacción</th></tr></thead><tbody>");
  std::int64_t totals[6] = {0, 0, 0, 0, 0, 0};
  const auto report = tx.Exec(kReport, {start, end});
  for (std::size_t i = 0; i < report.size(); ++i) {
    const auto row = report[i];
    content.Markup("<tr><td>").Text(row.Text(0)).Markup("</td>");
    for (int column = 1; column <= 6; ++column) {
      totals[column - 1] += row.Int(column);
      content.Markup("<td>").Number(row.Int(column)).Markup("</td>");
    }
    content.Markup("<td>").Text(Percent(row.Int(3), row.Int(3) + row.Int(4))).Markup("</td></tr>");
  }
  content.Markup("<tr class=\"total\"><td>Total</td>");
  for (const std::int64_t total : totals) content.Markup("<td>").Number(total).Markup("</td>");
  content.Markup("<td>").Text(Percent(totals[2], totals[2] + totals[3])).Markup("</td></tr></tbody></table>"
                 "<p class=\"nota\">Satisfacción: satisfechos entre quienes respondieron (encuesta o "
                 "llamada).</p>");

  // The list to call.
  const auto format = RequestedFormat(request);
  const auto pending = tx.Exec(kPending, {start, end, format ? kMaxDownloaded : kPageSize});
  std::vector<std::int64_t> shown;
  if (format) {
    reports::Table table{"Por validar", {"Folio", "Atendida", "Dependencia", "Ciudadano", "Teléfono",
                                         "Medio", "Encuesta", "Petición"}, {}};
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const auto row = pending[i];
      shown.push_back(row.Int(0));
      table.rows.push_back({row.Text(1), workflow::FormatDate(local_.LocalDate(FromEpoch(row.Double(4)))),
                            row.Text(2), row.Text(5), PhoneForPeople(row.Text(6)),
                            ChannelLabel(row.Text(7)), row.Text(8), row.Text(3)});
    }
    RecordPersonalDataView(tx, session.user.id, shown, {"texto", "nombre", "telefono"},
                           "/validacion", clock_.Now());
    return DownloadTable(table, *format, std::string("por-validar-") + month_value, session);
  }
  content.Markup("<h2>Por validar (").Number(static_cast<long long>(pending.size())).Markup(")</h2>");
  if (!pending.empty()) content.Append(DownloadLinks(request));
  if (pending.empty()) {
    content.Markup("<p>Nada por validar: la encuesta resolvió todas las boletas de este mes.</p>");
  } else {
    content.Markup("<table class=\"lista\"><thead><tr><th>Folio</th><th>Dependencia</th>"
                   "<th>Petición</th><th>Ciudadano</th><th>Encuesta</th>");
    if (may_call) content.Markup("<th>Resultado de la llamada</th>");
    content.Markup("</tr></thead><tbody>");
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const auto row = pending[i];
      shown.push_back(row.Int(0));
      content.Markup("<tr><td><a").Attr("href", "/boletas/" + row.Text(1)).Markup(">").Text(row.Text(1))
          .Markup("</a><br><small>atendida el ").Text(SpanishDay(local_, FromEpoch(row.Double(4))))
          .Markup("</small></td><td>").Text(row.Text(2)).Markup("</td><td class=\"peticion\">")
          .Text(row.Text(3)).Markup("</td><td>").Text(row.Text(5));
      if (!row.Text(6).empty()) content.Markup("<br>").Text(PhoneForPeople(row.Text(6)));
      content.Markup("<br><small>").Text(ChannelLabel(row.Text(7))).Markup("</small></td><td>")
          .Text(row.Text(8)).Markup("</td>");
      if (may_call) {
        content.Markup("<td><form class=\"llamada\" method=\"post\"")
            .Attr("action", "/validacion/" + row.Text(1)).Markup(">").Append(CsrfField(session))
            .Markup("<select name=\"resultado\" required><option value=\"\">— resultado —</option>"
                    "<option value=\"positiva\">Satisfecho</option>"
                    "<option value=\"negativa\">Inconforme</option>"
                    "<option value=\"sin_respuesta\">No se localizó</option></select>"
                    "<input name=\"palabras\" maxlength=\"500\" placeholder=\"Lo que dijo\">"
                    "<button type=\"submit\">Registrar</button></form></td>");
      }
      content.Markup("</tr>");
    }
    content.Markup("</tbody></table>");
  }
  RecordPersonalDataView(tx, session.user.id, shown, {"texto", "nombre", "telefono"}, "/validacion",
                         clock_.Now());
  return Document(200, "Validación mensual", content, &session);
}

HttpResponse StaffWeb::RecordValidation(Tx& tx, const HttpRequest& request,
                                        const StaffSession& session) {
  const auto param = request.path_params.find("folio");
  const auto folio = param == request.path_params.end() ? std::nullopt
                                                        : workflow::FindFolio(param->second);
  const auto owner = folio ? workflow::OwnerOfFolio(tx, workflow::FormatFolio(*folio)) : std::nullopt;
  if (!owner) return Message(404, "No existe", "No existe esa boleta.", &session);
  const Form form = FormOf(request);
  const std::string result = Field(form, "resultado");
  const std::string words = Field(form, "palabras");
  if (result != "positiva" && result != "negativa" && result != "sin_respuesta") {
    return Message(400, "No se registró", "Elige el resultado de la llamada.", &session);
  }
  if (result == "negativa" && words.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Message(400, "No se registró",
                   "Anota lo que dijo el ciudadano: la dependencia lo leerá al reabrirla.", &session);
  }
  const auto attended = tx.Exec(kAttendedMonth, {owner->boleta_id});
  if (attended.empty() || attended.at(0).IsNull(0) || attended.at(0).Text(1) != "atendida") {
    return Message(409, "No se registró", "Esta boleta ya no está atendida en espera de validación.",
                   &session);
  }
  const TimePoint now = clock_.Now();
  tx.Exec(kRecordCall, {owner->boleta_id, attended.at(0).Text(0), result, words, now,
                        session.user.username});
  // The call settles it like the survey would: validated, back to the dependencia, or closed
  // after the attempt.
  workflow::StatusChange change;
  change.to = result == "positiva"   ? workflow::BoletaStatus::kValidada
              : result == "negativa" ? workflow::BoletaStatus::kInconformidad
                                     : workflow::BoletaStatus::kCerrada;
  change.comment = words.empty() ? std::string("validación telefónica") : words;
  // Decided on the atendida just read: another call recorded for it meanwhile makes this stale
  // (else a "sin respuesta" closing it and a "negativa" would both stand, reopening it).
  change.seen_version = static_cast<int>(attended.at(0).Int(2));
  const auto changed =
      workflow_.ChangeStatus(tx, workflow::Actor::Staff(session.user.username), owner->boleta_id, change);
  if (!changed) {
    tx.RollbackAtEnd();  // a call recorded only with the decision it led to (two people at once)
    return Message(409, "No se registró", changed.error().message, &session);
  }
  const std::string month = attended.at(0).Text(0).substr(0, 7);
  return Redirect("/validacion?" +
                  http::EncodeForm({{"mes", month},
                                    {"hecho", "Validación de " + workflow::FormatFolio(*folio) +
                                                  " registrada."}}));
}

}  // namespace sac::web
