// The inbox's payload column: parsed messages and delivery updates as JSON, so the pipeline never
// needs a provider's parser again.
#pragma once

#include <string>
#include <string_view>

#include "core/inbound.h"
#include "core/result.h"

namespace sac::intake {

std::string EncodeMessage(const InboundMessage& message);
Result<InboundMessage> DecodeMessage(std::string_view json);

std::string EncodeUpdate(const DeliveryUpdate& update);
Result<DeliveryUpdate> DecodeUpdate(std::string_view json);

std::string EncodeUnhandled(const UnhandledUpdate& update);
// The reason kept with an unhandled update (empty when the payload is not one).
std::string DecodeUnhandledReason(std::string_view json);

}  // namespace sac::intake
