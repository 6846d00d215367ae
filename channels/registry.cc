#include "channels/registry.h"

#include "channels/email/email_channel.h"
#include "channels/meta/meta_channel.h"
#include "channels/telegram/telegram_channel.h"
#include "channels/twilio_sms/twilio_sms_channel.h"
#include "channels/whatsapp/whatsapp_channel.h"

namespace sac::channels {

std::vector<std::unique_ptr<Channel>> BuildChannels(const Config& full_config, HttpClient& http) {
  const ChannelsConfig& config = full_config.channels;
  const std::string& public_base_url = full_config.http.public_base_url;
  std::vector<std::unique_ptr<Channel>> channels;
  if (config.whatsapp.enabled) {
    channels.push_back(std::make_unique<whatsapp::WhatsAppChannel>(config.whatsapp, http));
  }
  if (config.telegram.enabled) {
    channels.push_back(std::make_unique<telegram::TelegramChannel>(config.telegram, http));
  }
  if (config.twilio_sms.enabled) {
    channels.push_back(std::make_unique<twilio_sms::TwilioSmsChannel>(config.twilio_sms,
                                                                      public_base_url, http));
  }
  if (config.messenger.enabled) {
    channels.push_back(std::make_unique<meta::MetaChannel>(meta::kMessenger, config.messenger, http));
  }
  if (config.instagram.enabled) {
    channels.push_back(std::make_unique<meta::MetaChannel>(meta::kInstagram, config.instagram, http));
  }
  if (config.email.enabled) {
    channels.push_back(std::make_unique<email::EmailChannel>(config.email, http));
  }
  return channels;
}

}  // namespace sac::channels
