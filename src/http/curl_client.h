// CurlHttpClient: the HttpClient used for every provider API call (libcurl, OpenSSL).
// Each thread reuses one easy handle, so connections to a provider stay alive between sends.
#pragma once

#include "core/http_client.h"

namespace sac::http {

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient();
  Result<ClientResponse> Execute(const ClientRequest& request) override;
};

}  // namespace sac::http
