// sac-load: the benchmarks' own HTTP/1.1 load generator. One thread drives every keep-alive
// connection through epoll, so the generator costs a few microseconds per request rather than
// a thread wake-up and a libcurl transfer: on a 2-core machine it shares the CPU with the server
// and PostgreSQL, and every cycle it spends is taken from what is being measured.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sac::bench {

struct LoadResult {
  long acked = 0;   // 2xx answers
  long refused = 0; // any other answer
  long broken = 0;  // connections lost or unreadable answers (each reconnects)
  std::vector<double> latencies_ms;  // of the 2xx answers
};

struct LoadPlan {
  std::uint16_t port = 0;  // on 127.0.0.1
  int connections = 1;
  std::chrono::milliseconds duration{1000};
  // Requests per second over all connections; 0 sends each request as soon as the last is
  // answered. When paced, latency counts from each request's scheduled moment, so a request
  // that had to wait for its connection counts the wait.
  double rate = 0;
};

// The whole request (request line, headers and body) for the n-th request; n counts from 0 over
// all connections.
using RequestMaker = std::function<std::string(long n)>;

LoadResult RunLoad(const LoadPlan& plan, const RequestMaker& make_request);

}  // namespace sac::bench
