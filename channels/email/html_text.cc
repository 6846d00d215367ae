#include "channels/email/html_text.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <utility>

#include "core/ascii.h"

namespace sac::channels::email {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool OneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view candidate : names) {
    if (name == candidate) return true;
  }
  return false;
}

bool IsVoid(std::string_view name) {
  return OneOf(name, {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                      "param", "source", "track", "wbr"});
}

// Content nobody reads in a mail client.
bool IsInvisibleElement(std::string_view name) {
  return OneOf(name, {"script", "style", "head", "title", "template", "svg", "object", "iframe",
                      "map", "select", "button"});
}

// Elements after which the text continues on a new line, or after a blank line.
bool EndsLine(std::string_view name) {
  return OneOf(name, {"div", "li", "tr", "dt", "dd", "section", "article", "header", "footer",
                      "center", "address", "pre", "form", "fieldset", "caption", "hr"});
}
bool EndsParagraph(std::string_view name) {
  return OneOf(name, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
                      "blockquote"});
}

// `style` declarations and attributes that hide an element: preheaders ("display:none",
// "font-size:0", "max-height:0;overflow:hidden", Outlook's "mso-hide:all") and `hidden`.
bool IsHidden(std::string_view attributes) {
  std::string compact;
  for (char c : attributes) {
    if (!IsSpace(c)) compact.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  const auto has = [&](std::string_view what) { return compact.find(what) != std::string::npos; };
  const auto zero = [&](std::string_view property) {
    for (std::size_t at = compact.find(property); at != std::string::npos;
         at = compact.find(property, at + 1)) {
      const std::size_t after = at + property.size();
      if (after < compact.size() && compact[after] == '0' &&
          (after + 1 == compact.size() || !(std::isdigit(static_cast<unsigned char>(compact[after + 1])) ||
                                            compact[after + 1] == '.'))) {
        return true;
      }
    }
    return false;
  };
  if (has("display:none") || has("visibility:hidden") || has("mso-hide:all") ||
      zero("font-size:") || zero("opacity:") || (zero("max-height:") && has("overflow:hidden"))) {
    return true;
  }
  // The boolean attribute `hidden` (not "overflow:hidden", not type="hidden" inputs' neighbours).
  std::string lower = AsciiLower(attributes);
  for (std::size_t at = lower.find("hidden"); at != std::string::npos; at = lower.find("hidden", at + 1)) {
    const bool starts = at == 0 || IsSpace(lower[at - 1]);
    const std::size_t after = at + 6;
    const bool ends = after == lower.size() || IsSpace(lower[after]) || lower[after] == '=' ||
                      lower[after] == '/';
    if (starts && ends) return true;
  }
  return false;
}

constexpr std::array<std::pair<std::string_view, char32_t>, 60> kEntities = {{
    {"nbsp", U' '},      {"amp", U'&'},       {"lt", U'<'},        {"gt", U'>'},
    {"quot", U'"'},      {"apos", U'\''},     {"aacute", U'á'},    {"eacute", U'é'},
    {"iacute", U'í'},    {"oacute", U'ó'},    {"uacute", U'ú'},    {"Aacute", U'Á'},
    {"Eacute", U'É'},    {"Iacute", U'Í'},    {"Oacute", U'Ó'},    {"Uacute", U'Ú'},
    {"ntilde", U'ñ'},    {"Ntilde", U'Ñ'},    {"uuml", U'ü'},      {"Uuml", U'Ü'},
    {"iexcl", U'¡'},     {"iquest", U'¿'},    {"agrave", U'à'},    {"egrave", U'è'},
    {"ograve", U'ò'},    {"ccedil", U'ç'},    {"ordm", U'º'},      {"ordf", U'ª'},
    {"deg", U'°'},       {"copy", U'©'},      {"reg", U'®'},       {"trade", U'™'},
    {"euro", U'€'},      {"pound", U'£'},     {"cent", U'¢'},      {"sect", U'§'},
    {"para", U'¶'},      {"middot", U'·'},    {"bull", U'•'},      {"hellip", U'…'},
    {"ndash", U'–'},     {"mdash", U'—'},     {"lsquo", U'‘'},     {"rsquo", U'’'},
    {"ldquo", U'“'},     {"rdquo", U'”'},     {"laquo", U'«'},     {"raquo", U'»'},
    {"sbquo", U'‚'},     {"bdquo", U'„'},     {"times", U'×'},     {"divide", U'÷'},
    {"frac12", U'½'},    {"frac14", U'¼'},    {"plusmn", U'±'},    {"micro", U'µ'},
    {"zwnj", 0},         {"zwj", 0},          {"shy", 0},          {"ensp", U' '},
}};

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// The entity starting at html[at] == '&': what it means and how long it is (0 when it is not one).
std::pair<std::string, std::size_t> Entity(std::string_view html, std::size_t at) {
  const std::size_t end = html.find(';', at + 1);
  if (end == std::string_view::npos || end - at > 12 || end == at + 1) return {"&", 1};
  const std::string_view name = html.substr(at + 1, end - at - 1);
  std::string text;
  if (name[0] == '#') {
    char32_t code = 0;
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return {"&", 1};
    for (char c : digits) {
      const int value = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                        : hex && std::isxdigit(static_cast<unsigned char>(c))
                            ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                            : -1;
      if (value < 0) return {"&", 1};
      code = code * (hex ? 16 : 10) + static_cast<char32_t>(value);
      if (code > 0x10FFFF) return {"&", 1};
    }
    if (code == 0 || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
    if (code == 0xA0) code = U' ';
    if (code != 0x200B && code != 0x200C && code != 0xAD && code != 0xFEFF) AppendUtf8(text, code);
    return {text, end - at + 1};
  }
  for (const auto& [entity, code] : kEntities) {
    if (entity == name) {
      if (code != 0) AppendUtf8(text, code);
      return {text, end - at + 1};
    }
  }
  return {"&", 1};
}

// Builds lines of text: collapses spaces, prefixes quoted lines with "> ".
class TextBuilder {
 public:
  void Text(std::string_view text) {
    for (char c : text) {
      if (IsSpace(c)) {
        pending_space_ = !line_.empty();
        continue;
      }
      if (line_.empty()) {
        for (int i = 0; i < quote_depth_; ++i) line_ += "> ";
        content_start_ = line_.size();
      } else if (pending_space_) {
        line_.push_back(' ');
      }
      pending_space_ = false;
      line_.push_back(c);
    }
  }
  void Space() { pending_space_ = !line_.empty(); }
  void EndLine() {
    if (line_.size() > content_start_) {
      out_ += line_;
      out_.push_back('\n');
      blank_ = false;
    }
    line_.clear();
    content_start_ = 0;
    pending_space_ = false;
  }
  void EndParagraph() {
    EndLine();
    if (!blank_ && !out_.empty()) {
      out_.push_back('\n');
      blank_ = true;
    }
  }
  void Quote(int delta) {
    EndParagraph();
    quote_depth_ = std::max(0, std::min(quote_depth_ + delta, 8));
  }
  std::string Finish() {
    EndLine();
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    return out_;
  }

 private:
  std::string out_;
  std::string line_;
  std::size_t content_start_ = 0;
  bool pending_space_ = false;
  bool blank_ = true;
  int quote_depth_ = 0;
};

}  // namespace

std::string HtmlToText(std::string_view html) {
  TextBuilder text;
  std::string skipping;  // the element whose content is being skipped
  int skip_depth = 0;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        const std::size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      if (i + 1 < html.size() && (html[i + 1] == '!' || html[i + 1] == '?')) {
        const std::size_t end = html.find('>', i);
        i = end == std::string_view::npos ? html.size() : end + 1;
        continue;
      }
      std::size_t j = i + 1;
      const bool closing = j < html.size() && html[j] == '/';
      if (closing) ++j;
      const std::size_t name_start = j;
      while (j < html.size() &&
             (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == ':' || html[j] == '-')) {
        ++j;
      }
      if (j == name_start) {  // "a < b": a literal '<'
        if (skipping.empty()) text.Text("<");
        ++i;
        continue;
      }
      const std::string name = AsciiLower(html.substr(name_start, j - name_start));
      // The tag ends at the first '>' outside quoted attribute values.
      char quote = 0;
      std::size_t end = j;
      for (; end < html.size(); ++end) {
        if (quote != 0) {
          if (html[end] == quote) quote = 0;
        } else if (html[end] == '"' || html[end] == '\'') {
          quote = html[end];
        } else if (html[end] == '>') {
          break;
        }
      }
      const std::string_view attributes = html.substr(j, std::min(end, html.size()) - j);
      i = end == html.size() ? end : end + 1;
      const bool self_closing = !attributes.empty() && attributes.back() == '/';
      const bool opens = !closing && !self_closing && !IsVoid(name);

      if (!skipping.empty()) {
        if (name == skipping) {
          if (closing && --skip_depth == 0) skipping.clear();
          if (opens) ++skip_depth;
        }
        continue;
      }
      if (!closing && (IsInvisibleElement(name) || IsHidden(attributes))) {
        if (opens) {
          skipping = name;
          skip_depth = 1;
        }
        continue;
      }
      if (name == "br") {
        text.EndLine();
      } else if (name == "blockquote") {
        text.Quote(closing ? -1 : 1);
      } else if (name == "td" || name == "th") {
        text.Space();
      } else if (EndsParagraph(name)) {
        text.EndParagraph();
      } else if (EndsLine(name)) {
        text.EndLine();
      }
      continue;
    }
    if (!skipping.empty()) {
      ++i;
      continue;
    }
    if (c == '&') {
      const auto [decoded, length] = Entity(html, i);
      text.Text(decoded);  // zero-width entities decode to nothing
      i += length;
      continue;
    }
    const std::size_t next = html.find_first_of("<&", i);
    text.Text(html.substr(i, (next == std::string_view::npos ? html.size() : next) - i));
    i = next == std::string_view::npos ? html.size() : next;
  }
  return text.Finish();
}

}  // namespace sac::channels::email
