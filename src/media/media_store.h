// Media files on disk, content-addressed: a file's name is the SHA-256 of its bytes, under
// <dir>/<first two hex digits>/. The same photo sent twice is stored once; a stored file never
// changes; what a boleta has is recorded in PostgreSQL (boleta_media).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sac::media {

struct StoredFile {
  std::string sha256;  // lower-case hex
  std::size_t size = 0;
};

class MediaStore {
 public:
  explicit MediaStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Durable when it returns (written to a temporary file, fsync'd, renamed into place).
  // kUnavailable when the disk refuses (IsVolumeFull when for want of space).
  Result<StoredFile> Store(std::string_view bytes) const;

  std::filesystem::path PathOf(std::string_view sha256) const;
  // Deletes a stored file (a citizen's data cancelled); true if it was there. Names that are not
  // a SHA-256 are refused, so nothing outside the store can be named.
  bool Remove(std::string_view sha256) const;

 private:
  std::filesystem::path dir_;
};

// The volume (or the quota) is full: nothing is wrong with the file; it fits once there is room.
inline constexpr std::string_view kVolumeFull = "media volume full";
bool IsVolumeFull(const Error& error);

}  // namespace sac::media
