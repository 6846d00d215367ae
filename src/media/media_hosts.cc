#include "media/media_hosts.h"

#include <boost/url/parse.hpp>

#include "core/ascii.h"

namespace sac::media {
namespace {

inline constexpr std::size_t kMaxUrlBytes = 2048;

bool IsDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      if (label == 0 || label > 63) return false;
      if (name[i - 1] == '-' || name[i - label] == '-') return false;
      label = 0;
      continue;
    }
    const char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    ++label;
  }
  return true;
}

}  // namespace

bool HostAllowed(std::string_view host, const std::vector<std::string>& allowed) {
  if (host.empty()) return false;
  for (const std::string& entry : allowed) {
    if (entry.empty()) continue;
    if (entry.front() == '.') {
      if (host.size() > entry.size() && host.substr(host.size() - entry.size()) == entry) return true;
    } else if (host == entry) {
      return true;
    }
  }
  return false;
}

bool HttpsUrlOnAllowedHost(std::string_view url, const std::vector<std::string>& allowed) {
  if (url.size() > kMaxUrlBytes) return false;
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme_id() != boost::urls::scheme::https) return false;
  // A plain DNS name, as written: no IP literal, no percent-escapes that decode into a name
  // ("evil.example%2F.mazatlan.gob.mx") a resolver would read otherwise.
  if (parsed->host_type() != boost::urls::host_type::name ||
      parsed->encoded_host().find('%') != std::string_view::npos) {
    return false;
  }
  const std::string host = AsciiLower(parsed->host());
  return IsDnsName(host) && HostAllowed(host, allowed);
}

Status CheckHostList(const std::vector<std::string>& entries) {
  for (const std::string& entry : entries) {
    const bool suffix = !entry.empty() && entry.front() == '.';
    const std::string_view name = suffix ? std::string_view(entry).substr(1) : entry;
    if (!IsDnsName(name)) {
      return MakeError(Errc::kInvalidArgument,
                       "\"" + entry + "\" is not a lower-case host name or .domain");
    }
    if (suffix && name.find('.') == std::string_view::npos) {
      return MakeError(Errc::kInvalidArgument,
                       "\"" + entry + "\" would allow every host of a top-level domain");
    }
  }
  return {};
}

}  // namespace sac::media
