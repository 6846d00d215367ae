#include "workflow/transitions.h"

#include <string>

namespace sac::workflow {
namespace {

using S = BoletaStatus;

constexpr unsigned kSistema = static_cast<unsigned>(ActorKind::kSistema);
constexpr unsigned kCiudadano = static_cast<unsigned>(ActorKind::kCiudadano);
constexpr unsigned kStaff = static_cast<unsigned>(ActorKind::kStaff);
constexpr unsigned kDependencia = static_cast<unsigned>(ActorKind::kDependencia);
// The dependencia's own steps; Atención Ciudadana may record them for it (the daily follow-up
// calls), so staff may do them too. Opening is the dependencia's alone: it is what "leída" means.
constexpr unsigned kWork = kDependencia | kStaff;

}  // namespace

const std::vector<Transition>& AllTransitions() {
  static const std::vector<Transition> table = {
      // Staff route, refuse or merge what arrives.
      {S::kPorClasificar, S::kCanalizada, "canalizar", kStaff | kSistema},
      {S::kPorClasificar, S::kNoProcede, "no_procede", kStaff},
      {S::kPorClasificar, S::kDuplicada, "marcar_duplicada", kStaff},
      // The dependencia receives it: opens it, or says it is not theirs.
      {S::kCanalizada, S::kLeida, "abrir", kDependencia},
      {S::kCanalizada, S::kPorClasificar, "devolver", kWork},
      {S::kCanalizada, S::kCanalizada, "reasignar", kStaff},
      {S::kCanalizada, S::kNoProcede, "no_procede", kStaff},
      {S::kCanalizada, S::kDuplicada, "marcar_duplicada", kStaff},
      // The dependencia works it.
      {S::kLeida, S::kProgramada, "programar", kWork},
      {S::kLeida, S::kEnSeguimiento, "dar_seguimiento", kWork},
      {S::kLeida, S::kAtendida, "atender", kWork},
      {S::kLeida, S::kPorClasificar, "devolver", kWork},
      {S::kLeida, S::kCanalizada, "reasignar", kStaff},
      {S::kLeida, S::kNoProcede, "no_procede", kStaff},
      {S::kLeida, S::kDuplicada, "marcar_duplicada", kStaff},
      {S::kProgramada, S::kProgramada, "reprogramar", kWork},
      {S::kProgramada, S::kEnSeguimiento, "dar_seguimiento", kWork},
      {S::kProgramada, S::kAtendida, "atender", kWork},
      {S::kProgramada, S::kPorClasificar, "devolver", kWork},
      {S::kProgramada, S::kCanalizada, "reasignar", kStaff},
      {S::kProgramada, S::kNoProcede, "no_procede", kStaff},
      {S::kEnSeguimiento, S::kProgramada, "programar", kWork},
      {S::kEnSeguimiento, S::kAtendida, "atender", kWork},
      {S::kEnSeguimiento, S::kPorClasificar, "devolver", kWork},
      {S::kEnSeguimiento, S::kCanalizada, "reasignar", kStaff},
      {S::kEnSeguimiento, S::kNoProcede, "no_procede", kStaff},
      // The citizen validates what the dependencia reports as attended.
      {S::kAtendida, S::kValidada, "validar", kCiudadano | kStaff},
      {S::kAtendida, S::kInconformidad, "inconformar", kCiudadano | kStaff},
      {S::kAtendida, S::kCerrada, "cerrar", kStaff | kSistema},  // validation attempted, no answer
      {S::kValidada, S::kCerrada, "cerrar", kStaff | kSistema},
      // Inconformidad: back to the same dependencia, flagged, to be retaken.
      {S::kInconformidad, S::kProgramada, "programar", kWork},
      {S::kInconformidad, S::kEnSeguimiento, "dar_seguimiento", kWork},
      {S::kInconformidad, S::kAtendida, "atender", kWork},
      {S::kInconformidad, S::kCanalizada, "reasignar", kStaff},
      // "It still is not attended days later": a closed boleta can be disputed.
      {S::kCerrada, S::kInconformidad, "inconformar", kCiudadano | kStaff},
      // Staff undo a refusal or a wrong merge.
      {S::kNoProcede, S::kPorClasificar, "reabrir", kStaff},
      {S::kDuplicada, S::kPorClasificar, "reabrir", kStaff},
  };
  return table;
}

Result<Transition> FindTransition(BoletaStatus from, BoletaStatus to) {
  for (const Transition& transition : AllTransitions()) {
    if (transition.from == from && transition.to == to) {
      return transition;
    }
  }
  return MakeError(Errc::kConflict, "no se puede pasar de " + std::string(StatusName(from)) +
                                        " a " + std::string(StatusName(to)));
}

bool IsOpen(BoletaStatus status) {
  switch (status) {
    case S::kValidada:
    case S::kCerrada:
    case S::kNoProcede:
    case S::kDuplicada:
      return false;
    default:
      return true;
  }
}

bool AwaitsDependencia(BoletaStatus status) {
  switch (status) {
    case S::kCanalizada:
    case S::kLeida:
    case S::kProgramada:
    case S::kEnSeguimiento:
    case S::kInconformidad:
      return true;
    default:
      return false;
  }
}

}  // namespace sac::workflow
