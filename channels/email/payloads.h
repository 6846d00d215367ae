// What the mail providers post (Postmark's JSON, Mailgun's forms, SendGrid's Inbound Parse, SES
// through SNS) → the same ParsedMail the raw MIME path produces. Pure: no I/O, no clock.
// Formats and links: CHANNEL.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "channels/email/form_data.h"
#include "channels/email/mime_mail.h"
#include "core/result.h"

namespace sac::channels::email {

// A provider's mail, with what identifies it when it has no Message-ID header (the provider's
// own id, stable across its retries).
struct ProviderMail {
  ParsedMail mail;
  std::string fallback_id;
};

// Postmark's inbound webhook JSON (https://postmarkapp.com/developer/webhooks/inbound-webhook).
Result<ProviderMail> ParsePostmark(std::string_view json);

// The fields of a Mailgun route's forward() POST (urlencoded, or multipart with attachment-N
// files). The signature fields are checked by the caller.
Result<ProviderMail> ParseMailgun(const std::vector<FormField>& fields);

// SendGrid Inbound Parse fields: each text field in the charset the `charsets` field names; or
// the whole message in `email` when "POST the raw, full MIME message" is on.
Result<ProviderMail> ParseSendgrid(const std::vector<FormField>& fields, const MimeLimits& limits);

// An SNS HTTP(S) message (https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html).
struct SnsEnvelope {
  std::string type;  // "Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"
  std::string message_id;
  std::string topic_arn;
  std::string subject;
  bool has_subject = false;
  std::string message;
  std::string timestamp;
  std::string signature_version;  // "1" (SHA1withRSA) or "2" (SHA256withRSA)
  std::string signature;          // base64
  std::string signing_cert_url;
  std::string subscribe_url;
  std::string token;
};
Result<SnsEnvelope> ParseSnsEnvelope(std::string_view json);

// The string SNS signs: the fields of the message's type, each as "Name\nvalue\n", in order.
std::string SnsStringToSign(const SnsEnvelope& envelope);

// An SES "Received" notification (the SNS Message) → the raw MIME message it carries. Only an
// SNS receipt action includes the content; an S3 action's notification does not.
Result<std::string> SesRawMessage(std::string_view message_json);

}  // namespace sac::channels::email
