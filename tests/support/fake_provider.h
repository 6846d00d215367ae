// A provider API on a loopback port (our own HttpServer): records every request it receives and
// answers from a script, so tests see exactly what SAC sent and how it reacts to each answer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/http_message.h"
#include "http/router.h"
#include "http/server.h"

namespace sac::testing {

struct FakeRoute {
  std::string method;
  std::string path;  // may end in a {segment}
  HttpResponse response;
};

class FakeProvider {
 public:
  // Serves POST `path`; answers `default_response` when the script is empty.
  FakeProvider(std::string path, HttpResponse default_response);
  // Serves `method` (GET for media downloads) on `path`, which may end in a {segment}.
  FakeProvider(std::string method, std::string path, HttpResponse default_response);
  // Several endpoints of one provider (Telegram's sendMessage, getFile and file downloads); each
  // answers its own response when the script is empty.
  explicit FakeProvider(std::vector<FakeRoute> routes);
  ~FakeProvider();

  std::string BaseUrl() const;  // http://127.0.0.1:<port>
  void Script(HttpResponse response);  // answered once, in order, before the default
  // Like Script, but the answer leaves only `delay` after the request arrived: a provider that
  // accepted a message and answers after the sender stopped waiting.
  void ScriptLate(HttpResponse response, std::chrono::milliseconds delay);

  std::vector<HttpRequest> Requests() const;
  // Waits until at least `count` requests arrived; returns them (fewer on timeout).
  std::vector<HttpRequest> WaitForRequests(std::size_t count,
                                           std::chrono::milliseconds timeout =
                                               std::chrono::seconds(10)) const;

 private:
  HttpResponse Answer(const HttpRequest& request, const HttpResponse& default_response);

  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  struct Scripted {
    HttpResponse response;
    std::chrono::milliseconds delay{0};
  };
  std::deque<Scripted> script_;
  std::vector<HttpRequest> requests_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> server_;
  std::uint16_t port_ = 0;
};

}  // namespace sac::testing
