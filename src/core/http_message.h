// Plain HTTP request and response values. The Beast server converts to and from these, so
// handlers, channels and tests never see Beast types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sac {

// Header fields in arrival order; names compare case-insensitively.
class Headers {
 public:
  void Add(std::string name, std::string value);
  // The first value of `name`, if present.
  std::optional<std::string_view> Get(std::string_view name) const;
  int Count(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& All() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // target without the query, e.g. "/webhooks/whatsapp"
  std::string query;   // raw query string without '?', still percent-encoded
  Headers headers;
  std::string body;    // exact bytes as received: signatures are computed over them
  std::string remote_address;  // the connection's peer ("127.0.0.1"); see http/client_address.h
  // Segments captured by the route's pattern: "/api/v1/boletas/{folio}" → {"folio", "2026-000001"}.
  std::map<std::string, std::string, std::less<>> path_params;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  Headers headers;
  std::string body;

  static HttpResponse Text(int status, std::string body);
  static HttpResponse Json(int status, std::string body);
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// Without the spaces and tabs around it: a header value's "optional whitespace" (RFC 9110 §5.6.3).
std::string_view TrimOws(std::string_view text);

}  // namespace sac
