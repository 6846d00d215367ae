#include "channels/open311/service_request.h"

#include <charconv>
#include <cmath>
#include <set>

#include "channels/common/mx_phone.h"
#include "channels/common/split_text.h"
#include "json/reader.h"
#include "media/media_hosts.h"

namespace sac::channels::open311 {
namespace {

Error Refuse(std::string what) { return MakeError(Errc::kInvalidArgument, std::move(what)); }

std::optional<double> Coordinate(const std::string& text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// A plain mailbox: something@domain.tld, no spaces or line breaks (it may end up in a header).
bool PlausibleEmail(std::string_view email) {
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string_view::npos || at == 0 || at != email.rfind('@')) {
    return false;
  }
  const std::string_view domain = email.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.') {
    return false;
  }
  for (const char c : email) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',' || c == ';' ||
        c == '"' || c == '\\') {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<ServiceRequest> ReadServiceRequest(const FormParams& form,
                                          const std::function<bool(std::string_view)>& known_service,
                                          const std::vector<std::string>& media_hosts) {
  std::set<std::string, std::less<>> seen;
  for (const auto& [name, value] : form) {
    if (!seen.insert(name).second) return Refuse(name + " was given more than once");
  }
  const auto get = [&](std::string_view name) -> std::string {
    for (const auto& [key, value] : form) {
      if (key == name) return json::CleanText(value);
    }
    return {};
  };

  ServiceRequest request;
  request.service_code = get("service_code");
  if (request.service_code.empty()) return Refuse("service_code was not provided");
  if (!known_service(request.service_code)) return Refuse("service_code not found");

  const std::string lat = get("lat");
  const std::string lon = get("long");
  if (!lat.empty() || !lon.empty()) {
    request.latitude = Coordinate(lat);
    request.longitude = Coordinate(lon);
    if (!request.latitude || !request.longitude || *request.latitude < -90 ||
        *request.latitude > 90 || *request.longitude < -180 || *request.longitude > 180) {
      return Refuse("lat and long must be decimal degrees (lat -90..90, long -180..180)");
    }
  }
  request.address_string = get("address_string");
  request.address_id = get("address_id");
  if (!request.latitude && request.address_string.empty() && request.address_id.empty()) {
    return Refuse("a location is required: lat and long, address_string or address_id");
  }

  request.description = get("description");
  if (CountCharacters(request.description) > kMaxDescriptionChars) {
    return Refuse("description is longer than 4000 characters");
  }
  request.media_url = get("media_url");
  if (!request.media_url.empty() &&
      (request.media_url.rfind("https://", 0) != 0 || request.media_url.size() > 2048)) {
    return Refuse("media_url must be an https URL");
  }
  if (!request.media_url.empty() && !media::HttpsUrlOnAllowedHost(request.media_url, media_hosts)) {
    return Refuse("media_url must be on a host this service takes photos from");
  }
  if (request.description.empty() && request.media_url.empty()) {
    return Refuse("a description or a media_url is required");
  }

  request.email = get("email");
  for (char& c : request.email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!request.email.empty() && !PlausibleEmail(request.email)) {
    return Refuse("email is not a valid e-mail address");
  }
  if (const std::string phone = get("phone"); !phone.empty()) {
    const auto normalized = NormalizePhone(phone);
    if (!normalized) return Refuse("phone is not a valid phone number");
    request.phone = *normalized;
  }
  request.device_id = get("device_id");
  request.account_id = get("account_id");
  request.first_name = get("first_name");
  request.last_name = get("last_name");
  for (const std::string* field : {&request.address_string, &request.address_id, &request.device_id,
                                   &request.account_id, &request.first_name, &request.last_name}) {
    if (field->size() > 1000) return Refuse("a parameter is longer than 1000 bytes");
  }
  return request;
}

InboundMessage ToInboundMessage(const ServiceRequest& request, std::string_view client,
                                std::string_view token, std::int64_t now_seconds) {
  InboundMessage message;
  message.channel = std::string(kChannelName);
  message.account_id = std::string(client);
  message.external_id = std::string(token);
  message.sender_phone = request.phone;
  if (!request.email.empty()) {
    message.sender_id = request.email;
  } else if (!request.phone.empty()) {
    message.sender_id = request.phone;
  } else if (!request.device_id.empty()) {
    message.sender_id = std::string(client) + ":device:" + request.device_id;
  } else {
    message.sender_id = std::string(client) + ":anonimo:" + std::string(token);
  }
  message.sender_name = request.first_name;
  if (!request.last_name.empty()) {
    message.sender_name += (message.sender_name.empty() ? "" : " ") + request.last_name;
  }
  message.text = request.description;
  message.type = MessageType::kText;
  message.reply_payload = request.service_code;  // the citizen's own choice of categoría
  if (!request.media_url.empty()) {
    Media media;
    media.provider_media_id = request.media_url;
    media.kind = MessageType::kImage;
    message.media.push_back(std::move(media));
    message.type = MessageType::kImage;  // the description is its caption
  }
  if (request.latitude) {
    message.location = GeoPoint{*request.latitude, *request.longitude, "", request.address_string};
  } else if (!request.address_string.empty()) {
    // No pin: the address goes with the text, where the colonia finder reads it.
    message.text += (message.text.empty() ? "" : "\n") + request.address_string;
  }
  message.sent_at = now_seconds;
  return message;
}

}  // namespace sac::channels::open311
