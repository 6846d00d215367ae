// E-mail: citizens write to the municipality's address; SAC answers by SMTP, threaded to their
// mail and with the folio in the subject. Mail comes in through `sac ingest-mail` (Postfix's
// pipe) and the routes of EmailWebhooks, which store attachments and check Mailgun's tokens in
// their own transaction; this class is the Channel the outbox sends through, and reads requests
// the way those routes do. Provider quirks, decisions and secrets: CHANNEL.md.
#pragma once

#include "channels/email/email_reader.h"
#include "config/config.h"
#include "core/channel.h"
#include "core/clock.h"
#include "core/http_client.h"

namespace sac::channels::email {

class EmailChannel final : public Channel {
 public:
  // `http` fetches SNS certificates; `clock` dates replies and checks Mailgun's timestamps.
  EmailChannel(EmailConfig config, HttpClient& http, const Clock& clock = DefaultClock());

  std::string_view Name() const override;
  // None: EmailWebhooks serves the e-mail routes (it must store attachments before answering).
  std::vector<std::string> WebhookPaths() const override { return {}; }
  bool AcceptsMediaType(std::string_view media_type) const override;
  std::size_t MaxBodyBytes() const override { return config_.max_message_bytes; }
  std::optional<HttpResponse> AnswerHandshake(const HttpRequest& request) const override;
  Status Verify(const HttpRequest& request) const override;
  // The inbox items of a request, attachments as "sha256:<hex>" (their bytes are in
  // EmailReader::Read's ReceivedMail); nothing for SNS subscription messages.
  Result<ParsedWebhook> Parse(const HttpRequest& request) const override;
  SendOutcome Send(const OutboundMessage& message) override;

  static const Clock& DefaultClock();

 private:
  EmailConfig config_;
  const Clock& clock_;
  EmailReader reader_;
  std::string smtp_url_;
};

}  // namespace sac::channels::email
