// A real App — what `sac serve` runs — on a loopback port, for tests that talk to it over HTTP.
#pragma once

#include <memory>
#include <string>

#include "app/app.h"
#include "config/config.h"
#include "core/http_client.h"

namespace sac::testing {

struct ServedApp {
  std::unique_ptr<app::App> app;  // null when it did not start (the test has failed then)
  std::string base_url;           // http://127.0.0.1:<port>
};

ServedApp Serve(const Config& config);

// A GET of `url`; no answer at all is a test failure (and an empty response).
ClientResponse Get(HttpClient& client, const std::string& url);

}  // namespace sac::testing
