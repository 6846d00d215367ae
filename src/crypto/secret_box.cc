#include "crypto/secret_box.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "crypto/digest.h"

namespace sac::crypto {
namespace {

constexpr std::string_view kMark = "sac1";
constexpr std::size_t kIdBytes = 8;  // hex digits
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::size_t kOverhead = kMark.size() + kIdBytes + kNonceBytes + kTagBytes;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// Marked: sealed, whole or not (a damaged value is refused, never taken for one kept in clear).
bool IsSealed(std::string_view stored) { return stored.substr(0, kMark.size()) == kMark; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

int Length(std::size_t size) { return static_cast<int>(size); }

}  // namespace

Result<SecretBox> SecretBox::FromHex(const std::vector<std::string>& keys) {
  SecretBox box;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const std::string& hex = keys[k];
    Key key;
    bool valid = hex.size() == 2 * key.bytes.size();
    for (std::size_t i = 0; valid && i < key.bytes.size(); ++i) {
      const int high = HexDigit(hex[2 * i]);
      const int low = HexDigit(hex[2 * i + 1]);
      valid = high >= 0 && low >= 0;
      key.bytes[i] = static_cast<unsigned char>(valid ? high * 16 + low : 0);
    }
    if (!valid) {
      return MakeError(Errc::kInvalidArgument,
                       std::string(k == 0 ? "SAC_SECRET_KEY" : "SAC_SECRET_KEY_PREVIOUS") +
                           ": expected 64 hexadecimal digits (openssl rand -hex 32)");
    }
    key.id = Sha256Hex(std::string_view(reinterpret_cast<const char*>(key.bytes.data()),
                                        key.bytes.size()))
                 .substr(0, kIdBytes);
    for (const Key& other : box.keys_) {
      if (other.id == key.id) {
        return MakeError(Errc::kInvalidArgument,
                         "SAC_SECRET_KEY_PREVIOUS: the same key twice (a new key must differ)");
      }
    }
    box.keys_.push_back(key);
  }
  return box;
}

std::string SecretBox::Seal(std::string_view plain, std::string_view context) const {
  if (keys_.empty()) return std::string(plain);
  const Key& key = keys_.front();
  const std::string nonce = RandomBytes(kNonceBytes);
  std::string out(kMark);
  out += key.id;
  out += nonce;
  const std::size_t cipher_at = out.size();
  out.resize(cipher_at + plain.size() + kTagBytes);
  auto* cipher = reinterpret_cast<unsigned char*>(out.data() + cipher_at);

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int written = 0;
  int final_written = 0;
  // Each call fails only on an allocation failure or a bug: both end the process.
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), Bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &written, Bytes(context), Length(context.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher, &written, Bytes(plain), Length(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + written, &final_written) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          cipher + plain.size()) != 1) {
    std::abort();
  }
  return out;
}

Result<std::string> SecretBox::Open(std::string_view stored, std::string_view context) const {
  if (!IsSealed(stored)) return std::string(stored);
  if (stored.size() < kOverhead) {
    return MakeError(Errc::kUnauthenticated, "a sealed secret does not open: truncated");
  }
  const std::string_view id = stored.substr(kMark.size(), kIdBytes);
  const auto key =
      std::find_if(keys_.begin(), keys_.end(), [&](const Key& k) { return k.id == id; });
  if (key == keys_.end()) {
    return MakeError(Errc::kUnavailable,
                     "sealed under a secret key SAC does not have (set SAC_SECRET_KEY_PREVIOUS)");
  }
  const std::string_view nonce = stored.substr(kMark.size() + kIdBytes, kNonceBytes);
  const std::string_view cipher = stored.substr(kMark.size() + kIdBytes + kNonceBytes,
                                                stored.size() - kOverhead);
  std::string tag(stored.substr(stored.size() - kTagBytes));
  std::string plain(cipher.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int written = 0;
  int final_written = 0;
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key->bytes.data(), Bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &written, Bytes(context), Length(context.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out, &written, Bytes(cipher), Length(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out + written, &final_written) != 1) {
    return MakeError(Errc::kUnauthenticated, "a sealed secret does not open: altered or misplaced");
  }
  return plain;
}

bool SecretBox::NeedsResealing(std::string_view stored) const {
  if (keys_.empty()) return false;
  if (!IsSealed(stored)) return true;
  return stored.substr(kMark.size(), kIdBytes) != keys_.front().id;
}

}  // namespace sac::crypto
