#include "outbox/outbox_writer.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace sac::outbox {
namespace {

constexpr storage::Statement kEnqueue{
    "outbox.enqueue",
    "INSERT INTO outbox (channel, account_id, recipient, citizen_id, boleta_id, source_inbox_id,"
    "  purpose, body, next_attempt_at, created_at, updated_at, template_params, buttons)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9, $10::jsonb, $11::jsonb) "
    "ON CONFLICT (source_inbox_id, purpose) DO NOTHING"};

constexpr storage::Statement kEnqueueToCitizen{
    "outbox.enqueue_to_boleta_citizen",
    "INSERT INTO outbox (channel, account_id, recipient, citizen_id, boleta_id, purpose, body,"
    "  next_attempt_at, created_at, updated_at, template_params) "
    "SELECT i.channel, coalesce(i.payload->>'account_id', ''), i.sender_id, b.citizen_id, b.id,"
    "  $2, $3, $4, $4, $4, $5::jsonb "
    "FROM boleta b JOIN inbox i ON i.id = b.source_inbox_id "
    // An empty sender: the citizen's data was cancelled (src/privacy); nobody to write to.
    "WHERE b.id = $1 AND i.channel <> 'open311' AND i.sender_id <> '' RETURNING id"};

}  // namespace

std::optional<std::string> TemplateParamsJson(const TemplateParams& params) {
  if (params.empty()) return std::nullopt;
  boost::json::object object;
  for (const auto& [name, value] : params) object[name] = value;
  return boost::json::serialize(object);
}

std::optional<std::string> ButtonsJson(const std::vector<ReplyButton>& buttons) {
  if (buttons.empty()) return std::nullopt;
  boost::json::array array;
  for (const ReplyButton& button : buttons) {
    array.push_back(boost::json::object{{"payload", button.payload}, {"title", button.title}});
  }
  return boost::json::serialize(array);
}

bool EnqueueToBoletaCitizen(storage::Tx& tx, std::int64_t boleta_id, std::string_view purpose,
                            std::string_view body, const TemplateParams& template_params,
                            TimePoint not_before) {
  if (tx.Exec(kEnqueueToCitizen,
              {boleta_id, purpose, body, not_before, TemplateParamsJson(template_params)})
          .empty()) {
    return false;
  }
  tx.Notify(kOutboxNotifyChannel);
  return true;
}

void EnqueueReply(storage::Tx& tx, const NewReply& reply) {
  tx.Exec(kEnqueue, {reply.channel, reply.account_id, reply.recipient, reply.citizen_id,
                     reply.boleta_id, reply.source_inbox_id, reply.purpose, reply.body, reply.not_before,
                     TemplateParamsJson(reply.template_params), ButtonsJson(reply.buttons)});
  tx.Notify(kOutboxNotifyChannel);
}

}  // namespace sac::outbox
