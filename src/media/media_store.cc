#include "media/media_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "crypto/digest.h"

namespace sac::media {
namespace {

Error DiskError(const std::string& what, int error) {
  const bool full = error == ENOSPC || error == EDQUOT;
  return MakeError(Errc::kUnavailable,
                   (full ? std::string(kVolumeFull) + ": " : std::string()) + what + ": " +
                       std::strerror(error));
}

// Writes all of `bytes` to `fd`, retrying short writes.
bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

}  // namespace

std::filesystem::path MediaStore::PathOf(std::string_view sha256) const {
  return dir_ / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

Result<StoredFile> MediaStore::Store(std::string_view bytes) const {
  StoredFile stored{crypto::Sha256Hex(bytes), bytes.size()};
  const std::filesystem::path path = PathOf(stored.sha256);
  std::error_code error;
  if (std::filesystem::exists(path, error)) return stored;  // the same content, already kept
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) return DiskError("cannot create " + path.parent_path().string(), error.value());

  std::string temporary = path.string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    const int failed = errno;
    return DiskError("cannot create a file in " + path.parent_path().string(), failed);
  }
  bool ok = WriteAll(fd, bytes) && ::fsync(fd) == 0;
  int failed = ok ? 0 : errno;
  ::close(fd);
  if (ok && ::rename(temporary.c_str(), path.c_str()) != 0) {
    ok = false;
    failed = errno;
  }
  if (!ok) {
    const Error failure = DiskError("cannot store media " + stored.sha256, failed);
    ::unlink(temporary.c_str());
    return failure;
  }
  // The rename itself must survive a crash: sync the directory entry.
  if (const int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return stored;
}

bool MediaStore::Remove(std::string_view sha256) const {
  if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return false;
  }
  std::error_code error;
  return std::filesystem::remove(PathOf(sha256), error);
}

bool IsVolumeFull(const Error& error) { return error.message.starts_with(kVolumeFull); }

}  // namespace sac::media
