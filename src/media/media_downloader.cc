#include "media/media_downloader.h"

#include "conversation/replies.h"
#include "media/image_type.h"
#include "observability/log.h"
#include "outbox/outbox_writer.h"

namespace sac::media {
namespace {

using storage::Statement;
using storage::Tx;

const log::Logger& Log() {
  static const log::Logger logger("media");
  return logger;
}

// $1 now, $2 lease (ms).
constexpr Statement kClaim{
    "media.claim",
    "WITH next AS ("
    "  SELECT id FROM boleta_media WHERE download_state = 'pending' AND next_attempt_at <= $1"
    "  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
    "UPDATE boleta_media m SET attempts = m.attempts + 1,"
    "  next_attempt_at = $1::timestamptz + $2::float8 * interval '1 millisecond' "
    "FROM next, boleta b WHERE m.id = next.id AND b.id = m.boleta_id "
    // The channel the file came through (NULL before migration 0039: the boleta's).
    "RETURNING m.id, coalesce(m.channel, b.channel), m.provider_media_id, m.attempts,"
    "  m.mime_type, b.id, b.folio"};

// Whether another file of the boleta was already found too large (its citizen was told then).
// The boleta's row is locked first, so that two of its files found too large at once by two
// workers tell the citizen once. $1 boleta id, $2 this file
constexpr Statement kLockBoleta{"media.lock_boleta",
                                "SELECT 1 FROM boleta WHERE id = $1 FOR NO KEY UPDATE"};
constexpr Statement kToldTooLarge{
    "media.told_too_large",
    "SELECT 1 FROM boleta_media WHERE boleta_id = $1 AND id <> $2 AND download_state = 'too_large'"
    " LIMIT 1"};

// $1 id, $2 now, $3 sha256, $4 size, $5 the type to keep (TypeToKeep)
constexpr Statement kStored{
    "media.stored",
    "UPDATE boleta_media SET download_state = 'stored', file_sha256 = $3, size_bytes = $4,"
    "  mime_type = $5,"
    "  downloaded_at = $2,"
    // Only a download still wanted: a citizen's data cancelled meanwhile stays cancelled.
    "  last_error = NULL WHERE id = $1 AND download_state = 'pending'"};

// $1 id, $2 now, $3 error, $4 wait (ms)
constexpr Statement kRetry{
    "media.retry",
    "UPDATE boleta_media SET last_error = $3,"
    "  next_attempt_at = $2::timestamptz + $4::float8 * interval '1 millisecond' WHERE id = $1"};

// Our own disk is full: not the download's fault, so the attempt is given back and the file
// fetched again once there is room, however long that takes. (Any other refusal of the disk —
// permissions, a read-only mount — is retried and given up on like a failed download.)
// $1 id, $2 now, $3 error, $4 wait (ms)
constexpr Statement kWaitForRoom{
    "media.wait_for_room",
    "UPDATE boleta_media SET attempts = greatest(attempts - 1, 0), last_error = $3,"
    "  next_attempt_at = $2::timestamptz + $4::float8 * interval '1 millisecond' WHERE id = $1"};
constexpr std::chrono::milliseconds kWaitForRoomInterval{60000};

// $1 id, $2 state ('failed', 'blocked' or 'too_large'), $3 error
constexpr Statement kGiveUp{
    "media.give_up",
    // Only a download still wanted: a citizen's data cancelled meanwhile stays cancelled.
    "UPDATE boleta_media SET download_state = $2, last_error = $3"
    "  WHERE id = $1 AND download_state = 'pending' RETURNING id"};

struct Claimed {
  std::int64_t id = 0;
  std::string channel;
  std::string provider_media_id;
  int attempts = 0;
  std::string declared_type;  // what the message said; '' when it said nothing
  std::int64_t boleta_id = 0;
  std::string folio;
};

}  // namespace

MediaDownloader::MediaDownloader(storage::Database& database,
                                 std::map<std::string, Channel*, std::less<>> channels,
                                 std::vector<std::string> open311_media_hosts,
                                 const MediaStore& store, FetchLimits limits,
                                 QueueSettings settings, const Clock& clock)
    : database_(database),
      channels_(std::move(channels)),
      open311_media_hosts_(std::move(open311_media_hosts)),
      store_(store),
      limits_(limits),
      settings_(settings),
      clock_(clock),
      workers_(settings.workers, settings.poll_interval, [this] {
        auto found = RunOnce();
        return found && *found;
      }) {}

MediaDownloader::~MediaDownloader() { Stop(); }

void MediaDownloader::Start() { workers_.Start(); }
void MediaDownloader::Stop() { workers_.Stop(); }
void MediaDownloader::Wake() { workers_.Wake(); }

Result<bool> MediaDownloader::RunOnce() {
  auto claimed = database_.Transact([&](Tx& tx) -> std::optional<Claimed> {
    const auto rows =
        tx.Exec(kClaim, {clock_.Now(), static_cast<double>(kDownloadLease.count())});
    if (rows.empty()) return std::nullopt;
    const auto row = rows.at(0);
    return Claimed{row.Int(0), row.Text(1), row.Text(2), static_cast<int>(row.Int(3)),
                   row.Text(4), row.Int(5), row.Text(6)};
  });
  if (!claimed) {
    Log().Warn("cannot claim media downloads", {{"error", claimed.error().message}});
    return claimed.error();
  }
  if (!*claimed) return false;
  const Claimed& item = **claimed;

  // Where the file is: an Open311 app gives its URL; a messaging channel is asked.
  Result<MediaSource> source = MakeError(Errc::kInvalidArgument, "no channel " + item.channel);
  if (item.channel == "open311") {
    source = MediaSource{item.provider_media_id, {}, open311_media_hosts_};
  } else if (const auto channel = channels_.find(item.channel); channel != channels_.end()) {
    source = channel->second->LocateMedia(item.provider_media_id);
  } else {
    source = MakeError(Errc::kUnavailable, "channel " + item.channel + " is not enabled");
  }
  Result<FetchedMedia> fetched = source ? FetchMedia(*source, limits_) : Result<FetchedMedia>(source.error());
  Result<StoredFile> stored = fetched ? store_.Store(fetched->bytes) : Result<StoredFile>(fetched.error());

  const TimePoint now = clock_.Now();
  std::string outcome;
  auto recorded = database_.Transact([&](Tx& tx) {
    if (stored) {
      const std::string declared =
          item.declared_type.empty() ? fetched->content_type : item.declared_type;
      tx.Exec(kStored, {item.id, now, stored->sha256, static_cast<std::int64_t>(stored->size),
                        TypeToKeep(declared, fetched->bytes)});
      outcome = "stored";
      return;
    }
    const Error& error = stored.error();
    if (fetched && IsVolumeFull(error)) {
      tx.Exec(kWaitForRoom, {item.id, now, error.message,
                             static_cast<double>(kWaitForRoomInterval.count())});
      outcome = "waiting for room";
      return;
    }
    if (IsTooLarge(error)) {
      // Like a mail's attachment over the limit: on record as such, and the citizen asked (once
      // per boleta) for a lighter one — it will not shrink by asking again.
      tx.Exec(kLockBoleta, {item.boleta_id});
      const bool told = !tx.Exec(kToldTooLarge, {item.boleta_id, item.id}).empty();
      const bool given_up = !tx.Exec(kGiveUp, {item.id, "too_large", error.message}).empty();
      if (given_up && !told) {
        outbox::EnqueueToBoletaCitizen(tx, item.boleta_id, "archivo_grande",
                                       conversation::AttachmentTooLargeFor(item.folio), {}, now);
      }
      outcome = "too_large";
      return;
    }
    const bool retryable = error.code == Errc::kUnavailable || error.code == Errc::kTimeout;
    if (retryable && item.attempts < settings_.max_attempts) {
      tx.Exec(kRetry, {item.id, now, error.message,
                       static_cast<double>(settings_.Backoff(item.attempts).count())});
      outcome = "retry";
    } else {
      outcome = error.code == Errc::kPermissionDenied ? "blocked" : "failed";
      tx.Exec(kGiveUp, {item.id, outcome, error.message});
    }
  });
  if (!recorded) {
    Log().Warn("media result not recorded", {{"media_id", item.id}, {"error", recorded.error().message}});
    return recorded.error();
  }
  if (outcome == "stored") {
    Log().Info("media stored", {{"media_id", item.id}, {"channel", item.channel},
                                {"bytes", static_cast<std::int64_t>(stored->size)}});
  } else if (outcome == "waiting for room") {
    Log().Error("media volume full; downloads wait for room",
                {{"media_id", item.id}, {"error", stored.error().message}});
  } else {
    Log().Warn("media not stored", {{"media_id", item.id}, {"channel", item.channel},
                                    {"outcome", outcome}, {"error", stored.error().message}});
  }
  return true;
}

}  // namespace sac::media
