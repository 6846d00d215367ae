// Administración, the messages SAC could not process: inbox rows the pipeline quarantined after
// five failed attempts (src/intake/pipeline). Staff see what failed and why — never the
// message's content, which is personal data — and, once the cause is fixed (a rule, a deploy),
// put one or all back in the queue.
#include <charconv>

#include "intake/inbox_writer.h"
#include "web/staff_page.h"
#include "web/staff_web.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr Statement kQuarantined{
    "admin.quarantined",
    "SELECT id, channel, kind, extract(epoch FROM received_at)::float8, attempts,"
    "  coalesce(last_error, '') FROM inbox WHERE state = 'quarantined' ORDER BY received_at, id"
    " LIMIT 500"};
// $1 id (NULL: all of them), $2 now.
constexpr Statement kRetry{
    "admin.retry_quarantined",
    "UPDATE inbox SET state = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL "
    "WHERE state = 'quarantined' AND ($1::bigint IS NULL OR id = $1)"};

}  // namespace

HttpResponse StaffWeb::Quarantine(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto rows = tx.Exec(kQuarantined, {});
  Html content;
  content.Markup("<h1>Mensajes en cuarentena</h1>").Append(DoneNotice(request))
      .Markup("<p>Mensajes que SAC recibió y guardó pero no pudo procesar después de cinco "
              "intentos. No se pierden: cuando se corrija la causa (una regla, una versión nueva), "
              "vuelva a ponerlos en la cola.</p>");
  if (rows.empty()) {
    content.Markup("<p>Ninguno.</p>");
    return Document(200, "Cuarentena", content, &session);
  }
  content.Markup("<form method=\"post\" action=\"/admin/cuarentena/reintentar\">")
      .Append(CsrfField(session))
      .Markup("<button type=\"submit\">Reintentar todos</button></form>"
              "<table class=\"lista\"><thead><tr><th>Mensaje</th><th>Medio</th><th>Recibido</th>"
              "<th>Intentos</th><th>Error</th><th></th></tr></thead><tbody>");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = rows[i];
    const std::string id = std::to_string(row.Int(0));
    content.Markup("<tr><td>").Text(id).Markup(" <small>").Text(row.Text(2))
        .Markup("</small></td><td>").Text(ChannelLabel(row.Text(1)))
        .Markup("</td><td>").Text(SpanishDayTime(local_, FromEpoch(row.Double(3))))
        .Markup("</td><td>").Number(row.Int(4))
        .Markup("</td><td><code>").Text(row.Text(5))
        .Markup("</code></td><td><form method=\"post\"")
        .Attr("action", "/admin/cuarentena/reintentar?mensaje=" + id).Markup(">")
        .Append(CsrfField(session))
        .Markup("<button type=\"submit\">Reintentar</button></form></td></tr>");
  }
  content.Markup("</tbody></table>");
  return Document(200, "Cuarentena", content, &session);
}

HttpResponse StaffWeb::RetryQuarantined(Tx& tx, const HttpRequest& request,
                                        const StaffSession& session) {
  std::optional<std::int64_t> one;
  const std::string_view query = request.query;
  if (query.rfind("mensaje=", 0) == 0) {
    std::int64_t id = 0;
    const auto text = query.substr(8);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
      return Message(400, "Solicitud inválida", "No existe ese mensaje.", &session);
    }
    one = id;
  } else if (!query.empty()) {
    return Message(400, "Solicitud inválida", "No existe ese mensaje.", &session);
  }
  const auto retried = tx.Exec(kRetry, {one, clock_.Now()}).affected();
  if (retried > 0) tx.Notify(intake::kInboxNotifyChannel);  // the pipeline wakes at once
  StaffLog().Info("quarantined messages put back in the queue",
                  {{"user_id", session.user.id}, {"messages", static_cast<std::int64_t>(retried)}});
  return RedirectDone("/admin/cuarentena", retried == 1 ? "1 mensaje de vuelta en la cola."
                                                        : std::to_string(retried) +
                                                              " mensajes de vuelta en la cola.");
}

}  // namespace sac::web
