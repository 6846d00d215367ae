#include "workflow/boleta_status.h"

#include <array>
#include <utility>

namespace sac::workflow {
namespace {

constexpr std::array<std::pair<BoletaStatus, std::string_view>, 11> kNames = {{
    {BoletaStatus::kPorClasificar, "por_clasificar"},
    {BoletaStatus::kCanalizada, "canalizada"},
    {BoletaStatus::kLeida, "leida"},
    {BoletaStatus::kProgramada, "programada"},
    {BoletaStatus::kEnSeguimiento, "en_seguimiento"},
    {BoletaStatus::kAtendida, "atendida"},
    {BoletaStatus::kValidada, "validada"},
    {BoletaStatus::kInconformidad, "inconformidad"},
    {BoletaStatus::kCerrada, "cerrada"},
    {BoletaStatus::kNoProcede, "no_procede"},
    {BoletaStatus::kDuplicada, "duplicada"},
}};

}  // namespace

std::string_view StatusName(BoletaStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) {
      return name;
    }
  }
  return "por_clasificar";
}

std::optional<BoletaStatus> StatusFromName(std::string_view name) {
  for (const auto& [value, candidate] : kNames) {
    if (candidate == name) {
      return value;
    }
  }
  return std::nullopt;
}

const char* StatusLabel(BoletaStatus status) {
  using S = BoletaStatus;
  switch (status) {
    case S::kPorClasificar: return "Por clasificar";
    case S::kCanalizada: return "Canalizada";
    case S::kLeida: return "Leída";
    case S::kProgramada: return "Programada";
    case S::kEnSeguimiento: return "En seguimiento";
    case S::kAtendida: return "Atendida";
    case S::kValidada: return "Validada";
    case S::kInconformidad: return "Inconformidad";
    case S::kCerrada: return "Cerrada";
    case S::kNoProcede: return "No procede";
    case S::kDuplicada: return "Duplicada";
  }
  return "";
}

}  // namespace sac::workflow
