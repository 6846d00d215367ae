#include "channels/email/form_data.h"

#include <cctype>

#include "core/ascii.h"

namespace sac::channels::email {
namespace {

constexpr std::size_t kMaxPartHeaderBytes = 8 * 1024;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A parameter of a header value: `name="quoted \"value\""` or `name=token`; RFC 5987's
// `name*=utf-8''percent%20encoded` wins over the plain one.
std::string Parameter(std::string_view value, std::string_view name) {
  const std::string lower = AsciiLower(value);
  std::string plain;
  std::string extended;
  for (std::size_t at = lower.find(name); at != std::string::npos; at = lower.find(name, at + 1)) {
    if (at > 0 && lower[at - 1] != ';' && lower[at - 1] != ' ' && lower[at - 1] != '\t') continue;
    std::size_t i = at + name.size();
    const bool star = i < value.size() && value[i] == '*';
    if (star) ++i;
    while (i < value.size() && value[i] == ' ') ++i;
    if (i >= value.size() || value[i] != '=') continue;
    ++i;
    while (i < value.size() && value[i] == ' ') ++i;
    std::string parsed;
    if (i < value.size() && value[i] == '"') {
      for (++i; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        parsed.push_back(value[i]);
      }
    } else {
      for (; i < value.size() && value[i] != ';'; ++i) parsed.push_back(value[i]);
      parsed = std::string(Trim(parsed));
    }
    if (!star) {
      if (plain.empty()) plain = std::move(parsed);
      continue;
    }
    // charset'language'percent-encoded; only UTF-8 and ASCII are read.
    const std::size_t quote = parsed.find('\'');
    const std::size_t second = quote == std::string::npos ? quote : parsed.find('\'', quote + 1);
    if (second == std::string::npos) continue;
    std::string decoded;
    for (std::size_t k = second + 1; k < parsed.size(); ++k) {
      if (parsed[k] == '%' && k + 2 < parsed.size() && HexValue(parsed[k + 1]) >= 0 &&
          HexValue(parsed[k + 2]) >= 0) {
        decoded.push_back(static_cast<char>(HexValue(parsed[k + 1]) * 16 + HexValue(parsed[k + 2])));
        k += 2;
      } else {
        decoded.push_back(parsed[k]);
      }
    }
    extended = std::move(decoded);
  }
  return extended.empty() ? plain : extended;
}

Error Malformed(const std::string& what) {
  return MakeError(Errc::kInvalidArgument, "malformed multipart/form-data: " + what);
}

}  // namespace

std::string MultipartBoundary(std::string_view content_type) {
  std::string boundary = Parameter(content_type, "boundary");
  return boundary.size() > 200 ? std::string() : boundary;
}

Result<std::vector<FormField>> ParseFormData(std::string_view body, std::string_view boundary,
                                             std::size_t max_fields) {
  if (boundary.empty()) return Malformed("no boundary");
  const std::string delimiter = "--" + std::string(boundary);
  // The first delimiter opens the body (a preamble before it is ignored, as RFC 2046 says).
  std::size_t at = 0;
  if (!body.starts_with(delimiter)) {
    const std::size_t first = body.find("\n" + delimiter);
    if (first == std::string_view::npos) return Malformed("the boundary never appears");
    at = first + 1;
  }
  std::vector<FormField> fields;
  while (true) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") return fields;  // the close delimiter
    // Transport padding, then the line end of the delimiter line.
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (body.substr(at, 2) == "\r\n") {
      at += 2;
    } else if (body.substr(at, 1) == "\n") {
      at += 1;
    } else {
      return Malformed("a delimiter is not followed by a line end");
    }
    if (fields.size() >= max_fields) return Malformed("more than " + std::to_string(max_fields) + " fields");

    FormField field;
    bool named = false;
    // The part's header lines, up to the blank line.
    while (true) {
      const std::size_t end = body.find('\n', at);
      if (end == std::string_view::npos || end - at > kMaxPartHeaderBytes) {
        return Malformed("part headers never end");
      }
      const std::string_view line = Trim(body.substr(at, end - at));
      at = end + 1;
      if (line.empty()) break;
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return Malformed("a part header without a colon");
      const std::string name = AsciiLower(Trim(line.substr(0, colon)));
      const std::string_view value = Trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        if (!AsciiLower(value).starts_with("form-data")) return Malformed("a part that is not form-data");
        field.name = Parameter(value, "name");
        field.filename = Parameter(value, "filename");
        named = true;
      } else if (name == "content-type") {
        field.content_type = std::string(value);
      }
    }
    if (!named) return Malformed("a part without Content-Disposition");
    // The value runs to the line end before the next delimiter.
    const std::size_t next = body.find("\n" + delimiter, at);
    if (next == std::string_view::npos) return Malformed("the last part is not closed");
    std::size_t value_end = next;
    if (value_end > at && body[value_end - 1] == '\r') --value_end;
    field.value = std::string(body.substr(at, value_end - at));
    fields.push_back(std::move(field));
    at = next + 1;
  }
}

const FormField* FindField(const std::vector<FormField>& fields, std::string_view name) {
  for (const FormField& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

}  // namespace sac::channels::email
