// The whole configuration of SAC as one struct tree. Defaults live here, in code; a TOML file
// (deploy/config/sac.dev.toml is the dev one) overrides them; secrets come only from the
// environment (see config_loader.h). Only src/app reads this tree and hands each object its part.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/polling_workers.h"

namespace sac {

struct HttpConfig {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port (tests)
  int io_threads = 2;
  int handler_threads = 8;  // handlers block on the database; they never run on io threads
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds shutdown_grace{10};
};

struct DatabaseConfig {
  std::string url;  // libpq URI or key=value string; SAC_DATABASE_URL overrides it
  int pool_size = 8;
  std::chrono::milliseconds acquire_timeout{1000};  // an exhausted pool answers 503 after this
  std::chrono::seconds connect_timeout{3};
  std::chrono::milliseconds statement_timeout{10000};
};

struct WorkflowConfig {
  std::string time_zone = "America/Mazatlan";  // business days and deadlines are local
};

struct LogConfig {
  std::string level = "info";
};

struct WhatsAppConfig {
  bool enabled = false;
  std::string api_base_url = "https://graph.facebook.com/v21.0";
  std::string phone_number_id;  // our number; webhooks for other numbers are ignored
  std::size_t max_body_bytes = 4 * 1024 * 1024;  // Meta payloads reach ~3 MB
  std::chrono::milliseconds send_timeout{15000};
  // Secrets: environment only.
  std::string app_secret;    // SAC_WHATSAPP_APP_SECRET: key of X-Hub-Signature-256
  std::string verify_token;  // SAC_WHATSAPP_VERIFY_TOKEN: answers the GET handshake
  std::string access_token;  // SAC_WHATSAPP_ACCESS_TOKEN: bearer token of the send API
};

struct TelegramConfig {
  bool enabled = false;
  std::string api_base_url = "https://api.telegram.org";  // + /bot<token>/<method>
  std::size_t max_body_bytes = 1024 * 1024;  // one Update per request
  std::chrono::milliseconds send_timeout{15000};
  // Secrets: environment only.
  std::string bot_token;     // SAC_TELEGRAM_BOT_TOKEN: "<bot id>:<key>" from @BotFather
  std::string secret_token;  // SAC_TELEGRAM_SECRET_TOKEN: setWebhook's secret_token, echoed in
                             // X-Telegram-Bot-Api-Secret-Token
};

struct ChannelsConfig {
  WhatsAppConfig whatsapp;
  TelegramConfig telegram;
};

struct Config {
  HttpConfig http;
  DatabaseConfig database;
  // Inbox rows: quarantined after max_attempts.
  QueueSettings pipeline{2, std::chrono::milliseconds(1000), 5, std::chrono::milliseconds(2000),
                         std::chrono::milliseconds(600000)};
  // Replies: marked failed after max_attempts.
  QueueSettings outbox{2, std::chrono::milliseconds(1000), 8, std::chrono::milliseconds(5000),
                       std::chrono::milliseconds(900000)};
  LogConfig log;
  WorkflowConfig workflow;
  ChannelsConfig channels;
  std::string rules_dir = "rules";  // rule data: dependencias, calendario, categorías, cases
};

}  // namespace sac
