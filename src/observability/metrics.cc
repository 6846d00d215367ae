#include "observability/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace sac {

struct Metrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();

  prometheus::Family<prometheus::Counter>& http_requests =
      prometheus::BuildCounter()
          .Name("sac_http_requests_total")
          .Help("HTTP requests answered, by route and status code")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& http_duration =
      prometheus::BuildHistogram()
          .Name("sac_http_request_duration_seconds")
          .Help("Time from a complete request to its response, by route")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& webhooks =
      prometheus::BuildCounter()
          .Name("sac_webhooks_total")
          .Help("Webhook deliveries by channel and outcome")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& inbox_groups =
      prometheus::BuildHistogram()
          .Name("sac_inbox_commit_group_webhooks")
          .Help("Webhooks stored together by one inbox commit (group commit)")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& pipeline_errors =
      prometheus::BuildCounter()
          .Name("sac_pipeline_errors_total")
          .Help("Failures of the inbox pipeline, by stage")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& pipeline_processed =
      prometheus::BuildCounter()
          .Name("sac_pipeline_rows_total")
          .Help("Inbox rows finished by the pipeline, by outcome")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& outbound =
      prometheus::BuildCounter()
          .Name("sac_outbound_sends_total")
          .Help("Attempts to send a reply, by channel and outcome")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& inbox_depth =
      prometheus::BuildGauge()
          .Name("sac_inbox_depth")
          .Help("Inbox rows by state (read from the database at scrape time)")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& outbox_depth =
      prometheus::BuildGauge()
          .Name("sac_outbox_depth")
          .Help("Outbox rows by state (read from the database at scrape time)")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& arco_requests =
      prometheus::BuildGauge()
          .Name("sac_arco_requests")
          .Help("Open ARCO requests near or past their legal deadline (src/privacy/arco_requests.h)")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& security_breaches =
      prometheus::BuildGauge()
          .Name("sac_security_breaches")
          .Help("Security breaches with a decision or a notice pending (src/privacy/security_breaches.h)")
          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& database_up =
      prometheus::BuildGauge()
          .Name("sac_database_up")
          .Help("1 when the last scrape could read the queue depths from the database")
          .Register(*registry);
};

namespace {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

}  // namespace

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {
  // Zero from the start, so that an alert on their rate has a series to read before the first
  // failure (deploy/prometheus/sac-alerts.yml).
  for (const char* stage : {"claim", "process", "quarantine", "record"}) {
    impl_->pipeline_errors.Add({{"stage", stage}});
  }
}
Metrics::~Metrics() = default;

void Metrics::ObserveHttpRequest(std::string_view route, int status, double seconds) {
  impl_->http_requests.Add({{"route", std::string(route)}, {"status", std::to_string(status)}})
      .Increment();
  impl_->http_duration.Add({{"route", std::string(route)}}, LatencyBuckets()).Observe(seconds);
}

void Metrics::ObserveInboxGroup(std::size_t webhooks) {
  static const prometheus::Histogram::BucketBoundaries buckets = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  impl_->inbox_groups.Add({}, buckets).Observe(static_cast<double>(webhooks));
}

void Metrics::CountWebhook(std::string_view channel, std::string_view outcome) {
  impl_->webhooks.Add({{"channel", std::string(channel)}, {"outcome", std::string(outcome)}})
      .Increment();
}

void Metrics::CountPipelineError(std::string_view stage) {
  impl_->pipeline_errors.Add({{"stage", std::string(stage)}}).Increment();
}

void Metrics::CountPipelineProcessed(std::string_view outcome) {
  impl_->pipeline_processed.Add({{"outcome", std::string(outcome)}}).Increment();
}

void Metrics::CountOutboundSend(std::string_view channel, std::string_view outcome) {
  impl_->outbound.Add({{"channel", std::string(channel)}, {"outcome", std::string(outcome)}})
      .Increment();
}

std::string Metrics::Render(const std::optional<QueueDepths>& depths) {
  impl_->database_up.Add({}).Set(depths ? 1 : 0);
  if (depths) {
    impl_->inbox_depth.Add({{"state", "pending"}}).Set(static_cast<double>(depths->inbox_pending));
    impl_->inbox_depth.Add({{"state", "quarantined"}})
        .Set(static_cast<double>(depths->inbox_quarantined));
    impl_->outbox_depth.Add({{"state", "pending"}})
        .Set(static_cast<double>(depths->outbox_pending));
    impl_->outbox_depth.Add({{"state", "failed"}}).Set(static_cast<double>(depths->outbox_failed));
    impl_->outbox_depth.Add({{"state", "unknown"}})
        .Set(static_cast<double>(depths->outbox_unknown));
    impl_->arco_requests.Add({{"standing", "por_vencer"}})
        .Set(static_cast<double>(depths->arco_due_soon));
    impl_->arco_requests.Add({{"standing", "vencida"}}).Set(static_cast<double>(depths->arco_overdue));
    impl_->security_breaches.Add({{"state", "sin_decision"}})
        .Set(static_cast<double>(depths->breaches_undecided));
    impl_->security_breaches.Add({{"state", "sin_decision_48h"}})
        .Set(static_cast<double>(depths->breaches_undecided_48h));
    impl_->security_breaches.Add({{"state", "sin_notificar"}})
        .Set(static_cast<double>(depths->breaches_notice_pending));
  }
  return prometheus::TextSerializer().Serialize(impl_->registry->Collect());
}

}  // namespace sac
