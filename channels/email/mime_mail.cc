#include "channels/email/mime_mail.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "channels/email/charset.h"
#include "channels/email/html_text.h"
#include "core/ascii.h"

namespace sac::channels::email {
namespace {

// --- GMime plumbing ------------------------------------------------------------------------------

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct OptionsFree {
  void operator()(GMimeParserOptions* options) const { g_mime_parser_options_free(options); }
};

struct ReferencesFree {
  void operator()(GMimeReferences* references) const { g_mime_references_free(references); }
};

struct GFree {
  void operator()(char* text) const { g_free(text); }
};

// What GMime reported while parsing; filled from a C callback, which must never throw.
struct ParserWarnings {
  bool nesting_overflow = false;
};

void OnParserWarning(gint64 /*offset*/, GMimeParserWarning code, const gchar* /*item*/,
                     gpointer user) noexcept {
  if (code == GMIME_CRIT_NESTING_OVERFLOW) static_cast<ParserWarnings*>(user)->nesting_overflow = true;
}

std::unique_ptr<GMimeParserOptions, OptionsFree> NewParserOptions(ParserWarnings& warnings) {
  std::unique_ptr<GMimeParserOptions, OptionsFree> options(g_mime_parser_options_new());
  // Unlabelled 8-bit headers: UTF-8 when they are, else what Windows clients write.
  static const char* fallback[] = {"utf-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_warning_callback(options.get(), &OnParserWarning, &warnings);
  return options;
}

std::string Text(const char* text) { return text == nullptr ? std::string() : std::string(text); }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// Decoded header text on one line: folding, tabs and controls become single spaces.
std::string OneLine(std::string_view decoded) {
  const std::string clean = CleanText(FixC1Controls(decoded));
  std::string line;
  bool space = false;
  for (char c : clean) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = !line.empty();
      continue;
    }
    if (space) line.push_back(' ');
    space = false;
    line.push_back(c);
  }
  return line;
}

std::string MediaType(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return "text/plain";
  std::unique_ptr<char, GFree> mime(g_mime_content_type_get_mime_type(type));
  return AsciiLower(Text(mime.get()));
}

std::string TypeParameter(GMimeObject* object, const char* name) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  return type == nullptr ? std::string() : Text(g_mime_content_type_get_parameter(type, name));
}

// The decoded bytes of a leaf part (base64 and quoted-printable undone).
std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return bytes == nullptr ? std::string()
                          : std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string Serialized(GMimeObject* object) {
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(object, nullptr, out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return bytes == nullptr ? std::string()
                          : std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// Every Message-ID in a header value (References, In-Reply-To), without <>.
std::vector<std::string> MessageIds(std::string_view value) {
  std::vector<std::string> ids;
  if (value.empty()) return ids;
  const std::string terminated(value);
  std::unique_ptr<GMimeReferences, ReferencesFree> references(
      g_mime_references_parse(nullptr, terminated.c_str()));
  if (references == nullptr) return ids;
  const int count = g_mime_references_length(references.get());
  for (int i = 0; i < count && i < 100; ++i) {
    std::string id = UsableMessageId(Text(g_mime_references_get_message_id(references.get(), i)));
    if (!id.empty()) ids.push_back(std::move(id));
  }
  return ids;
}

struct Mailbox {
  std::string address;
  std::string name;
};

// The mailboxes of an address list, groups opened.
void CollectMailboxes(InternetAddressList* list, std::vector<Mailbox>& out, int depth = 0) {
  if (list == nullptr || depth > 2) return;
  const int count = internet_address_list_length(list);
  for (int i = 0; i < count && out.size() < 50; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
      std::string addr = AsciiLower(Trim(Text(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)))));
      if (addr.find('@') == std::string::npos) continue;
      out.push_back({std::move(addr), OneLine(Text(internet_address_get_name(address)))});
    } else if (INTERNET_ADDRESS_IS_GROUP(address)) {
      CollectMailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out,
                       depth + 1);
    }
  }
}

std::vector<Mailbox> ParseAddresses(GMimeParserOptions* options, std::string_view value) {
  std::vector<Mailbox> mailboxes;
  const std::string terminated(value);
  GPtr<InternetAddressList> list(internet_address_list_parse(options, terminated.c_str()));
  CollectMailboxes(list.get(), mailboxes);
  return mailboxes;
}

// --- What the headers say ---------------------------------------------------------------------

struct HeaderFields {
  std::vector<std::pair<std::string, std::string>> fields;  // lower-case name, value

  std::optional<std::string> First(std::string_view name) const {
    for (const auto& [key, value] : fields) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
};

HeaderFields ReadHeaders(GMimeObject* object) {
  HeaderFields headers;
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  const int count = list == nullptr ? 0 : g_mime_header_list_get_count(list);
  for (int i = 0; i < count && i < 1000; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
    headers.fields.emplace_back(AsciiLower(Text(g_mime_header_get_name(header))),
                                Text(g_mime_header_get_value(header)));
  }
  return headers;
}

bool StartsWithAny(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view prefix : prefixes) {
    if (text.starts_with(prefix)) return true;
  }
  return false;
}

// RFC 3834 and what real robots send instead. A reason when a machine wrote the mail.
std::optional<std::string> AutomaticReason(const HeaderFields& headers, std::string_view from,
                                           std::string_view subject) {
  if (auto value = headers.First("auto-submitted")) {
    const std::string first = AsciiLower(Trim(std::string_view(*value).substr(0, value->find(';'))));
    if (!first.empty() && first != "no") return "Auto-Submitted: " + first;
  }
  for (const char* name : {"x-autoreply", "x-autorespond", "x-autogenerated", "x-failed-recipients"}) {
    if (headers.First(name)) return std::string(name);
  }
  if (auto value = headers.First("x-auto-response-suppress")) {
    if (AsciiLower(*value).find("all") != std::string::npos) return "X-Auto-Response-Suppress: All";
  }
  if (auto value = headers.First("precedence")) {
    const std::string precedence = AsciiLower(Trim(*value));
    if (precedence == "bulk" || precedence == "junk" || precedence == "list" ||
        precedence == "auto_reply") {
      return "Precedence: " + precedence;
    }
  }
  if (headers.First("list-id")) return "List-Id (a mailing list)";
  if (headers.First("x-loop")) return "X-Loop";
  if (auto value = headers.First("return-path")) {
    if (Trim(*value) == "<>") return "null Return-Path";
  }
  const std::string local = AsciiLower(from.substr(0, from.find('@')));
  if (local == "mailer-daemon" || local == "postmaster") return "From " + local;
  const std::string lower_subject = AsciiLower(subject);
  if (StartsWithAny(lower_subject, {"respuesta automática", "respuesta automatica",
                                    "automatic reply", "autoreply", "auto-reply", "auto reply",
                                    "out of office", "fuera de la oficina", "fuera de oficina",
                                    "ausencia:", "undeliverable:", "no se puede entregar",
                                    "delivery status notification", "mail delivery failed",
                                    "returned mail", "undelivered mail"})) {
    return "subject of an automatic reply";
  }
  return std::nullopt;
}

// --- The body ------------------------------------------------------------------------------------

// RFC 3676 format=flowed: a line ending in a space continues on the next one.
std::string Unflow(std::string_view text, bool delete_space) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    if (line.starts_with(' ')) line.remove_prefix(1);  // space-stuffing
    const bool soft = !line.empty() && line.back() == ' ' && line != "-- " && !line.starts_with('>');
    if (soft && delete_space) line.remove_suffix(1);
    out += line;
    if (!soft && end < text.size()) out.push_back('\n');
    start = end + 1;
  }
  return out;
}

bool IsNoise(std::string_view type) {
  return type == "application/pgp-signature" || type == "application/pkcs7-signature" ||
         type == "application/x-pkcs7-signature" || type == "application/pgp-keys";
}

std::string SafeFilename(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string safe = OneLine(name);
  if (safe.size() > 200) safe.resize(200);
  while (!safe.empty() && (static_cast<unsigned char>(safe.back()) & 0xC0) == 0x80) safe.pop_back();
  if (!safe.empty() && (static_cast<unsigned char>(safe.back()) & 0x80) != 0) safe.pop_back();
  if (safe == "." || safe == "..") safe.clear();
  return safe;
}

// The fields of a message/delivery-status part.
Bounce ReadDeliveryStatus(std::string_view text) {
  Bounce bounce;
  std::string unfolded;
  for (char c : text) unfolded.push_back(c == '\r' ? '\n' : c);
  std::size_t start = 0;
  while (start < unfolded.size()) {
    const std::size_t end = std::min(unfolded.find('\n', start), unfolded.size());
    const std::string_view line(unfolded.data() + start, end - start);
    start = end + 1;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || line.starts_with(' ') || line.starts_with('\t')) continue;
    const std::string name = AsciiLower(Trim(line.substr(0, colon)));
    const std::string value = AsciiLower(Trim(line.substr(colon + 1)));
    if (name == "action" && bounce.action.empty()) bounce.action = value.substr(0, 20);
    if (name == "status" && bounce.status.empty()) {
      bounce.status = value.substr(0, value.find_first_of(" \t("));
      if (bounce.status.size() > 16) bounce.status.resize(16);
    }
  }
  return bounce;
}

// The Message-ID in a text/rfc822-headers part.
std::string MessageIdInHeaders(std::string_view headers) {
  const std::string lower = AsciiLower(headers);
  for (std::size_t at = lower.find("message-id:"); at != std::string::npos;
       at = lower.find("message-id:", at + 1)) {
    if (at != 0 && lower[at - 1] != '\n') continue;
    const std::size_t open = headers.find('<', at);
    const std::size_t close = headers.find('>', open);
    if (open == std::string_view::npos || close == std::string_view::npos || close - at > 1000) {
      return {};
    }
    return UsableMessageId(headers.substr(open + 1, close - open - 1));
  }
  return {};
}

struct Body {
  std::string text;
  int quality = 0;  // 0 nothing, 1 from HTML, 2 plain text
};

class Walker {
 public:
  Walker(const MimeLimits& limits, ParsedMail& mail) : limits_(limits), mail_(mail) {}

  Status Walk(GMimeObject* object, int depth, Body& body) {
    if (auto counted = Count(depth); !counted) return counted;
    if (GMIME_IS_MULTIPART(object)) return WalkMultipart(GMIME_MULTIPART(object), depth, body);
    if (GMIME_IS_MESSAGE_PART(object)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (inner == nullptr) return {};
      if (auto counted = CountTree(g_mime_message_get_mime_part(inner), depth + 1); !counted) {
        return counted;
      }
      Keep("message/rfc822", "mensaje.eml", Serialized(GMIME_OBJECT(inner)));
      return {};
    }
    if (GMIME_IS_PART(object)) ReadLeaf(GMIME_PART(object), body);
    return {};
  }

 private:
  Status Count(int depth) {
    if (depth > limits_.max_depth) {
      return MakeError(Errc::kInvalidArgument, std::string(kOverLimits) + "nested deeper than " +
                                                   std::to_string(limits_.max_depth) + " levels");
    }
    if (++parts_ > limits_.max_parts) {
      return MakeError(Errc::kInvalidArgument, std::string(kOverLimits) + "more than " +
                                                   std::to_string(limits_.max_parts) + " parts");
    }
    return {};
  }

  // An attached message's structure counts too, though none of its text is read.
  Status CountTree(GMimeObject* object, int depth) {
    if (object == nullptr) return {};
    if (auto counted = Count(depth); !counted) return counted;
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i) {
        if (auto counted = CountTree(g_mime_multipart_get_part(multipart, i), depth + 1); !counted) {
          return counted;
        }
      }
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (inner != nullptr) return CountTree(g_mime_message_get_mime_part(inner), depth + 1);
    }
    return {};
  }

  Status WalkMultipart(GMimeMultipart* multipart, int depth, Body& body) {
    GMimeObject* object = GMIME_OBJECT(multipart);
    const std::string type = MediaType(object);
    const int count = g_mime_multipart_get_count(multipart);
    if (type == "multipart/report" &&
        AsciiLower(TypeParameter(object, "report-type")).find("delivery-status") != std::string::npos) {
      return WalkReport(multipart, depth, body);
    }
    if (type == "multipart/alternative") {
      // One text: plain text when there is one (it is what the sender typed), else the HTML.
      // Files in every alternative are kept (a photo may live only in the HTML's related part).
      Body best;
      for (int i = 0; i < count; ++i) {
        Body alternative;
        if (auto walked = Walk(g_mime_multipart_get_part(multipart, i), depth + 1, alternative); !walked) {
          return walked;
        }
        if (alternative.quality > best.quality) best = std::move(alternative);
      }
      Append(body, best);
      return {};
    }
    for (int i = 0; i < count; ++i) {
      Body part;
      if (auto walked = Walk(g_mime_multipart_get_part(multipart, i), depth + 1, part); !walked) {
        return walked;
      }
      Append(body, part);
    }
    return {};
  }

  // multipart/report; report-type=delivery-status: a bounce (or a delay warning) of a message we
  // sent. Its human-readable part is the body; the machine-readable parts say what and which.
  Status WalkReport(GMimeMultipart* multipart, int depth, Body& body) {
    Bounce bounce;
    for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i) {
      GMimeObject* part = g_mime_multipart_get_part(multipart, i);
      const std::string type = MediaType(part);
      if (type == "message/delivery-status" || type == "message/global-delivery-status") {
        if (auto counted = CountTree(part, depth + 1); !counted) return counted;
        const Bounce status = ReadDeliveryStatus(
            GMIME_IS_PART(part) ? DecodedContent(GMIME_PART(part)) : Serialized(part));
        bounce.action = status.action;
        bounce.status = status.status;
      } else if (type == "text/rfc822-headers" || type == "message/global-headers") {
        if (auto counted = CountTree(part, depth + 1); !counted) return counted;
        bounce.original_message_id = MessageIdInHeaders(
            GMIME_IS_PART(part) ? DecodedContent(GMIME_PART(part)) : Serialized(part));
      } else if (GMIME_IS_MESSAGE_PART(part)) {
        if (auto counted = CountTree(part, depth + 1); !counted) return counted;
        GMimeMessage* original = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
        if (original != nullptr && bounce.original_message_id.empty()) {
          bounce.original_message_id = UsableMessageId(Text(g_mime_message_get_message_id(original)));
        }
      } else {
        Body human;
        if (auto walked = Walk(part, depth + 1, human); !walked) return walked;
        Append(body, human);
      }
    }
    mail_.bounce = std::move(bounce);
    return {};
  }

  void ReadLeaf(GMimePart* part, Body& body) {
    GMimeObject* object = GMIME_OBJECT(part);
    const std::string type = MediaType(object);
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    const bool attached = disposition != nullptr && g_mime_content_disposition_is_attachment(disposition);
    const std::string filename = SafeFilename(Text(g_mime_part_get_filename(part)));
    if ((type == "text/plain" || type == "text/html") && !attached && filename.empty()) {
      std::string text = ToUtf8(DecodedContent(part), TypeParameter(object, "charset"));
      if (type == "text/html") {
        Append(body, Body{HtmlToText(text), 1});
        return;
      }
      if (AsciiLower(TypeParameter(object, "format")) == "flowed") {
        text = Unflow(text, AsciiLower(TypeParameter(object, "delsp")) == "yes");
      }
      Append(body, Body{std::move(text), 2});
      return;
    }
    if (IsNoise(type)) return;
    Keep(type, filename, DecodedContent(part));
  }

  void Keep(const std::string& type, const std::string& filename, std::string bytes) {
    if (bytes.empty()) return;
    mail_.attachments.push_back({filename, type, std::move(bytes)});
  }

  static void Append(Body& body, const Body& part) {
    const std::string_view text = Trim(part.text);
    if (text.empty()) return;
    if (!body.text.empty()) body.text += "\n\n";
    body.text += text;
    body.quality = std::max(body.quality, part.quality);
  }

  const MimeLimits& limits_;
  ParsedMail& mail_;
  int parts_ = 0;
};

// The fields every path reads from a message's headers.
void ReadEnvelope(GMimeMessage* message, GMimeParserOptions* options, ParsedMail& mail) {
  GMimeObject* object = GMIME_OBJECT(message);
  const HeaderFields headers = ReadHeaders(object);
  mail.message_id = UsableMessageId(Text(g_mime_message_get_message_id(message)));
  if (auto value = headers.First("in-reply-to")) {
    const auto ids = MessageIds(*value);
    if (!ids.empty()) mail.in_reply_to = ids.front();
  }
  if (auto value = headers.First("references")) mail.references = MessageIds(*value);

  std::vector<Mailbox> from;
  CollectMailboxes(g_mime_message_get_from(message), from);
  for (const char* fallback : {"sender", "return-path"}) {
    if (!from.empty()) break;
    if (auto value = headers.First(fallback)) from = ParseAddresses(options, *value);
  }
  if (!from.empty()) {
    mail.from_address = OneLine(from.front().address);
    mail.from_name = from.front().name;
  }
  mail.subject = OneLine(Text(g_mime_message_get_subject(message)));
  if (mail.subject.size() > 1000) mail.subject.resize(1000);
  if (GDateTime* date = g_mime_message_get_date(message)) mail.date = g_date_time_to_unix(date);

  std::vector<Mailbox> recipients;
  CollectMailboxes(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO), recipients);
  CollectMailboxes(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC), recipients);
  for (const auto& [name, value] : headers.fields) {
    if (name == "delivered-to" || name == "x-original-to") {
      for (Mailbox& mailbox : ParseAddresses(options, value)) recipients.push_back(std::move(mailbox));
    }
  }
  for (Mailbox& mailbox : recipients) {
    if (mail.recipients.size() < 50) mail.recipients.push_back(std::move(mailbox.address));
  }
  mail.automatic = AutomaticReason(headers, mail.from_address, mail.subject);
}

struct Parsed {
  GPtr<GMimeMessage> message;
  std::unique_ptr<GMimeParserOptions, OptionsFree> options;
  std::unique_ptr<ParserWarnings> warnings;
};

Parsed Construct(std::string_view raw) {
  InitGMime();
  Parsed parsed;
  parsed.warnings = std::make_unique<ParserWarnings>();
  parsed.options = NewParserOptions(*parsed.warnings);
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  parsed.message.reset(g_mime_parser_construct_message(parser.get(), parsed.options.get()));
  return parsed;
}

}  // namespace

std::string UsableMessageId(std::string_view id) {
  id = Trim(id);
  if (id.starts_with('<') && id.ends_with('>') && id.size() >= 2) id = id.substr(1, id.size() - 2);
  if (id.empty() || id.size() > 250) return {};
  for (char c : id) {
    if (c <= ' ' || c >= 127 || c == '<' || c == '>' || c == '"' || c == '\\') return {};
  }
  return std::string(id);
}

Result<ParsedMail> ParseMime(std::string_view raw, const MimeLimits& limits) {
  if (auto structure = CheckMimeStructure(raw, limits); !structure) return structure.error();
  Parsed parsed = Construct(raw);
  if (parsed.message == nullptr) {
    return MakeError(Errc::kInvalidArgument, "not an RFC 5322 message");
  }
  if (parsed.warnings->nesting_overflow) {
    return MakeError(Errc::kInvalidArgument, std::string(kOverLimits) + "nesting overflow");
  }
  ParsedMail mail;
  ReadEnvelope(parsed.message.get(), parsed.options.get(), mail);
  if (mail.from_address.empty()) {
    return MakeError(Errc::kInvalidArgument, "no sender address (From, Sender or Return-Path)");
  }
  Walker walker(limits, mail);
  Body body;
  GMimeObject* root = g_mime_message_get_mime_part(parsed.message.get());
  if (root != nullptr) {
    if (auto walked = walker.Walk(root, 0, body); !walked) return walked.error();
  }
  mail.text = std::move(body.text);
  mail.text_from_html = body.quality == 1;
  if (mail.bounce) mail.automatic = "delivery status notification";
  return mail;
}

ParsedMail ParseMailHeaders(std::string_view header_block) {
  std::string message(header_block);
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  message += "\r\n\r\n";
  ParsedMail mail;
  if (message.size() > 1024 * 1024) return mail;
  Parsed parsed = Construct(message);
  if (parsed.message != nullptr) ReadEnvelope(parsed.message.get(), parsed.options.get(), mail);
  return mail;
}

}  // namespace sac::channels::email
