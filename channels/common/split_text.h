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

}  // namespace sac::channels
