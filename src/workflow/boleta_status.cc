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

}  // namespace sac::workflow
