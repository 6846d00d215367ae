#include "channels/email/email_reader.h"

#include <cctype>

#include "channels/email/outgoing_mail.h"
#include "core/ascii.h"
#include "crypto/digest.h"
#include "http/query.h"

namespace sac::channels::email {
namespace {

// An SNS message is at most 256 KB; SES puts mail of up to 150 KB in one.
constexpr std::size_t kMaxSnsBytes = 1024 * 1024;
constexpr std::size_t kMaxFormFields = 512;

// "Multipart/Form-Data; boundary=x" → "multipart/form-data".
std::string MediaTypeOf(const HttpRequest& request) {
  const std::string_view type = request.headers.Get("Content-Type").value_or("");
  return AsciiLower(TrimOws(type.substr(0, type.find(';'))));
}

Error Unauthenticated(const std::string& why) { return MakeError(Errc::kUnauthenticated, why); }

// The secret a request presents in Authorization: a bearer token, or a basic-auth password
// (providers put "user:secret@" in the webhook URL we give them).
std::optional<std::string> AuthorizationSecret(const HttpRequest& request) {
  if (request.headers.Count("Authorization") != 1) return std::nullopt;
  const std::string_view value = TrimOws(*request.headers.Get("Authorization"));
  const std::string scheme = AsciiLower(value.substr(0, value.find(' ')));
  const std::string_view credentials = TrimOws(value.substr(std::min(value.size(), scheme.size())));
  if (scheme == "bearer") return std::string(credentials);
  if (scheme == "basic") {
    auto decoded = crypto::Base64Decode(credentials);
    if (!decoded) return std::nullopt;
    const std::size_t colon = decoded->find(':');
    return colon == std::string::npos ? std::nullopt : std::optional(decoded->substr(colon + 1));
  }
  return std::nullopt;
}

// Compared as digests, so neither the time nor the lengths say how close a guess was.
bool IsSecret(std::string_view presented, std::string_view expected) {
  return !expected.empty() &&
         crypto::ConstantTimeEquals(crypto::Sha256Hex(presented), crypto::Sha256Hex(expected));
}

// A Mailgun POST's fields: urlencoded, or multipart when the mail has attachments.
Result<std::vector<FormField>> FormFields(const HttpRequest& request) {
  if (MediaTypeOf(request) == "multipart/form-data") {
    return ParseFormData(request.body,
                         MultipartBoundary(request.headers.Get("Content-Type").value_or("")),
                         kMaxFormFields);
  }
  auto form = http::ParseForm(request.body, kMaxFormFields);
  if (!form) return form.error();
  std::vector<FormField> fields;
  for (auto& [name, value] : *form) fields.push_back({std::move(name), "", "", std::move(value)});
  return fields;
}

std::string Only(const std::vector<FormField>& fields, std::string_view name, bool& unique) {
  const FormField* found = nullptr;
  for (const FormField& field : fields) {
    if (field.name != name) continue;
    if (found != nullptr) unique = false;
    found = &field;
  }
  return found == nullptr ? std::string() : found->value;
}

}  // namespace

MimeLimits LimitsOf(const EmailConfig& config) {
  MimeLimits limits;
  limits.max_bytes = config.max_message_bytes;
  return limits;
}

OwnMailbox OwnMailboxOf(const EmailConfig& config) {
  return {AsciiLower(config.from_address), AsciiLower(DomainOf(config.from_address))};
}

Result<ReceivedMail> ReadMimeMail(std::string_view raw, const MimeLimits& limits,
                                  const OwnMailbox& own) {
  auto mail = ParseMime(raw, limits);
  if (!mail) return mail.error();
  return ToReceivedMail(std::move(*mail), RawMessageId(raw), own);
}

EmailReader::EmailReader(EmailConfig config, HttpClient& http, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      limits_(LimitsOf(config_)),
      own_(OwnMailboxOf(config_)),
      sns_(SnsTrust{config_.sns_cert_host_pattern, config_.allow_insecure_sns_urls,
                    std::chrono::milliseconds(5000)},
           http) {}

std::vector<std::string> EmailReader::Paths() const {
  std::vector<std::string> paths;
  if (config_.raw_webhook) paths.emplace_back(kRawPath);
  if (config_.postmark) paths.emplace_back(kPostmarkPath);
  if (config_.mailgun) paths.emplace_back(kMailgunPath);
  if (config_.sendgrid) paths.emplace_back(kSendgridPath);
  if (config_.ses) paths.emplace_back(kSesPath);
  return paths;
}

std::size_t EmailReader::MaxBodyBytes(std::string_view path) const {
  if (path == kRawPath) return config_.max_message_bytes;
  if (path == kSesPath) return kMaxSnsBytes;
  return config_.max_message_bytes / 3 * 4 + 1024 * 1024;
}

bool EmailReader::AcceptsMediaType(std::string_view path, std::string_view type) const {
  if (path == kRawPath) return type == "message/rfc822";
  if (path == kPostmarkPath) return type == "application/json";
  if (path == kMailgunPath) {
    return type == "application/x-www-form-urlencoded" || type == "multipart/form-data";
  }
  if (path == kSendgridPath) return type == "multipart/form-data";
  if (path == kSesPath) return type == "text/plain" || type == "application/json";
  return false;
}

Status EmailReader::Verify(const HttpRequest& request) const {
  if (request.path == kMailgunPath) return VerifyMailgun(request);
  if (request.path == kSesPath) return VerifySns(request);
  std::optional<std::string> presented = AuthorizationSecret(request);
  const std::string* expected = nullptr;
  if (request.path == kRawPath) {
    expected = &config_.webhook_token;
  } else if (request.path == kPostmarkPath) {
    expected = &config_.postmark_token;
  } else if (request.path == kSendgridPath) {
    expected = &config_.sendgrid_token;
    // SendGrid's Inbound Parse URL cannot carry headers of ours: the token may ride in it.
    if (!presented) {
      if (auto query = http::ParseQuery(request.query); query && query->contains("token")) {
        presented = query->find("token")->second;
      }
    }
  } else {
    return Unauthenticated("not an e-mail route");
  }
  if (!presented) return Unauthenticated("no credentials");
  if (!IsSecret(*presented, *expected)) return Unauthenticated("wrong credentials");
  return {};
}

Status EmailReader::VerifyMailgun(const HttpRequest& request) const {
  auto fields = FormFields(request);
  if (!fields) return Unauthenticated("the signed form cannot be read");
  bool unique = true;
  const std::string timestamp = Only(*fields, "timestamp", unique);
  const std::string token = Only(*fields, "token", unique);
  const std::string signature = AsciiLower(Only(*fields, "signature", unique));
  if (!unique || timestamp.empty() || token.empty() || signature.empty() || token.size() > 256 ||
      timestamp.size() > 12 || config_.mailgun_signing_key.empty()) {
    return Unauthenticated("missing or repeated timestamp, token or signature");
  }
  const std::string expected = crypto::HmacSha256Hex(config_.mailgun_signing_key, timestamp + token);
  if (!crypto::ConstantTimeEquals(signature, expected)) return Unauthenticated("signature does not match");
  std::int64_t signed_at = 0;
  for (char c : timestamp) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return Unauthenticated("timestamp is not a number");
    signed_at = signed_at * 10 + (c - '0');
  }
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  if (signed_at < now - kMailgunTolerance.count() || signed_at > now + kMailgunTolerance.count()) {
    return Unauthenticated("timestamp outside the accepted window (stale or replayed)");
  }
  return {};
}

Status EmailReader::VerifySns(const HttpRequest& request) const {
  auto envelope = ParseSnsEnvelope(request.body);
  if (!envelope) return Unauthenticated("not a signed SNS message");
  if (auto verified = sns_.Verify(*envelope); !verified) return verified;
  if (envelope->topic_arn != config_.ses_topic_arn) {
    return MakeError(Errc::kPermissionDenied, "an SNS topic other than channels.email.ses_topic_arn");
  }
  return {};
}

Result<MailRequest> EmailReader::Read(const HttpRequest& request) const {
  MailRequest read;
  const auto received = [&](Result<ProviderMail> provider) -> Result<MailRequest> {
    if (!provider) return provider.error();
    // A provider's JSON or form has no MIME structure to scan; its files count as parts.
    if (provider->mail.attachments.size() >= static_cast<std::size_t>(limits_.max_parts)) {
      return MakeError(Errc::kInvalidArgument, std::string(kOverLimits) + "more than " +
                                                   std::to_string(limits_.max_parts) + " parts");
    }
    read.mail = ToReceivedMail(std::move(provider->mail),
                               provider->fallback_id.empty() ? RawMessageId(request.body)
                                                             : provider->fallback_id,
                               own_);
    return std::move(read);
  };
  if (request.path == kRawPath) {
    auto mail = ReadMimeMail(request.body, limits_, own_);
    if (!mail) return mail.error();
    read.mail = std::move(*mail);
    return read;
  }
  if (request.path == kPostmarkPath) return received(ParsePostmark(request.body));
  if (request.path == kMailgunPath) {
    auto fields = FormFields(request);
    if (!fields) return fields.error();
    auto result = received(ParseMailgun(*fields));
    if (result) {
      bool unique = true;
      result->mail.replay_token = Only(*fields, "token", unique);
    }
    return result;
  }
  if (request.path == kSendgridPath) {
    const std::string boundary = MultipartBoundary(request.headers.Get("Content-Type").value_or(""));
    auto fields = ParseFormData(request.body, boundary, kMaxFormFields);
    if (!fields) return fields.error();
    return received(ParseSendgrid(*fields, limits_));
  }
  if (request.path == kSesPath) {
    auto envelope = ParseSnsEnvelope(request.body);
    if (!envelope) return envelope.error();
    read.sns = std::move(*envelope);
    if (read.sns.type == "SubscriptionConfirmation") {
      read.kind = MailRequest::Kind::kSnsSubscription;
      return read;
    }
    if (read.sns.type == "UnsubscribeConfirmation") {
      read.kind = MailRequest::Kind::kSnsUnsubscription;
      return read;
    }
    if (read.sns.type != "Notification") {
      return MakeError(Errc::kInvalidArgument, "an SNS message of an unknown Type");
    }
    auto raw = SesRawMessage(read.sns.message);
    if (!raw) return raw.error();
    auto mail = ReadMimeMail(*raw, limits_, own_);
    if (!mail) return mail.error();
    read.mail = std::move(*mail);
    return read;
  }
  return MakeError(Errc::kInvalidArgument, "not an e-mail route");
}

}  // namespace sac::channels::email
