// Text in whatever charset a mail says it uses → UTF-8 (ICU). Mail lies about charsets: Outlook
// labels Windows-1252 text (its curly quotes 0x93/0x94) as iso-8859-1, old clients send 8-bit
// bytes labelled us-ascii, and some labels name nothing at all. Decoding never fails; it does
// its best and marks what it cannot read with U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace sac::channels::email {

// `bytes` in `charset` (a MIME label, any case) as UTF-8. iso-8859-1, latin1 and us-ascii are read
// as windows-1252, as the WHATWG Encoding standard does, unless the bytes are valid UTF-8 (a
// client that forgot to relabel); a missing or unknown label is read as UTF-8 when the bytes are
// valid UTF-8, else as windows-1252.
std::string ToUtf8(std::string_view bytes, std::string_view charset);

// UTF-8 text that was decoded as ISO-8859-1 somewhere else (GMime decodes RFC 2047 words with
// iconv): the C1 controls U+0080..U+009F it may contain are what windows-1252 means by those
// bytes (U+0093 → “). The same as having decoded it as windows-1252 in the first place.
std::string FixC1Controls(std::string_view utf8);

// Text fit for the inbox (PostgreSQL text and jsonb refuse NUL): control characters other than
// tab and newline removed, CR LF and lone CR turned into LF, invalid UTF-8 replaced.
std::string CleanText(std::string_view utf8);

}  // namespace sac::channels::email
