// Reading untrusted JSON (provider webhooks and API answers) with simdjson's DOM, behind a few
// helpers that return optionals instead of throwing. Depth is capped so a 100,000-level `[[[`
// body is an error, not a stack overflow.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sac::json {

inline constexpr std::size_t kMaxDepth = 64;

using Element = simdjson::dom::element;

// Parses `text` with this thread's parser. The element stays valid until the next Parse on the
// same thread: copy what you need out of it first. kInvalidArgument on malformed JSON, invalid
// UTF-8 or nesting deeper than kMaxDepth.
Result<Element> Parse(std::string_view text);

std::optional<Element> Field(Element object, std::string_view key);
std::optional<simdjson::dom::array> Array(Element object, std::string_view key);
std::optional<std::string_view> String(Element object, std::string_view key);
// A number, or a string of digits (WhatsApp sends timestamps as strings).
std::optional<std::int64_t> Integer(Element object, std::string_view key);
std::optional<double> Number(Element object, std::string_view key);
std::optional<bool> Bool(Element object, std::string_view key);

// The text with NUL characters removed: PostgreSQL text and jsonb cannot hold U+0000.
std::string CleanText(std::string_view text);

}  // namespace sac::json
