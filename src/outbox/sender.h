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
#include <memory>
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

struct SenderSettings {
  int senders = 2;
  std::chrono::milliseconds poll_interval{1000};
  int max_attempts = 8;
  std::chrono::milliseconds retry_base{5000};  // attempt n waits base·4^(n-1), capped
  std::chrono::milliseconds retry_max{900000};
  std::chrono::milliseconds lease{120000};     // longer than any send can take
};

class OutboxSender {
 public:
  // `channels` by name; they must outlive the sender.
  OutboxSender(storage::Database& database, std::map<std::string, Channel*, std::less<>> channels,
               SenderSettings settings, const Clock& clock, Metrics& metrics);
  ~OutboxSender();

  void Start();
  void Stop();
  void Wake();

  // Claims and sends at most one due reply; true when there was one.
  Result<bool> RunOnce();

 private:
  storage::Database& database_;
  std::map<std::string, Channel*, std::less<>> channels_;
  SenderSettings settings_;
  const Clock& clock_;
  Metrics& metrics_;
  std::unique_ptr<PollingWorkers> workers_;
};

}  // namespace sac::outbox
