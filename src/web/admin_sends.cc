// Administración → Envíos: the replies SAC could not settle by itself. "Sin confirmar" are sends
// whose answer never came (the provider may or may not have taken them: outbox/sender.h) and
// that no delivery news has placed; "Fallidas" are replies a provider refused for good or that
// ran out of attempts, in the last 30 days. Staff see which boleta and why — never the text or
// the recipient, which are personal data — and decide: send it again, or (for an unknown one the
// citizen confirms having) record it as sent.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "outbox/outbox_writer.h"
#include "web/staff_page.h"
#include "web/staff_web.h"
#include "workflow/bitacora.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

// $1 now.
constexpr Statement kUnsettled{
    "admin.unsettled_sends",
    "SELECT o.id, o.state, o.channel, o.purpose, coalesce(b.folio, ''), o.attempts,"
    "  coalesce(o.last_error, ''), extract(epoch FROM o.updated_at)::float8,"
    "  o.recipient <> '' AND o.body <> ''"
    " FROM outbox o LEFT JOIN boleta b ON b.id = o.boleta_id"
    " WHERE o.state = 'unknown'"
    "    OR (o.state = 'failed' AND o.updated_at >= $1::timestamptz - interval '30 days')"
    " ORDER BY o.state = 'failed', o.updated_at DESC, o.id DESC LIMIT 300"};

// $1 id, $2 now. Not for a reply whose recipient an ARCO cancellation removed, nor one whose
// text retention emptied.
constexpr Statement kSendAgain{
    "admin.send_again",
    "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL,"
    "  updated_at = $2 WHERE id = $1 AND state IN ('unknown', 'failed') AND recipient <> ''"
    "  AND body <> ''"};

// $1 id, $2 now.
constexpr Statement kRecordSent{
    "admin.record_sent",
    "UPDATE outbox SET state = 'sent', sent_at = $2, updated_at = $2,"
    "  last_error = 'dada por enviada por el personal' WHERE id = $1 AND state = 'unknown'"
    " RETURNING boleta_id, purpose, channel"};

void ActionButton(Html& content, const StaffSession& session, std::string_view action,
                  const std::string& id, std::string_view label) {
  content.Markup("<form method=\"post\"")
      .Attr("action", std::string("/admin/envios/") + std::string(action) + "?respuesta=" + id)
      .Markup(">").Append(CsrfField(session))
      .Markup("<button type=\"submit\">").Text(label).Markup("</button></form>");
}

}  // namespace

HttpResponse StaffWeb::Sends(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto rows = tx.Exec(kUnsettled, {clock_.Now()});
  Html content;
  content.Markup("<h1>Envíos por decidir</h1>").Append(DoneNotice(request))
      .Markup("<p><strong>Sin confirmar</strong>: el proveedor no contestó a tiempo; puede que el "
              "ciudadano sí la haya recibido, por eso SAC no la reenvía sola. Si el proveedor "
              "avisa después que la entregó, se confirma sola. <strong>Fallidas</strong>: el "
              "proveedor la rechazó o se agotaron los intentos (últimos 30 días).</p>");
  if (rows.empty()) {
    content.Markup("<p>Ninguno.</p>");
    return Document(200, "Envíos", content, &session);
  }
  content.Markup("<table class=\"lista\"><thead><tr><th>Respuesta</th><th>Estado</th>"
                 "<th>Boleta</th><th>Medio</th><th>Motivo</th><th>Intentos</th><th>Error</th>"
                 "<th>Última vez</th><th></th></tr></thead><tbody>");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = rows[i];
    const std::string id = std::to_string(row.Int(0));
    const bool unknown = row.Text(1) == "unknown";
    const std::string folio = row.Text(4);
    content.Markup("<tr><td>").Text(id)
        .Markup("</td><td>").Text(unknown ? "sin confirmar" : "fallida").Markup("</td><td>");
    if (folio.empty()) {
      content.Text("—");
    } else {
      content.Markup("<a").Attr("href", "/boletas/" + folio).Markup(">").Text(folio).Markup("</a>");
    }
    content.Markup("</td><td>").Text(ChannelLabel(row.Text(2)))
        .Markup("</td><td><code>").Text(row.Text(3))
        .Markup("</code></td><td>").Number(row.Int(5))
        .Markup("</td><td><code>").Text(row.Text(6))
        .Markup("</code></td><td>").Text(SpanishDayTime(local_, FromEpoch(row.Double(7))))
        .Markup("</td><td>");
    if (row.Bool(8)) {
      ActionButton(content, session, "reenviar", id, "Reenviar");
      if (unknown) ActionButton(content, session, "enviada", id, "Dar por enviada");
    } else {
      content.Text("sin datos (cancelados o depurados)");
    }
    content.Markup("</td></tr>");
  }
  content.Markup("</tbody></table>");
  return Document(200, "Envíos", content, &session);
}

HttpResponse StaffWeb::SendAgain(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto id = IdInQuery(request.query, "respuesta");
  if (!id) return Message(400, "Solicitud inválida", "No existe esa respuesta.", &session);
  if (tx.Exec(kSendAgain, {*id, clock_.Now()}).affected() == 0) {
    return Message(404, "No encontrada", "Esa respuesta no existe o ya no está por decidir.",
                   &session);
  }
  tx.Notify(outbox::kOutboxNotifyChannel);  // the sender wakes at once
  StaffLog().Info("reply sent again by staff", {{"user_id", session.user.id}, {"outbox_id", *id}});
  return RedirectDone("/admin/envios", "La respuesta vuelve a la cola de envío.");
}

HttpResponse StaffWeb::RecordSent(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto id = IdInQuery(request.query, "respuesta");
  if (!id) return Message(400, "Solicitud inválida", "No existe esa respuesta.", &session);
  const TimePoint now = clock_.Now();
  const auto recorded = tx.Exec(kRecordSent, {*id, now});
  if (recorded.empty()) {
    return Message(404, "No encontrada", "Esa respuesta no existe o ya no está sin confirmar.",
                   &session);
  }
  if (const auto boleta_id = recorded.at(0).OptInt(0)) {
    // As when the provider confirms it: the citizen was told something about their boleta.
    workflow::AppendEvent(tx, *boleta_id, now, "respuesta_enviada",
                          workflow::Actor::Staff(session.user.username), std::nullopt, std::nullopt,
                          boost::json::serialize(boost::json::object{
                              {"outbox_id", *id},
                              {"purpose", recorded.at(0).Text(1)},
                              {"channel", recorded.at(0).Text(2)},
                              {"dada_por_enviada", true}}));
  }
  StaffLog().Info("unknown reply recorded as sent by staff",
                  {{"user_id", session.user.id}, {"outbox_id", *id}});
  return RedirectDone("/admin/envios", "Respuesta dada por enviada.");
}

}  // namespace sac::web
