#include "tests/support/served_app.h"

#include <gtest/gtest.h>

namespace sac::testing {

ServedApp Serve(const Config& config) {
  auto created = app::App::Create(config);
  if (!created) {
    ADD_FAILURE() << "the App did not build: " << created.error().message;
    return {};
  }
  auto port = (*created)->Start();
  if (!port) {
    ADD_FAILURE() << "the App did not start: " << port.error().message;
    return {};
  }
  return {std::move(*created), "http://127.0.0.1:" + std::to_string(*port)};
}

ClientResponse Get(HttpClient& client, const std::string& url) {
  ClientRequest request;
  request.method = "GET";
  request.url = url;
  auto response = client.Execute(request);
  EXPECT_TRUE(response) << response.error().message;
  return response ? *response : ClientResponse{};
}

}  // namespace sac::testing
