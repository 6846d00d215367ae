#include "outbox/sender.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <random>

#include "observability/log.h"
#include "observability/metrics.h"
#include "outbox/delivery_tracker.h"
#include "workflow/bitacora.h"

namespace sac::outbox {
namespace {

using storage::Statement;
using storage::Tx;

const log::Logger& Log() {
  static const log::Logger logger("outbox");
  return logger;
}

// $1 now, $2 lease (ms).
constexpr Statement kClaim{
    "outbox.claim",
    "WITH next AS ("
    "  SELECT id FROM outbox WHERE state IN ('pending', 'sending') AND next_attempt_at <= $1"
    "  ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) "
    "UPDATE outbox o SET state = 'sending', attempts = o.attempts + 1, updated_at = $1,"
    "  next_attempt_at = $1::timestamptz + $2::float8 * interval '1 millisecond' "
    "FROM next WHERE o.id = next.id "
    "RETURNING o.id, o.channel, o.account_id, o.recipient, o.body, o.attempts, o.boleta_id,"
    "  o.purpose, EXISTS (SELECT 1 FROM citizen_identity i WHERE i.channel = o.channel"
    "    AND i.external_id = o.recipient AND i.blocked_at IS NOT NULL),"
    "  coalesce((SELECT i.dedupe_key FROM inbox i WHERE i.id = o.source_inbox_id),"
    "           (SELECT i.dedupe_key FROM boleta b JOIN inbox i ON i.id = b.source_inbox_id"
    "            WHERE b.id = o.boleta_id), ''),"
    "  coalesce((SELECT b.folio FROM boleta b WHERE b.id = o.boleta_id), ''),"
    "  (SELECT extract(epoch FROM c.last_inbound_at)::float8 FROM conversation c"
    "   WHERE c.channel = o.channel AND c.external_id = o.recipient),"
    "  o.idempotency_key, coalesce(o.template_params::text, ''), coalesce(o.buttons::text, '')"};

constexpr Statement kMarkSent{
    "outbox.mark_sent",
    "UPDATE outbox SET state = 'sent', provider_message_id = nullif($2, ''), sent_at = $3,"
    "  updated_at = $3, last_error = NULL WHERE id = $1"};

constexpr Statement kMarkRetry{
    "outbox.mark_retry",
    "UPDATE outbox SET state = 'pending', last_error = $2, updated_at = $3,"
    "  next_attempt_at = $3::timestamptz + $4::float8 * interval '1 millisecond' WHERE id = $1"};

constexpr Statement kMarkFailed{
    "outbox.mark_failed",
    "UPDATE outbox SET state = 'failed', last_error = $2, updated_at = $3 WHERE id = $1"};

// The answer never came: not retried; delivery news or staff settle it (see SendOutcome::kUnknown).
constexpr Statement kMarkUnknown{
    "outbox.mark_unknown",
    "UPDATE outbox SET state = 'unknown', last_error = $2, updated_at = $3 WHERE id = $1"};

// The provider says the citizen blocked us: nothing more goes to this identity until they write.
constexpr Statement kMarkBlocked{
    "outbox.mark_identity_blocked",
    "UPDATE citizen_identity SET blocked_at = $3 WHERE channel = $1 AND external_id = $2"};

struct Claimed {
  OutboundMessage message;
  int attempts = 0;
  std::optional<std::int64_t> boleta_id;
  bool recipient_blocked = false;
  std::optional<TimePoint> last_inbound_at;
};

// outbox.template_params: {"folio": "2026-000123", ...}, in the order the object keeps.
std::vector<std::pair<std::string, std::string>> ReadTemplateParams(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> params;
  if (text.empty()) return params;
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(text, error);
  if (error || !value.is_object()) return params;
  for (const auto& [name, param] : value.get_object()) {
    if (param.is_string()) params.emplace_back(name, param.get_string());
  }
  return params;
}

// outbox.buttons: [{"payload": ..., "title": ...}].
std::vector<ReplyButton> ReadButtons(const std::string& text) {
  std::vector<ReplyButton> buttons;
  if (text.empty()) return buttons;
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(text, error);
  if (error || !value.is_array()) return buttons;
  for (const auto& item : value.get_array()) {
    const auto* object = item.if_object();
    if (object == nullptr) continue;
    const auto* payload = object->if_contains("payload");
    const auto* title = object->if_contains("title");
    if (payload != nullptr && payload->is_string() && title != nullptr && title->is_string()) {
      buttons.push_back({std::string(payload->get_string()), std::string(title->get_string())});
    }
  }
  return buttons;
}

// Backoff with jitter: a quarter of the wait is random, so that replies that failed together
// (a provider outage) do not all come back in the same instant.
std::chrono::milliseconds Jittered(std::chrono::milliseconds wait) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> share(0.75, 1.0);
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(wait.count()) * share(random)));
}

}  // namespace

OutboxSender::OutboxSender(storage::Database& database,
                           std::map<std::string, Channel*, std::less<>> channels,
                           QueueSettings settings, const Clock& clock, Metrics& metrics,
                           const OutboundConfig& outbound, std::chrono::milliseconds lease)
    : database_(database),
      channels_(std::move(channels)),
      settings_(settings),
      window_margin_(outbound.window_margin),
      lease_(lease),
      rate_limiter_(outbound.rate_per_second),
      clock_(clock),
      metrics_(metrics),
      workers_(settings.workers, settings.poll_interval, [this] {
        auto found = RunOnce();
        return found && *found;
      }) {}

OutboxSender::~OutboxSender() { Stop(); }

void OutboxSender::Start() { workers_.Start(); }
void OutboxSender::Stop() { workers_.Stop(); }
void OutboxSender::Wake() { workers_.Wake(); }

Result<bool> OutboxSender::RunOnce() {
  auto claimed = database_.Transact([&](Tx& tx) -> std::optional<Claimed> {
    auto rows = tx.Exec(kClaim, {clock_.Now(), static_cast<double>(lease_.count())});
    if (rows.empty()) {
      return std::nullopt;
    }
    const auto row = rows.at(0);
    Claimed claim;
    claim.message.outbox_id = row.Int(0);
    claim.message.channel = row.Text(1);
    claim.message.account_id = row.Text(2);
    claim.message.recipient = row.Text(3);
    claim.message.text = row.Text(4);
    claim.attempts = static_cast<int>(row.Int(5));
    claim.boleta_id = row.OptInt(6);
    claim.message.purpose = row.Text(7);
    claim.recipient_blocked = row.Bool(8);
    claim.message.in_reply_to = row.Text(9);
    claim.message.folio = row.Text(10);
    if (!row.IsNull(11)) {
      claim.last_inbound_at = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
          std::chrono::duration<double>(row.Double(11))));
    }
    claim.message.idempotency_key = row.Text(12);
    claim.message.template_params = ReadTemplateParams(row.Text(13));
    claim.message.buttons = ReadButtons(row.Text(14));
    return claim;
  });
  if (!claimed) {
    Log().Warn("cannot claim outbox rows", {{"error", claimed.error().message}});
    return claimed.error();
  }
  if (!*claimed) {
    return false;
  }
  OutboundMessage& message = (*claimed)->message;
  const int attempts = (*claimed)->attempts;

  SendOutcome outcome;
  const auto channel = channels_.find(message.channel);
  if ((*claimed)->recipient_blocked) {
    outcome = SendOutcome::Permanent("the citizen blocked us on this channel");
  } else if (channel == channels_.end()) {
    outcome = SendOutcome::Retryable("channel " + message.channel + " is not enabled");
  } else {
    if (const auto window = channel->second->ReplyWindow()) {
      const auto& last = (*claimed)->last_inbound_at;
      message.outside_window = !last || clock_.Now() - *last > *window - window_margin_;
    }
    rate_limiter_.Acquire(message.channel);
    outcome = channel->second->Send(message);
  }

  const TimePoint now = clock_.Now();
  bool settled_by_news = false;  // an unknown send the provider's news had already placed
  auto recorded = database_.Transact([&](Tx& tx) {
    settled_by_news = false;
    RecordEarlierPieces(tx, message.channel, message.outbox_id, outcome.earlier_piece_ids);
    if (outcome.kind == SendOutcome::Kind::kSent) {
      tx.Exec(kMarkSent, {message.outbox_id, outcome.provider_message_id, now});
      if (const auto boleta_id = (*claimed)->boleta_id) {
        // The citizen was told something about their boleta: that belongs in its bitácora.
        workflow::AppendEvent(tx, *boleta_id, now, "respuesta_enviada", workflow::Actor::System(),
                              std::nullopt, std::nullopt,
                              boost::json::serialize(boost::json::object{
                                  {"outbox_id", message.outbox_id},
                                  {"purpose", message.purpose},
                                  {"channel", message.channel},
                                  {"fuera_de_ventana", message.outside_window}}));
      }
      if (!outcome.provider_message_id.empty()) {
        ApplyRecordedDeliveries(tx, message.outbox_id, message.channel,
                                outcome.provider_message_id);
      }
    } else if (outcome.kind == SendOutcome::Kind::kUnknown) {
      tx.Exec(kMarkUnknown, {message.outbox_id, outcome.error, now});
      settled_by_news = PlaceRecordedNews(tx, message.channel, message.recipient, now);
    } else if (outcome.kind == SendOutcome::Kind::kRetryable && attempts < settings_.max_attempts) {
      const auto wait = std::max<std::chrono::milliseconds>(
          Jittered(settings_.Backoff(attempts)),
          outcome.retry_after.value_or(std::chrono::seconds(0)));
      tx.Exec(kMarkRetry, {message.outbox_id, outcome.error, now,
                            static_cast<double>(wait.count())});
    } else {
      tx.Exec(kMarkFailed, {message.outbox_id, outcome.error, now});
      if (outcome.recipient_blocked) {
        tx.Exec(kMarkBlocked, {message.channel, message.recipient, now});
      }
    }
  });

  const char* label = "failed";
  switch (outcome.kind) {
    case SendOutcome::Kind::kSent:
      label = "sent";
      break;
    case SendOutcome::Kind::kUnknown:
      label = settled_by_news ? "sent" : "unknown";
      break;
    case SendOutcome::Kind::kRetryable:
      if (attempts < settings_.max_attempts) label = "retry";
      break;
    case SendOutcome::Kind::kPermanent:
      break;
  }
  metrics_.CountOutboundSend(message.channel, label);
  if (!recorded) {
    // The lease brings the row back; the reply may then go out twice (at-least-once).
    Log().Error("send result not recorded",
                {{"outbox_id", message.outbox_id}, {"error", recorded.error().message}});
  } else if (outcome.kind == SendOutcome::Kind::kSent || settled_by_news) {
    Log().Info("reply sent", {{"outbox_id", message.outbox_id}, {"channel", message.channel},
                              {"settled_by_news", settled_by_news}});
  } else {
    Log().Warn("reply not sent", {{"outbox_id", message.outbox_id},
                                  {"channel", message.channel},
                                  {"attempt", attempts},
                                  {"outcome", label},
                                  {"error", outcome.error}});
  }
  return true;
}

}  // namespace sac::outbox
