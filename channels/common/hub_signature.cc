#include "channels/common/hub_signature.h"

#include "crypto/digest.h"

namespace sac::channels {

Status VerifyHubSignature(const HttpRequest& request, std::string_view app_secret) {
  constexpr std::string_view kHeader = "X-Hub-Signature-256";
  constexpr std::string_view kPrefix = "sha256=";
  if (request.headers.Count(kHeader) != 1) {
    return MakeError(Errc::kUnauthenticated, "missing or repeated X-Hub-Signature-256");
  }
  const std::string_view provided = *request.headers.Get(kHeader);
  const std::string expected =
      std::string(kPrefix) + crypto::HmacSha256Hex(app_secret, request.body);
  if (!crypto::ConstantTimeEquals(provided, expected)) {
    return MakeError(Errc::kUnauthenticated, "bad X-Hub-Signature-256");
  }
  return {};
}

}  // namespace sac::channels
