// Administración, the messages SAC could not process: inbox rows the pipeline quarantined after
// five failed attempts (src/intake/pipeline). Staff see what failed and why — never the
// message's content, which is personal data — and, once the cause is fixed (a rule, a deploy),
// put one or all back in the queue. Below them, the mail SAC could not read at all (over the MIME
// limits, or not a mail: email_quarantine, channels/email), kept as it came until a person has
// looked at it and marks it reviewed.
#include <optional>

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

constexpr Statement kUnreadMail{
    "admin.unread_mail",
    "SELECT id, source, extract(epoch FROM received_at)::float8, size_bytes, reason"
    " FROM email_quarantine WHERE reviewed_at IS NULL ORDER BY received_at, id LIMIT 500"};
// $1 id, $2 now.
constexpr Statement kMailReviewed{
    "admin.mail_reviewed",
    "UPDATE email_quarantine SET reviewed_at = $2 WHERE id = $1 AND reviewed_at IS NULL"};

std::string SizeText(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes / (1024 * 1024)) + " MiB";
}

void QuarantinedMessages(Html& content, const workflow::LocalTime& local, const storage::Rows& rows,
                         const StaffSession& session) {
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
        .Markup("</td><td>").Text(SpanishDayTime(local, FromEpoch(row.Double(3))))
        .Markup("</td><td>").Number(row.Int(4))
        .Markup("</td><td><code>").Text(row.Text(5))
        .Markup("</code></td><td><form method=\"post\"")
        .Attr("action", "/admin/cuarentena/reintentar?mensaje=" + id).Markup(">")
        .Append(CsrfField(session))
        .Markup("<button type=\"submit\">Reintentar</button></form></td></tr>");
  }
  content.Markup("</tbody></table>");
}

void UnreadMail(Html& content, const workflow::LocalTime& local, const storage::Rows& rows,
                const StaffSession& session) {
  content.Markup("<h2>Correos que SAC no pudo leer</h2>"
                 "<p>Correos que llegaron pero no se pueden leer: no son un correo o pasan los "
                 "límites (más de 10 niveles anidados o más de 100 partes). Se guardan tal como "
                 "llegaron; su contenido es dato personal y no se muestra aquí (cómo extraerlo: "
                 "<code>deploy/runbook.md</code>). Márquelos revisados cuando alguien los haya "
                 "atendido.</p>");
  if (rows.empty()) {
    content.Markup("<p>Ninguno por revisar.</p>");
    return;
  }
  content.Markup("<table class=\"lista\"><thead><tr><th>Correo</th><th>Llegó por</th>"
                 "<th>Recibido</th><th>Tamaño</th><th>Motivo</th><th></th></tr></thead><tbody>");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = rows[i];
    const std::string id = std::to_string(row.Int(0));
    content.Markup("<tr><td>").Text(id)
        .Markup("</td><td>").Text(row.Text(1))
        .Markup("</td><td>").Text(SpanishDayTime(local, FromEpoch(row.Double(2))))
        .Markup("</td><td>").Text(SizeText(row.Int(3)))
        .Markup("</td><td><code>").Text(row.Text(4))
        .Markup("</code></td><td><form method=\"post\"")
        .Attr("action", "/admin/cuarentena/revisado?correo=" + id).Markup(">")
        .Append(CsrfField(session))
        .Markup("<button type=\"submit\">Marcar revisado</button></form></td></tr>");
  }
  content.Markup("</tbody></table>");
}

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
  } else {
    QuarantinedMessages(content, local_, rows, session);
  }
  UnreadMail(content, local_, tx.Exec(kUnreadMail, {}), session);
  return Document(200, "Cuarentena", content, &session);
}

HttpResponse StaffWeb::MailReviewed(Tx& tx, const HttpRequest& request,
                                    const StaffSession& session) {
  const auto id = IdInQuery(request.query, "correo");
  if (!id) return Message(400, "Solicitud inválida", "No existe ese correo.", &session);
  if (tx.Exec(kMailReviewed, {*id, clock_.Now()}).affected() == 0) {
    return Message(404, "No encontrado", "Ese correo no existe o ya estaba revisado.", &session);
  }
  StaffLog().Info("quarantined mail reviewed", {{"user_id", session.user.id}, {"mail_id", *id}});
  return RedirectDone("/admin/cuarentena", "Correo marcado como revisado.");
}

HttpResponse StaffWeb::RetryQuarantined(Tx& tx, const HttpRequest& request,
                                        const StaffSession& session) {
  // No query: all of them.
  const std::optional<std::int64_t> one = IdInQuery(request.query, "mensaje");
  if (!one && !request.query.empty()) {
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
