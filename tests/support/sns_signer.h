// A throwaway SNS signing certificate (RSA 2048, self-signed, valid for a day, made at run time:
// no private key lives in the repository) and SNS messages signed with it the way SNS signs
// them, so tests run the channel's real signature check. The fixtures' own signatures are
// placeholders.
#pragma once

#include <memory>
#include <string>

namespace sac::testing {

class SnsSigner {
 public:
  SnsSigner();
  ~SnsSigner();
  SnsSigner(const SnsSigner&) = delete;
  SnsSigner& operator=(const SnsSigner&) = delete;

  const std::string& CertificatePem() const { return certificate_pem_; }

  // `json` is an SNS message (a fixture). Its SigningCertURL becomes `cert_url` (and its
  // SubscribeURL `subscribe_url`, when given); then it is signed with SignatureVersion `version`
  // ("1": SHA1withRSA, "2": SHA256withRSA).
  std::string Sign(const std::string& json, const std::string& cert_url,
                   const std::string& subscribe_url = "", const std::string& version = "2") const;

 private:
  struct Key;
  std::unique_ptr<Key> key_;
  std::string certificate_pem_;
};

}  // namespace sac::testing
