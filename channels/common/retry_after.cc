#include "channels/common/retry_after.h"

#include <charconv>

namespace sac::channels {

std::optional<std::chrono::seconds> RetryAfter(const ClientResponse& response) {
  const auto header = response.headers.Get("Retry-After");
  if (!header) {
    return std::nullopt;
  }
  long seconds = 0;
  const auto [end, error] = std::from_chars(header->data(), header->data() + header->size(), seconds);
  if (error != std::errc() || end != header->data() + header->size() || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

}  // namespace sac::channels
