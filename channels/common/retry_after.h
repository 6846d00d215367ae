// A provider's Retry-After header (delta-seconds), for throttled sends.
#pragma once

#include <chrono>
#include <optional>

#include "core/http_client.h"

namespace sac::channels {

// nullopt when absent, negative or not a number (the HTTP-date form is not used by providers).
std::optional<std::chrono::seconds> RetryAfter(const ClientResponse& response);

}  // namespace sac::channels
