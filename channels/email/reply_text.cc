#include "channels/email/reply_text.h"

#include <cctype>
#include <vector>

#include "core/ascii.h"

namespace sac::channels::email {
namespace {

std::string_view TrimRight(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  return line;
}

std::string_view Trim(std::string_view line) {
  line = TrimRight(line);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return line;
}

// ASCII lower case; accented letters are compared as written (they are lower case in the markers).
bool StartsWithAny(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view prefix : prefixes) {
    if (text.starts_with(prefix)) return true;
  }
  return false;
}

bool EndsWithAny(std::string_view text, std::initializer_list<std::string_view> suffixes) {
  for (std::string_view suffix : suffixes) {
    if (text.ends_with(suffix)) return true;
  }
  return false;
}

// "... escribió:" and its siblings in the languages Mazatlán's mail arrives in.
bool EndsLikeQuoteHeader(std::string_view lower) {
  return EndsWithAny(lower, {"escribió:", "escribio:", "wrote:", "a écrit :", "a écrit:",
                             "schrieb:", "escreveu:", "ha scritto:"});
}

bool StartsLikeQuoteHeader(std::string_view lower) {
  return StartsWithAny(lower, {"el ", "on ", "le ", "am ", "em ", "il "});
}

// Outlook's header block of the quoted message: "De:" then "Enviado:", "Para:", "Asunto:".
bool StartsOutlookBlock(const std::vector<std::string>& lower, std::size_t at) {
  if (!StartsWithAny(lower[at], {"de:", "from:"})) return false;
  int fields = 0;
  for (std::size_t i = at + 1; i < lower.size() && i <= at + 5; ++i) {
    if (StartsWithAny(lower[i], {"enviado:", "enviado el:", "sent:", "fecha:", "date:", "para:",
                                 "to:", "asunto:", "subject:", "cc:"})) {
      ++fields;
    }
  }
  return fields >= 2;
}

bool IsSeparator(std::string_view lower) {
  if (lower.size() >= 10 && lower.find_first_not_of('_') == std::string_view::npos) return true;
  return (lower.starts_with("--") || lower.starts_with("__")) &&
         (lower.find("original message") != std::string_view::npos ||
          lower.find("mensaje original") != std::string_view::npos);
}

bool IsSignatureSeparator(std::string_view line) { return line == "-- " || line == "--"; }

bool IsMobileFooter(std::string_view lower) {
  return lower.size() < 80 &&
         StartsWithAny(lower, {"enviado desde mi ", "sent from my ", "enviado desde correo para windows",
                               "sent from mail for windows", "enviado desde yahoo mail",
                               "enviado desde outlook", "obtener outlook para ", "get outlook for ",
                               "descargar outlook para ", "enviado con ", "sent with ",
                               "enviado desde el email de ", "sent from yahoo mail"});
}

// Where the quoted part starts: the index of its first line, or lines.size().
std::size_t QuoteStart(const std::vector<std::string_view>& lines) {
  std::vector<std::string> lower;
  lower.reserve(lines.size());
  for (std::string_view line : lines) lower.push_back(AsciiLower(Trim(line)));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (IsSignatureSeparator(lines[i]) || IsSignatureSeparator(TrimRight(lines[i]))) return i;
    const std::string& line = lower[i];
    if (line.empty()) continue;
    if (IsSeparator(line) || IsMobileFooter(line) || StartsOutlookBlock(lower, i)) return i;
    if (line.size() < 300 && EndsLikeQuoteHeader(line)) return i;
    // A quote header that the sender's client wrapped over two or three lines.
    if (StartsLikeQuoteHeader(line)) {
      std::string joined = line;
      for (std::size_t j = i + 1; j < lines.size() && j <= i + 2 && !lower[j].empty(); ++j) {
        joined += " " + lower[j];
        if (joined.size() < 400 && EndsLikeQuoteHeader(joined)) return i;
      }
    }
  }
  return lines.size();
}

bool IsQuotedLine(std::string_view line) { return Trim(line).starts_with('>'); }

// Lines without trailing spaces, no blank lines at either end, never two blank lines in a row.
std::string Tidy(const std::vector<std::string_view>& lines) {
  std::string out;
  bool pending_blank = false;
  for (std::string_view line : lines) {
    line = TrimRight(line);
    if (line.empty()) {
      pending_blank = !out.empty();
      continue;
    }
    if (pending_blank) out += "\n\n";
    else if (!out.empty()) out += '\n';
    pending_blank = false;
    out += line;
  }
  return out;
}

}  // namespace

std::string StripQuotedReply(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  const std::size_t cut = QuoteStart(lines);
  std::vector<std::string_view> kept;
  for (std::size_t i = 0; i < cut; ++i) {
    if (!IsQuotedLine(lines[i])) kept.push_back(lines[i]);
  }
  std::string stripped = Tidy(kept);
  return stripped.empty() ? Tidy(lines) : stripped;
}

}  // namespace sac::channels::email
