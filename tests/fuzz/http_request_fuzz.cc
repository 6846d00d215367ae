// libFuzzer target: the HTTP request path of `sac serve` — the Beast server's session (header and
// body limits, route lookup before the body, 413 and lingering close, keep-alive and pipelined
// requests, the handler pool and the async webhook route) — with whatever bytes a client sends
// (the `fuzz` preset). One real server on a loopback port for the whole run; each input is sent
// on a connection of its own, the sending side is then closed, and the server must answer with
// HTTP and close the connection within 3 s. A hang or anything other than HTTP is a finding; so
// is any sanitizer report in the server's threads.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "http/limits.h"
#include "http/query.h"
#include "http/router.h"
#include "http/server.h"
#include "observability/log.h"

namespace {

using namespace sac;
using Clock = std::chrono::steady_clock;

// The kinds of route SAC has: a handler on the pool, one with a path parameter and the query,
// and an async one answering at once (as a webhook does after its commit).
http::Router MakeRouter() {
  http::Router router;
  router.Add({.method = "GET", .path = "/healthz", .label = "health", .max_body_bytes = http::kNoBody,
              .handler = [](const HttpRequest&) { return HttpResponse::Text(200, "ok\n"); }});
  router.Add({.method = "GET", .path = "/boletas/{folio}", .label = "boleta",
              .max_body_bytes = http::kNoBody, .handler = [](const HttpRequest& request) {
                const auto query = http::ParseQuery(request.query);
                return HttpResponse::Text(200, request.path_params.at("folio") + " " +
                                                   std::to_string(query ? query->size() : 0));
              }});
  router.Add({.method = "POST", .path = "/captura", .label = "form", .max_body_bytes = 4096,
              .handler = [](const HttpRequest& request) {
                const auto form = http::ParseForm(request.body, 64);
                return HttpResponse::Text(form ? 200 : 400, "form\n");
              }});
  router.Add({.method = "POST", .path = "/webhooks/prueba", .label = "webhook",
              .max_body_bytes = 4096,
              .async_handler = [](const HttpRequest& request, http::Respond respond) {
                respond(HttpResponse::Text(200, std::to_string(request.body.size())));
              }});
  return router;
}

struct Server {
  Server() : router(MakeRouter()) {
    log::SetLevel(log::Level::kError);
    http::ServerSettings settings;
    settings.port = 0;
    settings.io_threads = 2;
    settings.handler_threads = 2;
    settings.header_timeout = std::chrono::seconds(1);
    settings.body_timeout = std::chrono::seconds(1);
    settings.idle_timeout = std::chrono::seconds(1);
    server = std::make_unique<http::HttpServer>(settings, router, nullptr);
    auto bound = server->Start();
    if (!bound) {
      std::fprintf(stderr, "cannot start the server: %s\n", bound.error().message.c_str());
      std::abort();
    }
    port = *bound;
  }
  http::Router router;
  std::unique_ptr<http::HttpServer> server;
  std::uint16_t port = 0;
};

int Connect(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);  // in progress
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server server;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const int fd = Connect(server.port);
  std::size_t sent = 0;
  bool write_closed = false;
  std::string answer;
  const auto deadline = Clock::now() + std::chrono::seconds(3);
  // Send and read at once, so that pipelined answers never block the server while we send.
  for (;;) {
    if (!write_closed && sent == input.size()) {
      ::shutdown(fd, SHUT_WR);
      write_closed = true;
    }
    pollfd watch{fd, static_cast<short>(POLLIN | (write_closed ? 0 : POLLOUT)), 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      std::fprintf(stderr, "the server neither answered nor closed within 3 s\n");
      std::abort();
    }
    if (::poll(&watch, 1, static_cast<int>(left.count())) <= 0) continue;
    if (watch.revents & POLLOUT) {
      const ssize_t n = ::send(fd, input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno != EAGAIN) {
        write_closed = true;  // the server closed first: it must still have answered, or not read
      }
    }
    if (watch.revents & (POLLIN | POLLHUP | POLLERR)) {
      char chunk[16384];
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n > 0) {
        answer.append(chunk, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EAGAIN) {
        break;  // closed (or reset) by the server
      }
    }
  }
  ::close(fd);
  if (!answer.empty() && answer.rfind("HTTP/1.", 0) != 0) {
    std::fprintf(stderr, "not an HTTP answer: %.40s\n", answer.c_str());
    std::abort();
  }
  return 0;
}
