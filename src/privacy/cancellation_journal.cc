#include "privacy/cancellation_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>

#include "privacy/citizen_rights.h"

namespace sac::privacy {
namespace {

// $1 id, $2 created (µs): the citizen, still with their data.
constexpr storage::Statement kBroughtBack{
    "privacy.journal_brought_back",
    "SELECT 1 FROM citizen WHERE id = $1 AND cancelled_at IS NULL"
    "  AND (extract(epoch FROM created_at) * 1000000)::bigint = $2"};

std::optional<std::int64_t> Number(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Status CancellationJournal::Record(const JournalEntry& entry, TimePoint at) const {
  std::error_code ignored;
  if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path(), ignored);
  // "<id>\t<created µs>\t<motive>\t<when, unix s>\n": one write, so lines never interleave.
  const std::string line =
      std::to_string(entry.citizen_id) + '\t' + std::to_string(entry.citizen_created_us) + '\t' +
      entry.motive + '\t' +
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count()) +
      '\n';
  const bool created = !std::filesystem::exists(file_, ignored);
  const int fd = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return MakeError(Errc::kUnavailable, "cannot open the cancellation journal " + file_.string() +
                                             ": " + std::strerror(errno));
  }
  // One writer at a time (sac serve's retention and a `sac citizen cancel` may both append), so a
  // line taken back below is never someone else's.
  const bool locked = ::flock(fd, LOCK_EX) == 0;
  struct stat before {};
  const bool sized = locked && ::fstat(fd, &before) == 0;
  errno = 0;
  const bool written = sized &&
                       ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  const int saved = errno;
  // A line cut short (a full disk) is taken back, so the next one starts on a line of its own.
  if (!written && sized) (void)::ftruncate(fd, before.st_size);
  ::close(fd);
  if (!written) {
    return MakeError(Errc::kUnavailable,
                     "cannot write the cancellation journal " + file_.string() + ": " +
                         (saved != 0 ? std::strerror(saved) : "short write"));
  }
  if (created && file_.has_parent_path()) {
    // The new file's name must survive a crash too.
    const int dir = ::open(file_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      (void)::fsync(dir);
      ::close(dir);
    }
  }
  return {};
}

Result<std::vector<JournalEntry>> CancellationJournal::Read() const {
  std::vector<JournalEntry> entries;
  std::ifstream in(file_);
  if (!in) {
    if (!std::filesystem::exists(file_)) return entries;
    return MakeError(Errc::kUnavailable, "cannot read the cancellation journal " + file_.string());
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::vector<std::string_view> fields;
    std::string_view rest = line;
    for (std::size_t tab; (tab = rest.find('\t')) != std::string_view::npos; rest.remove_prefix(tab + 1)) {
      fields.push_back(rest.substr(0, tab));
    }
    fields.push_back(rest);
    const auto id = fields.size() == 4 ? Number(fields[0]) : std::nullopt;
    const auto created = fields.size() == 4 ? Number(fields[1]) : std::nullopt;
    if (!id || !created) {
      // A line cut short by a crash mid-write is the only way to get one; say where.
      return MakeError(Errc::kInvalidArgument,
                       file_.string() + ":" + std::to_string(number) + ": not a journal line");
    }
    entries.push_back({*id, *created, std::string(fields[2])});
  }
  return entries;
}

Result<Reapplied> ReapplyCancellations(storage::Database& database, const media::MediaStore& media,
                                       const CancellationJournal& journal, const std::string& actor,
                                       TimePoint now) {
  auto entries = journal.Read();
  if (!entries) return entries.error();
  Reapplied done;
  for (const JournalEntry& entry : *entries) {
    std::vector<std::string> files;
    auto cancelled = database.Transact([&](storage::Tx& tx) -> Result<bool> {
      files.clear();
      if (tx.Exec(kBroughtBack, {entry.citizen_id, entry.citizen_created_us}).empty()) return false;
      // Not journalled again: the entry that caused this is already there.
      auto result = CancelCitizen(tx, entry.citizen_id, actor, now, entry.motive, nullptr);
      if (!result) return result.error();
      files = std::move(result->files_to_delete);
      return true;
    });
    if (!cancelled) return cancelled.error();
    if (!*cancelled) continue;
    ++done.citizens;
    for (const std::string& sha : files) done.files += media.Remove(sha) ? 1 : 0;
  }
  return done;
}

}  // namespace sac::privacy
