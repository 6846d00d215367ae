// The one table of status changes a boleta may go through. Anything not listed is refused with an
// error naming both statuses. Anchors: the manual (DOMAIN.md), Signalen's ALLOWED_STATUS_CHANGES.
//
//   por_clasificar ─canalizar─▶ canalizada ─abrir─▶ leida ─▶ programada ⇄ en_seguimiento ─▶ atendida
//         ▲ ▲                      │ ▲                │                                        │
//         │ └─devolver ("no nos corresponde")─────────┘ └─reasignar (any open status)         │
//         │                                                                                   ▼
//         └─reabrir── no_procede / duplicada          cerrada ◀─ validada ◀─validar── atendida
//                                                        │                              │
//                                                        └─▶ inconformidad ◀─inconformar┘
//                                                              └─▶ programada / en_seguimiento / atendida
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "workflow/actor.h"
#include "workflow/boleta_status.h"

namespace sac::workflow {

struct Transition {
  BoletaStatus from;
  BoletaStatus to;
  std::string_view action;  // the bitácora's name for it: canalizar, reasignar, devolver, ...
  unsigned actors;          // ActorKind bits of who may do it

  bool AllowedFor(ActorKind kind) const { return (actors & static_cast<unsigned>(kind)) != 0; }
};

const std::vector<Transition>& AllTransitions();

// The allowed change from `from` to `to`, or kConflict "no se puede pasar de X a Y".
Result<Transition> FindTransition(BoletaStatus from, BoletaStatus to);

// Not finished: anything but validada, cerrada, no_procede and duplicada.
bool IsOpen(BoletaStatus status);

// In the dependencia's hands: canalizada, leida, programada, en_seguimiento, inconformidad. Only
// these run against the deadline.
bool AwaitsDependencia(BoletaStatus status);

}  // namespace sac::workflow
