#include "channels/email/payloads.h"

#include <cctype>
#include <map>

#include "channels/email/charset.h"
#include "channels/email/html_text.h"
#include "core/ascii.h"
#include "crypto/digest.h"
#include "json/reader.h"

namespace sac::channels::email {
namespace {

using json::Element;

bool IsHeaderName(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// One "Name: value" line of a synthetic header block. A provider's header values are untrusted:
// a CR or LF in one must not start another header (a forged Auto-Submitted, a second From).
void AddHeader(std::string& block, std::string_view name, std::string_view value) {
  if (!IsHeaderName(name)) return;
  block += name;
  block += ": ";
  for (char c : value.substr(0, 16 * 1024)) block.push_back(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
  block += "\r\n";
}

bool IsHeader(std::string_view name, std::initializer_list<std::string_view> names) {
  const std::string lower = AsciiLower(name);
  for (std::string_view candidate : names) {
    if (lower == candidate) return true;
  }
  return false;
}

std::string JsonText(Element object, std::string_view key) {
  return std::string(json::String(object, key).value_or(""));
}

// The body text: plain text when there is some, else the HTML's text.
void SetBody(ParsedMail& mail, const std::string& plain, const std::string& html) {
  mail.text = CleanText(plain);
  mail.text_from_html = false;
  if (mail.text.find_first_not_of(" \t\n") == std::string::npos && !html.empty()) {
    mail.text = HtmlToText(CleanText(html));
    mail.text_from_html = true;
  }
}

// "Name <address>" (or a bare address) → the mailbox, read as a From header would be.
void SetFrom(ParsedMail& mail, std::string_view from_line) {
  std::string block;
  AddHeader(block, "From", from_line);
  const ParsedMail from = ParseMailHeaders(block);
  if (mail.from_address.empty()) mail.from_address = from.from_address;
  if (mail.from_name.empty()) mail.from_name = from.from_name;
}

Error Malformed(std::string_view provider, const std::string& what) {
  return MakeError(Errc::kInvalidArgument, "not a " + std::string(provider) + " inbound mail: " + what);
}

}  // namespace

// --- Postmark ------------------------------------------------------------------------------------

Result<ProviderMail> ParsePostmark(std::string_view body) {
  auto parsed = json::Parse(body);
  if (!parsed) return parsed.error();
  const Element root = *parsed;
  if (!root.is_object()) return Malformed("Postmark", "not a JSON object");
  const std::string postmark_id = JsonText(root, "MessageID");
  std::string address = JsonText(root, "From");
  std::string name = JsonText(root, "FromName");
  if (auto full = json::Field(root, "FromFull")) {
    if (const std::string email = JsonText(*full, "Email"); !email.empty()) address = email;
    if (const std::string full_name = JsonText(*full, "Name"); !full_name.empty()) name = full_name;
  }
  if (address.empty()) return Malformed("Postmark", "no From");

  // Its Headers list holds what threading and automatic-reply detection read.
  std::string block;
  if (auto headers = json::Array(root, "Headers")) {
    for (Element header : *headers) {
      const std::string header_name = JsonText(header, "Name");
      if (IsHeader(header_name, {"from", "subject", "to", "cc", "date"})) continue;
      AddHeader(block, header_name, JsonText(header, "Value"));
    }
  }
  AddHeader(block, "From", "<" + address + ">");
  AddHeader(block, "Subject", JsonText(root, "Subject"));
  AddHeader(block, "Date", JsonText(root, "Date"));
  ProviderMail result{ParseMailHeaders(block), postmark_id.empty() ? "" : "postmark:" + postmark_id};
  ParsedMail& mail = result.mail;
  mail.from_name = CleanText(name);
  if (mail.from_address.empty()) return Malformed("Postmark", "From is not an address");

  for (const char* list : {"ToFull", "CcFull"}) {
    if (auto recipients = json::Array(root, list)) {
      for (Element recipient : *recipients) {
        const std::string email = AsciiLower(JsonText(recipient, "Email"));
        if (!email.empty() && mail.recipients.size() < 50) mail.recipients.push_back(email);
      }
    }
  }
  if (const std::string original = AsciiLower(JsonText(root, "OriginalRecipient")); !original.empty()) {
    mail.recipients.push_back(original);
  }
  SetBody(mail, JsonText(root, "TextBody"), JsonText(root, "HtmlBody"));
  if (auto attachments = json::Array(root, "Attachments")) {
    for (Element attachment : *attachments) {
      auto bytes = crypto::Base64Decode(json::String(attachment, "Content").value_or(""));
      if (!bytes) return Malformed("Postmark", "an attachment's Content is not base64");
      if (bytes->empty()) continue;
      mail.attachments.push_back({CleanText(JsonText(attachment, "Name")),
                                  AsciiLower(JsonText(attachment, "ContentType")), std::move(*bytes)});
    }
  }
  return result;
}

// --- Mailgun -------------------------------------------------------------------------------------

Result<ProviderMail> ParseMailgun(const std::vector<FormField>& fields) {
  const auto field = [&](std::string_view name) {
    const FormField* found = FindField(fields, name);
    return found == nullptr ? std::string() : found->value;
  };
  // message-headers: a JSON list of [name, value] pairs, every header of the original.
  std::string block;
  bool has_from = false;
  if (const std::string headers = field("message-headers"); !headers.empty()) {
    auto parsed = json::Parse(headers);
    if (!parsed || !parsed->is_array()) return Malformed("Mailgun", "message-headers is not a JSON list");
    for (Element pair : parsed->get_array()) {
      if (!pair.is_array() || pair.get_array().size() != 2) continue;
      std::string_view name;
      std::string_view value;
      if (pair.get_array().at(0).get(name) || pair.get_array().at(1).get(value)) continue;
      has_from = has_from || IsHeader(name, {"from"});
      AddHeader(block, name, value);
    }
  }
  if (!has_from) {
    AddHeader(block, "From", field("from"));
    AddHeader(block, "Subject", field("subject"));
    AddHeader(block, "Message-Id", field("Message-Id"));
  }
  ProviderMail result{ParseMailHeaders(block), ""};
  ParsedMail& mail = result.mail;
  SetFrom(mail, field("from"));
  if (mail.from_address.empty()) SetFrom(mail, field("sender"));
  if (mail.from_address.empty()) return Malformed("Mailgun", "no sender");
  if (mail.subject.empty()) mail.subject = CleanText(field("subject"));
  const std::string recipients = field("recipient");  // comma-separated
  for (std::size_t start = 0; start < recipients.size() && mail.recipients.size() < 50;) {
    const std::size_t comma = std::min(recipients.find(',', start), recipients.size());
    std::string one = AsciiLower(recipients.substr(start, comma - start));
    one.erase(0, one.find_first_not_of(' '));
    if (!one.empty()) mail.recipients.push_back(one);
    start = comma + 1;
  }
  SetBody(mail, field("body-plain"), field("body-html"));
  for (const FormField& file : fields) {
    // attachment-1, attachment-2...; "attachment-count" is a field, not a file.
    if (!file.name.starts_with("attachment-") || file.value.empty() ||
        file.name.find_first_not_of("0123456789", 11) != std::string::npos) {
      continue;
    }
    mail.attachments.push_back({CleanText(file.filename),
                                AsciiLower(file.content_type.substr(0, file.content_type.find(';'))),
                                file.value});
  }
  // Without a Message-ID, what Mailgun would send again on a retry identifies it.
  result.fallback_id = "mailgun:" + crypto::Sha256Hex(mail.from_address + "\n" + field("subject") +
                                                      "\n" + field("body-plain"));
  return result;
}

// --- SendGrid ------------------------------------------------------------------------------------

Result<ProviderMail> ParseSendgrid(const std::vector<FormField>& fields, const MimeLimits& limits) {
  if (const FormField* raw = FindField(fields, "email")) {
    auto mail = ParseMime(raw->value, limits);
    if (!mail) return mail.error();
    return ProviderMail{std::move(*mail), ""};
  }
  std::map<std::string, std::string, std::less<>> charsets;
  if (const FormField* field = FindField(fields, "charsets")) {
    auto parsed = json::Parse(field->value);
    if (!parsed || !parsed->is_object()) return Malformed("SendGrid", "charsets is not a JSON object");
    for (auto [key, value] : parsed->get_object()) {
      if (value.is_string()) charsets[std::string(key)] = std::string(value.get_string().value());
    }
  }
  const auto decoded = [&](std::string_view name) {
    const FormField* field = FindField(fields, name);
    if (field == nullptr) return std::string();
    const auto charset = charsets.find(name);
    return ToUtf8(field->value, charset == charsets.end() ? "utf-8" : charset->second);
  };
  const FormField* headers = FindField(fields, "headers");
  ProviderMail result{ParseMailHeaders(headers == nullptr ? "" : headers->value), ""};
  ParsedMail& mail = result.mail;
  SetFrom(mail, decoded("from"));
  if (mail.from_address.empty()) return Malformed("SendGrid", "no sender");
  if (mail.subject.empty()) mail.subject = decoded("subject");
  if (const FormField* envelope = FindField(fields, "envelope")) {
    if (auto parsed = json::Parse(envelope->value); parsed && parsed->is_object()) {
      if (auto to = json::Array(*parsed, "to")) {
        for (Element recipient : *to) {
          if (recipient.is_string() && mail.recipients.size() < 50) {
            mail.recipients.push_back(AsciiLower(recipient.get_string().value()));
          }
        }
      }
    }
  }
  SetBody(mail, decoded("text"), decoded("html"));
  for (const FormField& file : fields) {
    if (file.filename.empty() || file.value.empty()) continue;
    mail.attachments.push_back({CleanText(file.filename),
                                AsciiLower(file.content_type.substr(0, file.content_type.find(';'))),
                                file.value});
  }
  result.fallback_id = "sendgrid:" + crypto::Sha256Hex(mail.from_address + "\n" + mail.subject +
                                                       "\n" + mail.text);
  return result;
}

// --- Amazon SES through SNS ------------------------------------------------------------------------

Result<SnsEnvelope> ParseSnsEnvelope(std::string_view body) {
  auto parsed = json::Parse(body);
  if (!parsed) return parsed.error();
  const Element root = *parsed;
  if (!root.is_object()) return MakeError(Errc::kInvalidArgument, "not an SNS message");
  SnsEnvelope envelope;
  envelope.type = JsonText(root, "Type");
  envelope.message_id = JsonText(root, "MessageId");
  envelope.topic_arn = JsonText(root, "TopicArn");
  if (auto subject = json::String(root, "Subject")) {
    envelope.subject = std::string(*subject);
    envelope.has_subject = true;
  }
  envelope.message = JsonText(root, "Message");
  envelope.timestamp = JsonText(root, "Timestamp");
  envelope.signature_version = JsonText(root, "SignatureVersion");
  envelope.signature = JsonText(root, "Signature");
  envelope.signing_cert_url = JsonText(root, "SigningCertURL");
  envelope.subscribe_url = JsonText(root, "SubscribeURL");
  envelope.token = JsonText(root, "Token");
  if (envelope.type.empty() || envelope.message_id.empty() || envelope.topic_arn.empty() ||
      envelope.signature.empty() || envelope.signing_cert_url.empty()) {
    return MakeError(Errc::kInvalidArgument, "not an SNS message: a required field is missing");
  }
  return envelope;
}

std::string SnsStringToSign(const SnsEnvelope& e) {
  std::string text;
  const auto add = [&](std::string_view name, std::string_view value) {
    text.append(name).append("\n").append(value).append("\n");
  };
  add("Message", e.message);
  add("MessageId", e.message_id);
  if (e.type == "Notification") {
    if (e.has_subject) add("Subject", e.subject);
    add("Timestamp", e.timestamp);
    add("TopicArn", e.topic_arn);
    add("Type", e.type);
    return text;
  }
  add("SubscribeURL", e.subscribe_url);
  add("Timestamp", e.timestamp);
  add("Token", e.token);
  add("TopicArn", e.topic_arn);
  add("Type", e.type);
  return text;
}

Result<std::string> SesRawMessage(std::string_view message_json) {
  auto parsed = json::Parse(message_json);
  if (!parsed || !parsed->is_object()) {
    return MakeError(Errc::kInvalidArgument, "the SNS Message is not an SES notification");
  }
  if (JsonText(*parsed, "notificationType") != "Received") {
    return MakeError(Errc::kInvalidArgument, "not an SES Received notification");
  }
  std::string encoding = "UTF8";
  if (auto receipt = json::Field(*parsed, "receipt")) {
    if (auto action = json::Field(*receipt, "action")) {
      if (const std::string value = JsonText(*action, "encoding"); !value.empty()) encoding = value;
    }
  }
  const auto content = json::String(*parsed, "content");
  if (!content) {
    return MakeError(Errc::kInvalidArgument,
                     "the SES notification carries no content (use an SNS action, not S3)");
  }
  if (encoding == "BASE64") {
    auto raw = crypto::Base64Decode(*content);
    if (!raw) return MakeError(Errc::kInvalidArgument, "the SES content is not base64");
    return std::move(*raw);
  }
  return std::string(*content);
}

}  // namespace sac::channels::email
