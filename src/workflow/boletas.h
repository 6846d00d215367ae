// Creating boletas and adding citizen notes, inside the caller's transaction, each change written
// to the bitácora (boleta_event) in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/inbound.h"
#include "storage/database.h"
#include "workflow/actor.h"
#include "workflow/folio.h"

namespace sac::workflow {

// NOTIFY channel raised when a boleta gains an attachment to download (src/media listens).
inline constexpr std::string_view kMediaNotifyChannel = "sac_media";

struct NewBoleta {
  std::string channel;
  std::optional<std::int64_t> citizen_id;  // none for an anonymous petition captured by staff
  std::optional<std::int64_t> source_inbox_id;  // none for boletas staff capture
  std::string text;
  std::optional<GeoPoint> location;
  std::vector<Media> media;  // each with its kind; the text is their caption
};

struct BoletaRef {
  std::int64_t id = 0;
  std::string folio;
};

// A new boleta "por clasificar" (it waits in the staff queue) with a fresh folio, its media,
// and a "creada" event in the bitácora.
BoletaRef CreateBoleta(storage::Tx& tx, const NewBoleta& boleta, TimePoint now);

std::optional<BoletaRef> FindBoletaByFolio(storage::Tx& tx, const Folio& folio);

// The citizen's boleta with this folio; nullopt when it is not theirs (never reveal another's).
std::optional<BoletaRef> FindCitizensBoleta(storage::Tx& tx, const Folio& folio,
                                            std::int64_t citizen_id);

// The citizen's boleta that one of our replies was about (WhatsApp's context.id names it).
std::optional<BoletaRef> FindBoletaOfReply(storage::Tx& tx, std::string_view channel,
                                           std::string_view provider_message_id,
                                           std::int64_t citizen_id);

// The citizen's boleta that one of their own earlier messages (by the provider's id) created or
// was added to as a note: where an edit or an unsend of that message belongs.
std::optional<BoletaRef> FindBoletaOfMessage(storage::Tx& tx, std::string_view channel,
                                             std::string_view provider_message_id,
                                             std::int64_t citizen_id);

// What the rules engine made of a boleta (src/classify turns its answer into this).
struct ClassificationRecord {
  std::string intent;
  std::string categoria;
  std::string dependencia;  // the machine's choice, routed or not
  std::string colonia;
  std::string colonia_postal_code;
  std::string address;
  std::string priority = "normal";
  double confidence = 0;
  bool needs_review = true;
  std::string json;  // the full answer with every rule that fired
};

// Stores the classification on the boleta (a street address only when it had none) and adds a
// "clasificada" event to the bitácora.
void RecordClassification(storage::Tx& tx, std::int64_t boleta_id,
                          const ClassificationRecord& record, TimePoint now);

// Later photos, voice notes or a location for an existing boleta, as they came on `channel`
// (maybe not the boleta's). The location fills the boleta's coordinates only when it had none.
void AttachToBoleta(storage::Tx& tx, std::int64_t boleta_id, std::string_view channel,
                    const std::vector<Media>& media, std::string_view caption,
                    const std::optional<GeoPoint>& location);

// Where a boleta is, learned after it was created (the citizen answered "¿en qué colonia?"):
// fills the colonia and the address only where they are empty, and clears "sin ubicación".
void FillPlace(storage::Tx& tx, std::int64_t boleta_id, std::string_view colonia,
               std::string_view postal_code, std::string_view address);

// Staff correct what the classifier read: the categoría and/or the colonia (with its postal
// code), replacing what was there; empty values change nothing. Recorded in the bitácora with
// the values before and after. Returns whether anything changed.
bool CorrectClassification(storage::Tx& tx, std::int64_t boleta_id, const Actor& actor,
                           TimePoint now, std::string_view categoria, std::string_view colonia,
                           std::string_view postal_code);

// SAC asked the citizen where the boleta is and has no answer yet (staff see "sin ubicación").
void MarkLocationMissing(storage::Tx& tx, std::int64_t boleta_id);

}  // namespace sac::workflow
