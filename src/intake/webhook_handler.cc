#include "intake/webhook_handler.h"

#include <cctype>

#include "observability/log.h"
#include "observability/metrics.h"

namespace sac::intake {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("intake");
  return logger;
}

// "Application/JSON; charset=utf-8" → "application/json".
std::string MediaType(const HttpRequest& request) {
  std::string type(request.headers.Get("Content-Type").value_or(""));
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

}  // namespace

HttpResponse WebhookHandler::HandleGet(const HttpRequest& request) const {
  if (auto answer = channel_.AnswerHandshake(request)) {
    if (answer->status != 200) {
      Log().Warn("webhook handshake refused", {{"channel", channel_.Name()}});
    }
    return *answer;
  }
  return HttpResponse::Text(405, "method not allowed\n");
}

void WebhookHandler::HandlePost(const HttpRequest& request, http::Respond respond) const {
  const std::string_view channel = channel_.Name();
  if (auto verified = channel_.Verify(request); !verified) {
    metrics_.CountWebhook(channel, "unauthenticated");
    Log().Warn("webhook rejected", {{"channel", channel}, {"reason", verified.error().message}});
    return respond(HttpResponse::Text(401, "invalid signature\n"));
  }
  if (const std::string type = MediaType(request); !channel_.AcceptsMediaType(type)) {
    metrics_.CountWebhook(channel, "unsupported_media_type");
    Log().Warn("webhook refused", {{"channel", channel}, {"reason", "content type"},
                                   {"content_type", type}});
    return respond(HttpResponse::Text(415, "unsupported media type\n"));
  }
  auto parsed = channel_.Parse(request);
  if (!parsed) {
    metrics_.CountWebhook(channel, "malformed");
    Log().Warn("webhook malformed", {{"channel", channel}, {"reason", parsed.error().message}});
    return respond(HttpResponse::Text(400, "malformed payload\n"));
  }
  // The request (and so the body the writer stores) lives until we answer; the parsed webhook
  // is kept for the acknowledgement, which some channels build from it.
  auto kept = std::make_shared<ParsedWebhook>(std::move(*parsed));
  writer_.Submit(channel, request.body, *kept,
                 [this, kept, respond = std::move(respond)](Result<StoreSummary> stored) {
                   try {
                     respond(Answer(*kept, stored));
                   } catch (const std::exception&) {
                     // No memory for the answer: still one, or the connection would wait forever.
                     respond(HttpResponse::Text(503, "temporarily unavailable\n"));
                   }
                 });
}

HttpResponse WebhookHandler::Answer(const ParsedWebhook& parsed,
                                    const Result<StoreSummary>& stored) const {
  const std::string_view channel = channel_.Name();
  if (!stored) {
    metrics_.CountWebhook(channel, "unavailable");
    const auto& error = stored.error();
    if (error.code == Errc::kUnavailable || error.code == Errc::kTimeout) {
      Log().Warn("webhook not stored; asking the provider to retry",
                 {{"channel", channel}, {"error", error.message}});
    } else {
      Log().Error("webhook not stored", {{"channel", channel}, {"error", error.message}});
    }
    HttpResponse response = HttpResponse::Text(503, "temporarily unavailable\n");
    response.headers.Add("Retry-After", "5");
    return response;
  }
  metrics_.CountWebhook(channel, stored->stored > 0 ? "stored" : "duplicate");
  Log().Info("webhook stored", {{"channel", channel},
                                {"messages", parsed.messages.size()},
                                {"updates", parsed.updates.size()},
                                {"new_rows", stored->stored},
                                {"duplicates", stored->duplicates}});
  return channel_.Acknowledge(parsed);
}

}  // namespace sac::intake
