#include "channels/common/url_host.h"

#include <boost/url/parse.hpp>

#include <cctype>

namespace sac::channels {

std::string UrlHost(std::string_view url) {
  const auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) return {};
  std::string host(parsed->host());
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

}  // namespace sac::channels
