#include "channels/email/email_webhooks.h"

#include <cctype>

#include "observability/log.h"
#include "observability/metrics.h"

namespace sac::channels::email {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("email");
  return logger;
}

std::string MediaTypeOf(const HttpRequest& request) {
  const std::string_view value = request.headers.Get("Content-Type").value_or("");
  std::string type(value.substr(0, value.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

// "/webhooks/email/postmark" → "postmark"; the raw route is "raw".
std::string_view ProviderOf(std::string_view path) {
  return path == kRawPath ? "raw" : path.substr(path.rfind('/') + 1);
}

HttpResponse Unavailable() {
  HttpResponse response = HttpResponse::Text(503, "temporarily unavailable\n");
  response.headers.Add("Retry-After", "5");
  return response;
}

}  // namespace

EmailWebhooks::EmailWebhooks(EmailConfig config, storage::Database& database,
                             const media::MediaStore& media, HttpClient& http, const Clock& clock,
                             Metrics& metrics)
    : reader_(std::move(config), http, clock),
      intake_(database, media, clock),
      http_(http),
      metrics_(metrics) {}

void EmailWebhooks::AddRoutes(http::Router& router) {
  for (const std::string& path : reader_.Paths()) {
    router.Add({"POST", path, "webhook_email_" + std::string(ProviderOf(path)),
                reader_.MaxBodyBytes(path), [this](const HttpRequest& r) { return Handle(r); }});
  }
}

HttpResponse EmailWebhooks::Handle(const HttpRequest& request) const {
  const std::string_view provider = ProviderOf(request.path);
  const auto refuse = [&](int status, std::string_view outcome, std::string_view reason,
                          std::string body) {
    metrics_.CountWebhook("email", outcome);
    Log().Warn("mail refused", {{"provider", provider}, {"status", status}, {"reason", reason}});
    return HttpResponse::Text(status, std::move(body));
  };
  // Signature first: an unsigned request learns nothing, not even which Content-Type we want.
  if (auto verified = reader_.Verify(request); !verified) {
    switch (verified.error().code) {
      case Errc::kUnavailable:
        metrics_.CountWebhook("email", "unavailable");
        Log().Warn("mail not verified yet; asking to retry",
                   {{"provider", provider}, {"reason", verified.error().message}});
        return Unavailable();
      case Errc::kPermissionDenied:
        return refuse(403, "forbidden", verified.error().message, "not our topic\n");
      default:
        return refuse(401, "unauthenticated", verified.error().message, "invalid signature\n");
    }
  }
  if (const std::string type = MediaTypeOf(request); !reader_.AcceptsMediaType(request.path, type)) {
    return refuse(415, "unsupported_media_type", "content type " + type, "unsupported media type\n");
  }
  auto read = reader_.Read(request);
  if (!read) {
    if (IsOverLimits(read.error())) return Quarantine(request, provider, read.error().message);
    return refuse(400, "malformed", read.error().message, "malformed payload\n");
  }
  switch (read->kind) {
    case MailRequest::Kind::kSnsSubscription:
      return ConfirmSubscription(read->sns);
    case MailRequest::Kind::kSnsUnsubscription:
      Log().Warn("the SES topic's subscription ended", {{"topic", read->sns.topic_arn}});
      return HttpResponse::Text(200, "ok\n");
    case MailRequest::Kind::kMail:
      break;
  }
  auto stored = intake_.Store(read->mail, request.body);
  if (!stored) {
    metrics_.CountWebhook("email", "unavailable");
    Log().Warn("mail not stored; asking to retry",
               {{"provider", provider}, {"error", stored.error().message}});
    return Unavailable();
  }
  if (*stored == StoreOutcome::kReplayed) {
    return refuse(401, "replayed", "a Mailgun token used before", "token already used\n");
  }
  const ParsedWebhook& parsed = read->mail.parsed;
  metrics_.CountWebhook("email", *stored == StoreOutcome::kStored ? "stored" : "duplicate");
  Log().Info("mail stored", {{"provider", provider},
                             {"messages", parsed.messages.size()},
                             {"updates", parsed.updates.size()},
                             {"attachments", read->mail.files.size()},
                             {"duplicate", *stored == StoreOutcome::kDuplicate}});
  return HttpResponse::Text(200, "ok\n");
}

HttpResponse EmailWebhooks::Quarantine(const HttpRequest& request, std::string_view provider,
                                       std::string_view reason) const {
  // An authenticated mail we cannot read within the MIME limits (a bomb, or just a very
  // elaborate mail): a 4xx would make the provider retry for days and then drop it, so it is
  // kept as it came, for a person, and acknowledged.
  if (auto kept = intake_.Quarantine(request.body, request.body.size(),
                                     "webhook:" + std::string(provider), reason);
      !kept) {
    metrics_.CountWebhook("email", "unavailable");
    Log().Warn("mail not quarantined; asking to retry",
               {{"provider", provider}, {"error", kept.error().message}});
    return Unavailable();
  }
  metrics_.CountWebhook("email", "quarantined");
  Log().Warn("mail quarantined", {{"provider", provider}, {"reason", reason},
                                  {"bytes", request.body.size()}});
  return HttpResponse::Text(200, "quarantined\n");
}

HttpResponse EmailWebhooks::ConfirmSubscription(const SnsEnvelope& envelope) const {
  // Only a signed message of our topic gets here; its SubscribeURL must still be SNS's own.
  if (!reader_.sns().IsTrustedUrl(envelope.subscribe_url)) {
    metrics_.CountWebhook("email", "malformed");
    Log().Warn("SNS subscription refused", {{"reason", "SubscribeURL is not on an SNS host"}});
    return HttpResponse::Text(400, "SubscribeURL is not on an SNS host\n");
  }
  auto pending = intake_.RecordSubscription(envelope);
  if (!pending) return Unavailable();
  if (*pending) {
    ClientRequest visit;
    visit.method = "GET";
    visit.url = envelope.subscribe_url;
    visit.timeout = std::chrono::seconds(10);
    auto answer = http_.Execute(visit);
    Status visited;
    if (!answer) {
      visited = MakeError(Errc::kUnavailable, "SubscribeURL could not be reached");
    } else if (answer->status != 200) {
      visited = MakeError(Errc::kUnavailable, "SubscribeURL answered " + std::to_string(answer->status));
    }
    if (auto finished = intake_.FinishSubscription(envelope.message_id, visited); !finished || !visited) {
      // SNS sends the confirmation again; the URL is kept in email_sns_subscription meanwhile.
      Log().Warn("SNS subscription not confirmed yet",
                 {{"topic", envelope.topic_arn},
                  {"error", visited ? finished.error().message : visited.error().message}});
      return Unavailable();
    }
    Log().Info("SNS subscription confirmed", {{"topic", envelope.topic_arn}});
  }
  metrics_.CountWebhook("email", "subscription");
  return HttpResponse::Text(200, "ok\n");
}

}  // namespace sac::channels::email
