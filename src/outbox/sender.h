// The outbox sender: threads that claim due replies (FOR UPDATE SKIP LOCKED), send them through
// their channel, and record what the provider said.
//
//   accepted                → sent, with the provider's message id (to match delivery news)
//   5xx, 429, no connection → retried with exponential backoff and jitter (Retry-After honoured
//                             when longer), failed after max_attempts
//   other 4xx               → failed at once: retrying cannot help
//   no answer after it left → unknown: not retried (the citizen may have it); the provider's
//                             news about that recipient settles it (delivery_tracker), or staff
//                             do in Administración → Envíos
// Before sending it checks the channel's reply window (WhatsApp, Messenger: 24 hours after the
// citizen's last message, less a margin) and tells the channel when it is closed, so that it
// sends an approved template or a tag instead of free text. Each channel's sends per second are
// limited (RateLimiter).
// A sender that dies mid-send leaves the row "sending"; it is due again after `lease` and sent
// again: a crash between the provider's accept and our commit duplicates that one reply, never
// loses it; the row's idempotency key goes with both attempts for providers that deduplicate.
// (A timeout is held as unknown instead because it is common — a slow provider — while that
// crash window is milliseconds wide, and a claim cannot tell "died before sending" from "after".)
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "core/channel.h"
#include "core/clock.h"
#include "core/polling_workers.h"
#include "config/config.h"
#include "core/result.h"
#include "outbox/rate_limiter.h"
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
               const OutboundConfig& outbound = {},
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
  std::chrono::seconds window_margin_;
  std::chrono::milliseconds lease_;
  RateLimiter rate_limiter_;
  const Clock& clock_;
  Metrics& metrics_;
  PollingWorkers workers_;
};

}  // namespace sac::outbox
