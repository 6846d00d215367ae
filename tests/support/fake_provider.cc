#include "tests/support/fake_provider.h"

#include <thread>

#include <stdexcept>

namespace sac::testing {

FakeProvider::FakeProvider(std::string path, HttpResponse default_response)
    : FakeProvider("POST", std::move(path), std::move(default_response)) {}

FakeProvider::FakeProvider(std::string method, std::string path, HttpResponse default_response)
    : FakeProvider(std::vector<FakeRoute>{
          {std::move(method), std::move(path), std::move(default_response)}}) {}

FakeProvider::FakeProvider(std::vector<FakeRoute> routes) {
  for (FakeRoute& route : routes) {
    router_.Add({std::move(route.method), std::move(route.path), "fake_provider", 1024 * 1024,
                 [this, response = std::move(route.response)](const HttpRequest& request) {
                   return Answer(request, response);
                 }});
  }
  http::ServerSettings settings;
  settings.port = 0;
  settings.io_threads = 1;
  settings.handler_threads = 2;
  settings.shutdown_grace = std::chrono::seconds(1);
  server_ = std::make_unique<http::HttpServer>(settings, router_, nullptr);
  auto port = server_->Start();
  if (!port) {
    throw std::runtime_error("fake provider cannot listen: " + port.error().message);
  }
  port_ = *port;
}

FakeProvider::~FakeProvider() { server_->Stop(); }

std::string FakeProvider::BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakeProvider::Script(HttpResponse response) { ScriptLate(std::move(response), {}); }

void FakeProvider::ScriptLate(HttpResponse response, std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  script_.push_back({std::move(response), delay});
}

HttpResponse FakeProvider::Answer(const HttpRequest& request, const HttpResponse& default_response) {
  Scripted next{default_response, {}};
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    arrived_.notify_all();
    if (!script_.empty()) {
      next = std::move(script_.front());
      script_.pop_front();
    }
  }
  if (next.delay.count() > 0) std::this_thread::sleep_for(next.delay);
  return next.response;
}

std::vector<HttpRequest> FakeProvider::Requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<HttpRequest> FakeProvider::WaitForRequests(std::size_t count,
                                                       std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
  return requests_;
}

}  // namespace sac::testing
