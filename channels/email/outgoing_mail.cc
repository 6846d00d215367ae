#include "channels/email/outgoing_mail.h"

#include <ctime>

#include "channels/email/mime_mail.h"
#include "crypto/digest.h"

namespace sac::channels::email {
namespace {

// 52 base64 characters: a word is 64 long, and "Subject: " plus one stays under 78.
constexpr std::size_t kEncodedWordBytes = 39;

// Header text on one line: line breaks and other controls become spaces.
std::string OneLine(std::string_view text) {
  std::string line;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    line.push_back(byte < 0x20 || byte == 0x7F ? ' ' : c);
  }
  return line;
}

bool IsPlainAscii(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) return false;
  }
  // "=?" could be read as the start of an encoded word.
  return text.find("=?") == std::string_view::npos;
}

// RFC 5322 date in UTC, without the locale's day and month names.
std::string MailDate(TimePoint when) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[utc.tm_wday % 7],
                utc.tm_mday, kMonths[utc.tm_mon % 12], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return buffer;
}

// A display name as a quoted string, or as encoded words when it is not plain ASCII.
std::string DisplayName(std::string_view name) {
  const std::string line = OneLine(name);
  if (!IsPlainAscii(line)) return EncodeHeaderText(line);
  std::string quoted = "\"";
  for (char c : line) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

}  // namespace

std::string EncodeHeaderText(std::string_view text) {
  const std::string whole = OneLine(text);
  if (IsPlainAscii(whole)) return whole;
  // Only the words from the first to the last non-ASCII one are encoded: "Re: Folio
  // 2026-000123 - " stays readable in the raw header (and to filters that read it raw).
  std::size_t first = 0;
  while (first < whole.size() && static_cast<unsigned char>(whole[first]) < 0x80) ++first;
  std::size_t last = whole.size();
  while (last > 0 && static_cast<unsigned char>(whole[last - 1]) < 0x80) --last;
  std::size_t begin = whole.rfind(' ', first);
  begin = begin == std::string::npos ? 0 : begin + 1;
  std::size_t end = whole.find(' ', last);
  if (end == std::string::npos) end = whole.size();
  std::string prefix = whole.substr(0, begin);
  std::string suffix = end < whole.size() ? whole.substr(end) : std::string();
  if (!IsPlainAscii(prefix) || !IsPlainAscii(suffix)) {
    prefix.clear();
    suffix.clear();
    begin = 0;
    end = whole.size();
  }
  const std::string line = whole.substr(begin, end - begin);
  std::string encoded;
  std::size_t start = 0;
  while (start < line.size()) {
    std::size_t stop = std::min(start + kEncodedWordBytes, line.size());
    // Never split a UTF-8 sequence between two words.
    while (stop < line.size() && stop > start &&
           (static_cast<unsigned char>(line[stop]) & 0xC0) == 0x80) {
      --stop;
    }
    if (stop == start) stop = std::min(start + kEncodedWordBytes, line.size());
    if (!encoded.empty()) encoded += "\r\n ";
    encoded += "=?UTF-8?B?" + crypto::Base64Encode(line.substr(start, stop - start)) + "?=";
    start = stop;
  }
  return prefix + encoded + suffix;
}

std::string QuotedPrintable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    std::size_t width = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto byte = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      std::string piece;
      if ((byte >= 33 && byte <= 126 && byte != '=') || ((byte == ' ' || byte == '\t') && !last)) {
        piece.push_back(static_cast<char>(byte));
      } else {
        piece = {'=', kHex[byte >> 4], kHex[byte & 0x0F]};
      }
      if (width + piece.size() > 75) {  // 75 + the soft break's '=' = 76
        out += "=\r\n";
        width = 0;
      }
      out += piece;
      width += piece.size();
    }
    if (end < text.size()) out += "\r\n";
    start = end + 1;
  }
  return out;
}

std::string BuildMail(const OutgoingMail& mail) {
  std::string message;
  const auto header = [&](std::string_view name, std::string_view value) {
    message.append(name).append(": ").append(value).append("\r\n");
  };
  header("Date", MailDate(mail.date));
  if (mail.from_name.empty()) {
    header("From", "<" + mail.from_address + ">");
  } else {
    // The address goes on a folded line of its own when the name fills the first.
    const std::string name = DisplayName(mail.from_name);
    const std::size_t last_line = name.size() - std::min(name.size(), name.rfind('\n') + 1);
    header("From", name + (last_line + mail.from_address.size() + 9 > 78 ? "\r\n <" : " <") +
                       mail.from_address + ">");
  }
  header("To", "<" + mail.to + ">");
  header("Subject", EncodeHeaderText(mail.subject));
  header("Message-ID", "<" + mail.message_id + ">");
  const bool answering = IsThreadableId(mail.in_reply_to);
  if (answering) {
    header("In-Reply-To", "<" + mail.in_reply_to + ">");
    header("References", "<" + mail.in_reply_to + ">");
  }
  // RFC 3834: robots (vacation responders) must not answer us; Exchange honours the second.
  header("Auto-Submitted", answering ? "auto-replied" : "auto-generated");
  header("X-Auto-Response-Suppress", "All");
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=utf-8");
  header("Content-Transfer-Encoding", "quoted-printable");
  message += "\r\n";
  message += QuotedPrintable(mail.text);
  message += "\r\n";
  return message;
}

std::string ReplySubject(std::string_view folio, std::string_view name, bool answering) {
  std::string subject = answering ? "Re: " : "";
  if (!folio.empty()) subject += "Folio " + std::string(folio) + " - ";
  return subject + std::string(name);
}

std::string MessageIdFor(std::int64_t outbox_id, std::string_view idempotency_key,
                         std::string_view domain) {
  // Only what a Message-ID may carry: a key from elsewhere must not break the header.
  std::string key;
  for (char c : idempotency_key) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) key += c;
  }
  if (key.size() < 16) key = crypto::RandomToken(12);
  return "sac." + std::to_string(outbox_id) + "." + key + "@" + std::string(domain);
}

bool IsMailAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const std::size_t at = address.find('@');
  if (at == 0 || at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = address.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.') {
    return false;
  }
  for (char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;
    if (std::string_view("<>()[]\\,;:\"").find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::string DomainOf(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : std::string(address.substr(at + 1));
}

bool IsThreadableId(std::string_view id) {
  return !id.empty() && id.find('@') != std::string_view::npos && UsableMessageId(id) == id;
}

}  // namespace sac::channels::email
