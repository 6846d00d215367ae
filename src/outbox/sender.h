// The outbox sender: threads that claim due replies (FOR UPDATE SKIP LOCKED), send them through
// their channel, and record what the provider said.
//
//   accepted          → sent, with the provider's message id (to match delivery news)
//   5xx, 429, timeout → retried with backoff (Retry-After honoured), failed after max_attempts
//   other 4xx         → failed at once: retrying cannot help
// A sender that dies mid-send leaves the row "sending"; it is due again after `lease` and sent
// again (at-least-once: a crash can duplicate a reply, never lose one).
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "core/channel.h"
#include "core/clock.h"
#include "core/polling_workers.h"
#include "core/result.h"
#include "storage/database.h"

namespace sac {
class Metrics;
}

namespace sac::outbox {

// How long a claimed reply belongs to its sender: longer than any send can take. After it, a
// reply whose sender died is due again.
inline constexpr std::chrono::milliseconds kSendLease{120000};

class OutboxSender {
 public:
  // `channels` by name; they must outlive the sender.
  OutboxSender(storage::Database& database, std::map<std::string, Channel*, std::less<>> channels,
               QueueSettings settings, const Clock& clock, Metrics& metrics,
               std::chrono::milliseconds lease = kSendLease);
  ~OutboxSender();

  void Start();
  void Stop();
  void Wake();

  // Claims and sends at most one due reply; true when there was one.
  Result<bool> RunOnce();

 private:
  storage::Database& database_;
  std::map<std::string, Channel*, std::less<>> channels_;
  QueueSettings settings_;
  std::chrono::milliseconds lease_;
  const Clock& clock_;
  Metrics& metrics_;
  PollingWorkers workers_;
};

}  // namespace sac::outbox
