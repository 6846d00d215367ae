#include "channels/email/charset.h"

#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <optional>

namespace sac::channels::email {
namespace {

// What windows-1252 means by the bytes 0x80..0x9F (0 where it means nothing).
constexpr std::array<char16_t, 32> kWindows1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80..87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 88..8F
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90..97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 98..9F
};

std::string NormalisedLabel(std::string_view charset) {
  std::string label;
  for (char c : charset) {
    if (c == '"' || c == '\'' || c == ' ' || c == '\t') continue;
    label.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return label;
}

bool IsWindows1252Alias(std::string_view label) {
  for (std::string_view alias :
       {"iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1", "l1",
        "iso-ir-100", "cp819", "ibm819", "csisolatin1", "us-ascii", "ascii", "us", "ansi_x3.4-1968",
        "iso646-us", "windows-1252", "cp1252", "x-cp1252"}) {
    if (label == alias) return true;
  }
  return false;
}

// Labels whose text is not a superset of ASCII: pure-ASCII bytes still need converting.
bool IsAsciiIncompatible(std::string_view label) {
  return label.starts_with("utf-16") || label.starts_with("utf-32") || label.starts_with("utf-7") ||
         label.starts_with("ucs-") || label.starts_with("unicode");
}

bool IsAscii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool IsValidUtf8(std::string_view bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const auto length = static_cast<std::int32_t>(bytes.size());
  std::int32_t i = 0;
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(data, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};

// nullopt when ICU does not know the charset.
std::optional<std::string> Convert(std::string_view bytes, const std::string& charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> converter(ucnv_open(charset.c_str(), &status));
  if (U_FAILURE(status) || converter == nullptr) return std::nullopt;
  status = U_ZERO_ERROR;
  const icu::UnicodeString text(bytes.data(), static_cast<std::int32_t>(bytes.size()),
                                converter.get(), status);
  if (U_FAILURE(status)) return std::nullopt;
  std::string utf8;
  text.toUTF8String(utf8);
  return utf8;
}

void AppendUtf8(std::string& out, UChar32 c) {
  char buffer[4];
  std::int32_t length = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<std::uint8_t*>(buffer), length, 4, c, error);
  if (!error) out.append(buffer, static_cast<std::size_t>(length));
}

}  // namespace

std::string ToUtf8(std::string_view bytes, std::string_view charset) {
  // ICU counts in int32_t; mail bodies are far below that (the limit is 25 MiB).
  if (bytes.size() > 0x7FFFFFF0u) bytes = bytes.substr(0, 0x7FFFFFF0u);
  const std::string label = NormalisedLabel(charset);
  if (IsAscii(bytes) && !IsAsciiIncompatible(label)) return CleanText(bytes);
  if (label == "utf-8" || label == "utf8") return CleanText(bytes);  // invalid bytes → U+FFFD
  if (!IsWindows1252Alias(label) && !label.empty() && label.size() <= 64) {
    if (auto converted = Convert(bytes, label)) return CleanText(*converted);
  }
  // Valid UTF-8 with non-ASCII bytes is almost never meant as Latin-1 ("Ã³" for "ó"): clients
  // that forget to relabel forwarded text get it right this way.
  if (IsValidUtf8(bytes)) return CleanText(bytes);
  auto converted = Convert(bytes, "windows-1252");
  return CleanText(converted ? *converted : bytes);
}

std::string FixC1Controls(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  const auto* data = reinterpret_cast<const std::uint8_t*>(utf8.data());
  const auto length = static_cast<std::int32_t>(utf8.size());
  std::int32_t i = 0;
  while (i < length) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(data, i, length, c);
    if (c >= 0x80 && c <= 0x9F) {
      if (const char16_t mapped = kWindows1252High[static_cast<std::size_t>(c - 0x80)]) {
        AppendUtf8(out, mapped);
      }
      continue;
    }
    out.append(utf8.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
  }
  return out;
}

std::string CleanText(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  const auto* data = reinterpret_cast<const std::uint8_t*>(utf8.data());
  const auto length = static_cast<std::int32_t>(std::min<std::size_t>(utf8.size(), 0x7FFFFFF0u));
  std::int32_t i = 0;
  while (i < length) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(data, i, length, c);
    if (c < 0) {
      AppendUtf8(out, 0xFFFD);
    } else if (c == '\r') {
      out.push_back('\n');
      if (i < length && data[i] == '\n') ++i;
    } else if (c == '\n' || c == '\t') {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
      // controls (NUL included) say nothing to a reader and break PostgreSQL text
    } else if (c == 0x2028 || c == 0x2029) {
      out.push_back('\n');
    } else if (c == 0xFEFF || c == 0x200B || c == 0x200C || c == 0x00AD || c == 0xFFFE ||
               c == 0xFFFF) {
      // zero-width marks and BOMs: HTML preheaders are padded with them
    } else {
      out.append(utf8.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    }
  }
  return out;
}

}  // namespace sac::channels::email
