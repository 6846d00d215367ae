#include "workflow/boletas.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "workflow/boleta_status.h"

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
    "  caption, voice) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};

constexpr Statement kInsertEvent{
    "boleta.insert_event",
    "INSERT INTO boleta_event (boleta_id, at, kind, actor, from_status, to_status, detail) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)"};

constexpr Statement kFindByFolio{"boleta.find_by_folio",
                                 "SELECT id, folio FROM boleta WHERE folio = $1"};

constexpr Statement kMarkUnread{
    "boleta.mark_unread",
    "UPDATE boleta SET unread_by_dependencia = (dependencia_id IS NOT NULL), updated_at = $2 "
    "WHERE id = $1"};

std::string AddressText(const std::optional<GeoPoint>& location) {
  if (!location) {
    return {};
  }
  if (location->name.empty()) {
    return location->address;
  }
  return location->address.empty() ? location->name : location->name + ", " + location->address;
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
  if (boleta.media) {
    const Media& media = *boleta.media;
    tx.Exec(kInsertMedia, {id, MessageTypeName(boleta.media_kind), media.provider_media_id,
                           media.mime_type, media.sha256, media.filename, boleta.text,
                           media.voice});
  }
  const std::string detail = boost::json::serialize(boost::json::object{
      {"channel", boleta.channel}, {"inbox_id", boleta.source_inbox_id}});
  tx.Exec(kInsertEvent, {id, now, "creada", "sistema", std::nullopt, status, detail});
  return BoletaRef{id, folio};
}

std::optional<BoletaRef> FindBoletaByFolio(storage::Tx& tx, const Folio& folio) {
  auto rows = tx.Exec(kFindByFolio, {FormatFolio(folio)});
  if (rows.empty()) {
    return std::nullopt;
  }
  return BoletaRef{rows.at(0).Int(0), rows.at(0).Text(1)};
}

void AddCitizenNote(storage::Tx& tx, std::int64_t boleta_id, std::string_view text,
                    std::string_view via, TimePoint now) {
  const std::string detail =
      boost::json::serialize(boost::json::object{{"text", text}, {"via", via}});
  tx.Exec(kInsertEvent,
          {boleta_id, now, "nota_ciudadano", "ciudadano", std::nullopt, std::nullopt, detail});
  tx.Exec(kMarkUnread, {boleta_id, now});
}

}  // namespace sac::workflow
