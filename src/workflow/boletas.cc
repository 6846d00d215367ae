#include "workflow/boletas.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "workflow/boleta_status.h"
#include "workflow/boleta_workflow.h"

namespace sac::workflow {
namespace {

using storage::Param;
using storage::Statement;

constexpr Statement kInsertBoleta{
    "boleta.insert",
    "INSERT INTO boleta (folio, channel, citizen_id, source_inbox_id, text, status, latitude,"
    "  longitude, address_text, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id"};

constexpr Statement kInsertMedia{
    "boleta.insert_media",
    "INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type, sha256, filename,"
    "  caption, voice, channel) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};

// A file that arrived inside the message (an e-mail attachment) was stored at intake: nothing
// to download. $9 its SHA-256, $10 its size, $11 the channel.
constexpr Statement kInsertStoredMedia{
    "boleta.insert_stored_media",
    "INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type, sha256, filename,"
    "  caption, voice, download_state, file_sha256, size_bytes, downloaded_at, channel) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'stored', $9, $10, now(), $11)"};

// A file that never reached SAC whole (Media::too_large): on record, nothing to fetch.
constexpr Statement kInsertTooLargeMedia{
    "boleta.insert_too_large_media",
    "INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type, filename, caption,"
    "  download_state, channel) VALUES ($1, $2, $3, $4, $5, $6, 'too_large', $7)"};

constexpr Statement kFindByFolio{"boleta.find_by_folio",
                                 "SELECT id, folio FROM boleta WHERE folio = $1"};

constexpr Statement kFindCitizensByFolio{
    "boleta.find_citizens_by_folio",
    "SELECT id, folio FROM boleta WHERE folio = $1 AND citizen_id = $2"};

constexpr Statement kFindByReply{
    "boleta.find_by_reply",
    "SELECT b.id, b.folio FROM outbox o JOIN boleta b ON b.id = o.boleta_id "
    "WHERE o.channel = $1 AND o.provider_message_id = $2 AND b.citizen_id = $3"};

constexpr Statement kFindByMessage{
    "boleta.find_by_message",
    "SELECT b.id, b.folio FROM inbox i JOIN boleta b ON b.source_inbox_id = i.id "
    "WHERE i.channel = $1 AND i.dedupe_key = $2 AND b.citizen_id = $3 "
    "UNION ALL "
    "SELECT b.id, b.folio FROM inbox i JOIN boleta_note n ON n.source_inbox_id = i.id "
    "  JOIN boleta b ON b.id = n.boleta_id "
    "WHERE i.channel = $1 AND i.dedupe_key = $2 AND b.citizen_id = $3 "
    "UNION ALL "
    "SELECT b.id, b.folio FROM inbox i JOIN outbox o ON o.source_inbox_id = i.id "
    "  JOIN boleta b ON b.id = o.boleta_id "
    "WHERE i.channel = $1 AND i.dedupe_key = $2 AND b.citizen_id = $3 LIMIT 1"};

constexpr Statement kRecordClassification{
    "boleta.record_classification",
    "UPDATE boleta SET intent = $2, categoria = nullif($3, ''), colonia = nullif($4, ''),"
    "  colonia_postal_code = nullif($5, ''), address_text = coalesce(address_text, nullif($6, '')),"
    "  priority = $7, confidence = $8, classification = $9::jsonb WHERE id = $1"};

constexpr Statement kFillPlace{
    "boleta.fill_place",
    "UPDATE boleta SET colonia = coalesce(colonia, nullif($2, '')),"
    "  colonia_postal_code = coalesce(colonia_postal_code, nullif($3, '')),"
    "  address_text = coalesce(address_text, nullif($4, '')), location_missing = false "
    "WHERE id = $1"};

// $1 id, $2 categoría, $3 colonia, $4 postal code ('' keeps each). Returns the values before.
constexpr Statement kCorrectClassification{
    "boleta.correct_classification",
    "UPDATE boleta b SET categoria = coalesce(nullif($2, ''), b.categoria),"
    "  colonia = coalesce(nullif($3, ''), b.colonia),"
    "  colonia_postal_code = CASE WHEN $3 = '' THEN b.colonia_postal_code ELSE nullif($4, '') END,"
    "  location_missing = CASE WHEN $3 = '' THEN b.location_missing ELSE false END "
    "FROM boleta old WHERE b.id = $1 AND old.id = b.id "
    "RETURNING coalesce(old.categoria, ''), coalesce(old.colonia, '')"};

constexpr Statement kMarkLocationMissing{
    "boleta.mark_location_missing", "UPDATE boleta SET location_missing = true WHERE id = $1"};

constexpr Statement kSetLocation{
    "boleta.set_location_if_missing",
    "UPDATE boleta SET latitude = $2, longitude = $3, address_text = coalesce(address_text, $4),"
    "  location_missing = false WHERE id = $1 AND latitude IS NULL"};

std::string AddressText(const std::optional<GeoPoint>& location) {
  if (!location) {
    return {};
  }
  if (location->name.empty()) {
    return location->address;
  }
  return location->address.empty() ? location->name : location->name + ", " + location->address;
}

std::optional<BoletaRef> FirstRef(const storage::Rows& rows) {
  if (rows.empty()) {
    return std::nullopt;
  }
  return BoletaRef{rows.at(0).Int(0), rows.at(0).Text(1)};
}

// `channel`: the one the file came through, which is the one to ask for it.
void InsertMedia(storage::Tx& tx, std::int64_t boleta_id, std::string_view channel,
                 const Media& media, std::string_view caption) {
  if (media.too_large) {
    tx.Exec(kInsertTooLargeMedia, {boleta_id, MessageTypeName(media.kind), media.provider_media_id,
                                   media.mime_type, media.filename, caption, channel});
    return;
  }
  if (const auto stored = StoredMediaSha256(media.provider_media_id)) {
    tx.Exec(kInsertStoredMedia,
            {boleta_id, MessageTypeName(media.kind), media.provider_media_id, media.mime_type,
             media.sha256, media.filename, caption, media.voice, std::string(*stored),
             media.size_bytes, channel});
    return;
  }
  tx.Exec(kInsertMedia, {boleta_id, MessageTypeName(media.kind), media.provider_media_id,
                         media.mime_type, media.sha256, media.filename, caption, media.voice,
                         channel});
  tx.Notify(kMediaNotifyChannel);  // the downloader fetches it after the commit
}

}  // namespace

BoletaRef CreateBoleta(storage::Tx& tx, const NewBoleta& boleta, TimePoint now) {
  const std::string folio = FormatFolio(NextFolio(tx, now));
  const std::string status(StatusName(BoletaStatus::kPorClasificar));
  const Param latitude = boleta.location ? Param(boleta.location->latitude) : Param(std::nullopt);
  const Param longitude =
      boleta.location ? Param(boleta.location->longitude) : Param(std::nullopt);
  const std::string address = AddressText(boleta.location);
  const std::int64_t id =
      tx.Exec(kInsertBoleta,
              {folio, boleta.channel, boleta.citizen_id, boleta.source_inbox_id, boleta.text,
               status, latitude, longitude,
               address.empty() ? Param(std::nullopt) : Param(address), now})
          .at(0)
          .Int(0);
  for (const Media& media : boleta.media) {
    InsertMedia(tx, id, boleta.channel, media, boleta.text);
  }
  boost::json::object detail{{"channel", boleta.channel}};
  if (boleta.source_inbox_id) {
    detail["inbox_id"] = *boleta.source_inbox_id;
  }
  AppendEvent(tx, id, now, "creada", Actor::System(), std::nullopt, BoletaStatus::kPorClasificar,
              boost::json::serialize(detail));
  return BoletaRef{id, folio};
}

std::optional<BoletaRef> FindBoletaByFolio(storage::Tx& tx, const Folio& folio) {
  return FirstRef(tx.Exec(kFindByFolio, {FormatFolio(folio)}));
}

std::optional<BoletaRef> FindCitizensBoleta(storage::Tx& tx, const Folio& folio,
                                            std::int64_t citizen_id) {
  return FirstRef(tx.Exec(kFindCitizensByFolio, {FormatFolio(folio), citizen_id}));
}

std::optional<BoletaRef> FindBoletaOfReply(storage::Tx& tx, std::string_view channel,
                                           std::string_view provider_message_id,
                                           std::int64_t citizen_id) {
  if (provider_message_id.empty()) {
    return std::nullopt;
  }
  return FirstRef(tx.Exec(kFindByReply, {channel, provider_message_id, citizen_id}));
}

std::optional<BoletaRef> FindBoletaOfMessage(storage::Tx& tx, std::string_view channel,
                                             std::string_view provider_message_id,
                                             std::int64_t citizen_id) {
  if (provider_message_id.empty()) {
    return std::nullopt;
  }
  return FirstRef(tx.Exec(kFindByMessage, {channel, provider_message_id, citizen_id}));
}

void RecordClassification(storage::Tx& tx, std::int64_t boleta_id,
                          const ClassificationRecord& record, TimePoint now) {
  tx.Exec(kRecordClassification,
          {boleta_id, record.intent, record.categoria, record.colonia, record.colonia_postal_code,
           record.address, record.priority, record.confidence, record.json});
  boost::json::object detail{{"intent", record.intent},
                             {"categoria", record.categoria},
                             {"dependencia", record.dependencia},
                             {"confianza", record.confidence},
                             {"revision", record.needs_review}};
  if (!record.colonia.empty()) detail["colonia"] = record.colonia;
  AppendEvent(tx, boleta_id, now, "clasificada", Actor::System(), std::nullopt, std::nullopt,
              boost::json::serialize(detail));
}

void AttachToBoleta(storage::Tx& tx, std::int64_t boleta_id, std::string_view channel,
                    const std::vector<Media>& media, std::string_view caption,
                    const std::optional<GeoPoint>& location) {
  for (const Media& item : media) {
    InsertMedia(tx, boleta_id, channel, item, caption);
  }
  if (location) {
    const std::string address = AddressText(location);
    tx.Exec(kSetLocation, {boleta_id, location->latitude, location->longitude,
                           address.empty() ? Param(std::nullopt) : Param(address)});
  }
}

bool CorrectClassification(storage::Tx& tx, std::int64_t boleta_id, const Actor& actor,
                           TimePoint now, std::string_view categoria, std::string_view colonia,
                           std::string_view postal_code) {
  const auto rows = tx.Exec(kCorrectClassification, {boleta_id, categoria, colonia, postal_code});
  if (rows.empty()) return false;
  const auto row = rows.at(0);
  boost::json::object detail;
  if (!categoria.empty() && row.Text(0) != categoria) {
    detail["categoria"] = categoria;
    detail["categoria_antes"] = row.Text(0);
  }
  if (!colonia.empty() && row.Text(1) != colonia) {
    detail["colonia"] = colonia;
    detail["colonia_antes"] = row.Text(1);
  }
  if (detail.empty()) return false;
  AppendEvent(tx, boleta_id, now, "clasificacion_corregida", actor, std::nullopt, std::nullopt,
              boost::json::serialize(detail));
  return true;
}

void FillPlace(storage::Tx& tx, std::int64_t boleta_id, std::string_view colonia,
               std::string_view postal_code, std::string_view address) {
  tx.Exec(kFillPlace, {boleta_id, colonia, postal_code, address});
}

void MarkLocationMissing(storage::Tx& tx, std::int64_t boleta_id) {
  tx.Exec(kMarkLocationMissing, {boleta_id});
}

}  // namespace sac::workflow
