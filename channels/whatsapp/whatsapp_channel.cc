#include "channels/whatsapp/whatsapp_channel.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <charconv>

#include "channels/common/hub_challenge.h"
#include "channels/common/hub_signature.h"
#include "channels/common/retry_after.h"
#include "channels/common/split_text.h"
#include "channels/common/unanswered_send.h"
#include "channels/common/url_host.h"
#include "channels/whatsapp/payloads.h"

namespace sac::channels::whatsapp {
namespace {

// Graph API codes that mean "slow down", per Meta's throughput docs (and Courier's list).
constexpr std::array<std::int64_t, 6> kThrottleCodes = {4, 80007, 130429, 131048, 131056, 133016};

// Meta's limits for interactive reply buttons (Courier's payloads.go agrees).
constexpr std::size_t kMaxButtons = 3;
constexpr std::size_t kMaxButtonTitle = 20;    // characters
constexpr std::size_t kMaxInteractiveBody = 1024;

boost::json::object Envelope(const OutboundMessage& message, const char* type) {
  boost::json::object body;
  body["messaging_product"] = "whatsapp";
  body["recipient_type"] = "individual";
  body["to"] = message.recipient;
  body["type"] = type;
  return body;
}

// Free text, with the message's one-tap answers as reply buttons when it has them.
std::string FreeFormBody(const OutboundMessage& message) {
  const bool buttons = !message.buttons.empty() && message.buttons.size() <= kMaxButtons &&
                       CountCharacters(message.text) <= kMaxInteractiveBody;
  if (!buttons) {
    boost::json::object body = Envelope(message, "text");
    body["text"] = boost::json::object{{"preview_url", false}, {"body", message.text}};
    return boost::json::serialize(body);
  }
  boost::json::array replies;
  for (const ReplyButton& button : message.buttons) {
    replies.push_back(boost::json::object{
        {"type", "reply"},
        {"reply", boost::json::object{{"id", button.payload},
                                      {"title", FirstCharacters(button.title, kMaxButtonTitle)}}}});
  }
  boost::json::object body = Envelope(message, "interactive");
  body["interactive"] = boost::json::object{
      {"type", "button"},
      {"body", boost::json::object{{"text", message.text}}},
      {"action", boost::json::object{{"buttons", std::move(replies)}}}};
  return boost::json::serialize(body);
}

// The approved template for the message's purpose, its {{n}} filled from the message's values
// and its quick-reply buttons carrying the message's payloads. An error when something is
// missing: a template Meta would refuse is not worth a request.
Result<std::string> TemplateBody(const OutboundMessage& message, const WhatsAppTemplate& chosen) {
  boost::json::array parameters;
  for (const std::string& name : chosen.parameters) {
    const auto value = std::find_if(message.template_params.begin(), message.template_params.end(),
                                    [&](const auto& param) { return param.first == name; });
    if (value == message.template_params.end() || value->second.empty()) {
      return MakeError(Errc::kInvalidArgument,
                       "template " + chosen.name + " needs '" + name + "', which this message lacks");
    }
    parameters.push_back(boost::json::object{{"type", "text"}, {"text", value->second}});
  }
  boost::json::array components;
  if (!parameters.empty()) {
    components.push_back(
        boost::json::object{{"type", "body"}, {"parameters", std::move(parameters)}});
  }
  for (std::size_t i = 0; i < message.buttons.size() && i < kMaxButtons; ++i) {
    components.push_back(boost::json::object{
        {"type", "button"},
        {"sub_type", "quick_reply"},
        {"index", std::to_string(i)},
        {"parameters", boost::json::array{boost::json::object{
                           {"type", "payload"}, {"payload", message.buttons[i].payload}}}}});
  }
  boost::json::object body = Envelope(message, "template");
  boost::json::object template_object{{"name", chosen.name},
                                      {"language", boost::json::object{{"code", chosen.language}}}};
  if (!components.empty()) template_object["components"] = std::move(components);
  body["template"] = std::move(template_object);
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
  if (message.outside_window) {
    // Free text would be accepted now and fail later (error 131047): only a template may go.
    const auto chosen = config_.templates.find(message.purpose);
    if (chosen == config_.templates.end()) {
      return SendOutcome::Permanent("outside the 24-hour window and no approved template for '" +
                                    message.purpose + "'");
    }
    auto body = TemplateBody(message, chosen->second);
    if (!body) return SendOutcome::Permanent(body.error().message);
    request.body = std::move(*body);
  } else {
    request.body = FreeFormBody(message);
  }
  request.timeout = config_.send_timeout;

  auto response = http_.Execute(request);
  if (!response) {
    return OutcomeOfUnansweredSend(response.error());
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
