// The statuses of a boleta, as the municipality's manual names them (see DOMAIN.md). The names
// are what the database stores. "No leída" is not a status: it is the unread_by_dependencia flag,
// raised again whenever the citizen adds a note.
#pragma once

#include <optional>
#include <string_view>

namespace sac::workflow {

enum class BoletaStatus {
  kPorClasificar,  // waiting in the staff classification queue
  kCanalizada,     // routed to a dependencia
  kLeida,          // the dependencia opened it
  kProgramada,     // scheduled for a date
  kEnSeguimiento,  // being worked on
  kAtendida,       // the dependencia reports it solved
  kValidada,       // the citizen confirmed it
  kInconformidad,  // the citizen disagreed: back to the dependencia, flagged
  kCerrada,
  kNoProcede,      // not for the municipality, or refused with a reason
  kDuplicada,      // linked to an earlier boleta
};

inline constexpr BoletaStatus kAllStatuses[] = {
    BoletaStatus::kPorClasificar, BoletaStatus::kCanalizada,    BoletaStatus::kLeida,
    BoletaStatus::kProgramada,    BoletaStatus::kEnSeguimiento, BoletaStatus::kAtendida,
    BoletaStatus::kValidada,      BoletaStatus::kInconformidad, BoletaStatus::kCerrada,
    BoletaStatus::kNoProcede,     BoletaStatus::kDuplicada};

std::string_view StatusName(BoletaStatus status);
std::optional<BoletaStatus> StatusFromName(std::string_view name);

// A status as people read it, in the manual's words: "Por clasificar", "En seguimiento", ...
const char* StatusLabel(BoletaStatus status);

}  // namespace sac::workflow
