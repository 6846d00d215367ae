#include "media/media_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "crypto/digest.h"

namespace sac::media {
namespace {

TEST(MediaStoreTest, StoresByContentOnceAndPrivately) {
  const auto dir = std::filesystem::temp_directory_path() / ("sac_media_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  const MediaStore store(dir);
  const std::string bytes("\x89PNG\r\n\x1a\n\0datos", 13);
  auto stored = store.Store(bytes);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->sha256, crypto::Sha256Hex(bytes));
  EXPECT_EQ(stored->size, 13u);
  const auto path = store.PathOf(stored->sha256);
  EXPECT_EQ(path, dir / stored->sha256.substr(0, 2) / stored->sha256);
  std::ifstream in(path, std::ios::binary);
  std::stringstream read;
  read << in.rdbuf();
  EXPECT_EQ(read.str(), bytes);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0077, 0u) << "citizens' photos are readable by the service only";

  auto again = store.Store(bytes);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sha256, stored->sha256);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    files += entry.is_regular_file();
  }
  EXPECT_EQ(files, 1u) << "no temporary files left behind, no copy";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sac::media
