// HttpServer: the Boost.Beast HTTP/1.1 server of `sac serve`. A listener accepts connections; a
// session per connection reads under the limits of limits.h and the route's body limit, hands the
// request to a handler thread pool (handlers may block on the database; io threads never do) —
// or, for a route with an async_handler (channel webhooks), runs it on the io thread and resumes
// when it answers — and writes the answer, with keep-alive. Beast stays inside server.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/router.h"

namespace sac {
class Metrics;
}

namespace sac::http {

struct ServerSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port; Start() returns the one bound
  int io_threads = 2;
  int handler_threads = 32;
  std::chrono::seconds header_timeout{10};  // from the first byte to the end of the header
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds idle_timeout{60};    // between requests on a kept-alive connection
  std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long on Stop()
  // People reach SAC over https (the reverse proxy's): every answer tells browsers to use https
  // only, for a year (Strict-Transport-Security).
  bool strict_transport_security = false;
};

class HttpServer {
 public:
  // `router` and `metrics` (may be null) must outlive the server.
  HttpServer(ServerSettings settings, const Router& router, Metrics* metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the io threads; returns the bound port.
  Result<std::uint16_t> Start();

  // Graceful: stops accepting, closes idle connections, lets in-flight requests finish (up to
  // shutdown_grace), then stops the threads. Safe to call twice.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sac::http
