// The listener and the per-connection session live in this one file on purpose: Beast and Asio
// cost ~35 s and 1.4 GB to compile per translation unit on the 2-core build machine.
#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "http/limits.h"
#include "observability/log.h"
#include "observability/metrics.h"

namespace sac::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

const log::Logger& Log() {
  static const log::Logger logger("http");
  return logger;
}

HttpRequest ToPlainRequest(bhttp::request<bhttp::string_body>&& message) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  const std::string_view target = message.target();
  const auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    request.query = std::string(target.substr(question + 1));
  }
  for (const auto& field : message) {
    request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

// What every answer carries unless its handler said otherwise: no content sniffing, nothing
// kept in caches (citizens' data is in most answers; the static files set their own caching),
// and a policy that lets nothing run or load and nobody frame it — the staff pages set their own;
// an API's JSON or a webhook's answer opened in a browser stays inert.
void AddDefaultHeaders(HttpResponse& response, const ServerSettings& settings) {
  if (!response.headers.Get("X-Content-Type-Options")) {
    response.headers.Add("X-Content-Type-Options", "nosniff");
  }
  if (!response.headers.Get("Content-Security-Policy")) {
    response.headers.Add("Content-Security-Policy",
                         "default-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  }
  if (!response.headers.Get("Cache-Control")) {
    response.headers.Add("Cache-Control", "no-store");
  }
  if (settings.strict_transport_security && !response.headers.Get("Strict-Transport-Security")) {
    response.headers.Add("Strict-Transport-Security", "max-age=31536000");
  }
}

bhttp::response<bhttp::string_body> ToBeastResponse(HttpResponse&& plain, unsigned version,
                                                   bool keep_alive) {
  bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(plain.status), version};
  response.set(bhttp::field::server, "sac");
  response.set(bhttp::field::content_type, plain.content_type);
  for (const auto& [name, value] : plain.headers.All()) {
    response.insert(name, value);
  }
  response.keep_alive(keep_alive);
  response.body() = std::move(plain.body);
  response.prepare_payload();
  return response;
}

HttpResponse CallHandler(const Route& route, const HttpRequest& request) {
  try {
    return route.handler(request);
  } catch (const std::exception& error) {
    Log().Error("handler threw", {{"route", route.label}, {"error", error.what()}});
    return HttpResponse::Text(500, "internal error\n");
  }
}

// Runs a non-blocking handler on this io thread and resumes the session, on its strand, with the
// answer whenever and from whichever thread it comes. A handler that throws before answering
// gets a 500; a second answer is ignored.
asio::awaitable<HttpResponse> CallAsyncHandler(const Route& route, const HttpRequest& request) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(HttpResponse)>(
      [&route, &request](auto resume) {
        using Resume = decltype(resume);
        struct Waiter {
          explicit Waiter(Resume r) : resume(std::move(r)), guard(asio::make_work_guard(resume)) {}
          Resume resume;
          asio::executor_work_guard<asio::associated_executor_t<Resume>> guard;
          std::atomic<bool> answered{false};
        };
        auto waiter = std::make_shared<Waiter>(std::move(resume));
        Respond respond = [waiter](HttpResponse response) {
          if (waiter->answered.exchange(true)) return;
          auto executor = waiter->guard.get_executor();
          asio::post(executor, [waiter, response = std::move(response)]() mutable {
            waiter->resume(std::move(response));
            waiter->guard.reset();
          });
        };
        try {
          route.async_handler(request, respond);
        } catch (const std::exception& error) {
          Log().Error("handler threw", {{"route", route.label}, {"error", error.what()}});
          respond(HttpResponse::Text(500, "internal error\n"));
        }
      },
      asio::use_awaitable);
}

// What a session shares with Stop() and with its read deadline. Touched only on the session's
// strand; `stream` is null once the session has ended.
struct SessionState {
  asio::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;
  bool busy = false;       // a request is being read, handled or answered
  bool timed_out = false;  // the read deadline fired: answer 408 rather than just closing
};

// Read deadlines are our own timer rather than tcp_stream's: on expiry tcp_stream closes the
// socket, and then a slow client could not even be told 408.
class ReadDeadline {
 public:
  ReadDeadline(asio::any_io_executor executor, std::shared_ptr<SessionState> state)
      : timer_(std::move(executor)), state_(std::move(state)) {}
  ~ReadDeadline() { timer_.cancel(); }

  void Arm(std::chrono::steady_clock::duration timeout) {
    state_->timed_out = false;
    timer_.expires_after(timeout);
    timer_.async_wait([state = state_](const boost::system::error_code& error) {
      if (!error && state->stream != nullptr) {
        state->timed_out = true;
        beast::error_code ignored;
        state->stream->socket().cancel(ignored);
      }
    });
  }
  void Disarm() { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
  std::shared_ptr<SessionState> state_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerSettings s, const Router& r, Metrics* m)
      : settings(std::move(s)),
        router(r),
        metrics(m),
        io(settings.io_threads),
        handlers(static_cast<std::size_t>(settings.handler_threads)),
        acceptor(io) {}

  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(tcp::socket socket);
  asio::awaitable<bool> Respond(beast::tcp_stream& stream, HttpResponse response, unsigned version,
                                bool keep_alive, std::string_view label, Clock::time_point start);

  std::uint64_t Register(const std::shared_ptr<SessionState>& state) {
    std::lock_guard lock(sessions_mutex);
    const std::uint64_t id = next_session_id++;
    sessions.emplace(id, state);
    return id;
  }

  void Unregister(std::uint64_t id) {
    {
      std::lock_guard lock(sessions_mutex);
      sessions.erase(id);
    }
    sessions_changed.notify_all();
  }

  ServerSettings settings;
  const Router& router;
  Metrics* metrics;
  asio::io_context io;
  asio::thread_pool handlers;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  bool stopped = false;

  std::mutex sessions_mutex;
  std::condition_variable sessions_changed;
  std::map<std::uint64_t, std::weak_ptr<SessionState>> sessions;
  std::uint64_t next_session_id = 0;
};

asio::awaitable<void> HttpServer::Impl::Accept() {
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
    if (error) {
      if (stopping || error == asio::error::operation_aborted) {
        co_return;
      }
      Log().Warn("accept failed", {{"error", error.message()}});
      // Out of file descriptors and similar: back off instead of spinning.
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, Serve(std::move(socket)), asio::detached);
  }
}

// Writes a response; returns whether the connection may carry another request.
asio::awaitable<bool> HttpServer::Impl::Respond(beast::tcp_stream& stream, HttpResponse response,
                                                unsigned version, bool keep_alive,
                                                std::string_view label, Clock::time_point start) {
  const int status = response.status;
  AddDefaultHeaders(response, settings);
  auto message = ToBeastResponse(std::move(response), version, keep_alive && !stopping);
  const bool keep = message.keep_alive();
  stream.expires_after(settings.body_timeout);  // a write that stalls closes the connection
  auto [error, written] = co_await bhttp::async_write(stream, message, kTuple);
  stream.expires_never();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (metrics != nullptr) {
    metrics->ObserveHttpRequest(label, status, seconds);
  }
  if (status >= 500) {
    Log().Warn("request failed", {{"route", label}, {"status", status}});
  } else {
    Log().Debug("request", {{"route", label}, {"status", status}, {"seconds", seconds}});
  }
  co_return !error && keep;
}

asio::awaitable<void> HttpServer::Impl::Serve(tcp::socket socket) {
  boost::system::error_code peer_error;
  const auto peer = socket.remote_endpoint(peer_error);
  const std::string remote_address = peer_error ? std::string() : peer.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  auto state = std::make_shared<SessionState>();
  state->executor = stream.get_executor();
  state->stream = &stream;
  const std::uint64_t id = Register(state);
  ReadDeadline deadline(stream.get_executor(), state);
  beast::flat_buffer buffer;
  bool first = true;
  bool unread_body = false;  // closing after an answer given before the body was read

  while (!stopping) {
    // Between requests the connection may idle; once the first byte arrives, the header has
    // header_timeout to complete. (A new connection has only header_timeout for both.) A client
    // that never starts a request is closed without an answer.
    if (buffer.size() == 0) {
      deadline.Arm(first ? settings.header_timeout : settings.idle_timeout);
      auto [error, read] = co_await stream.async_read_some(buffer.prepare(kReadChunkBytes), kTuple);
      if (error) {
        break;  // closed by the peer, idle timeout, or Stop()
      }
      buffer.commit(read);
    }
    first = false;
    state->busy = true;
    const auto start = Clock::now();

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(boost::none);  // the route's limit is applied once we know the route
    deadline.Arm(settings.header_timeout);
    auto [header_error, header_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    if (header_error) {
      if (header_error == bhttp::error::end_of_stream ||
          (header_error == asio::error::operation_aborted && !state->timed_out)) {
        break;
      }
      const int status = state->timed_out                           ? 408
                         : header_error == bhttp::error::header_limit ? 431
                                                                      : 400;
      co_await Respond(stream, HttpResponse::Text(status, "bad request\n"), 11, false, "invalid",
                       start);
      break;
    }

    auto& header = parser.get();
    const unsigned version = header.version();
    const std::string_view target = header.target();
    const std::string_view path = target.substr(0, target.find('?'));
    const RouteLookup lookup = router.Find(header.method_string(), path);
    if (lookup.route == nullptr) {
      // The body (if any) is not read: close after answering.
      co_await Respond(stream,
                       HttpResponse::Text(lookup.status,
                                          lookup.status == 405 ? "method not allowed\n"
                                                               : "not found\n"),
                       version, false, "unmatched", start);
      unread_body = true;
      break;
    }
    const Route& route = *lookup.route;
    const auto declared = parser.content_length();
    if (declared && *declared > route.max_body_bytes) {
      co_await Respond(stream, HttpResponse::Text(413, "payload too large\n"), version, false,
                       route.label, start);
      unread_body = true;
      break;
    }
    parser.body_limit(route.max_body_bytes);  // also bounds chunked bodies as they arrive
    if (!parser.is_done() && beast::iequals(header[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, version};
      stream.expires_after(settings.body_timeout);
      auto [continue_error, ignored] = co_await bhttp::async_write(stream, proceed, kTuple);
      stream.expires_never();
      if (continue_error) {
        break;
      }
    }
    deadline.Arm(settings.body_timeout);
    auto [body_error, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    deadline.Disarm();
    if (body_error) {
      if (body_error == asio::error::operation_aborted && !state->timed_out) {
        break;
      }
      const int status = state->timed_out                         ? 408
                         : body_error == bhttp::error::body_limit ? 413
                                                                  : 400;
      co_await Respond(stream, HttpResponse::Text(status, "bad request body\n"), version, false,
                       route.label, start);
      unread_body = status == 413;
      break;
    }

    const bool keep_alive = parser.keep_alive();
    HttpRequest request = ToPlainRequest(parser.release());
    request.path_params = lookup.params;
    request.remote_address = remote_address;
    // (An if rather than ?: — GCC 12 mishandles the result of a co_await inside a conditional
    // expression and frees it twice.)
    HttpResponse response;
    if (route.async_handler) {
      response = co_await CallAsyncHandler(route, request);
    } else {
      response = co_await asio::co_spawn(
          handlers.get_executor(),
          [&]() -> asio::awaitable<HttpResponse> { co_return CallHandler(route, request); },
          asio::use_awaitable);
    }
    const bool again = co_await Respond(stream, std::move(response), version, keep_alive,
                                        route.label, start);
    state->busy = false;
    if (!again) {
      break;
    }
  }

  deadline.Disarm();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (unread_body && !stopping) {
    // Lingering close: closing with the client's body still arriving would reset the
    // connection, and a client still sending may never read our 413. Read and drop what comes
    // for a little while (bounded in time and bytes), then close.
    std::size_t dropped = 0;
    stream.expires_after(kLingerTime);
    while (dropped < kLingerBytes) {
      std::array<char, kReadChunkBytes> scratch;
      auto [error, read] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
      if (error) break;
      dropped += read;
    }
    stream.expires_never();
  }
  state->stream = nullptr;
  stream.close();
  Unregister(id);
}

HttpServer::HttpServer(ServerSettings settings, const Router& router, Metrics* metrics)
    : impl_(std::make_unique<Impl>(std::move(settings), router, metrics)) {}

HttpServer::~HttpServer() { Stop(); }

Result<std::uint16_t> HttpServer::Start() {
  boost::system::error_code error;
  const auto address = asio::ip::make_address(impl_->settings.address, error);
  if (error) {
    return MakeError(Errc::kInvalidArgument,
                     "http.listen_address: not an IP address: " + impl_->settings.address);
  }
  const tcp::endpoint endpoint(address, impl_->settings.port);
  auto& acceptor = impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), error);
      !error && (acceptor.set_option(asio::socket_base::reuse_address(true), error), !error) &&
      (acceptor.bind(endpoint, error), !error) &&
      (acceptor.listen(asio::socket_base::max_listen_connections, error), !error)) {
    const std::uint16_t port = acceptor.local_endpoint().port();
    asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
    for (int i = 0; i < impl_->settings.io_threads; ++i) {
      impl_->threads.emplace_back([this] { impl_->io.run(); });
    }
    Log().Info("listening", {{"address", impl_->settings.address}, {"port", port}});
    return port;
  }
  return MakeError(Errc::kUnavailable, "cannot listen on " + impl_->settings.address + ":" +
                                           std::to_string(impl_->settings.port) + ": " +
                                           error.message());
}

void HttpServer::Stop() {
  Impl& impl = *impl_;
  if (impl.stopped) {
    return;
  }
  impl.stopped = true;
  impl.stopping = true;
  asio::post(impl.io, [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
  });
  {
    std::lock_guard lock(impl.sessions_mutex);
    for (const auto& [id, weak] : impl.sessions) {
      if (auto state = weak.lock()) {
        asio::post(state->executor, [weak = weak] {
          // On the session's strand: the session is suspended, so `stream` is alive.
          if (auto alive = weak.lock(); alive && alive->stream != nullptr && !alive->busy) {
            alive->stream->cancel();
          }
        });
      }
    }
  }
  {
    std::unique_lock lock(impl.sessions_mutex);
    impl.sessions_changed.wait_for(lock, impl.settings.shutdown_grace,
                                   [&] { return impl.sessions.empty(); });
  }
  impl.io.stop();
  for (std::thread& thread : impl.threads) {
    thread.join();
  }
  impl.handlers.join();
  Log().Info("stopped");
}

}  // namespace sac::http
