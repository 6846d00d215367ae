// Providers cap one message's length (Telegram 4,096 characters, Messenger 2,000, Twilio 1,600):
// a longer reply goes out as several messages, cut at a paragraph, sentence or word break.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sac::channels {

// Pieces of at most `max_chars` Unicode characters each, in order; never cuts inside a UTF-8
// sequence. One piece when the text fits.
std::vector<std::string> SplitText(std::string_view text, std::size_t max_chars);

// How many Unicode characters UTF-8 text has: what providers count against their limits.
std::size_t CountCharacters(std::string_view text);

// The first `max_chars` characters of UTF-8 text (all of it when shorter), never cutting one.
std::string FirstCharacters(std::string_view text, std::size_t max_chars);

}  // namespace sac::channels
