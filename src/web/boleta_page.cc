// The boleta: everything about one petition — status, dependencia, deadline, the citizen's words
// and place, who the citizen is (only to those who may see it, and logged), the bitácora — and
// the actions the workflow's transition table allows to the reader's role in its status, with
// the fields each needs; a note; a reply to the citizen on their channel. An enlace opening a
// boleta of their dependencia is what makes it "leída".
#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "conversation/replies.h"
#include "http/query.h"
#include "observability/log.h"
#include "outbox/outbox_writer.h"
#include "web/categoria_field.h"
#include "web/personal_data_log.h"
#include "web/staff_page.h"
#include "web/staff_web.h"
#include "workflow/boleta_queries.h"
#include "workflow/boletas.h"
#include "workflow/folio.h"
#include "workflow/transitions.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr Statement kDependencias{
    "boleta_page.dependencias", "SELECT id, name FROM dependencia WHERE active ORDER BY name"};
constexpr Statement kCategoriaOf{"boleta_page.categoria_of",
                                 "SELECT coalesce(categoria, '') FROM boleta WHERE id = $1"};
constexpr Statement kFiles{
    "boleta_page.files",
    "SELECT id, kind, mime_type, caption, download_state FROM boleta_media WHERE boleta_id = $1 "
    "ORDER BY id"};
// $1 folio, $2 media id: a stored file of that boleta.
constexpr Statement kFile{
    "boleta_page.file",
    "SELECT m.file_sha256, m.mime_type, m.filename, b.id, coalesce(b.dependencia_id, '') "
    "FROM boleta_media m JOIN boleta b ON b.id = m.boleta_id "
    "WHERE b.folio = $1 AND m.id = $2 AND m.download_state = 'stored'"};

// Photos browsers show as images and nothing else: never SVG (it can carry script).
bool IsSafeImage(std::string_view mime) {
  return mime == "image/jpeg" || mime == "image/png" || mime == "image/gif" || mime == "image/webp";
}

std::string FileKindLabel(std::string_view kind) {
  if (kind == "image") return "Foto";
  if (kind == "audio") return "Nota de voz";
  if (kind == "video") return "Video";
  if (kind == "document") return "Documento";
  return "Archivo";
}

// Why a file is not there to open (media/media_downloader). 'blocked': the provider placed it
// where SAC never connects (not https, a host the provider does not serve from, an internal
// address) — staff should ask the citizen to send it again rather than wait. 'too_large': a mail
// over the size limit, kept without it (channels/email/ingest_mail); its acknowledgement asked
// for a lighter one.
std::string_view DownloadStateLabel(std::string_view state) {
  if (state == "pending") return "descargándose";
  if (state == "blocked") return "bloqueado por seguridad: pida al ciudadano que lo envíe de nuevo";
  if (state == "too_large") {
    return "demasiado grande: no llegó (a quien escribió por mensaje o correo, SAC ya le pidió uno "
           "más ligero)";
  }
  return "no se pudo descargar";
}

std::string BoletaPath(const std::string& folio) { return "/boletas/" + folio; }

constexpr Statement kNotes{
    "boleta_page.notes",
    "SELECT author_kind, author, text, public, extract(epoch FROM created_at)::float8 "
    "FROM boleta_note WHERE boleta_id = $1 ORDER BY id"};

// How a bitácora event reads for staff.
std::string EventLabel(std::string_view kind) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"creada", "Registrada"},
      {"clasificada", "Clasificada"},
      {"capturada", "Capturada por Atención Ciudadana"},
      {"clasificacion_corregida", "Clasificación corregida"},
      {"retenida", "Retenida para revisión: muchos reportes del mismo ciudadano en 24 horas"},
      {"leida", "Leída por la dependencia"},
      {"nota", "Nota"},
      {"nota_ciudadano", "Mensaje del ciudadano"},
      {"respuesta_enviada", "Mensaje enviado al ciudadano"},
      {"plazo_vencido", "Plazo vencido"},
      {"datos_suprimidos", "Datos personales suprimidos (cancelación o fin del plazo de conservación)"},
  };
  for (const auto& [id, label] : kLabels) {
    if (id == kind) return std::string(label);
  }
  std::string text(kind);
  std::replace(text.begin(), text.end(), '_', ' ');
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// The actor the reader acts as on this boleta: staff as themselves; an enlace for the boleta's
// dependencia; a director never acts.
std::optional<workflow::Actor> ActorFor(const StaffSession& session, const std::string& dependencia) {
  const std::string& role = session.user.role;
  if (role == "administrador" || role == "atencion_ciudadana") {
    return workflow::Actor::Staff(session.user.username);
  }
  if (role == "enlace") return workflow::Actor::ForDependencia(dependencia, session.user.username);
  return std::nullopt;
}

bool MaySee(const StaffSession& session, const std::string& dependencia) {
  if (session.user.role != "enlace") return true;
  const auto& mine = session.user.dependencias;
  return !dependencia.empty() && std::find(mine.begin(), mine.end(), dependencia) != mine.end();
}

// What each action asks for, besides a comment.
enum class Needs { kNothing, kDate, kReason, kDependencia, kFolio };

Needs NeedsOf(std::string_view action) {
  if (action == "programar" || action == "reprogramar") return Needs::kDate;
  if (action == "devolver" || action == "no_procede") return Needs::kReason;
  if (action == "canalizar" || action == "reasignar") return Needs::kDependencia;
  if (action == "marcar_duplicada") return Needs::kFolio;
  return Needs::kNothing;
}

std::string ActionLabel(std::string_view action) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"canalizar", "Canalizar"},          {"reasignar", "Reasignar"},
      {"programar", "Programar"},          {"reprogramar", "Reprogramar"},
      {"dar_seguimiento", "En seguimiento"}, {"atender", "Atendida"},
      {"devolver", "Devolver a Atención Ciudadana"}, {"no_procede", "No procede"},
      {"marcar_duplicada", "Es duplicada"}, {"validar", "Validar"},
      {"cerrar", "Cerrar"},                {"inconformar", "Inconformidad"},
      {"reabrir", "Reabrir"}};
  for (const auto& [id, label] : kLabels) {
    if (id == action) return std::string(label);
  }
  return std::string(action);
}

std::string FolioFrom(const HttpRequest& request) {
  const auto found = request.path_params.find("folio");
  if (found == request.path_params.end()) return "";
  const auto folio = workflow::FindFolio(found->second);
  return folio ? workflow::FormatFolio(*folio) : "";
}

// The boleta a POST is about and who acts on it; nullopt, with the page to answer in `refusal`,
// when the reader may not (another dependencia's: 404, like one that does not exist; a director
// only reads: 403).
struct Acting {
  workflow::FolioOwner owner;
  workflow::Actor actor;
};

std::optional<Acting> ActingOn(Tx& tx, const std::string& folio, const StaffSession& session,
                               std::string_view route, TimePoint now, HttpResponse& refusal) {
  const auto owner = folio.empty() ? std::nullopt : workflow::OwnerOfFolio(tx, folio);
  if (!owner || !MaySee(session, owner->dependencia_id)) {
    if (owner) RecordRefusedView(tx, session.user.id, owner->boleta_id, route, now);
    refusal = Message(404, "No existe", "No existe esa boleta.", &session);
    return std::nullopt;
  }
  const auto actor = ActorFor(session, owner->dependencia_id);
  if (!actor) {
    refusal = Message(403, "Sin acceso", "Tu perfil solo consulta.", &session);
    return std::nullopt;
  }
  return Acting{*owner, *actor};
}

}  // namespace

HttpResponse StaffWeb::BoletaPage(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const std::string folio = FolioFrom(request);
  const TimePoint now = clock_.Now();
  auto boleta = folio.empty() ? Result<workflow::BoletaDetail>(MakeError(Errc::kNotFound, ""))
                              : workflow::LoadBoleta(tx, sla_, now, folio);
  if (!boleta || !MaySee(session, boleta->summary.dependencia_id)) {
    if (boleta) {
      StaffLog().Warn("boleta of another dependencia refused", {{"user_id", session.user.id}});
      RecordRefusedView(tx, session.user.id, boleta->summary.id, "/boletas/{folio}", now);
    }
    return Message(404, "No existe", "No existe esa boleta.", &session);
  }
  const workflow::BoletaSummary& summary = boleta->summary;
  const auto actor = ActorFor(session, summary.dependencia_id);
  if (actor && actor->kind == workflow::ActorKind::kDependencia) {
    // The dependencia read it: canalizada → leída the first time, "no leída" drops every time.
    if (auto opened = workflow_.Open(tx, *actor, summary.id); opened) {
      boleta = workflow::LoadBoleta(tx, sla_, now, folio);
      if (!boleta) return Message(404, "No existe", "No existe esa boleta.", &session);
    }
  }
  const workflow::BoletaDetail& detail = *boleta;

  std::map<std::string, std::string, std::less<>> names;
  std::vector<std::pair<std::string, std::string>> dependencias;
  {
    const auto rows = tx.Exec(kDependencias, {});
    for (std::size_t i = 0; i < rows.size(); ++i) {
      names[rows[i].Text(0)] = rows[i].Text(1);
      dependencias.emplace_back(rows[i].Text(0), rows[i].Text(1));
    }
  }
  const auto name_of = [&](const std::string& id) {
    const auto found = names.find(id);
    return found == names.end() ? id : found->second;
  };

  Html content;
  content.Markup("<h1>Boleta ").Text(detail.summary.folio).Markup(" <span class=\"estado\">")
      .Text(StatusLabel(detail.summary.status)).Markup("</span></h1>");
  const auto query = http::ParseQuery(request.query);
  content.Append(DoneNotice(request));
  content.Markup("<div class=\"datos\"><dl><dt>Dependencia</dt><dd>")
      .Text(detail.summary.dependencia_id.empty() ? "— (en la bandeja de clasificación)"
                                                  : name_of(detail.summary.dependencia_id))
      .Markup("</dd>");
  if (!detail.summary.categoria.empty()) {
    content.Markup("<dt>Categoría</dt><dd>")
        .Text(classifiers_.Current()->rules().CategoriaName(detail.summary.categoria))
        .Markup("</dd>");
  }
  content.Markup("<dt>Llegó</dt><dd>").Text(ChannelLabel(detail.channel)).Markup(", ")
      .Text(SpanishDayTime(local_, detail.summary.created_at)).Markup("</dd>");
  if (detail.summary.due_at) {
    content.Markup("<dt>Plazo</dt><dd>").Text(SpanishDay(local_, *detail.summary.due_at));
    if (detail.summary.standing == workflow::Standing::kOverdue) {
      content.Markup(" <strong class=\"alerta\">vencida</strong>");
    } else if (detail.summary.standing == workflow::Standing::kDueSoon) {
      content.Markup(" <strong>por vencer</strong>");
    }
    content.Markup("</dd>");
  }
  if (detail.summary.scheduled_for) {
    content.Markup("<dt>Programada para</dt><dd>").Text(*detail.summary.scheduled_for).Markup("</dd>");
  }
  if (!detail.status_reason.empty()) {
    content.Markup("<dt>Motivo</dt><dd>").Text(detail.status_reason).Markup("</dd>");
  }
  content.Markup("</dl><dl><dt>Petición</dt><dd class=\"texto\">").Text(detail.summary.text)
      .Markup("</dd>");
  if (!detail.summary.colonia.empty()) {
    content.Markup("<dt>Colonia</dt><dd>").Text(detail.summary.colonia).Markup("</dd>");
  }
  if (!detail.address_text.empty()) {
    content.Markup("<dt>Dirección</dt><dd>").Text(detail.address_text).Markup("</dd>");
  }
  if (detail.latitude && detail.longitude) {
    char point[64];
    std::snprintf(point, sizeof point, "%.5f, %.5f", *detail.latitude, *detail.longitude);
    content.Markup("<dt>Ubicación</dt><dd>").Text(point).Markup("</dd>");
  }
  std::vector<std::string_view> seen = {"texto", "direccion"};
  if (!detail.citizen_name.empty() || !detail.citizen_phone.empty()) {
    content.Markup("<dt>Ciudadano</dt><dd>").Text(detail.citizen_name);
    if (!detail.citizen_phone.empty()) {
      content.Markup(" · ").Text(PhoneForPeople(detail.citizen_phone));
      seen.push_back("telefono");
    }
    content.Markup("</dd>");
    seen.push_back("nombre");
  }
  if (const auto files = tx.Exec(kFiles, {detail.summary.id}); !files.empty()) {
    content.Markup("<dt>Archivos</dt><dd><ul class=\"archivos\">");
    for (std::size_t i = 0; i < files.size(); ++i) {
      const auto file = files[i];
      const std::string href =
          BoletaPath(detail.summary.folio) + "/archivos/" + std::to_string(file.Int(0));
      content.Markup("<li>");
      if (file.Text(4) != "stored") {
        content.Text(FileKindLabel(file.Text(1))).Markup(" <small>(").Text(DownloadStateLabel(file.Text(4)))
            .Markup(")</small>");
      } else if (IsSafeImage(file.Text(2))) {
        content.Markup("<a").Attr("href", href).Markup("><img").Attr("src", href)
            .Attr("alt", file.Text(3).empty() ? "Foto del ciudadano" : file.Text(3))
            .Markup(" loading=\"lazy\"></a>");
      } else {
        content.Markup("<a").Attr("href", href).Markup(">").Text(FileKindLabel(file.Text(1)))
            .Markup("</a> <small>(").Text(file.Text(2)).Markup(")</small>");
      }
      if (!file.Text(3).empty()) content.Markup("<br>").Text(file.Text(3));
      content.Markup("</li>");
    }
    content.Markup("</ul></dd>");
    seen.push_back("archivos");
  }
  content.Markup("</dl></div>");

  // The actions the transition table allows this reader in this status.
  const std::string base = "/boletas/" + detail.summary.folio;
  if (actor) {
    Html actions;
    int offered = 0;
    for (const workflow::Transition& transition : workflow::AllTransitions()) {
      if (transition.from != detail.summary.status || !transition.AllowedFor(actor->kind)) continue;
      if (transition.action == "inconformar" || transition.action == "validar") continue;  // the citizen's
      ++offered;
      const Needs needs = NeedsOf(transition.action);
      actions.Markup("<form class=\"decision\" method=\"post\"").Attr("action", base + "/estado")
          .Markup(">").Append(CsrfField(session))
          .Append(SeenVersionField(detail.summary.status_version))
          .Markup("<input type=\"hidden\" name=\"estado\"")
          .Attr("value", std::string(workflow::StatusName(transition.to)))
          .Markup(">");
      if (needs == Needs::kDate) {
        actions.Markup("<label>Fecha <input type=\"date\" name=\"fecha\" required></label>");
      } else if (needs == Needs::kReason) {
        actions.Markup("<label>Motivo <input name=\"comentario\" required maxlength=\"500\"></label>");
      } else if (needs == Needs::kDependencia) {
        actions.Markup("<label>Dependencia <select name=\"dependencia\" required>"
                       "<option value=\"\">— elige —</option>");
        for (const auto& [id, name] : dependencias) {
          if (id == detail.summary.dependencia_id) continue;
          actions.Markup("<option").Attr("value", id).Markup(">").Text(name).Markup("</option>");
        }
        actions.Markup("</select></label>")
            .Append(CategoriaSelect(classifiers_.Current()->rules(), dependencias, ""))
            .Markup("<label>Motivo <input name=\"comentario\" maxlength=\"500\"></label>");
      } else if (needs == Needs::kFolio) {
        actions.Markup("<label>Folio original <input name=\"folio\" required "
                       "pattern=\"[0-9]{4}-[0-9]{6}\"></label>");
      } else {
        actions.Markup("<label>Comentario <input name=\"comentario\" maxlength=\"500\"></label>");
      }
      actions.Markup("<button type=\"submit\">").Text(ActionLabel(transition.action))
          .Markup("</button></form>");
    }
    if (offered > 0) content.Markup("<h2>Acciones</h2>").Append(actions);

    content.Markup("<h2>Nota</h2><form class=\"decision\" method=\"post\"")
        .Attr("action", base + "/nota").Markup(">").Append(CsrfField(session))
        .Markup("<label>Texto <textarea name=\"texto\" required maxlength=\"2000\" rows=\"2\">"
                "</textarea></label><label class=\"opcion\"><input type=\"checkbox\" "
                "name=\"publica\" value=\"si\"> El ciudadano puede verla</label>"
                "<button type=\"submit\">Agregar nota</button></form>");
    if (actor->kind == workflow::ActorKind::kStaff) {
      content.Markup("<h2>Responder al ciudadano</h2><form class=\"decision\" method=\"post\"")
          .Attr("action", base + "/responder").Markup(">").Append(CsrfField(session))
          .Markup("<label>Mensaje (llega por el medio que usó) <textarea name=\"texto\" required "
                  "maxlength=\"1000\" rows=\"2\"></textarea></label>"
                  "<button type=\"submit\">Enviar</button></form>");
    }
  }

  content.Markup("<h2>Bitácora</h2><ol class=\"bitacora\">");
  for (const auto& entry : detail.timeline) {
    content.Markup("<li><time>").Text(SpanishDayTime(local_, entry.at)).Markup("</time> ")
        .Text(EventLabel(entry.kind));
    if (entry.from_status && entry.to_status) {
      const auto from = workflow::StatusFromName(*entry.from_status);
      const auto to = workflow::StatusFromName(*entry.to_status);
      content.Markup(": ").Text(from ? StatusLabel(*from) : *entry.from_status).Markup(" → ")
          .Text(to ? StatusLabel(*to) : *entry.to_status);
    }
    content.Markup(" <small>(").Text(entry.actor).Markup(")</small>");
    if (entry.note) content.Markup("<blockquote>").Text(*entry.note).Markup("</blockquote>");
    content.Markup("</li>");
  }
  content.Markup("</ol>");
  const auto notes = tx.Exec(kNotes, {detail.summary.id});
  if (!notes.empty()) {
    content.Markup("<h2>Notas</h2><ul class=\"notas\">");
    for (std::size_t i = 0; i < notes.size(); ++i) {
      const auto row = notes[i];
      content.Markup("<li><time>")
          .Text(SpanishDayTime(local_, FromEpoch(row.Double(4))))
          .Markup("</time> <strong>").Text(row.Text(1)).Markup("</strong>");
      if (row.Bool(3)) content.Markup(" <small>(pública)</small>");
      content.Markup("<p>").Text(row.Text(2)).Markup("</p></li>");
    }
    content.Markup("</ul>");
  }
  RecordPersonalDataView(tx, session.user.id, {detail.summary.id}, seen, "/boletas/{folio}", now);
  return Document(200, "Boleta " + detail.summary.folio, content, &session);
}

HttpResponse StaffWeb::BoletaChange(Tx& tx, const HttpRequest& request,
                                    const StaffSession& session) {
  const std::string folio = FolioFrom(request);
  HttpResponse refusal;
  const auto target =
      ActingOn(tx, folio, session, "/boletas/{folio}/estado", clock_.Now(), refusal);
  if (!target) return refusal;
  const auto& [owner, actor] = *target;
  const Form form = FormOf(request);
  const auto to = workflow::StatusFromName(Field(form, "estado"));
  if (!to) return Message(400, "No se hizo", "Acción desconocida.", &session);
  const auto seen = SeenVersionOf(form);
  if (!seen) return Message(400, "No se hizo", seen.error().message, &session);
  workflow::StatusChange change;
  change.to = *to;
  change.seen_version = *seen;
  change.comment = Field(form, "comentario");
  change.dependencia_id = Field(form, "dependencia");
  if (const std::string date = Field(form, "fecha"); !date.empty()) {
    change.scheduled_for = workflow::ParseDate(date);
    if (!change.scheduled_for) return Message(400, "No se hizo", "La fecha no es válida.", &session);
  }
  if (const std::string original = Field(form, "folio"); !original.empty()) {
    const auto found = workflow::FindFolio(original);
    const auto holder = found ? workflow::OwnerOfFolio(tx, workflow::FormatFolio(*found)) : std::nullopt;
    if (!holder) return Message(400, "No se hizo", "No existe el folio original.", &session);
    change.duplicate_of = holder->boleta_id;
  }
  // Sent to a dependencia: the categoría chosen with it, or the one kept, must be one of its own
  // (categoria_field.h). The one kept is read after the change, under its row lock.
  const bool routed = *to == workflow::BoletaStatus::kCanalizada && !change.dependencia_id.empty();
  const std::string categoria = routed ? Field(form, "categoria") : std::string();
  const auto rules = classifiers_.Current();
  if (!categoria.empty()) {
    if (auto mismatch = CategoriaRefusal(rules->rules(), change.dependencia_id, categoria, "")) {
      return Message(400, "No se hizo", *mismatch, &session);
    }
    workflow::CorrectClassification(tx, owner.boleta_id, actor, clock_.Now(), categoria, "", "");
  }
  const auto changed = workflow_.ChangeStatus(tx, actor, owner.boleta_id, change);
  if (!changed) {
    tx.RollbackAtEnd();  // the categoría chosen goes with the refused change
    return Message(FormRefusalStatus(changed.error().code), "No se hizo",
                   changed.error().message, &session);
  }
  if (routed && categoria.empty()) {
    const std::string kept = tx.Exec(kCategoriaOf, {owner.boleta_id}).at(0).Text(0);
    if (auto mismatch = CategoriaRefusal(rules->rules(), change.dependencia_id, "", kept)) {
      tx.RollbackAtEnd();
      return Message(400, "No se hizo", *mismatch, &session);
    }
  }
  // A boleta that left the enlace's dependencia is no longer theirs to see: back to the inbox.
  if (session.user.role == "enlace" && (*to == workflow::BoletaStatus::kPorClasificar)) {
    return Redirect("/bandeja?" + http::EncodeForm({{"hecho", "Boleta " + folio + " devuelta."}}));
  }
  return Redirect("/boletas/" + folio + "?" +
                  http::EncodeForm({{"hecho", "Boleta " + folio + ": " +
                                                  StatusLabel(*to) + "."}}));
}

HttpResponse StaffWeb::BoletaFile(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const std::string folio = FolioFrom(request);
  std::int64_t media_id = 0;
  const std::string& id_text = request.path_params.at("archivo");
  const auto [end, error] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), media_id);
  const auto rows = folio.empty() || error != std::errc() || end != id_text.data() + id_text.size()
                        ? tx.Exec(kFile, {std::string("-"), 0})
                        : tx.Exec(kFile, {folio, media_id});
  if (rows.empty() || !MaySee(session, rows.at(0).Text(4))) {
    if (!rows.empty()) {
      RecordRefusedView(tx, session.user.id, rows.at(0).Int(3), "/boletas/{folio}/archivos",
                        clock_.Now());
    }
    return Message(404, "No existe", "No existe ese archivo.", &session);
  }
  const auto row = rows.at(0);
  std::ifstream file(media_.PathOf(row.Text(0)), std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  if (!file) return Message(404, "No existe", "El archivo ya no está en el servidor.", &session);
  HttpResponse response;
  const std::string mime = row.Text(1);
  // Images inline; anything else only as a download, as bytes, never interpreted by the browser.
  response.content_type = IsSafeImage(mime) ? mime : "application/octet-stream";
  response.body = bytes.str();
  response.headers.Add("Content-Disposition",
                       IsSafeImage(mime) ? std::string("inline")
                                         : "attachment; filename=\"archivo-" + id_text + "\"");
  response.headers.Add("Content-Security-Policy",
                       "default-src 'none'; sandbox; frame-ancestors 'none'");
  response.headers.Add("X-Content-Type-Options", "nosniff");
  response.headers.Add("Cache-Control", "no-store");  // a citizen's file: never in a cache
  RecordPersonalDataView(tx, session.user.id, {row.Int(3)}, {"archivo"}, "/boletas/{folio}/archivos",
                         clock_.Now());
  return response;
}

HttpResponse StaffWeb::BoletaNote(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const std::string folio = FolioFrom(request);
  HttpResponse refusal;
  const auto target =
      ActingOn(tx, folio, session, "/boletas/{folio}/nota", clock_.Now(), refusal);
  if (!target) return refusal;
  const auto& [owner, actor] = *target;
  const Form form = FormOf(request);
  const std::string text = Field(form, "texto");
  if (text.empty() || text.size() > 4000) return Message(400, "No se hizo", "Escribe la nota.", &session);
  const auto noted = workflow_.AddNote(tx, actor, owner.boleta_id, text, Field(form, "publica") == "si");
  if (!noted) return Message(400, "No se hizo", noted.error().message, &session);
  return Redirect("/boletas/" + folio + "?" + http::EncodeForm({{"hecho", "Nota agregada."}}));
}

HttpResponse StaffWeb::BoletaReply(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const std::string folio = FolioFrom(request);
  HttpResponse refusal;
  const auto target =
      ActingOn(tx, folio, session, "/boletas/{folio}/responder", clock_.Now(), refusal);
  if (!target) return refusal;
  const auto& owner = target->owner;
  const std::string text = Field(FormOf(request), "texto");
  if (text.empty() || text.size() > 2000) {
    return Message(400, "No se envió", "Escribe el mensaje.", &session);
  }
  if (!outbox::EnqueueToBoletaCitizen(tx, owner.boleta_id, "respuesta_staff", text,
                                      {{"folio", folio}}, clock_.Now())) {
    return Message(400, "No se envió",
                   "Esta boleta no llegó por un canal al que SAC pueda escribir; llama al ciudadano.",
                   &session);
  }
  const auto noted = workflow_.AddNote(tx, workflow::Actor::Staff(session.user.username),
                                       owner.boleta_id, "Mensaje al ciudadano: " + text, true);
  if (!noted) return Message(400, "No se envió", noted.error().message, &session);
  return Redirect("/boletas/" + folio + "?" +
                  http::EncodeForm({{"hecho", "Mensaje en camino al ciudadano."}}));
}

}  // namespace sac::web
