#include "channels/common/split_text.h"

#include <gtest/gtest.h>

namespace sac::channels {
namespace {

TEST(SplitTextTest, ShortTextIsOnePiece) {
  EXPECT_EQ(SplitText("hola", 10), std::vector<std::string>{"hola"});
  EXPECT_TRUE(SplitText("", 10).empty());
}

TEST(SplitTextTest, CutsAtSentencesThenWords) {
  EXPECT_EQ(SplitText("Primera frase. Segunda frase.", 20),
            (std::vector<std::string>{"Primera frase.", "Segunda frase."}));
  EXPECT_EQ(SplitText("una dos tres cuatro", 10),
            (std::vector<std::string>{"una dos", "tres", "cuatro"}));
}

TEST(SplitTextTest, CountsCharactersNotBytesAndNeverCutsAMultibyteLetter) {
  const std::string text = "ñañañañaña";  // 10 characters, 15 bytes
  EXPECT_EQ(SplitText(text, 10).size(), 1u);
  const auto pieces = SplitText(text, 4);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0], "ñaña");
  EXPECT_EQ(pieces[2], "ña");
}

}  // namespace
}  // namespace sac::channels
