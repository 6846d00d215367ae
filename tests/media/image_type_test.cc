#include "media/image_type.h"

#include <gtest/gtest.h>

namespace sac::media {
namespace {

TEST(ImageTypeTest, KnowsPhotosByTheirFirstBytes) {
  EXPECT_EQ(ImageTypeOf("\xFF\xD8\xFF\xE0 jfif"), "image/jpeg");
  EXPECT_EQ(ImageTypeOf(std::string_view("\x89PNG\r\n\x1A\n\0\0", 10)), "image/png");
  EXPECT_EQ(ImageTypeOf("GIF89a..."), "image/gif");
  EXPECT_EQ(ImageTypeOf(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
}

TEST(ImageTypeTest, RefusesEverythingElseWhateverItsName) {
  EXPECT_EQ(ImageTypeOf("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>"), std::nullopt);
  EXPECT_EQ(ImageTypeOf("<html><script>alert(1)</script>"), std::nullopt);
  EXPECT_EQ(ImageTypeOf("%PDF-1.7"), std::nullopt);
  EXPECT_EQ(ImageTypeOf("\xFF\xD8"), std::nullopt) << "too short to be a JPEG";
  EXPECT_EQ(ImageTypeOf(std::string_view("RIFF\x10\0\0\0WAVE", 12)), std::nullopt);
  EXPECT_EQ(ImageTypeOf(""), std::nullopt);
}

TEST(ImageTypeTest, ACitizensFileKeepsTheTypeItsBytesShowWhenItClaimsOrIsAnImage) {
  EXPECT_EQ(TypeToKeep("image/jpeg", "<html><script>alert(1)</script>"), "application/octet-stream")
      << "a claimed photo that is not one is never shown inline";
  EXPECT_EQ(TypeToKeep("image/jpeg", "\x89PNG\r\n\x1A\n...."), "image/png");
  EXPECT_EQ(TypeToKeep("application/octet-stream", "\xFF\xD8\xFF\xE0 jfif"), "image/jpeg")
      << "a photo sent as a document is a photo";
  EXPECT_EQ(TypeToKeep("image/svg+xml", "<svg><script>"), "image/svg+xml")
      << "never inline anyway: its own type stays for staff to read";
  EXPECT_EQ(TypeToKeep("audio/ogg", "OggS...."), "audio/ogg");
  EXPECT_EQ(TypeToKeep("", "PK\x03\x04"), "");
}

}  // namespace
}  // namespace sac::media
