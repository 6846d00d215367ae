#include "channels/meta/meta_channel.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#include "channels/common/hub_challenge.h"
#include "channels/common/hub_signature.h"
#include "channels/common/retry_after.h"
#include "channels/common/split_text.h"
#include "channels/common/unanswered_send.h"
#include "channels/common/url_host.h"
#include "channels/meta/payloads.h"

namespace sac::channels::meta {
namespace {

// Graph API codes worth another try (Messenger's error-code table): 2 temporary failure,
// 4 application rate limit, 17 user rate limit, 32 Page rate limit, 613 Send API rate limit,
// 1200 temporary send failure.
constexpr std::array<std::int64_t, 6> kRetryableCodes = {2, 4, 17, 32, 613, 1200};

// "This person isn't available right now": they blocked the Page or left. Code 551; older answers
// carry the same subcode under code 200.
constexpr std::int64_t kUnavailableCode = 551;
constexpr std::int64_t kUnavailableSubcode = 1545041;

// Code 10 (permission) for a free-form message outside the 24-hour window.
constexpr std::int64_t kPermissionCode = 10;
constexpr std::array<std::int64_t, 3> kOutsideWindowSubcodes = {2018278, 2018108, 2018065};

constexpr std::int64_t kBadTokenCode = 190;  // expired, or invalidated by a password change

template <std::size_t N>
bool Contains(const std::array<std::int64_t, N>& codes, std::int64_t code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// The Send API takes the Page token in the query; escaped so that no character of it can end
// the parameter early.
std::string QueryEscape(std::string_view value) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string escaped;
  for (const char c : value) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      escaped += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      escaped += '%';
      escaped += kHex[static_cast<std::size_t>(byte >> 4)];
      escaped += kHex[static_cast<std::size_t>(byte & 0xF)];
    }
  }
  return escaped;
}

// Instagram caps bytes as well as characters: a piece over the byte limit is cut again, into
// pieces shorter in proportion to how far over it is, until each fits.
void AppendWithinBytes(std::string piece, std::size_t max_bytes, std::vector<std::string>& out) {
  const std::size_t chars = CountCharacters(piece);
  if (piece.size() <= max_bytes || chars <= 1) {
    out.push_back(std::move(piece));
    return;
  }
  const std::size_t shorter = std::max<std::size_t>(1, chars * max_bytes / piece.size());
  for (std::string& part : SplitText(piece, shorter)) {
    AppendWithinBytes(std::move(part), max_bytes, out);
  }
}

std::vector<std::string> Pieces(std::string_view text, const Product& product) {
  std::vector<std::string> pieces;
  for (std::string& piece : SplitText(text, product.max_text_chars)) {
    AppendWithinBytes(std::move(piece), product.max_text_bytes, pieces);
  }
  return pieces;
}

// Messenger allows 13 quick replies of 20 characters; Instagram the same.
constexpr std::size_t kMaxQuickReplies = 13;
constexpr std::size_t kMaxQuickReplyTitle = 20;

// RESPONSE inside the 24-hour window; outside it, the configured tag (HUMAN_AGENT) when there is
// one — the caller has checked that there is. Quick replies go with the last piece only: they
// belong under the question.
std::string RequestBody(const OutboundMessage& message, const std::string& text, bool last_piece,
                        const std::string& outside_window_tag) {
  boost::json::object content{{"text", text}};
  if (last_piece && !message.buttons.empty()) {
    boost::json::array replies;
    for (std::size_t i = 0; i < message.buttons.size() && i < kMaxQuickReplies; ++i) {
      replies.push_back(boost::json::object{
          {"content_type", "text"},
          {"title", FirstCharacters(message.buttons[i].title, kMaxQuickReplyTitle)},
          {"payload", message.buttons[i].payload}});
    }
    content["quick_replies"] = std::move(replies);
  }
  boost::json::object body{{"recipient", boost::json::object{{"id", message.recipient}}},
                           {"message", std::move(content)}};
  if (message.outside_window) {
    body["messaging_type"] = "MESSAGE_TAG";
    body["tag"] = outside_window_tag;
  } else {
    body["messaging_type"] = "RESPONSE";
  }
  return boost::json::serialize(body);
}

}  // namespace

MetaChannel::MetaChannel(const Product& product, MetaChannelConfig config, HttpClient& http)
    : product_(product), config_(std::move(config)), http_(http) {}

std::optional<HttpResponse> MetaChannel::AnswerHandshake(const HttpRequest& request) const {
  return AnswerHubChallenge(request, config_.verify_token);
}

Status MetaChannel::Verify(const HttpRequest& request) const {
  if (config_.app_secret.empty()) {
    // Anyone can compute an HMAC with an empty key.
    return MakeError(Errc::kUnauthenticated, "no app secret configured");
  }
  return VerifyHubSignature(request, config_.app_secret);
}

Result<ParsedWebhook> MetaChannel::Parse(const HttpRequest& request) const {
  return ParseWebhook(request.body, product_, config_.account_id);
}

Result<MediaSource> MetaChannel::LocateMedia(const std::string& provider_media_id) {
  // Never the Page token: CDN links carry their own signature, and the token must not leave the
  // Graph API. Messenger serves from *.fbcdn.net and cdn.fbsbx.com, Instagram from
  // lookaside.fbsbx.com and *.cdninstagram.com; the URL expires (a 403/404 then is final).
  return MediaSource{
      provider_media_id,
      {},
      {".fbcdn.net", ".fbsbx.com", ".cdninstagram.com", UrlHost(config_.api_base_url)}};
}

SendOutcome MetaChannel::Send(const OutboundMessage& message) {
  if (message.outside_window && config_.outside_window_tag.empty()) {
    // Meta would refuse it (error 10/2018278): without a tag nothing may go after 24 hours.
    return SendOutcome::Permanent("outside the 24-hour window and no message tag configured");
  }
  SendOutcome outcome = SendOutcome::Permanent("empty reply");
  std::vector<std::string> earlier_ids;
  const std::vector<std::string> pieces = Pieces(message.text, product_);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    // A later piece failing re-sends the earlier ones on retry: better twice than half a reply.
    if (i > 0 && !outcome.provider_message_id.empty()) {
      earlier_ids.push_back(outcome.provider_message_id);
    }
    outcome = SendPiece(message, pieces[i], i + 1 == pieces.size(), i);
    if (outcome.kind != SendOutcome::Kind::kSent) {
      outcome.earlier_piece_ids = std::move(earlier_ids);  // they are this reply's all the same
      return outcome;
    }
  }
  outcome.earlier_piece_ids = std::move(earlier_ids);
  return outcome;
}

SendOutcome MetaChannel::SendPiece(const OutboundMessage& message, const std::string& text,
                                   bool last_piece, std::size_t pieces_sent) {
  ClientRequest request;
  // Messenger, and Instagram through its Facebook Page, both send from /me/messages.
  request.url =
      config_.api_base_url + "/me/messages?access_token=" + QueryEscape(config_.page_token);
  request.headers = {{"Content-Type", "application/json"}};
  request.body = RequestBody(message, text, last_piece, config_.outside_window_tag);
  request.timeout = config_.send_timeout;

  auto response = http_.Execute(request);
  if (!response) {
    return OutcomeOfUnansweredSend(response.error(), pieces_sent);
  }
  const int status = response->status;
  if (status >= 200 && status < 300) {
    return SendOutcome::Sent(ParseSendResponseId(response->body).value_or(""));
  }
  const GraphError error = ParseGraphError(response->body).value_or(GraphError{});
  std::string what = std::string(product_.channel) + " answered " + std::to_string(status);
  if (error.code != 0) {
    what += " (error " + std::to_string(error.code) +
            (error.subcode != 0 ? "/" + std::to_string(error.subcode) : std::string()) + ")";
  }
  if (error.code == kUnavailableCode || error.subcode == kUnavailableSubcode) {
    return SendOutcome::Blocked(what + ": the citizen is not available (blocked us or left)");
  }
  if (status == 429 || status >= 500 || Contains(kRetryableCodes, error.code)) {
    return SendOutcome::Retryable(what, RetryAfter(*response));
  }
  if (error.code == kPermissionCode && Contains(kOutsideWindowSubcodes, error.subcode)) {
    return SendOutcome::Permanent(what + ": outside the 24-hour window");
  }
  if (error.code == kBadTokenCode) {
    return SendOutcome::Permanent(what + ": the Page token is invalid or expired");
  }
  return SendOutcome::Permanent(what);
}

}  // namespace sac::channels::meta
