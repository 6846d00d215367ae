// A TCP port on loopback that forwards every connection to a PostgreSQL unix socket, with faults a
// test turns on and off: added latency on every packet, and a partition (nothing crosses in either
// direction, connections stay open: a black-holed network). SAC and PostgreSQL share a machine
// here; this is the network between them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <thread>

namespace sac::testing {

class NetworkProxy {
 public:
  // `postgres_url`: a libpq connection string with host= a socket directory (and maybe port=);
  // throws std::runtime_error if the proxy cannot listen.
  explicit NetworkProxy(const std::string& postgres_url);
  ~NetworkProxy();  // closes every connection
  NetworkProxy(const NetworkProxy&) = delete;
  NetworkProxy& operator=(const NetworkProxy&) = delete;

  // `url` with its host and port replaced by the proxy's.
  std::string Route(const std::string& url) const;

  // Each chunk waits this long in each direction before it is passed on (0: none): for the
  // request-and-answer traffic of libpq, that much more per round trip.
  void SetLatency(std::chrono::milliseconds one_way) { latency_ms_ = one_way.count(); }
  // Nothing passes either way until Heal(); new connections are accepted and then hear nothing.
  void Partition() { partitioned_ = true; }
  void Heal() { partitioned_ = false; }
  // Chunks the clients have sent so far. libpq sends a request whole and then waits for the
  // answer, so for small statements this counts round trips.
  std::int64_t ClientChunks() const { return client_chunks_; }

 private:
  void AcceptLoop();
  void Pump(int from, int to, bool from_client);

  std::string upstream_;  // the unix socket's path
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> partitioned_{false};
  std::atomic<std::int64_t> latency_ms_{0};
  std::atomic<std::int64_t> client_chunks_{0};
  std::mutex mutex_;
  std::list<std::thread> pumps_;
  std::list<int> sockets_;
  std::thread acceptor_;
};

}  // namespace sac::testing
