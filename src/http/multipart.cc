#include "http/multipart.h"

#include <cctype>

#include "core/http_message.h"

namespace sac::http {
namespace {

// The value of `key` among "; key=value" or "; key="quoted value"" parameters; "" when absent.
std::string Parameter(std::string_view header, std::string_view key) {
  std::size_t at = header.find(';');
  while (at != std::string_view::npos) {
    std::string_view rest = TrimOws(header.substr(at + 1));
    const auto equals = rest.find('=');
    if (equals == std::string_view::npos) return "";
    const std::string_view name = TrimOws(rest.substr(0, equals));
    rest = TrimOws(rest.substr(equals + 1));
    std::string value;
    std::size_t consumed = 0;
    if (!rest.empty() && rest.front() == '"') {
      std::size_t i = 1;
      // Browsers percent-encode a quote inside a filename (%22) and send backslashes as they
      // are, so a backslash is not an escape here.
      for (; i < rest.size() && rest[i] != '"'; ++i) value += rest[i];
      consumed = i + 1;
    } else {
      consumed = std::min(rest.find(';'), rest.size());
      value = std::string(TrimOws(rest.substr(0, consumed)));
    }
    if (EqualsIgnoreCase(name, key)) return value;
    const std::size_t next = consumed < rest.size() ? rest.find(';', consumed) : std::string_view::npos;
    if (next == std::string_view::npos) return "";
    header = rest.substr(next);
    at = 0;
  }
  return "";
}

Error Malformed(std::string what) {
  return MakeError(Errc::kInvalidArgument, "multipart mal formado: " + std::move(what));
}

}  // namespace

std::string MultipartBoundary(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  if (!EqualsIgnoreCase(TrimOws(content_type.substr(0, semicolon)), "multipart/form-data")) return "";
  std::string boundary = Parameter(content_type, "boundary");
  if (boundary.size() > 70) return "";  // RFC 2046's limit
  return boundary;
}

Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type,
                                                  std::string_view body, std::size_t max_parts) {
  const std::string boundary = MultipartBoundary(content_type);
  if (boundary.empty()) return Malformed("falta el boundary");
  const std::string delimiter = "--" + boundary;
  std::size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return Malformed("no aparece el boundary");
  std::vector<MultipartPart> parts;
  at += delimiter.size();
  while (true) {
    if (body.substr(at, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") return Malformed("delimitador sin salto de línea");
    at += 2;
    const auto headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return Malformed("parte sin fin de encabezados");
    MultipartPart part;
    std::string_view headers = body.substr(at, headers_end - at);
    while (!headers.empty()) {
      const auto line_end = std::min(headers.find("\r\n"), headers.size());
      const std::string_view line = headers.substr(0, line_end);
      headers.remove_prefix(std::min(line_end + 2, headers.size()));
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) return Malformed("encabezado sin ':'");
      const std::string_view name = TrimOws(line.substr(0, colon));
      const std::string_view value = TrimOws(line.substr(colon + 1));
      if (EqualsIgnoreCase(name, "Content-Disposition")) {
        part.name = Parameter(value, "name");
        part.filename = Parameter(value, "filename");
      } else if (EqualsIgnoreCase(name, "Content-Type")) {
        part.content_type = std::string(value);
      }
    }
    if (part.name.empty()) return Malformed("parte sin nombre");
    const std::size_t data_start = headers_end + 4;
    const auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return Malformed("parte sin terminar");
    part.data = body.substr(data_start, next - data_start);
    if (parts.size() == max_parts) return Malformed("demasiadas partes");
    parts.push_back(std::move(part));
    at = next + 2 + delimiter.size();
  }
}

}  // namespace sac::http
