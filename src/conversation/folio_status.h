// "¿Cómo va mi folio?": the boletas a citizen may ask about, in plain words. A citizen sees a
// boleta that is theirs (the same person across channels, linked by phone) or one they follow
// (staff marked theirs a duplicate of it); anyone else learns nothing about it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "conversation/replies.h"
#include "storage/database.h"
#include "workflow/folio.h"
#include "workflow/local_time.h"

namespace sac::conversation {

struct FolioLookup {
  bool exists = false;
  bool theirs = false;
  BoletaView view;  // filled only when theirs
};

FolioLookup LookUpFolio(storage::Tx& tx, const workflow::Folio& folio, std::int64_t citizen_id,
                        const workflow::LocalTime& local);

// The citizen's boletas still in process, newest first (at most 5).
std::vector<BoletaView> OpenBoletasOf(storage::Tx& tx, std::int64_t citizen_id,
                                      const workflow::LocalTime& local);

}  // namespace sac::conversation
