// Amazon SNS message signatures (SES delivers mail to us through SNS). Each message names the
// X.509 certificate that signed it (SigningCertURL); the certificate is fetched once per URL and
// kept, but only from an https URL on an SNS host (sns.<region>.amazonaws.com), or anyone could
// sign with a certificate of their own.
// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "channels/email/payloads.h"
#include "core/http_client.h"
#include "core/result.h"

namespace sac::channels::email {

struct SnsTrust {
  std::string host_pattern;  // RE2, matched against the whole host
  bool allow_http = false;   // tests only: a fake SNS on http://127.0.0.1
  std::chrono::milliseconds timeout{5000};
};

class SnsVerifier {
 public:
  SnsVerifier(SnsTrust trust, HttpClient& http);
  ~SnsVerifier();

  // ok when `envelope` is signed (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) by the
  // certificate at its SigningCertURL, and that URL is trusted. kUnauthenticated otherwise;
  // kUnavailable when the certificate cannot be fetched now (answer 503: SNS retries).
  Status Verify(const SnsEnvelope& envelope) const;

  // An https URL (http only when allowed) whose host matches the pattern: where certificates may
  // come from and where subscriptions may be confirmed.
  bool IsTrustedUrl(std::string_view url) const;

 private:
  struct PublicKey;
  Result<std::shared_ptr<const PublicKey>> KeyFor(const std::string& url) const;

  SnsTrust trust_;
  HttpClient& http_;
  mutable std::mutex mutex_;  // the cache of fetched keys, filled from handler threads
  mutable std::map<std::string, std::shared_ptr<const PublicKey>, std::less<>> keys_;
};

}  // namespace sac::channels::email
