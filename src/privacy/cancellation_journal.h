// Cancellations outlive backups. A backup taken before a citizen's data was cancelled holds that
// data; restoring it would bring them back. So every cancellation is also written to a journal
// outside the database — one line per citizen, no personal data — and `sac citizen
// reapply-cancellations` cancels again, after a restore, every journalled citizen the restore
// brought back. An ARCO request is journalled before its transaction commits (the citizen asked:
// a line for a cancellation that then failed only repeats their wish); retention's, after (a
// citizen who wrote again meanwhile must not be cancelled by a restore; a line lost to a crash is
// made good by the next day's run).
//
// A citizen is named by id and by the instant their record was created (microseconds): after a
// restore the id sequence restarts where the backup left it, and a new citizen may get an id that
// once belonged to a cancelled one; only both together name the same person.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "media/media_store.h"
#include "storage/database.h"

namespace sac::privacy {

struct JournalEntry {
  std::int64_t citizen_id = 0;
  std::int64_t citizen_created_us = 0;  // citizen.created_at, microseconds since the epoch
  std::string motive;                   // "solicitud" or "conservacion"
};

class CancellationJournal {
 public:
  explicit CancellationJournal(std::filesystem::path file) : file_(std::move(file)) {}

  // Appends the entry and flushes it to disk (the directory is made if missing); kUnavailable when
  // it cannot — the cancellation must then not commit.
  Status Record(const JournalEntry& entry, TimePoint at) const;
  // Every entry, in order; none when the file does not exist. kInvalidArgument names a bad line.
  Result<std::vector<JournalEntry>> Read() const;
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

struct Reapplied {
  int citizens = 0;  // cancelled again
  int files = 0;     // deleted from the media store
};

// Cancels again every journalled citizen that exists with the same creation instant and is not
// cancelled (a restore brought them back); the others are skipped. Run after a restore, before
// SAC serves again. Recorded as a cancellation by `actor` with the journalled motive.
Result<Reapplied> ReapplyCancellations(storage::Database& database, const media::MediaStore& media,
                                       const CancellationJournal& journal, const std::string& actor,
                                       TimePoint now);

}  // namespace sac::privacy
