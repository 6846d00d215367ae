#include "tests/support/network_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <regex>
#include <stdexcept>

namespace sac::testing {
namespace {

std::string ValueIn(const std::string& url, const std::string& key) {
  const std::regex pattern("(^|\\s)" + key + "=(\\S+)");
  std::smatch match;
  return std::regex_search(url, match, pattern) ? match[2].str() : std::string();
}

std::string WithoutKey(std::string url, const std::string& key) {
  return std::regex_replace(url, std::regex("(^|\\s)" + key + "=\\S+"), "");
}

// Waits up to 100 ms for `fd` to be readable; false when it was not.
bool Readable(int fd) {
  pollfd wanted{fd, POLLIN, 0};
  return ::poll(&wanted, 1, 100) > 0;
}

bool WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t wrote = ::send(fd, data, size, MSG_NOSIGNAL);
    if (wrote <= 0) return false;
    data += wrote;
    size -= static_cast<std::size_t>(wrote);
  }
  return true;
}

}  // namespace

NetworkProxy::NetworkProxy(const std::string& postgres_url) {
  const std::string host = ValueIn(postgres_url, "host");
  const std::string port = ValueIn(postgres_url, "port");
  if (host.empty() || host.front() != '/') {
    throw std::runtime_error("the proxy forwards to a unix socket; the url has host=" + host);
  }
  upstream_ = host + "/.s.PGSQL." + (port.empty() ? "5432" : port);
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener_, 128) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error(std::string("the proxy cannot listen: ") + std::strerror(errno));
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

NetworkProxy::~NetworkProxy() {
  stopping_ = true;
  acceptor_.join();
  ::close(listener_);
  std::lock_guard lock(mutex_);
  for (std::thread& pump : pumps_) pump.join();
  for (int fd : sockets_) ::close(fd);
}

std::string NetworkProxy::Route(const std::string& url) const {
  return WithoutKey(WithoutKey(url, "host"), "port") + " host=127.0.0.1 port=" +
         std::to_string(port_);
}

void NetworkProxy::AcceptLoop() {
  while (!stopping_) {
    if (!Readable(listener_)) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const int server = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, upstream_.c_str(), sizeof address.sun_path - 1);
    if (server < 0 ||
        ::connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(client);
      if (server >= 0) ::close(server);
      continue;
    }
    std::lock_guard lock(mutex_);
    sockets_.push_back(client);
    sockets_.push_back(server);
    pumps_.emplace_back([this, client, server] { Pump(client, server); });
    pumps_.emplace_back([this, client, server] { Pump(server, client); });
  }
}

// One direction of one connection. When either side ends, both are shut down so the other
// direction's pump ends too (the sockets are closed by the destructor).
void NetworkProxy::Pump(int from, int to) {
  char buffer[64 * 1024];
  while (!stopping_) {
    if (partitioned_) {  // nothing read, nothing written: the kernel's buffers fill, as on a wire
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (!Readable(from)) continue;
    const ssize_t got = ::recv(from, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    if (const auto latency = latency_ms_.load(); latency > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(latency));
    }
    while (partitioned_ && !stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!WriteAll(to, buffer, static_cast<std::size_t>(got))) break;
  }
  ::shutdown(from, SHUT_RDWR);
  ::shutdown(to, SHUT_RDWR);
}

}  // namespace sac::testing
