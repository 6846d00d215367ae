#include "http/router.h"

namespace sac::http {

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

RouteLookup Router::Find(std::string_view method, std::string_view path) const {
  RouteLookup lookup;
  for (const Route& route : routes_) {
    if (route.path != path) {
      continue;
    }
    if (route.method == method) {
      lookup.route = &route;
      return lookup;
    }
    lookup.status = 405;
  }
  return lookup;
}

}  // namespace sac::http
