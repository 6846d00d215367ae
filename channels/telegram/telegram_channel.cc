#include "channels/telegram/telegram_channel.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "channels/common/split_text.h"
#include "channels/common/unanswered_send.h"
#include "channels/common/url_host.h"
#include "channels/telegram/payloads.h"
#include "crypto/digest.h"
#include "media/media_fetcher.h"

namespace sac::channels::telegram {
namespace {

constexpr std::size_t kMaxMessageChars = 4096;  // sendMessage's limit
constexpr std::size_t kMaxCallbackDataBytes = 64;

// The one-tap answers as an inline keyboard, a full-width button per row: a tap arrives as a callback_query carrying
// the payload (answered in the webhook's acknowledgement). Payloads over Telegram's 64 bytes
// cannot be buttons; the text says what to answer anyway.
std::optional<boost::json::object> InlineKeyboard(const std::vector<ReplyButton>& buttons) {
  boost::json::array rows;
  for (const ReplyButton& button : buttons) {
    if (button.payload.empty() || button.payload.size() > kMaxCallbackDataBytes) continue;
    rows.push_back(boost::json::array{
        boost::json::object{{"text", button.title}, {"callback_data", button.payload}}});
  }
  if (rows.empty()) return std::nullopt;
  return boost::json::object{{"inline_keyboard", std::move(rows)}};
}

}  // namespace

TelegramChannel::TelegramChannel(TelegramConfig config, HttpClient& http)
    : config_(std::move(config)),
      bot_id_(config_.bot_token.substr(0, config_.bot_token.find(':'))),
      http_(http) {}

std::string_view TelegramChannel::Name() const { return kChannelName; }

std::optional<HttpResponse> TelegramChannel::AnswerHandshake(const HttpRequest&) const {
  return std::nullopt;  // Telegram has none: setWebhook registers the URL
}

Status TelegramChannel::Verify(const HttpRequest& request) const {
  const auto token = request.headers.Get("X-Telegram-Bot-Api-Secret-Token");
  if (!token || config_.secret_token.empty() ||
      !crypto::ConstantTimeEquals(*token, config_.secret_token)) {
    return MakeError(Errc::kUnauthenticated, "missing or wrong X-Telegram-Bot-Api-Secret-Token");
  }
  return {};
}

Result<ParsedWebhook> TelegramChannel::Parse(const HttpRequest& request) const {
  return ParseUpdate(request.body, bot_id_);
}

HttpResponse TelegramChannel::Acknowledge(const ParsedWebhook& parsed) const {
  for (const InboundMessage& message : parsed.messages) {
    if (!message.callback_id.empty()) {
      // "You can perform a request to the Bot API while sending an answer to the webhook."
      return HttpResponse::Json(
          200, boost::json::serialize(boost::json::object{
                   {"method", "answerCallbackQuery"}, {"callback_query_id", message.callback_id}}));
    }
  }
  return HttpResponse::Text(200, "ok\n");
}

Result<MediaSource> TelegramChannel::LocateMedia(const std::string& provider_media_id) {
  ClientRequest request;
  request.url = config_.api_base_url + "/bot" + config_.bot_token + "/getFile";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = boost::json::serialize(boost::json::object{{"file_id", provider_media_id}});
  request.timeout = config_.send_timeout;
  auto response = http_.Execute(request);
  // Errors never repeat the URL: it carries the bot token.
  if (!response) return MakeError(response.error().code, "telegram getFile failed");
  if (response->status == 400) {
    // A file over the Bot API's 20 MB whose size the update did not say (payloads.cc marks
    // the rest at intake): too large, which the citizen is told, rather than gone.
    if (response->body.find("file is too big") != std::string::npos) return media::TooLargeError();
    return MakeError(Errc::kNotFound, "telegram has no such file");
  }
  if (response->status != 200) {
    return MakeError(Errc::kUnavailable, "telegram getFile answered " + std::to_string(response->status));
  }
  const auto path = ParseFilePath(response->body);
  if (!path) return MakeError(Errc::kUnavailable, "telegram getFile without a file_path");
  return MediaSource{config_.api_base_url + "/file/bot" + config_.bot_token + "/" + *path, {},
                     {UrlHost(config_.api_base_url)}};
}

SendOutcome TelegramChannel::Send(const OutboundMessage& message) {
  std::string last_id;
  std::vector<std::string> earlier_ids;
  const std::vector<std::string> pieces = SplitText(message.text, kMaxMessageChars);
  const auto keyboard = InlineKeyboard(message.buttons);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    ClientRequest request;
    request.url = config_.api_base_url + "/bot" + config_.bot_token + "/sendMessage";
    request.headers = {{"Content-Type", "application/json"}};
    boost::json::object body{{"chat_id", message.recipient}, {"text", pieces[i]}};
    if (keyboard && i + 1 == pieces.size()) body["reply_markup"] = *keyboard;  // under the question
    request.body = boost::json::serialize(body);
    request.timeout = config_.send_timeout;
    auto response = http_.Execute(request);
    // A failure after some pieces went: they are this reply's (their news settles nothing else).
    const auto failed = [&](SendOutcome outcome) {
      outcome.earlier_piece_ids = earlier_ids;
      if (!last_id.empty()) outcome.earlier_piece_ids.push_back(last_id);
      return outcome;
    };
    if (!response) {
      // A later piece failing re-sends the earlier ones on retry: better twice than half a reply.
      return failed(OutcomeOfUnansweredSend(response.error(), i));
    }
    if (response->status >= 200 && response->status < 300) {
      if (!last_id.empty()) earlier_ids.push_back(last_id);
      last_id = ParseSentMessageId(response->body).value_or("");
      continue;
    }
    const auto error = ParseApiError(response->body);
    const std::string what = "telegram answered " + std::to_string(response->status) +
                             (error && !error->description.empty() ? " (" + error->description + ")"
                                                                   : std::string());
    if (response->status == 429 || response->status >= 500) {
      return failed(SendOutcome::Retryable(what, error ? error->retry_after : std::nullopt));
    }
    if (response->status == 403) {
      // "bot was blocked by the user", "user is deactivated"
      return failed(SendOutcome::Blocked(what));
    }
    return failed(SendOutcome::Permanent(what));
  }
  SendOutcome sent = SendOutcome::Sent(last_id);
  sent.earlier_piece_ids = std::move(earlier_ids);
  return sent;
}

}  // namespace sac::channels::telegram
