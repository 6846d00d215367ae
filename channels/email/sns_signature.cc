#include "channels/email/sns_signature.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <re2/re2.h>

#include <boost/url/parse.hpp>

#include <cctype>

#include "crypto/digest.h"

namespace sac::channels::email {
namespace {

constexpr std::size_t kMaxCachedKeys = 16;  // SNS rotates certificates rarely

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

Error Unauthenticated(const std::string& why) {
  return MakeError(Errc::kUnauthenticated, "SNS signature: " + why);
}

}  // namespace

struct SnsVerifier::PublicKey {
  std::unique_ptr<EVP_PKEY, KeyFree> key;
};

SnsVerifier::SnsVerifier(SnsTrust trust, HttpClient& http) : trust_(std::move(trust)), http_(http) {}

SnsVerifier::~SnsVerifier() = default;

bool SnsVerifier::IsTrustedUrl(std::string_view url) const {
  const std::string terminated(url);  // Boost 1.81's parsers may read to a NUL
  const auto parsed = boost::urls::parse_uri(terminated);
  if (!parsed || parsed->has_userinfo()) return false;
  std::string scheme(parsed->scheme());
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "https" && !(trust_.allow_http && scheme == "http")) return false;
  std::string host(parsed->host());
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const RE2 pattern(trust_.host_pattern, RE2::Quiet);
  return !host.empty() && pattern.ok() && RE2::FullMatch(host, pattern);
}

Result<std::shared_ptr<const SnsVerifier::PublicKey>> SnsVerifier::KeyFor(
    const std::string& url) const {
  {
    std::lock_guard lock(mutex_);
    if (const auto cached = keys_.find(url); cached != keys_.end()) return cached->second;
  }
  ClientRequest request;
  request.method = "GET";
  request.url = url;
  request.timeout = trust_.timeout;
  auto response = http_.Execute(request);
  if (!response) {
    return MakeError(Errc::kUnavailable, "the SNS signing certificate cannot be fetched now");
  }
  if (response->status != 200) {
    return Unauthenticated("the signing certificate URL answered " + std::to_string(response->status));
  }
  std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(response->body.data(), static_cast<int>(response->body.size())));
  std::unique_ptr<X509, X509Free> certificate(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (certificate == nullptr) {
    ERR_clear_error();
    return Unauthenticated("the signing certificate is not PEM X.509");
  }
  if (X509_cmp_current_time(X509_get0_notBefore(certificate.get())) > 0 ||
      X509_cmp_current_time(X509_get0_notAfter(certificate.get())) < 0) {
    return Unauthenticated("the signing certificate is not valid now");
  }
  auto key = std::make_shared<PublicKey>();
  key->key.reset(X509_get_pubkey(certificate.get()));
  if (key->key == nullptr) return Unauthenticated("the signing certificate has no usable key");
  std::lock_guard lock(mutex_);
  if (keys_.size() >= kMaxCachedKeys) keys_.clear();
  keys_[url] = key;
  return std::shared_ptr<const PublicKey>(key);
}

Status SnsVerifier::Verify(const SnsEnvelope& envelope) const {
  const EVP_MD* digest = envelope.signature_version == "1"   ? EVP_sha1()
                         : envelope.signature_version == "2" ? EVP_sha256()
                                                             : nullptr;
  if (digest == nullptr) return Unauthenticated("unknown SignatureVersion");
  if (!IsTrustedUrl(envelope.signing_cert_url)) {
    return Unauthenticated("SigningCertURL is not on an SNS host");
  }
  const auto signature = crypto::Base64Decode(envelope.signature);
  if (!signature || signature->empty()) return Unauthenticated("Signature is not base64");
  auto key = KeyFor(envelope.signing_cert_url);
  if (!key) return key.error();
  const std::string signed_text = SnsStringToSign(envelope);
  std::unique_ptr<EVP_MD_CTX, DigestContextFree> context(EVP_MD_CTX_new());
  const bool verified =
      context != nullptr &&
      EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, (*key)->key.get()) == 1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature->data()),
                       signature->size(),
                       reinterpret_cast<const unsigned char*>(signed_text.data()),
                       signed_text.size()) == 1;
  ERR_clear_error();  // a failed check leaves errors on this thread's queue for whoever comes next
  if (!verified) return Unauthenticated("does not verify");
  return {};
}

}  // namespace sac::channels::email
