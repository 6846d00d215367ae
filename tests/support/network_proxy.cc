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

// A libpq keyword=value pair; the value plain or 'single-quoted' (with \' and \\ escapes).
std::regex KeywordPattern(const std::string& key) {
  return std::regex("(^|\\s)" + key + "\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'|\\S+)");
}

std::string ValueIn(const std::string& url, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(url, match, KeywordPattern(key))) return "";
  std::string value = match[2].str();
  if (value.size() < 2 || value.front() != '\'') return value;
  std::string unquoted;
  for (std::size_t i = 1; i + 1 < value.size(); ++i) {
    if (value[i] == '\\' && i + 2 < value.size()) ++i;
    unquoted += value[i];
  }
  return unquoted;
}

std::string WithoutKey(const std::string& url, const std::string& key) {
  return std::regex_replace(url, KeywordPattern(key), "");
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
  if (upstream_.size() >= sizeof(sockaddr_un{}.sun_path)) {
    throw std::runtime_error("the socket path is too long for a unix socket: " + upstream_);
  }
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener_, 128) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string why = std::strerror(errno);
    if (listener_ >= 0) ::close(listener_);
    throw std::runtime_error("the proxy cannot listen: " + why);
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
    pumps_.emplace_back([this, client, server] { Pump(client, server, true); });
    pumps_.emplace_back([this, client, server] { Pump(server, client, false); });
  }
}

// One direction of one connection. When either side ends, both are shut down so the other
// direction's pump ends too (the sockets are closed by the destructor).
void NetworkProxy::Pump(int from, int to, bool from_client) {
  char buffer[64 * 1024];
  while (!stopping_) {
    if (partitioned_) {  // nothing read, nothing written: the kernel's buffers fill, as on a wire
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (!Readable(from)) continue;
    const ssize_t got = ::recv(from, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    if (from_client) ++client_chunks_;
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
