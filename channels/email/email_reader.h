// The e-mail routes' first two steps: is this request really from our MTA or provider (Verify),
// and what mail does it carry (Read). One route per way in (CHANNEL.md):
//
//   POST /webhooks/email            message/rfc822, Authorization: Bearer SAC_EMAIL_WEBHOOK_TOKEN
//   POST /webhooks/email/postmark   JSON, basic auth whose password is SAC_POSTMARK_TOKEN
//   POST /webhooks/email/mailgun    form, HMAC-SHA256(SAC_MAILGUN_SIGNING_KEY, timestamp+token)
//   POST /webhooks/email/sendgrid   multipart/form-data, ?token= or basic auth SAC_SENDGRID_TOKEN
//   POST /webhooks/email/ses        SNS message (text/plain), signed by an SNS certificate
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "channels/email/inbound_mail.h"
#include "channels/email/mime_limits.h"
#include "channels/email/payloads.h"
#include "channels/email/sns_signature.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "core/http_message.h"
#include "core/result.h"

namespace sac::channels::email {

inline constexpr std::string_view kRawPath = "/webhooks/email";
inline constexpr std::string_view kPostmarkPath = "/webhooks/email/postmark";
inline constexpr std::string_view kMailgunPath = "/webhooks/email/mailgun";
inline constexpr std::string_view kSendgridPath = "/webhooks/email/sendgrid";
inline constexpr std::string_view kSesPath = "/webhooks/email/ses";

// Mailgun's signed timestamp may be this far from our clock, either way.
inline constexpr std::chrono::seconds kMailgunTolerance{300};

// What a verified request carries.
struct MailRequest {
  enum class Kind {
    kMail,                  // a mail (or a bounce) for the inbox
    kSnsSubscription,       // SNS asks us to confirm the subscription (GET its SubscribeURL)
    kSnsUnsubscription,     // SNS says the subscription ended: nothing to do
  };
  Kind kind = Kind::kMail;
  ReceivedMail mail;
  SnsEnvelope sns;
};

// The MIME limits and our own mailbox, from the configuration.
MimeLimits LimitsOf(const EmailConfig& config);
OwnMailbox OwnMailboxOf(const EmailConfig& config);

// A raw RFC 5322 message (Postfix's pipe, POST /webhooks/email, SES's content) → its inbox items.
Result<ReceivedMail> ReadMimeMail(std::string_view raw, const MimeLimits& limits,
                                  const OwnMailbox& own);

class EmailReader {
 public:
  EmailReader(EmailConfig config, HttpClient& http, const Clock& clock);

  // The routes the configuration opens.
  std::vector<std::string> Paths() const;
  // The largest body the route takes: the MIME limit for raw mail, a third more for providers
  // that wrap attachments in base64.
  std::size_t MaxBodyBytes(std::string_view path) const;
  // What the route's provider sends (lower case, without parameters).
  bool AcceptsMediaType(std::string_view path, std::string_view media_type) const;

  // kUnauthenticated: a missing or wrong secret or signature, a stale Mailgun timestamp.
  // kPermissionDenied: a well-signed SNS message of another topic. kUnavailable: the SNS
  // certificate cannot be fetched now. Blocking only for that fetch (once per certificate).
  Status Verify(const HttpRequest& request) const;

  // kInvalidArgument for what the provider would never send, or mail over the MIME limits
  // (IsOverLimits). Pure: no I/O, no clock.
  Result<MailRequest> Read(const HttpRequest& request) const;

  const SnsVerifier& sns() const { return sns_; }
  const MimeLimits& limits() const { return limits_; }

 private:
  Status VerifyMailgun(const HttpRequest& request) const;
  Status VerifySns(const HttpRequest& request) const;

  EmailConfig config_;
  const Clock& clock_;
  MimeLimits limits_;
  OwnMailbox own_;
  SnsVerifier sns_;
};

}  // namespace sac::channels::email
