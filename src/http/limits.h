// Limits of the HTTP server, as named constants. Oversized or slow requests are cut off with
// 413/431/408 before they can hold memory or a connection for long. Per-route body limits live
// on the routes (a channel knows how big its provider's payloads get).
#pragma once

#include <chrono>
#include <cstddef>

namespace sac::http {

inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
inline constexpr std::size_t kReadChunkBytes = 8 * 1024;
// Routes without a body of their own (health, metrics, GET handshakes).
inline constexpr std::size_t kNoBody = 0;
inline constexpr std::size_t kSmallBodyBytes = 64 * 1024;
// After answering before a body was read (413, 404), how long and how much of the rest is read
// and dropped so the client can finish sending and read the answer (a lingering close).
inline constexpr std::chrono::seconds kLingerTime{2};
inline constexpr std::size_t kLingerBytes = 32 * 1024 * 1024;
// Responses we read from providers (the curl client stops past this).
inline constexpr std::size_t kMaxClientResponseBytes = 4 * 1024 * 1024;

}  // namespace sac::http
