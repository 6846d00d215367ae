#include "core/inbound.h"

#include <array>
#include <utility>

namespace sac {
namespace {

constexpr std::array<std::pair<MessageType, const char*>, 18> kMessageTypeNames = {{
    {MessageType::kText, "text"},
    {MessageType::kImage, "image"},
    {MessageType::kAudio, "audio"},
    {MessageType::kVideo, "video"},
    {MessageType::kDocument, "document"},
    {MessageType::kSticker, "sticker"},
    {MessageType::kLocation, "location"},
    {MessageType::kInteractiveReply, "interactive_reply"},
    {MessageType::kTemplateButton, "template_button"},
    {MessageType::kReaction, "reaction"},
    {MessageType::kContacts, "contacts"},
    {MessageType::kUnsupported, "unsupported"},
    {MessageType::kStart, "start"},
    {MessageType::kEdit, "edit"},
    {MessageType::kUnsent, "unsent"},
    {MessageType::kBlocked, "blocked"},
    {MessageType::kUnblocked, "unblocked"},
    {MessageType::kAutoReply, "auto_reply"},
}};

constexpr std::array<std::pair<DeliveryState, const char*>, 4> kDeliveryStateNames = {{
    {DeliveryState::kSent, "sent"},
    {DeliveryState::kDelivered, "delivered"},
    {DeliveryState::kRead, "read"},
    {DeliveryState::kFailed, "failed"},
}};

template <class Enum, std::size_t N>
const char* NameOf(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) {
      return name;
    }
  }
  return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> ValueOf(const std::array<std::pair<Enum, const char*>, N>& names,
                            std::string_view wanted) {
  for (const auto& [value, name] : names) {
    if (wanted == name) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> StoredMediaSha256(std::string_view provider_media_id) {
  if (provider_media_id.substr(0, kStoredMediaPrefix.size()) != kStoredMediaPrefix) {
    return std::nullopt;
  }
  const std::string_view hex = provider_media_id.substr(kStoredMediaPrefix.size());
  if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return std::nullopt;
  }
  return hex;
}

const char* MessageTypeName(MessageType type) { return NameOf(kMessageTypeNames, type); }

std::optional<MessageType> MessageTypeFromName(std::string_view name) {
  return ValueOf(kMessageTypeNames, name);
}

const char* DeliveryStateName(DeliveryState state) { return NameOf(kDeliveryStateNames, state); }

std::optional<DeliveryState> DeliveryStateFromName(std::string_view name) {
  return ValueOf(kDeliveryStateNames, name);
}

}  // namespace sac
