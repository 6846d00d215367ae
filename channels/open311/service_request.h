// A GeoReport v2 "POST requests" form, validated, and the inbox message it becomes. Pure: no I/O.
// Spec: https://wiki.open311.org/GeoReport_v2/#post-service-request
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/inbound.h"
#include "core/result.h"

namespace sac::channels::open311 {

inline constexpr std::string_view kChannelName = "open311";
inline constexpr std::size_t kMaxDescriptionChars = 4000;  // the spec's limit

struct ServiceRequest {
  std::string service_code;  // one of our categorías
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string address_string;
  std::string address_id;
  std::string email;  // lower case
  std::string phone;  // E.164
  std::string device_id;
  std::string account_id;
  std::string first_name;
  std::string last_name;
  std::string description;
  std::string media_url;
};

using FormParams = std::vector<std::pair<std::string, std::string>>;

// kInvalidArgument, with a message for the client, when a parameter is repeated, the service
// code is unknown, there is no location (lat and long, address_string or address_id), the
// coordinates are out of range, neither a description nor a photo is given, the description is
// longer than the spec's 4,000 characters, the e-mail or phone is malformed, or the media URL is
// not https or names a host outside `media_hosts` (see src/media/media_hosts.h).
// `api_key` and `jurisdiction_id` are the caller's to check.
Result<ServiceRequest> ReadServiceRequest(const FormParams& form,
                                          const std::function<bool(std::string_view)>& known_service,
                                          const std::vector<std::string>& media_hosts);

// The inbox message of a request from app client `client`, stored under `token`. The citizen is
// known by e-mail, else phone, else device, else nobody (one identity per request).
InboundMessage ToInboundMessage(const ServiceRequest& request, std::string_view client,
                                std::string_view token, std::int64_t now_seconds);

}  // namespace sac::channels::open311
