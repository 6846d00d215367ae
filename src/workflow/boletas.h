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
#include "workflow/folio.h"

namespace sac::workflow {

struct NewBoleta {
  std::string channel;
  std::int64_t citizen_id = 0;
  std::int64_t source_inbox_id = 0;
  std::string text;
  std::optional<GeoPoint> location;
  std::optional<Media> media;
  MessageType media_kind = MessageType::kImage;
};

struct BoletaRef {
  std::int64_t id = 0;
  std::string folio;
};

// A new boleta "por clasificar" (it waits in the staff queue) with a fresh folio, its media,
// and a "creada" event in the bitácora.
BoletaRef CreateBoleta(storage::Tx& tx, const NewBoleta& boleta, TimePoint now);

std::optional<BoletaRef> FindBoletaByFolio(storage::Tx& tx, const Folio& folio);

// A later word from the citizen about an existing boleta. Raises "no leída" for the dependencia
// (the manual's rule), so the news is not missed.
void AddCitizenNote(storage::Tx& tx, std::int64_t boleta_id, std::string_view text,
                    std::string_view via, TimePoint now);

}  // namespace sac::workflow
