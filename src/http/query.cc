#include "http/query.h"

#include <boost/url/encode.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace sac::http {

inline constexpr std::size_t kMaxQueryParameters = 64;

namespace {

// Always pass the length: never let a std::string_view become a `const char*` for Boost.
boost::core::string_view View(std::string_view text) { return {text.data(), text.size()}; }

// Boost 1.81's parse_query calls strlen() on its input (found by fuzzing: it reads past the end
// of a buffer that is not NUL-terminated). Parse a NUL-terminated copy.
auto ParseQueryCopy(const std::string& terminated) {
  return boost::urls::parse_query(View(terminated));
}

}  // namespace

Result<std::map<std::string, std::string, std::less<>>> ParseQuery(std::string_view query) {
  std::map<std::string, std::string, std::less<>> params;
  const std::string terminated(query);
  auto parsed = ParseQueryCopy(terminated);
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

Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body,
                                                                   std::size_t max_parameters) {
  std::vector<std::pair<std::string, std::string>> params;
  const std::string terminated(body);
  auto parsed = ParseQueryCopy(terminated);
  if (!parsed) {
    return MakeError(Errc::kInvalidArgument, "malformed form body");
  }
  boost::urls::encoding_opts plus_is_space;
  plus_is_space.space_as_plus = true;
  for (const auto& param : *parsed) {
    if (params.size() >= max_parameters) {
      return MakeError(Errc::kInvalidArgument, "too many form parameters");
    }
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    params.emplace_back(param.key.decode(plus_is_space),
                        param.has_value ? param.value.decode(plus_is_space) : std::string());
  }
  return params;
}

std::string EncodeForm(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string body;
  for (const auto& [key, value] : params) {
    if (!body.empty()) body += '&';
    body += boost::urls::encode(View(key), boost::urls::unreserved_chars);
    body += '=';
    body += boost::urls::encode(View(value), boost::urls::unreserved_chars);
  }
  return body;
}

}  // namespace sac::http
