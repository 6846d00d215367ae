#include "channels/twilio_sms/twilio_sms_channel.h"

#include <charconv>

#include "channels/common/retry_after.h"
#include "channels/common/split_text.h"
#include "channels/common/unanswered_send.h"
#include "channels/common/url_host.h"
#include "channels/twilio_sms/payloads.h"
#include "crypto/digest.h"
#include "http/query.h"

namespace sac::channels::twilio_sms {
namespace {

constexpr std::size_t kMaxMessageChars = 1600;  // the Messages API's Body limit

// Twilio error codes that mean "this person does not want our messages".
constexpr int kUnsubscribed = 21610;

}  // namespace

TwilioSmsChannel::TwilioSmsChannel(TwilioSmsConfig config, std::string public_base_url,
                                   HttpClient& http)
    : config_(std::move(config)), public_base_url_(std::move(public_base_url)), http_(http) {
  while (!public_base_url_.empty() && public_base_url_.back() == '/') public_base_url_.pop_back();
}

std::string_view TwilioSmsChannel::Name() const { return kChannelName; }

std::vector<std::string> TwilioSmsChannel::WebhookPaths() const {
  return {std::string(kMessagesPath), std::string(kStatusPath)};
}

bool TwilioSmsChannel::AcceptsMediaType(std::string_view media_type) const {
  return media_type == "application/x-www-form-urlencoded";
}

std::optional<HttpResponse> TwilioSmsChannel::AnswerHandshake(const HttpRequest&) const {
  return std::nullopt;
}

Status TwilioSmsChannel::Verify(const HttpRequest& request) const {
  const auto signature = request.headers.Get("X-Twilio-Signature");
  if (!signature || request.headers.Count("X-Twilio-Signature") != 1 || config_.auth_token.empty()) {
    return MakeError(Errc::kUnauthenticated, "missing X-Twilio-Signature");
  }
  auto form = http::ParseForm(request.body);
  if (!form) {
    return MakeError(Errc::kUnauthenticated, "the signed form cannot be read");
  }
  const std::string url =
      public_base_url_ + request.path + (request.query.empty() ? "" : "?" + request.query);
  const std::string expected =
      crypto::HmacSha1Base64(config_.auth_token, SignedString(url, std::move(*form)));
  if (!crypto::ConstantTimeEquals(*signature, expected)) {
    return MakeError(Errc::kUnauthenticated, "X-Twilio-Signature does not match");
  }
  return {};
}

Result<ParsedWebhook> TwilioSmsChannel::Parse(const HttpRequest& request) const {
  auto form = http::ParseForm(request.body);
  if (!form) return form.error();
  return request.path == kStatusPath ? ParseStatus(*form) : ParseIncoming(*form);
}

HttpResponse TwilioSmsChannel::Acknowledge(const ParsedWebhook&) const {
  HttpResponse response;
  response.status = 200;
  response.content_type = "text/xml; charset=utf-8";
  response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
  return response;
}

Result<MediaSource> TwilioSmsChannel::LocateMedia(const std::string& provider_media_id) {
  return MediaSource{provider_media_id,
                     {{"Authorization",
                       "Basic " + crypto::Base64Encode(config_.account_sid + ":" + config_.auth_token)}},
                     {"api.twilio.com", ".twiliocdn.com", ".amazonaws.com", UrlHost(config_.api_base_url)}};
}

SendOutcome TwilioSmsChannel::Send(const OutboundMessage& message) {
  std::string last_sid;
  std::vector<std::string> earlier_sids;
  std::size_t pieces_sent = 0;
  for (const std::string& piece : SplitText(message.text, kMaxMessageChars)) {
    std::vector<std::pair<std::string, std::string>> form = {{"To", message.recipient},
                                                             {"Body", piece}};
    if (!config_.messaging_service_sid.empty()) {
      form.emplace_back("MessagingServiceSid", config_.messaging_service_sid);
    } else {
      form.emplace_back("From", config_.from_number);
    }
    if (!public_base_url_.empty()) {
      form.emplace_back("StatusCallback", public_base_url_ + std::string(kStatusPath));
    }
    ClientRequest request;
    request.url = config_.api_base_url + "/Accounts/" + config_.account_sid + "/Messages.json";
    request.headers = {
        {"Authorization",
         "Basic " + crypto::Base64Encode(config_.account_sid + ":" + config_.auth_token)},
        {"Content-Type", "application/x-www-form-urlencoded"}};
    request.body = http::EncodeForm(form);
    request.timeout = config_.send_timeout;
    auto response = http_.Execute(request);
    // A failure after some pieces went: they are this reply's (their news settles nothing else).
    const auto failed = [&](SendOutcome outcome) {
      outcome.earlier_piece_ids = earlier_sids;
      if (!last_sid.empty()) outcome.earlier_piece_ids.push_back(last_sid);
      return outcome;
    };
    if (!response) {
      return failed(OutcomeOfUnansweredSend(response.error(), pieces_sent));
    }
    const ApiAnswer answer = ParseApiAnswer(response->body);
    if (response->status >= 200 && response->status < 300) {
      if (!last_sid.empty()) earlier_sids.push_back(last_sid);
      last_sid = answer.sid;
      ++pieces_sent;
      continue;
    }
    const std::string what = "twilio answered " + std::to_string(response->status) +
                             (answer.code != 0 ? " (error " + std::to_string(answer.code) + ")"
                                               : std::string());
    if (response->status == 429 || response->status >= 500) {
      return failed(SendOutcome::Retryable(what, RetryAfter(*response)));
    }
    if (answer.code == kUnsubscribed) {
      return failed(SendOutcome::Blocked(what));
    }
    return failed(SendOutcome::Permanent(what));
  }
  SendOutcome sent = SendOutcome::Sent(last_sid);
  sent.earlier_piece_ids = std::move(earlier_sids);
  return sent;
}

}  // namespace sac::channels::twilio_sms
