#include "channels/email/smtp_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>

namespace sac::channels::email {
namespace {

struct EasyCleanup {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Upload {
  std::string_view remaining;
};

// libcurl calls this from C: it must not throw.
std::size_t ReadMessage(char* buffer, std::size_t size, std::size_t count, void* user) noexcept {
  auto& upload = *static_cast<Upload*>(user);
  const std::size_t bytes = std::min(size * count, upload.remaining.size());
  std::memcpy(buffer, upload.remaining.data(), bytes);
  upload.remaining.remove_prefix(bytes);
  return bytes;
}

bool Mentions(const char* error, const char* what) { return std::strstr(error, what) != nullptr; }

}  // namespace

SmtpOutcome SendSmtp(const SmtpSettings& settings, std::string_view from, std::string_view to,
                     std::string_view message) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, EasyCleanup> curl(curl_easy_init());
  if (curl == nullptr) return {SmtpOutcome::Kind::kRetryable, 0, "libcurl could not start"};
  const std::string mail_from = "<" + std::string(from) + ">";
  std::unique_ptr<curl_slist, ListFree> recipients(
      curl_slist_append(nullptr, ("<" + std::string(to) + ">").c_str()));
  Upload upload{message};
  char error[CURL_ERROR_SIZE] = {0};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadMessage);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(handle, CURLOPT_USE_SSL,
                   static_cast<long>(settings.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!settings.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, settings.password.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<std::int64_t>(settings.timeout.count(), 10000)));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);

  const CURLcode result = curl_easy_perform(handle);
  long code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
  if (result == CURLE_OK) return {SmtpOutcome::Kind::kAccepted, code, ""};

  // libcurl's messages name the step ("RCPT failed: 550") and never the addresses.
  const std::string what = "smtp: " + std::string(error[0] != '\0' ? error : curl_easy_strerror(result));
  if (result == CURLE_LOGIN_DENIED) {
    return {SmtpOutcome::Kind::kRetryable, code, what + " (check SAC_SMTP_PASSWORD)"};
  }
  if (code >= 500 && code < 600) {
    if (Mentions(error, "RCPT") && (code == 550 || code == 551 || code == 553)) {
      return {SmtpOutcome::Kind::kRecipientRejected, code, what};
    }
    // The relay refusing our own sender is our configuration, which someone will fix.
    if (Mentions(error, "MAIL")) return {SmtpOutcome::Kind::kRetryable, code, what};
    return {SmtpOutcome::Kind::kRejected, code, what};
  }
  return {SmtpOutcome::Kind::kRetryable, code, what};
}

}  // namespace sac::channels::email
