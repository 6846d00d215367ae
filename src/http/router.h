// Router: maps (method, path) to a handler with its own body limit and metrics label. Plain C++:
// the Beast server asks it which route a request is for before reading the body.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_message.h"

namespace sac::http {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

// Hands over a request's answer, from any thread, exactly once.
using Respond = std::function<void(HttpResponse)>;
// A handler that never blocks: it runs on an io thread and answers through `respond`, now or
// later (after a group commit, say). `request` stays valid until it has answered.
using AsyncHandler = std::function<void(const HttpRequest&, Respond respond)>;

struct Route {
  std::string method;
  std::string path;   // exact, or with {name} segments that match any one segment
  std::string label;  // bounded metrics/log label, e.g. "webhook_whatsapp"
  std::size_t max_body_bytes = 0;
  Handler handler = nullptr;             // runs on the handler thread pool: it may block
  AsyncHandler async_handler = nullptr;  // or this, instead
};

struct RouteLookup {
  const Route* route = nullptr;  // null: answer `status`
  int status = 404;              // 404 unknown path, 405 known path with another method
  std::map<std::string, std::string, std::less<>> params;  // the {name} segments matched
};

class Router {
 public:
  void Add(Route route);
  RouteLookup Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace sac::http
