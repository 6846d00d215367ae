#include "http/router.h"

namespace sac::http {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    segments.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

// Matches `path` against a pattern, filling `params` from its {name} segments.
bool Matches(std::string_view pattern, std::string_view path,
             std::map<std::string, std::string, std::less<>>& params) {
  if (pattern.find('{') == std::string_view::npos) {
    return pattern == path;
  }
  const auto wanted = Segments(pattern);
  const auto given = Segments(path);
  if (wanted.size() != given.size()) {
    return false;
  }
  std::map<std::string, std::string, std::less<>> captured;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const std::string_view segment = wanted[i];
    if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
      if (given[i].empty()) {
        return false;
      }
      captured.emplace(std::string(segment.substr(1, segment.size() - 2)), std::string(given[i]));
    } else if (segment != given[i]) {
      return false;
    }
  }
  params = std::move(captured);
  return true;
}

}  // namespace

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

RouteLookup Router::Find(std::string_view method, std::string_view path) const {
  RouteLookup lookup;
  for (const Route& route : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    if (!Matches(route.path, path, params)) {
      continue;
    }
    if (route.method == method) {
      lookup.route = &route;
      lookup.params = std::move(params);
      return lookup;
    }
    lookup.status = 405;
  }
  return lookup;
}

}  // namespace sac::http
