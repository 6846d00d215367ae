#include "intake/webhook_handler.h"

#include "observability/log.h"
#include "observability/metrics.h"

namespace sac::intake {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("intake");
  return logger;
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

HttpResponse WebhookHandler::HandlePost(const HttpRequest& request) const {
  const std::string_view channel = channel_.Name();
  if (auto verified = channel_.Verify(request); !verified) {
    metrics_.CountWebhook(channel, "unauthenticated");
    Log().Warn("webhook rejected", {{"channel", channel}, {"reason", verified.error().message}});
    return HttpResponse::Text(401, "invalid signature\n");
  }
  auto parsed = channel_.Parse(request);
  if (!parsed) {
    metrics_.CountWebhook(channel, "malformed");
    Log().Warn("webhook malformed", {{"channel", channel}, {"reason", parsed.error().message}});
    return HttpResponse::Text(400, "malformed payload\n");
  }
  auto stored = writer_.Store(channel, request.body, *parsed);
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
                                {"messages", parsed->messages.size()},
                                {"updates", parsed->updates.size()},
                                {"new_rows", stored->stored},
                                {"duplicates", stored->duplicates}});
  return channel_.Acknowledge(*parsed);
}

}  // namespace sac::intake
