// The media downloader: threads that claim attachments still to fetch (FOR UPDATE SKIP LOCKED on
// boleta_media), ask their channel where the file is, fetch it through the SSRF-safe fetcher,
// store it content-addressed and record the result. A failed download never blocks its boleta:
//
//   stored                                  → download_state 'stored', file_sha256, size_bytes
//   connection failure, 5xx, 429, slowness  → retried with backoff, 'failed' after max_attempts
//   gone (404/410), refused                  → 'failed' at once
//   larger than the cap                      → 'too_large' at once; the citizen is asked for a
//                                               lighter one (once per boleta)
//   not https, a host the provider does not serve from, a non-public address → 'blocked'
//   fetched, but our media volume is full    → fetched again every minute, the attempt given
//                                               back: it waits for room
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/channel.h"
#include "core/clock.h"
#include "core/polling_workers.h"
#include "core/result.h"
#include "media/media_fetcher.h"
#include "media/media_store.h"
#include "storage/database.h"

namespace sac::media {

// A claimed download belongs to its worker this long; after it, a download whose worker died
// is due again.
inline constexpr std::chrono::milliseconds kDownloadLease{120000};

class MediaDownloader {
 public:
  // `channels` by name; they must outlive the downloader. Attachments of "open311" requests
  // are fetched straight from their media_url, only from `open311_media_hosts` (checked when
  // the request came and again here: the list may have shrunk since).
  MediaDownloader(storage::Database& database, std::map<std::string, Channel*, std::less<>> channels,
                  std::vector<std::string> open311_media_hosts, const MediaStore& store,
                  FetchLimits limits, QueueSettings settings, const Clock& clock);
  ~MediaDownloader();

  void Start();
  void Stop();
  void Wake();

  // Claims and downloads at most one due attachment; true when there was one.
  Result<bool> RunOnce();

 private:
  storage::Database& database_;
  std::map<std::string, Channel*, std::less<>> channels_;
  std::vector<std::string> open311_media_hosts_;
  const MediaStore& store_;
  FetchLimits limits_;
  QueueSettings settings_;
  const Clock& clock_;
  PollingWorkers workers_;
};

}  // namespace sac::media
