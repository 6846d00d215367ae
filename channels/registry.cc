#include "channels/registry.h"

#include "channels/telegram/telegram_channel.h"
#include "channels/whatsapp/whatsapp_channel.h"

namespace sac::channels {

std::vector<std::unique_ptr<Channel>> BuildChannels(const ChannelsConfig& config, HttpClient& http) {
  std::vector<std::unique_ptr<Channel>> channels;
  if (config.whatsapp.enabled) {
    channels.push_back(std::make_unique<whatsapp::WhatsAppChannel>(config.whatsapp, http));
  }
  if (config.telegram.enabled) {
    channels.push_back(std::make_unique<telegram::TelegramChannel>(config.telegram, http));
  }
  return channels;
}

}  // namespace sac::channels
