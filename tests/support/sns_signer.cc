#include "tests/support/sns_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <boost/json.hpp>

#include <array>
#include <span>
#include <stdexcept>

#include "crypto/digest.h"

namespace sac::testing {
namespace {

namespace bj = boost::json;

std::string Field(const bj::object& message, const char* name) {
  const bj::value* value = message.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

// What SNS signs (written here from AWS's documentation, apart from the channel's own copy):
// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
std::string StringToSign(const bj::object& message) {
  const std::string type = Field(message, "Type");
  const bool notification = type == "Notification";
  std::string text;
  static constexpr std::array<const char*, 6> kNotificationFields = {
      "Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"};
  static constexpr std::array<const char*, 7> kSubscriptionFields = {
      "Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"};
  const std::span<const char* const> fields =
      notification ? std::span<const char* const>(kNotificationFields)
                   : std::span<const char* const>(kSubscriptionFields);
  for (const char* name : fields) {
    if (!message.contains(name)) continue;  // Subject is optional
    text += std::string(name) + "\n" + Field(message, name) + "\n";
  }
  return text;
}

}  // namespace

struct SnsSigner::Key {
  EVP_PKEY* key = nullptr;
  ~Key() { EVP_PKEY_free(key); }
};

SnsSigner::SnsSigner() : key_(std::make_unique<Key>()) {
  key_->key = EVP_RSA_gen(2048);
  X509* certificate = X509_new();
  if (key_->key == nullptr || certificate == nullptr) throw std::runtime_error("openssl: no key");
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 86400);
  X509_set_pubkey(certificate, key_->key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("sns.test.amazonaws.example"), -1,
                             -1, 0);
  X509_set_issuer_name(certificate, name);
  X509_sign(certificate, key_->key, EVP_sha256());
  BIO* out = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(out, certificate);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  certificate_pem_.assign(data, static_cast<std::size_t>(size));
  BIO_free(out);
  X509_free(certificate);
}

SnsSigner::~SnsSigner() = default;

std::string SnsSigner::Sign(const std::string& json, const std::string& cert_url,
                            const std::string& subscribe_url, const std::string& version) const {
  bj::object message = bj::parse(json).as_object();
  message["SigningCertURL"] = cert_url;
  if (!subscribe_url.empty()) message["SubscribeURL"] = subscribe_url;
  message["SignatureVersion"] = version;
  const std::string text = StringToSign(message);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestSignInit(context, nullptr, version == "1" ? EVP_sha1() : EVP_sha256(), nullptr,
                     key_->key);
  std::size_t length = 0;
  EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char*>(text.data()),
                 text.size());
  std::string signature(length, '\0');
  EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(text.data()), text.size());
  signature.resize(length);
  EVP_MD_CTX_free(context);
  message["Signature"] = crypto::Base64Encode(signature);
  return bj::serialize(message);
}

}  // namespace sac::testing
