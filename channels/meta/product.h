// The two Meta messaging products SAC speaks, and the little that differs between them on the
// wire. Everything else (signature, handshake, `messaging[]` events, the Send API) is shared.
#pragma once

#include <cstddef>
#include <limits>
#include <string_view>

namespace sac::channels::meta {

struct Product {
  std::string_view channel;  // Channel::Name(): the webhook route and every stored row's channel
  std::string_view object;   // the webhook body's "object"
  // The Send API's text limits: Messenger counts characters, Instagram also bytes.
  std::size_t max_text_chars;
  std::size_t max_text_bytes;
};

inline constexpr Product kMessenger{"messenger", "page", 2000,
                                    std::numeric_limits<std::size_t>::max()};
inline constexpr Product kInstagram{"instagram", "instagram", 1000, 1000};

}  // namespace sac::channels::meta
