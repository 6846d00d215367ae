#include "media/media_store.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

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

// Bad input #34, the media volume: a photo that does not fit is refused as unavailable (the
// download is retried later; the message it belongs to is already stored), no partial file is
// left, and what fits is still stored. The test mounts a 1 MB tmpfs of its own (root only).
TEST(MediaStoreTest, AFullVolumeIsUnavailableAndLeavesNothingHalfWritten) {
  const auto dir = std::filesystem::temp_directory_path() / ("sac_media_full_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  if (::geteuid() != 0 || ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=1m,mode=0700") != 0) {
    std::filesystem::remove_all(dir);
    GTEST_SKIP() << "cannot mount a volume for the test (not root)";
  }
  const MediaStore store(dir);
  auto refused = store.Store(std::string(2 * 1024 * 1024, 'x'));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kUnavailable) << refused.error().message;
  EXPECT_TRUE(IsVolumeFull(refused.error())) << refused.error().message;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    files += entry.is_regular_file();
  }
  EXPECT_EQ(files, 0u) << "the half-written file is removed";
  auto small = store.Store("una foto pequeña");
  EXPECT_TRUE(small) << "what fits is still stored";
  ::umount2(dir.c_str(), MNT_DETACH);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sac::media
