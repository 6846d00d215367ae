// Who does something to a boleta: the bitácora records it, and the transition table says which
// kinds of actor may do what.
#pragma once

#include <string>
#include <string_view>

namespace sac::workflow {

enum class ActorKind : unsigned {
  kSistema = 1,      // SAC itself (intake, scheduler)
  kCiudadano = 2,    // the citizen, through their channel
  kStaff = 4,        // Atención Ciudadana (staff web)
  kDependencia = 8,  // a dependencia's enlace or system (API token)
};

std::string_view ActorKindName(ActorKind kind);

struct Actor {
  ActorKind kind = ActorKind::kSistema;
  std::string name;            // staff username, API token label; "sistema", "ciudadano"
  std::string dependencia_id;  // kDependencia: the dependencia it acts for

  static Actor System() { return {ActorKind::kSistema, "sistema", ""}; }
  static Actor Citizen() { return {ActorKind::kCiudadano, "ciudadano", ""}; }
  static Actor Staff(std::string username) { return {ActorKind::kStaff, std::move(username), ""}; }
  static Actor ForDependencia(std::string dependencia_id, std::string name) {
    return {ActorKind::kDependencia, std::move(name), std::move(dependencia_id)};
  }
};

}  // namespace sac::workflow
