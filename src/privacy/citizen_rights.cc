#include "privacy/citizen_rights.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

#include "channels/common/mx_phone.h"
#include "intake/inbox_writer.h"
#include "reports/meeting_pack_pdf.h"
#include "reports/pdf_document.h"

namespace sac::privacy {
namespace {

using storage::Statement;
using storage::Tx;

constexpr Statement kById{"privacy.by_id", "SELECT id FROM citizen WHERE id = $1"};
constexpr Statement kByPhone{"privacy.by_phone", "SELECT id FROM citizen WHERE phone = $1"};

constexpr Statement kRecord{
    "privacy.record",
    "INSERT INTO arco_action (citizen_id, kind, at, actor, detail) VALUES ($1, $2, $3, $4, $5::jsonb)"};

// $1 citizen: everything SAC holds about them, as one JSON document.
constexpr Statement kExport{
    "privacy.export",
    "SELECT jsonb_build_object("
    " 'ciudadano', (SELECT jsonb_build_object('id', c.id, 'nombre', c.display_name,"
    "     'telefono', c.phone, 'registrado', c.created_at, 'oposicion', c.opposed_at,"
    "     'cancelacion', c.cancelled_at) FROM citizen c WHERE c.id = $1),"
    " 'identidades', coalesce((SELECT jsonb_agg(jsonb_build_object('medio', i.channel,"
    "     'identificador', i.external_id, 'nombre', i.display_name, 'primer_contacto', i.first_seen_at,"
    "     'ultimo_contacto', i.last_seen_at) ORDER BY i.first_seen_at)"
    "   FROM citizen_identity i WHERE i.citizen_id = $1), '[]'),"
    " 'boletas', coalesce((SELECT jsonb_agg(jsonb_build_object("
    "     'folio', b.folio, 'fecha', b.created_at, 'medio', b.channel, 'estado', b.status,"
    "     'dependencia', d.name, 'categoria', b.categoria, 'colonia', b.colonia,"
    "     'direccion', b.address_text, 'latitud', b.latitude, 'longitud', b.longitude,"
    "     'peticion', b.text, 'plazo', b.due_at, 'atendida', b.attended_at,"
    "     'notas', coalesce((SELECT jsonb_agg(jsonb_build_object('fecha', n.created_at,"
    "         'autor', n.author_kind, 'publica', n.public, 'texto', n.text) ORDER BY n.id)"
    "       FROM boleta_note n WHERE n.boleta_id = b.id), '[]'),"
    "     'bitacora', coalesce((SELECT jsonb_agg(jsonb_build_object('fecha', e.at, 'evento', e.kind,"
    "         'de', e.from_status, 'a', e.to_status) ORDER BY e.id)"
    "       FROM boleta_event e WHERE e.boleta_id = b.id), '[]'),"
    "     'archivos', coalesce((SELECT jsonb_agg(jsonb_build_object('tipo', m.kind,"
    "         'formato', m.mime_type, 'nombre', m.filename, 'sha256', m.file_sha256,"
    "         'bytes', m.size_bytes, 'estado', m.download_state) ORDER BY m.id)"
    "       FROM boleta_media m WHERE m.boleta_id = b.id), '[]'),"
    "     'encuesta', (SELECT jsonb_build_object('mes', s.month, 'respuesta', s.answer,"
    "         'palabras', s.answer_text) FROM survey s WHERE s.boleta_id = b.id)"
    "   ) ORDER BY b.created_at, b.id)"
    "   FROM boleta b LEFT JOIN dependencia d ON d.id = b.dependencia_id WHERE b.citizen_id = $1), '[]'),"
    " 'mensajes_recibidos', coalesce((SELECT jsonb_agg(jsonb_build_object('medio', x.channel,"
    "     'fecha', x.received_at, 'contenido', x.payload) ORDER BY x.id)"
    "   FROM inbox x JOIN citizen_identity i ON i.channel = x.channel AND i.external_id = x.sender_id"
    "   WHERE i.citizen_id = $1), '[]'),"
    " 'mensajes_enviados', coalesce((SELECT jsonb_agg(jsonb_build_object('medio', o.channel,"
    "     'fecha', o.created_at, 'motivo', o.purpose, 'texto', o.body, 'estado', o.state) ORDER BY o.id)"
    "   FROM outbox o WHERE o.citizen_id = $1), '[]'),"
    " 'solicitudes_arco', coalesce((SELECT jsonb_agg(jsonb_build_object('tipo', a.kind, 'fecha', a.at)"
    "     ORDER BY a.id) FROM arco_action a WHERE a.citizen_id = $1), '[]')"
    ")::text"};

constexpr Statement kRename{"privacy.rename",
                            "UPDATE citizen SET display_name = $2 WHERE id = $1"};
constexpr Statement kPhoneTaken{"privacy.phone_taken",
                                "SELECT 1 FROM citizen WHERE phone = $2 AND id <> $1"};
constexpr Statement kRephone{"privacy.rephone", "UPDATE citizen SET phone = $2 WHERE id = $1"};
constexpr Statement kOppose{"privacy.oppose",
                            "UPDATE citizen SET opposed_at = coalesce(opposed_at, $2) WHERE id = $1"};

// Cancellation, in order. Inbox rows are found through the identities, so they go first.
constexpr Statement kCancelRequests{
    "privacy.cancel_requests",
    // The raw requests that carried their messages (a batch may carry others' too: those keep
    // their parsed inbox rows).
    "UPDATE webhook_request r SET body = ''::bytea FROM inbox x JOIN citizen_identity i"
    "  ON i.channel = x.channel AND i.external_id = x.sender_id "
    "WHERE i.citizen_id = $1 AND r.id = x.request_id AND octet_length(r.body) > 0"};
// The provider's id stays only as a salted hash (migrations/0022): replays are still refused.
constexpr Statement kCancelInbox{
    "privacy.cancel_inbox",
    // An empty sender_id also means "nobody to write to" for the outbox's queries. A message still
    // waiting for the pipeline is not processed any more: it would bring the data back.
    "UPDATE inbox x SET payload = jsonb_build_object('suprimido', true), sender_id = '',"
    "  dedupe_key = dedupe_hash(x.channel, x.dedupe_key),"
    "  outcome = CASE WHEN x.state = 'pending' THEN 'datos cancelados (ARCO)' ELSE x.outcome END,"
    "  state = CASE WHEN x.state = 'pending' THEN 'ignored' ELSE x.state END "
    "FROM citizen_identity i WHERE i.citizen_id = $1 AND i.channel = x.channel"
    "  AND i.external_id = x.sender_id"};
// Providers' news about the replies SAC sent them, keyed by our message's provider id (whose
// WhatsApp form encodes the phone): found by its exact keys through the unique index. News keyed
// by the citizen (Messenger's watermarks) carries them in sender_id and went with kCancelInbox.
constexpr Statement kCancelDeliveryNews{
    "privacy.cancel_delivery_news",
    "UPDATE inbox x SET payload = jsonb_build_object('suprimido', true),"
    "  dedupe_key = dedupe_hash(x.channel, x.dedupe_key),"
    "  outcome = CASE WHEN x.state = 'pending' THEN 'datos cancelados (ARCO)' ELSE x.outcome END,"
    "  state = CASE WHEN x.state = 'pending' THEN 'ignored' ELSE x.state END "
    "FROM outbox o CROSS JOIN (VALUES ('sent'), ('delivered'), ('read'), ('failed')) AS news (state) "
    "WHERE o.provider_message_id IS NOT NULL"
    "  AND (o.citizen_id = $1 OR o.boleta_id IN (SELECT id FROM boleta WHERE citizen_id = $1))"
    "  AND x.channel = o.channel AND x.dedupe_key = 'status:' || o.provider_message_id || ':' || news.state"};
constexpr Statement kCancelConversations{
    "privacy.cancel_conversations",
    "DELETE FROM conversation c USING citizen_identity i WHERE i.citizen_id = $1"
    "  AND c.channel = i.channel AND c.external_id = i.external_id"};
// Who provider news was for, when it matched no reply of ours (outbox/delivery_tracker).
constexpr Statement kCancelUnplacedNews{
    "privacy.cancel_unplaced_news",
    "UPDATE delivery_event d SET recipient = '' FROM citizen_identity i WHERE i.citizen_id = $1"
    "  AND d.channel = i.channel AND d.recipient = i.external_id AND d.recipient <> ''"};
constexpr Statement kCancelIdentities{"privacy.cancel_identities",
                                      "DELETE FROM citizen_identity WHERE citizen_id = $1"};
constexpr Statement kCancelFollowing{"privacy.cancel_following",
                                     "DELETE FROM boleta_follower WHERE citizen_id = $1"};
// The pieces' ids of long replies (a Telegram id carries the chat's), then the replies.
#define SAC_OUTBOX_EMPTIED                                                           \
  "SET body = '', recipient = '', template_params = NULL, buttons = NULL,"          \
  "  state = CASE WHEN state IN ('pending', 'sending', 'unknown') THEN 'failed' ELSE state END," \
  "  last_error = CASE WHEN state IN ('pending', 'sending', 'unknown')"            \
  "                    THEN 'datos cancelados (ARCO)'"                              \
  "                    ELSE last_error END, updated_at = $2 "
constexpr Statement kCancelOutboxPieces{
    "privacy.cancel_outbox_pieces",
    "DELETE FROM outbox_piece WHERE outbox_id IN (SELECT id FROM outbox WHERE citizen_id = $1)"};
constexpr Statement kCancelOutbox{"privacy.cancel_outbox",
                                  "UPDATE outbox " SAC_OUTBOX_EMPTIED "WHERE citizen_id = $1"};
constexpr Statement kCancelSurveys{"privacy.cancel_surveys",
                                   "UPDATE survey SET answer_text = NULL WHERE citizen_id = $1"};

// What a set of boletas ($1, an array of ids) holds of people, whoever they are.
// The raw requests that carried the messages that started them.
constexpr Statement kRemoveBoletasRequests{
    "privacy.remove_boletas_requests",
    "UPDATE webhook_request r SET body = ''::bytea FROM inbox x JOIN boleta b"
    "  ON x.id = b.source_inbox_id "
    "WHERE b.id = ANY($1::bigint[]) AND r.id = x.request_id AND octet_length(r.body) > 0"};
// Their messages: the provider's id stays only as a salted hash, hashed once.
constexpr Statement kRemoveBoletasInbox{
    "privacy.remove_boletas_inbox",
    "UPDATE inbox x SET payload = jsonb_build_object('suprimido', true), sender_id = '',"
    "  dedupe_key = dedupe_hash(x.channel, x.dedupe_key) "
    "FROM boleta b WHERE b.id = ANY($1::bigint[]) AND x.id = b.source_inbox_id"
    "  AND NOT x.payload ? 'suprimido'"};
constexpr Statement kRemoveBoletasOutboxPieces{
    "privacy.remove_boletas_outbox_pieces",
    "DELETE FROM outbox_piece WHERE outbox_id IN"
    "  (SELECT id FROM outbox WHERE boleta_id = ANY($1::bigint[]))"};
constexpr Statement kRemoveBoletasOutbox{
    "privacy.remove_boletas_outbox",
    "UPDATE outbox " SAC_OUTBOX_EMPTIED "WHERE boleta_id = ANY($1::bigint[])"};
#undef SAC_OUTBOX_EMPTIED
constexpr Statement kRemoveBoletasSurveys{
    "privacy.remove_boletas_surveys",
    "UPDATE survey SET answer_text = NULL WHERE boleta_id = ANY($1::bigint[])"};
// Notes by the citizen, and staff notes (calls with the citizen); the dependencias' and the
// system's notes are the record of the work and stay.
constexpr Statement kRemoveBoletasNotes{
    "privacy.remove_boletas_notes",
    "UPDATE boleta_note SET text = $2 WHERE author_kind IN ('ciudadano', 'staff')"
    "  AND boleta_id = ANY($1::bigint[])"};
constexpr Statement kBoletasFiles{
    "privacy.boletas_files",
    "SELECT DISTINCT file_sha256 FROM boleta_media WHERE file_sha256 IS NOT NULL"
    "  AND boleta_id = ANY($1::bigint[])"};
constexpr Statement kRemoveBoletasMedia{
    "privacy.remove_boletas_media",
    "UPDATE boleta_media SET provider_media_id = '', filename = '', caption = '', sha256 = '',"
    "  file_sha256 = NULL, download_state = 'blocked', last_error = NULL "
    "WHERE boleta_id = ANY($1::bigint[])"};
constexpr Statement kRemoveBoletasText{
    "privacy.remove_boletas_text",
    "UPDATE boleta SET text = $2, address_text = NULL, latitude = NULL, longitude = NULL,"
    "  classification = NULL, status_reason = CASE WHEN status_reason IS NULL THEN NULL ELSE $2 END,"
    "  updated_at = $3, personal_data_removed_at = $3 WHERE id = ANY($1::bigint[])"};
// The bitácora says why a boleta's texts read as they do (append-only: the event stays).
constexpr Statement kRemovedEvents{
    "privacy.removed_events",
    "INSERT INTO boleta_event (boleta_id, at, kind, actor_kind, actor, detail)"
    "  SELECT id, $2, 'datos_suprimidos', $5, $3, jsonb_build_object('motivo', $4::text)"
    "  FROM unnest($1::bigint[]) AS id"};
constexpr Statement kFileStillUsed{
    "privacy.file_still_used", "SELECT 1 FROM boleta_media WHERE file_sha256 = $1 LIMIT 1"};
// The export's instants in UTC, whatever the server's zone ("2026-03-02T17:00:00+00:00").
constexpr Statement kUtc{"privacy.utc", "SET LOCAL TimeZone = 'UTC'"};
constexpr Statement kBoletasOf{
    "privacy.boletas_of",
    "SELECT coalesce(array_agg(id ORDER BY id), '{}')::text FROM boleta WHERE citizen_id = $1"};

// The citizen, and the records merged into it when two turned out to be one person (their
// boletas and identities moved; their names stayed).
constexpr Statement kCancelCitizen{
    "privacy.cancel_citizen",
    "WITH RECURSIVE merged(id) AS (SELECT $1::bigint UNION"
    "  SELECT c.id FROM citizen c JOIN merged m ON c.merged_into = m.id) "
    "UPDATE citizen SET display_name = '', phone = NULL, cancelled_at = $2"
    " WHERE id IN (SELECT id FROM merged)"};
// How the cancellation journal tells this citizen from a later one with the same id.
constexpr Statement kCreatedMicros{
    "privacy.created_micros",
    "SELECT (extract(epoch FROM created_at) * 1000000)::bigint FROM citizen WHERE id = $1"};
constexpr Statement kIsCancelled{"privacy.is_cancelled",
                                 "SELECT cancelled_at IS NOT NULL FROM citizen WHERE id = $1"};
// What each removed text reads, by motive.
std::string RemovedText(const std::string& motive) {
  return motive == "conservacion" ? "[Datos suprimidos al vencer su plazo de conservación]"
                                  : "[Datos suprimidos a solicitud del titular]";
}

void Record(Tx& tx, std::int64_t citizen_id, const char* kind, TimePoint now,
            const std::string& actor, const boost::json::object& detail) {
  tx.Exec(kRecord, {citizen_id, kind, now, actor, boost::json::serialize(detail)});
}

std::string Text(const boost::json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_null()) return "";
  return boost::json::serialize(value);
}

std::string Field(const boost::json::object& object, const char* key) {
  const auto* found = object.if_contains(key);
  return found == nullptr ? std::string() : Text(*found);
}

// "2026-03-02T17:00:00+00:00" (UTC, see kUtc) → "02/03/2026" as printed documents write it, in
// Mazatlán (a late-evening instant is the previous day there). The text as it is otherwise.
std::string Day(const workflow::LocalTime& local, const std::string& iso) {
  const auto date = iso.size() >= 19 ? workflow::ParseDate(iso.substr(0, 10)) : std::nullopt;
  if (!date) return iso;
  int hour = 0, minute = 0;
  const auto [h_end, h_error] = std::from_chars(iso.data() + 11, iso.data() + 13, hour);
  const auto [m_end, m_error] = std::from_chars(iso.data() + 14, iso.data() + 16, minute);
  if (h_error != std::errc() || m_error != std::errc()) return iso;
  return reports::ShortDate(local, TimePoint(std::chrono::sys_days(*date).time_since_epoch() +
                                             std::chrono::hours(hour) + std::chrono::minutes(minute)));
}

std::string Pdf(const boost::json::object& data, const workflow::LocalTime& local, TimePoint now) {
  reports::PdfDocument pdf("Datos personales en SAC", reports::PdfDocument::Orientation::kPortrait);
  const auto& citizen = data.at("ciudadano").as_object();
  pdf.SetFooter("SAC · Municipio de Mazatlán · ciudadano " + Field(citizen, "id") + " · " +
                reports::ShortDate(local, now));
  pdf.NewPage();
  pdf.Line("Sus datos personales en SAC", 15, true, 20);
  pdf.Line("Sistema de Atención Ciudadana del Municipio de Mazatlán · " +
               reports::ShortDateTime(local, now) + " (hora de Mazatlán)", 9, false, 14);
  pdf.Paragraph("Copia de todos los datos personales que SAC conserva de usted, entregada por su "
                "solicitud de acceso (derechos ARCO). El archivo JSON que la acompaña contiene lo "
                "mismo en formato estructurado (portabilidad).");
  pdf.Space(6);
  pdf.Line("Nombre: " + Field(citizen, "nombre"), 10);
  pdf.Line("Teléfono: " + Field(citizen, "telefono"), 10);
  pdf.Line("Registrado el " + Day(local, Field(citizen, "registrado")), 10);
  if (!Field(citizen, "oposicion").empty()) {
    pdf.Line("Se opuso a recibir encuestas el " + Day(local, Field(citizen, "oposicion")), 10);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& identity : data.at("identidades").as_array()) {
    const auto& object = identity.as_object();
    rows.push_back({Field(object, "medio"), Field(object, "identificador"), Field(object, "nombre"),
                    Day(local, Field(object, "primer_contacto")),
                    Day(local, Field(object, "ultimo_contacto"))});
  }
  pdf.Table("Cómo nos ha escrito", {{"Medio", 80}, {"Identificador", 150}, {"Nombre", 140},
                                    {"Primer contacto", 75}, {"Último", 75}}, rows);
  const auto& boletas = data.at("boletas").as_array();
  pdf.Space(8);
  pdf.Line("Sus peticiones (" + std::to_string(boletas.size()) + ")", 11, true, 16);
  for (const auto& value : boletas) {
    const auto& boleta = value.as_object();
    pdf.Space(4);
    pdf.Line("Folio " + Field(boleta, "folio") + " · " + Day(local, Field(boleta, "fecha")) + " · " +
                 Field(boleta, "estado") + " · " + Field(boleta, "dependencia"),
             9.5f, true);
    pdf.Paragraph(Field(boleta, "peticion"));
    std::string place = Field(boleta, "colonia");
    if (!Field(boleta, "direccion").empty()) place += (place.empty() ? "" : ", ") + Field(boleta, "direccion");
    if (!place.empty()) pdf.Line("Lugar: " + place, 8.5f);
    for (const auto& note : boleta.at("notas").as_array()) {
      const auto& object = note.as_object();
      pdf.Paragraph("Nota (" + Field(object, "autor") + ", " + Day(local, Field(object, "fecha")) +
                        "): " + Field(object, "texto"),
                    8.5f);
    }
    const auto files = boleta.at("archivos").as_array().size();
    if (files > 0) pdf.Line("Archivos: " + std::to_string(files), 8.5f);
  }
  rows.clear();
  for (const auto& message : data.at("mensajes_enviados").as_array()) {
    const auto& object = message.as_object();
    rows.push_back({Day(local, Field(object, "fecha")), Field(object, "medio"),
                    Field(object, "texto")});
  }
  pdf.Table("Mensajes que SAC le envió (" + std::to_string(rows.size()) + ")",
            {{"Fecha", 60}, {"Medio", 70}, {"Texto", 0}}, rows);
  rows.clear();
  for (const auto& message : data.at("mensajes_recibidos").as_array()) {
    const auto& object = message.as_object();
    const auto* content = object.if_contains("contenido");
    std::string text;
    if (content != nullptr && content->is_object()) text = Field(content->as_object(), "text");
    rows.push_back({Day(local, Field(object, "fecha")), Field(object, "medio"), text});
  }
  pdf.Table("Mensajes que usted escribió (" + std::to_string(rows.size()) + ")",
            {{"Fecha", 60}, {"Medio", 70}, {"Texto", 0}}, rows);
  auto bytes = pdf.Finish();
  return bytes ? std::move(*bytes) : std::string();
}

}  // namespace

Result<std::int64_t> FindCitizen(Tx& tx, std::optional<std::int64_t> id, const std::string& phone) {
  if (id) {
    const auto rows = tx.Exec(kById, {*id});
    if (rows.empty()) return MakeError(Errc::kNotFound, "no existe el ciudadano " + std::to_string(*id));
    return rows.at(0).Int(0);
  }
  const auto normalized = channels::NormalizePhone(phone);
  if (!normalized) return MakeError(Errc::kInvalidArgument, "el teléfono no es un número de México");
  const auto rows = tx.Exec(kByPhone, {*normalized});
  if (rows.empty()) return MakeError(Errc::kNotFound, "ningún ciudadano tiene ese teléfono");
  return rows.at(0).Int(0);
}

Result<CitizenData> ExportCitizen(Tx& tx, std::int64_t citizen_id, const workflow::LocalTime& local,
                                  const std::string& actor, TimePoint now) {
  CitizenData out;
  tx.Exec(kUtc, {});
  out.json = tx.Exec(kExport, {citizen_id}).at(0).Text(0);
  const boost::json::value data = boost::json::parse(out.json);
  out.boletas = static_cast<int>(data.at("boletas").as_array().size());
  out.pdf = Pdf(data.as_object(), local, now);
  if (out.pdf.empty()) return MakeError(Errc::kUnavailable, "no se pudo escribir el PDF");
  Record(tx, citizen_id, "acceso", now, actor, {{"boletas", out.boletas}});
  return out;
}

Status RectifyCitizen(Tx& tx, std::int64_t citizen_id, const std::optional<std::string>& name,
                      const std::optional<std::string>& phone, const std::string& actor,
                      TimePoint now) {
  if (tx.Exec(kIsCancelled, {citizen_id}).at(0).Bool(0)) {
    return MakeError(Errc::kInvalidArgument, "los datos de este ciudadano fueron cancelados");
  }
  boost::json::object changed;
  if (name) {
    if (name->size() > 200) return MakeError(Errc::kInvalidArgument, "el nombre es demasiado largo");
    tx.Exec(kRename, {citizen_id, *name});
    changed["nombre"] = true;
  }
  if (phone) {
    const auto normalized = channels::NormalizePhone(*phone);
    if (!normalized) return MakeError(Errc::kInvalidArgument, "el teléfono no es un número de México");
    if (!tx.Exec(kPhoneTaken, {citizen_id, *normalized}).empty()) {
      return MakeError(Errc::kConflict, "otro ciudadano tiene ese teléfono");
    }
    tx.Exec(kRephone, {citizen_id, *normalized});
    changed["telefono"] = true;
  }
  if (changed.empty()) return MakeError(Errc::kInvalidArgument, "nada que rectificar: --nombre o --telefono");
  Record(tx, citizen_id, "rectificacion", now, actor, changed);
  return {};
}

Status OpposeCitizen(Tx& tx, std::int64_t citizen_id, const std::string& actor, TimePoint now) {
  tx.Exec(kOppose, {citizen_id, now});
  Record(tx, citizen_id, "oposicion", now, actor, {{"encuestas", false}});
  return {};
}

BoletasRemoved RemoveBoletasPersonalData(Tx& tx, const std::string& boleta_ids,
                                         const std::string& actor, TimePoint now,
                                         const std::string& motive) {
  BoletasRemoved out;
  const std::string removed = RemovedText(motive);
  intake::ExcludeInboxStores(tx);  // no webhook stores a key while it becomes a hash
  tx.Exec(kRemoveBoletasRequests, {boleta_ids});
  out.messages = static_cast<int>(tx.Exec(kRemoveBoletasInbox, {boleta_ids}).affected());
  tx.Exec(kRemoveBoletasOutboxPieces, {boleta_ids});
  tx.Exec(kRemoveBoletasOutbox, {boleta_ids, now});
  tx.Exec(kRemoveBoletasSurveys, {boleta_ids});
  tx.Exec(kRemoveBoletasNotes, {boleta_ids, removed});
  std::vector<std::string> files;
  const auto media = tx.Exec(kBoletasFiles, {boleta_ids});
  for (std::size_t i = 0; i < media.size(); ++i) files.push_back(media[i].Text(0));
  tx.Exec(kRemoveBoletasMedia, {boleta_ids});
  out.boletas = static_cast<int>(tx.Exec(kRemoveBoletasText, {boleta_ids, removed, now}).affected());
  // The retention job acts by itself; a request is carried out by the official who ran it.
  const char* actor_kind = motive == "conservacion" ? "sistema" : "staff";
  tx.Exec(kRemovedEvents, {boleta_ids, now, actor, motive, actor_kind});
  for (const std::string& sha : files) {
    if (tx.Exec(kFileStillUsed, {sha}).empty()) out.files_to_delete.push_back(sha);
  }
  return out;
}

Result<Cancellation> CancelCitizen(Tx& tx, std::int64_t citizen_id, const std::string& actor,
                                   TimePoint now, const std::string& motive,
                                   const CancellationJournal* journal) {
  Cancellation out;
  const auto created = tx.Exec(kCreatedMicros, {citizen_id});
  if (created.empty()) return MakeError(Errc::kNotFound, "no such citizen");
  out.citizen_created_us = created.at(0).Int(0);
  if (journal != nullptr) {
    if (auto recorded = journal->Record({citizen_id, out.citizen_created_us, motive}, now);
        !recorded) {
      return recorded.error();
    }
  }
  intake::ExcludeInboxStores(tx);  // no webhook stores a key while it becomes a hash
  tx.Exec(kCancelRequests, {citizen_id});
  out.messages = static_cast<int>(tx.Exec(kCancelInbox, {citizen_id}).affected());
  tx.Exec(kCancelDeliveryNews, {citizen_id});
  tx.Exec(kCancelConversations, {citizen_id});
  tx.Exec(kCancelUnplacedNews, {citizen_id});
  tx.Exec(kCancelIdentities, {citizen_id});
  tx.Exec(kCancelFollowing, {citizen_id});
  tx.Exec(kCancelOutboxPieces, {citizen_id});
  tx.Exec(kCancelOutbox, {citizen_id, now});
  tx.Exec(kCancelSurveys, {citizen_id});
  const std::string boletas = tx.Exec(kBoletasOf, {citizen_id}).at(0).Text(0);
  BoletasRemoved removed = RemoveBoletasPersonalData(tx, boletas, actor, now, motive);
  out.boletas = removed.boletas;
  out.messages += removed.messages;
  out.files_to_delete = std::move(removed.files_to_delete);
  tx.Exec(kCancelCitizen, {citizen_id, now});
  Record(tx, citizen_id, "cancelacion", now, actor,
         {{"motivo", motive}, {"boletas", out.boletas}, {"mensajes", out.messages},
          {"archivos", static_cast<std::int64_t>(out.files_to_delete.size())}});
  return out;
}

}  // namespace sac::privacy
