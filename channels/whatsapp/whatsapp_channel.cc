#include "channels/whatsapp/whatsapp_channel.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <charconv>

#include "channels/common/hub_challenge.h"
#include "channels/common/hub_signature.h"
#include "channels/common/retry_after.h"
#include "channels/common/url_host.h"
#include "channels/whatsapp/payloads.h"

namespace sac::channels::whatsapp {
namespace {

// Graph API codes that mean "slow down", per Meta's throughput docs (and Courier's list).
constexpr std::array<std::int64_t, 6> kThrottleCodes = {4, 80007, 130429, 131048, 131056, 133016};

std::string RequestBody(const OutboundMessage& message) {
  boost::json::object text;
  text["preview_url"] = false;
  text["body"] = message.text;
  boost::json::object body;
  body["messaging_product"] = "whatsapp";
  body["recipient_type"] = "individual";
  body["to"] = message.recipient;
  body["type"] = "text";
  body["text"] = std::move(text);
  return boost::json::serialize(body);
}

}  // namespace

WhatsAppChannel::WhatsAppChannel(WhatsAppConfig config, HttpClient& http)
    : config_(std::move(config)), http_(http) {}

std::string_view WhatsAppChannel::Name() const { return kChannelName; }

std::optional<HttpResponse> WhatsAppChannel::AnswerHandshake(const HttpRequest& request) const {
  return AnswerHubChallenge(request, config_.verify_token);
}

Status WhatsAppChannel::Verify(const HttpRequest& request) const {
  return VerifyHubSignature(request, config_.app_secret);
}

Result<ParsedWebhook> WhatsAppChannel::Parse(const HttpRequest& request) const {
  return ParseWebhook(request.body, config_.phone_number_id);
}

Result<MediaSource> WhatsAppChannel::LocateMedia(const std::string& provider_media_id) {
  ClientRequest request;
  request.method = "GET";
  request.url = config_.api_base_url + "/" + provider_media_id;
  request.headers = {{"Authorization", "Bearer " + config_.access_token}};
  request.timeout = config_.send_timeout;
  auto response = http_.Execute(request);
  if (!response) return response.error();
  if (response->status == 404 || response->status == 400) {
    return MakeError(Errc::kNotFound, "whatsapp no longer has this media (it expires after 7 days)");
  }
  if (response->status != 200) {
    return MakeError(Errc::kUnavailable, "whatsapp media lookup answered " + std::to_string(response->status));
  }
  const auto url = ParseMediaUrl(response->body);
  if (!url) return MakeError(Errc::kUnavailable, "whatsapp media lookup without a url");
  return MediaSource{*url,
                     {{"Authorization", "Bearer " + config_.access_token}},
                     {"lookaside.fbsbx.com", ".fbcdn.net", ".whatsapp.net",
                      UrlHost(config_.api_base_url)}};
}

SendOutcome WhatsAppChannel::Send(const OutboundMessage& message) {
  ClientRequest request;
  request.url = config_.api_base_url + "/" +
                (message.account_id.empty() ? config_.phone_number_id : message.account_id) +
                "/messages";
  request.headers = {{"Authorization", "Bearer " + config_.access_token},
                     {"Content-Type", "application/json"}};
  request.body = RequestBody(message);
  request.timeout = config_.send_timeout;

  auto response = http_.Execute(request);
  if (!response) {
    return SendOutcome::Retryable(response.error().code == Errc::kUnavailable
                                      ? "connection failed"
                                      : "no answer in time; the outcome is unknown");
  }
  const int status = response->status;
  if (status >= 200 && status < 300) {
    return SendOutcome::Sent(ParseSendResponseId(response->body).value_or(""));
  }
  const auto code = ParseErrorCode(response->body);
  const std::string what =
      "whatsapp answered " + std::to_string(status) +
      (code ? " (error " + std::to_string(*code) + ")" : std::string());
  const bool throttled =
      status == 429 ||
      (code && std::find(kThrottleCodes.begin(), kThrottleCodes.end(), *code) != kThrottleCodes.end());
  if (throttled || status >= 500) {
    return SendOutcome::Retryable(what, RetryAfter(*response));
  }
  return SendOutcome::Permanent(what);
}

}  // namespace sac::channels::whatsapp
