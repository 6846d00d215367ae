#include "media/media_fetcher.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <curl/curl.h>

#include <memory>

#include "media/address_guard.h"
#include "media/media_hosts.h"

namespace sac::media {
namespace {

constexpr std::string_view kTooLarge = "media is larger than the limit";

struct Transfer {
  const FetchLimits* limits = nullptr;
  std::string body;
  std::string content_type;
  std::string location;
  bool too_large = false;
  bool blocked_address = false;
};

// libcurl calls these from C: they must not throw.
std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer.body.size() + bytes > transfer.limits->max_bytes) {
    transfer.too_large = true;
    return 0;  // aborts the transfer: nothing beyond the cap is read
  }
  try {
    transfer.body.append(data, bytes);
  } catch (...) {
    return 0;
  }
  return bytes;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  try {
    std::string_view line(data, bytes);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return bytes;
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    if (name == "content-type") {
      transfer.content_type = std::string(value.substr(0, value.find(';')));
    } else if (name == "location") {
      transfer.location = std::string(value);
    } else if (name == "content-length") {
      // Refuse a declared oversize body before reading any of it.
      std::size_t length = 0;
      for (const char c : value) {
        if (c < '0' || c > '9') return bytes;
        length = length * 10 + static_cast<std::size_t>(c - '0');
        if (length > transfer.limits->max_bytes) {
          transfer.too_large = true;
          return 0;
        }
      }
    }
  } catch (...) {
    return 0;
  }
  return bytes;
}

// Connects only to public addresses: this sees the address curl resolved and is about to use.
curl_socket_t OnOpenSocket(void* user, curlsocktype, curl_sockaddr* address) noexcept {
  auto& transfer = *static_cast<Transfer*>(user);
  if (!transfer.limits->allow_private_addresses && !IsPublicAddress(&address->addr)) {
    transfer.blocked_address = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};

}  // namespace

Result<FetchedMedia> FetchMedia(const MediaSource& source, const FetchLimits& limits) {
  auto parsed = boost::urls::parse_uri(source.url);
  if (!parsed) return MakeError(Errc::kInvalidArgument, "media URL is malformed");
  boost::urls::url url = *parsed;
  const std::string first_host(url.host());
  for (int hop = 0; hop <= limits.max_redirects; ++hop) {
    const bool https = url.scheme() == "https";
    if (!https && !(limits.allow_private_addresses && url.scheme() == "http")) {
      return MakeError(Errc::kPermissionDenied, "media URL is not https");
    }
    std::string host(url.host());
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Percent-escapes in a host decode into names curl and the resolver would read otherwise.
    if (url.encoded_host().find('%') != std::string_view::npos ||
        !HostAllowed(host, source.allowed_hosts)) {
      return MakeError(Errc::kPermissionDenied, "media host is not one the provider serves from");
    }

    std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
    if (!curl) return MakeError(Errc::kInternal, "curl_easy_init failed");
    Transfer transfer;
    transfer.limits = &limits;
    struct curl_slist* headers = nullptr;
    if (host == first_host) {  // credentials never follow a redirect to another host
      for (const auto& [name, value] : source.headers) {
        headers = curl_slist_append(headers, (name + ": " + value).c_str());
      }
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                            &curl_slist_free_all);
    const std::string target(url.buffer());
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, target.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, limits.allow_private_addresses ? "http,https" : "https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "SAC-Mazatlan/1.0 (media)");
    // Compressed responses are not asked for: a small gzip cannot expand past the cap unseen.
    const CURLcode code = curl_easy_perform(h);
    if (transfer.blocked_address) {
      return MakeError(Errc::kPermissionDenied, "media host resolves to a non-public address");
    }
    if (transfer.too_large) return TooLargeError();
    if (code == CURLE_OPERATION_TIMEDOUT) return MakeError(Errc::kTimeout, "media download timed out");
    if (code != CURLE_OK) {
      return MakeError(Errc::kUnavailable, std::string("media download failed: ") + curl_easy_strerror(code));
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 300 && status < 400 && !transfer.location.empty()) {
      const auto reference = boost::urls::parse_uri_reference(transfer.location);
      boost::urls::url next;
      if (!reference || !boost::urls::resolve(url, *reference, next)) {
        return MakeError(Errc::kInvalidArgument, "media redirect is malformed");
      }
      url = next;
      continue;
    }
    if (status == 429 || status >= 500) {
      return MakeError(Errc::kUnavailable, "media server answered " + std::to_string(status));
    }
    if (status < 200 || status >= 300) {
      // 404/410 (media ids expire), 401/403 (a token expired): asking again will not help.
      return MakeError(Errc::kNotFound, "media server refused (" + std::to_string(status) + ")");
    }
    return FetchedMedia{std::move(transfer.body), std::move(transfer.content_type)};
  }
  return MakeError(Errc::kPermissionDenied, "too many media redirects");
}

Error TooLargeError() { return MakeError(Errc::kInvalidArgument, std::string(kTooLarge)); }

bool IsTooLarge(const Error& error) {
  return error.code == Errc::kInvalidArgument && error.message == kTooLarge;
}

}  // namespace sac::media
