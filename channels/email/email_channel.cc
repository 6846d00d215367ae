#include "channels/email/email_channel.h"

#include "channels/email/outgoing_mail.h"
#include "channels/email/smtp_client.h"

namespace sac::channels::email {
namespace {

// libcurl greets the relay with the URL's path as the EHLO name: our domain, when the
// configured URL does not name one.
std::string WithEhloName(std::string url, std::string_view domain) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  if (path == std::string::npos && !domain.empty()) url += "/" + std::string(domain);
  return url;
}

}  // namespace

const Clock& EmailChannel::DefaultClock() {
  static const SystemClock clock;
  return clock;
}

EmailChannel::EmailChannel(EmailConfig config, HttpClient& http, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      reader_(config_, http, clock),
      smtp_url_(WithEhloName(config_.smtp_url, DomainOf(config_.from_address))) {}

std::string_view EmailChannel::Name() const { return kChannelName; }

bool EmailChannel::AcceptsMediaType(std::string_view media_type) const {
  for (std::string_view path : {kRawPath, kPostmarkPath, kMailgunPath, kSendgridPath, kSesPath}) {
    if (reader_.AcceptsMediaType(path, media_type)) return true;
  }
  return false;
}

std::optional<HttpResponse> EmailChannel::AnswerHandshake(const HttpRequest&) const {
  return std::nullopt;
}

Status EmailChannel::Verify(const HttpRequest& request) const { return reader_.Verify(request); }

Result<ParsedWebhook> EmailChannel::Parse(const HttpRequest& request) const {
  auto read = reader_.Read(request);
  if (!read) return read.error();
  return std::move(read->mail.parsed);
}

SendOutcome EmailChannel::Send(const OutboundMessage& message) {
  if (!IsMailAddress(message.recipient)) {
    return SendOutcome::Permanent("the recipient is not a plain e-mail address");
  }
  const bool answering = IsThreadableId(message.in_reply_to);
  OutgoingMail mail;
  mail.from_address = config_.from_address;
  mail.from_name = config_.from_name;
  mail.to = message.recipient;
  mail.subject = ReplySubject(message.folio, config_.from_name, answering);
  mail.message_id =
      MessageIdFor(message.outbox_id, message.idempotency_key, DomainOf(config_.from_address));
  mail.in_reply_to = answering ? message.in_reply_to : "";
  mail.text = message.text;
  mail.date = clock_.Now();

  const SmtpSettings settings{smtp_url_, config_.smtp_username, config_.smtp_password,
                              config_.smtp_require_tls, config_.send_timeout};
  const SmtpOutcome outcome = SendSmtp(settings, config_.from_address, message.recipient, BuildMail(mail));
  switch (outcome.kind) {
    case SmtpOutcome::Kind::kAccepted:
      // Our Message-ID: a reply quotes it in In-Reply-To, a bounce in its headers.
      return SendOutcome::Sent(mail.message_id);
    case SmtpOutcome::Kind::kRetryable:
      return SendOutcome::Retryable(outcome.error);
    case SmtpOutcome::Kind::kRejected:
      return SendOutcome::Permanent(outcome.error);
    case SmtpOutcome::Kind::kRecipientRejected:
      return SendOutcome::Blocked(outcome.error);
  }
  return SendOutcome::Retryable(outcome.error);
}

}  // namespace sac::channels::email
