#include "channels/common/split_text.h"

namespace sac::channels {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Byte offset just past the first `count` characters of `text` (or its end).
std::size_t AfterCharacters(std::string_view text, std::size_t count) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < text.size() && seen < count; ++seen) {
    ++i;
    while (i < text.size() && IsContinuationByte(text[i])) ++i;
  }
  return i;
}

// The best place to cut within text[0, limit): after a paragraph, a sentence, a word.
std::size_t CutPoint(std::string_view text, std::size_t limit) {
  const std::string_view window = text.substr(0, limit);
  for (std::string_view breaks : {"\n\n", "\n", ". "}) {
    const std::size_t at = window.rfind(breaks);
    // Only in the second half: a paragraph cut near the start makes a needlessly short piece.
    if (at != std::string_view::npos && at >= limit / 2) return at + breaks.size();
  }
  const std::size_t space = window.rfind(' ');
  return space != std::string_view::npos && space > 0 ? space + 1 : limit;
}

}  // namespace

std::vector<std::string> SplitText(std::string_view text, std::size_t max_chars) {
  std::vector<std::string> pieces;
  while (!text.empty()) {
    const std::size_t limit = AfterCharacters(text, max_chars);
    const std::size_t cut = limit == text.size() ? limit : CutPoint(text, limit);
    std::string piece(text.substr(0, cut));
    while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\n')) piece.pop_back();
    if (!piece.empty()) pieces.push_back(std::move(piece));
    text.remove_prefix(cut);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  }
  return pieces;
}

std::size_t CountCharacters(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) count += IsContinuationByte(c) ? 0 : 1;
  return count;
}

std::string FirstCharacters(std::string_view text, std::size_t max_chars) {
  return std::string(text.substr(0, AfterCharacters(text, max_chars)));
}

}  // namespace sac::channels
