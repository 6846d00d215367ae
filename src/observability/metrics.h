// Prometheus metrics of one `sac serve` process, rendered in the text exposition format at
// GET /metrics. Label values are bounded sets (route labels, channel names, outcomes): never an
// id, a phone or a free path. prometheus-cpp stays inside metrics.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sac {

// Queue depths read from the database at scrape time.
struct QueueDepths {
  std::int64_t inbox_pending = 0;
  std::int64_t inbox_quarantined = 0;
  std::int64_t outbox_pending = 0;
  std::int64_t outbox_failed = 0;
  std::int64_t outbox_unknown = 0;  // sends whose answer never came, not yet settled
  std::int64_t arco_due_soon = 0;   // open ARCO requests with 5 business days or fewer left
  std::int64_t arco_overdue = 0;    // open ARCO requests past their deadline
  std::int64_t breaches_undecided = 0;      // security breaches with no notice decision yet
  std::int64_t breaches_undecided_48h = 0;  // … confirmed more than 48 hours ago
  std::int64_t breaches_notice_pending = 0;  // decided to notify, a notice not yet given
};

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void ObserveHttpRequest(std::string_view route, int status, double seconds);
  // outcome: stored, duplicate, unauthenticated, malformed, too_large, unavailable
  void CountWebhook(std::string_view channel, std::string_view outcome);
  // stage: claim, process, quarantine, record
  // How many webhooks one inbox commit held.
  void ObserveInboxGroup(std::size_t webhooks);
  void CountPipelineError(std::string_view stage);
  void CountPipelineProcessed(std::string_view outcome);
  // outcome: sent, retry, failed
  void CountOutboundSend(std::string_view channel, std::string_view outcome);

  std::string Render(const std::optional<QueueDepths>& depths);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sac
