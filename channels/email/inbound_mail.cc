#include "channels/email/inbound_mail.h"

#include <cctype>
#include <set>

#include "channels/email/charset.h"
#include "channels/email/reply_text.h"
#include "core/ascii.h"
#include "crypto/digest.h"
#include "media/image_type.h"
#include "workflow/folio.h"

namespace sac::channels::email {
namespace {

// Keys made from a hash (a mail without a Message-ID) read "sha256:<hex>".
constexpr std::string_view kHashKeyPrefix = "sha256:";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

struct SubjectPrefix {
  std::size_t length = 0;  // 0: none
  bool reply = false;      // Re: and its translations; Fwd: is not a reply
};

// "Re:", "RE :", "Re[2]:", "Fwd:", "RV:" at the start of `subject`.
SubjectPrefix LeadingPrefix(std::string_view subject) {
  std::size_t i = 0;
  while (i < subject.size() && i < 6 && std::isalpha(static_cast<unsigned char>(subject[i]))) ++i;
  const std::string word = AsciiLower(subject.substr(0, i));
  if (i < subject.size() && subject[i] == '[') {
    while (i < subject.size() && subject[i] != ']' && i < 12) ++i;
    if (i < subject.size() && subject[i] == ']') ++i;
  }
  while (i < subject.size() && subject[i] == ' ') ++i;
  if (i >= subject.size() || subject[i] != ':') return {};
  // Spanish Outlook answers "RE:" and forwards "RV:" (reenviado).
  static const std::set<std::string, std::less<>> kReplies = {"re", "aw", "res", "sv", "antw", "r"};
  static const std::set<std::string, std::less<>> kForwards = {"fw", "fwd", "rv", "enc", "tr", "wg"};
  if (kReplies.contains(word)) return {i + 1, true};
  if (kForwards.contains(word)) return {i + 1, false};
  return {};
}

// What of the subject is worth keeping in the petition text: nothing for a reply (the thread's
// subject, ours or theirs) or an empty one; without "Fwd:" for a forward.
std::string SubjectForText(std::string_view subject) {
  subject = Trim(subject);
  bool reply = false;
  for (int i = 0; i < 5; ++i) {
    const SubjectPrefix prefix = LeadingPrefix(subject);
    if (prefix.length == 0) break;
    reply = reply || prefix.reply;
    subject = Trim(subject.substr(prefix.length));
  }
  const std::string lower = AsciiLower(subject);
  if (reply || lower.empty() || lower == "sin asunto" || lower == "(sin asunto)" ||
      lower == "no subject" || lower == "(no subject)" || lower == "sin título" ||
      lower == "(sin título)" || lower == "untitled") {
    return {};
  }
  return std::string(subject);
}

// At most `bytes` bytes, cut at a character boundary.
std::string Truncated(std::string text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "…";
}

// A MIME type as a token (what a provider's JSON says may hold anything, NUL included, and
// PostgreSQL's jsonb refuses NUL).
std::string SafeMimeType(std::string_view type) {
  std::string safe;
  for (char c : type.substr(0, 100)) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(lower)) ||
        std::string_view("!#$&^_.+-/").find(lower) != std::string_view::npos) {
      safe.push_back(lower);
    }
  }
  return safe.find('/') == std::string::npos ? "application/octet-stream" : safe;
}

// A dedupe key made of printable ASCII: a provider id as it is, anything else by its hash.
std::string SafeKey(const std::string& key) {
  bool printable = !key.empty() && key.size() <= 250;
  for (char c : key) printable = printable && c > ' ' && c < 127;
  return printable ? key : std::string(kHashKeyPrefix) + crypto::Sha256Hex(key);
}

MessageType KindOf(std::string_view mime_type) {
  if (mime_type.starts_with("image/")) return MessageType::kImage;
  if (mime_type.starts_with("audio/")) return MessageType::kAudio;
  if (mime_type.starts_with("video/")) return MessageType::kVideo;
  return MessageType::kDocument;
}

// The id of our message this one answers. Our own Message-IDs (sac.…@<our domain>) win, from
// In-Reply-To or anywhere in References (a reply to a reply that someone else's client wrote);
// otherwise In-Reply-To, else the newest reference.
std::string ThreadId(const ParsedMail& mail, std::string_view own_domain) {
  const auto ours = [&](const std::string& id) {
    return !own_domain.empty() && id.starts_with("sac.") &&
           AsciiLower(id).ends_with("@" + AsciiLower(own_domain));
  };
  if (ours(mail.in_reply_to)) return mail.in_reply_to;
  for (auto id = mail.references.rbegin(); id != mail.references.rend(); ++id) {
    if (ours(*id)) return *id;
  }
  if (!mail.in_reply_to.empty()) return mail.in_reply_to;
  return mail.references.empty() ? std::string() : mail.references.back();
}

std::string FolioIn(std::string_view text) {
  const auto folio = workflow::FindFolio(text);
  return folio ? workflow::FormatFolio(*folio) : std::string();
}

// RFC 3463 enhanced status codes, in words fit for staff (never the address itself).
std::string StatusMeaning(std::string_view status) {
  const std::string_view detail = status.size() > 2 ? status.substr(2) : status;
  if (detail == "1.1") return "mailbox does not exist";
  if (detail == "1.2") return "the recipient's domain does not exist";
  if (detail == "1.10") return "the recipient's domain accepts no mail";
  if (detail == "2.1") return "mailbox disabled";
  if (detail == "2.2") return "mailbox full";
  if (detail.starts_with("4.")) return "network or routing problem";
  if (detail.starts_with("7.")) return "refused by the recipient's policy";
  return "delivery failed";
}

// Permanent failures that say the address itself is dead; a full mailbox or a spam filter's
// refusal do not.
bool AddressIsDead(std::string_view status) {
  return status == "5.1.1" || status == "5.1.2" || status == "5.1.10" || status == "5.2.1" ||
         status == "5.1.6";
}

std::optional<DeliveryUpdate> BounceUpdate(const ParsedMail& mail) {
  if (!mail.bounce || mail.bounce->original_message_id.empty()) return std::nullopt;
  const Bounce& bounce = *mail.bounce;
  DeliveryUpdate update;
  update.channel = std::string(kChannelName);
  update.provider_message_id = bounce.original_message_id;
  update.at = mail.date;
  if (bounce.action == "failed") {
    update.state = DeliveryState::kFailed;
    const bool code = !bounce.status.empty() &&
                      bounce.status.find_first_not_of("0123456789.") == std::string::npos;
    update.error_code = code ? bounce.status : "5.0.0";
    update.error_title = StatusMeaning(update.error_code);
    update.recipient_unreachable = AddressIsDead(update.error_code);
  } else if (bounce.action == "delivered" || bounce.action == "relayed" ||
             bounce.action == "expanded") {
    update.state = DeliveryState::kDelivered;
  } else {
    return std::nullopt;  // "delayed": the relay keeps trying; nothing to record yet
  }
  return update;
}

}  // namespace

std::string RawMessageId(std::string_view raw) {
  return std::string(kHashKeyPrefix) + crypto::Sha256Hex(raw);
}

bool IsReplySubject(std::string_view subject) { return LeadingPrefix(Trim(subject)).reply; }

std::string PetitionText(std::string_view subject, std::string_view body) {
  const std::string kept_subject = SubjectForText(subject);
  const std::string_view kept_body = Trim(body);
  std::string text = kept_subject;
  if (!kept_body.empty()) {
    if (!text.empty()) text += "\n\n";
    text += kept_body;
  }
  return Truncated(std::move(text), kMaxTextBytes);
}

std::string PlusAddressFolio(const std::vector<std::string>& recipients) {
  for (const std::string& recipient : recipients) {
    const std::size_t at = recipient.find('@');
    const std::size_t plus = recipient.find('+');
    if (plus == std::string::npos || at == std::string::npos || plus > at) continue;
    if (std::string folio = FolioIn(std::string_view(recipient).substr(plus + 1, at - plus - 1));
        !folio.empty()) {
      return folio;
    }
  }
  return {};
}

ReceivedMail ToReceivedMail(ParsedMail mail, const std::string& fallback_id, const OwnMailbox& own) {
  ReceivedMail received;
  if (auto update = BounceUpdate(mail)) {
    received.parsed.updates.push_back(std::move(*update));
    return received;
  }
  InboundMessage message;
  message.channel = std::string(kChannelName);
  message.external_id = mail.message_id.empty() ? SafeKey(fallback_id) : mail.message_id;
  message.sender_id = AsciiLower(mail.from_address);
  message.sender_name = CleanText(mail.from_name);
  message.sent_at = mail.date;
  message.context_id = ThreadId(mail, own.domain);
  // The folio the citizen's mail says it is about, for the handler to thread it as a note when
  // the boleta is theirs: the plus address they wrote to, or a reply's subject.
  message.reply_payload = PlusAddressFolio(mail.recipients);
  if (message.reply_payload.empty() && IsReplySubject(mail.subject)) {
    message.reply_payload = FolioIn(mail.subject);
  }
  message.text = PetitionText(CleanText(mail.subject), StripQuotedReply(CleanText(mail.text)));

  std::set<std::string, std::less<>> seen;
  for (Attachment& attachment : mail.attachments) {
    const std::string sha256 = crypto::Sha256Hex(attachment.bytes);
    if (!seen.insert(sha256).second) continue;  // the same file twice (two alternatives)
    Media media;
    media.provider_media_id = std::string(kStoredMediaPrefix) + sha256;
    media.mime_type = sac::media::TypeToKeep(SafeMimeType(attachment.mime_type), attachment.bytes);
    media.kind = KindOf(media.mime_type);
    media.sha256 = sha256;
    media.filename = CleanText(attachment.filename);
    media.size_bytes = static_cast<std::int64_t>(attachment.bytes.size());
    message.media.push_back(std::move(media));
    received.files.push_back(std::move(attachment.bytes));
  }

  const bool own_mail = !own.address.empty() && message.sender_id == AsciiLower(own.address);
  if (mail.automatic || own_mail || mail.bounce) {
    message.type = MessageType::kAutoReply;  // stored (nothing is lost), never answered
  } else if (!message.media.empty()) {
    message.type = message.media.front().kind;
  } else {
    message.type = message.text.empty() ? MessageType::kUnsupported : MessageType::kText;
  }
  received.parsed.messages.push_back(std::move(message));
  return received;
}

}  // namespace sac::channels::email
