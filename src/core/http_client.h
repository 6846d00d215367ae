// Outbound HTTP behind an interface, so channels' Send is testable against fake providers and
// the libcurl details stay in src/http/curl_client.cc.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/http_message.h"
#include "core/result.h"

namespace sac {

struct ClientRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{15000};
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Blocking: call from worker threads only. A response of any status is a value; transport
  // failures are errors: kUnavailable when the connection could not be made (the request never
  // left), kTimeout when it may have left but no answer came in time.
  virtual Result<ClientResponse> Execute(const ClientRequest& request) = 0;
};

}  // namespace sac
