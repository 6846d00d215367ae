#include "workflow/actor.h"

namespace sac::workflow {

std::string_view ActorKindName(ActorKind kind) {
  switch (kind) {
    case ActorKind::kSistema: return "sistema";
    case ActorKind::kCiudadano: return "ciudadano";
    case ActorKind::kStaff: return "staff";
    case ActorKind::kDependencia: return "dependencia";
  }
  return "sistema";
}

}  // namespace sac::workflow
