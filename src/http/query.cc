#include "http/query.h"

#include <boost/url/parse_query.hpp>

namespace sac::http {

inline constexpr std::size_t kMaxQueryParameters = 64;

Result<std::map<std::string, std::string, std::less<>>> ParseQuery(std::string_view query) {
  std::map<std::string, std::string, std::less<>> params;
  auto parsed = boost::urls::parse_query(query);
  if (!parsed) {
    return MakeError(Errc::kInvalidArgument, "malformed query string");
  }
  for (const auto& param : *parsed) {
    if (params.size() >= kMaxQueryParameters) {
      return MakeError(Errc::kInvalidArgument, "too many query parameters");
    }
    std::string key = param.key.decode();
    std::string value = param.has_value ? param.value.decode() : std::string();
    if (!params.emplace(std::move(key), std::move(value)).second) {
      return MakeError(Errc::kInvalidArgument, "query parameter given twice");
    }
  }
  return params;
}

}  // namespace sac::http
