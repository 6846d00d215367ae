// libFuzzer target: bytes as a raw MIME message (GMime, the structure scan, a cut-short mail's
// whole parts, charsets, HTML to text, reply trimming), as the header block providers hand over,
// and as each provider's payload: Postmark JSON, Mailgun's form, SendGrid's multipart, an SNS/SES
// message (the `fuzz` preset). Seeded with testdata/.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/email/charset.h"
#include "channels/email/form_data.h"
#include "channels/email/html_text.h"
#include "channels/email/mime_mail.h"
#include "channels/email/payloads.h"
#include "channels/email/reply_text.h"
#include "http/query.h"

namespace email = sac::channels::email;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  email::MimeLimits limits;
  limits.max_bytes = 1024 * 1024;

  if (auto mail = email::ParseMime(input, limits)) {
    (void)email::StripQuotedReply(mail->text);
  }
  // As the first bytes of a mail too big to keep whole: what it keeps must parse like any mail.
  if (auto whole = email::WholePartsOf(input, limits)) (void)email::ParseMime(*whole, limits);
  (void)email::ParseMailHeaders(input);
  (void)email::HtmlToText(input);
  (void)email::StripQuotedReply(input);
  (void)email::ToUtf8(input, "iso-8859-1");
  (void)email::ToUtf8(input, input.substr(0, std::min<std::size_t>(input.find('\n'), 24)));

  (void)email::ParsePostmark(input);
  if (auto envelope = email::ParseSnsEnvelope(input)) {
    (void)email::SnsStringToSign(*envelope);
    if (auto raw = email::SesRawMessage(envelope->message)) (void)email::ParseMime(*raw, limits);
  }
  if (auto fields = email::ParseFormData(input, "xYzZY")) {
    (void)email::ParseSendgrid(*fields, limits);
    (void)email::ParseMailgun(*fields);
  }
  if (auto form = sac::http::ParseForm(input, 512)) {
    std::vector<email::FormField> fields;
    for (auto& [name, value] : *form) fields.push_back({name, "", "", value});
    (void)email::ParseMailgun(fields);
  }
  return 0;
}
