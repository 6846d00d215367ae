#include "config/config_loader.h"

#include <tuple>

#include <re2/re2.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <vector>

#include "crypto/secret_box.h"
#include "http/address_ranges.h"
#include "media/media_hosts.h"
#include "observability/log.h"

namespace sac {
namespace {

// Reads one TOML table into struct fields, remembering which keys it consumed, so whatever is
// left afterwards is an unknown key. Errors accumulate; the caller reports them all at once.
class TableReader {
 public:
  TableReader(const toml::table* table, std::string prefix, std::vector<std::string>& errors)
      : table_(table), prefix_(std::move(prefix)), errors_(errors) {}

  TableReader Table(std::string_view key) {
    const toml::node* node = Take(key);
    if (node != nullptr && !node->is_table()) {
      Fail(key, "expected a table");
      node = nullptr;
    }
    return TableReader(node != nullptr ? node->as_table() : nullptr, Name(key) + ".", errors_);
  }

  void String(std::string_view key, std::string& out) {
    if (const toml::node* node = Take(key)) {
      if (auto value = node->value<std::string>()) {
        out = *value;
      } else {
        Fail(key, "expected a string");
      }
    }
  }

  void Bool(std::string_view key, bool& out) {
    if (const toml::node* node = Take(key)) {
      if (auto value = node->value<bool>()) {
        out = *value;
      } else {
        Fail(key, "expected true or false");
      }
    }
  }

  template <class Int>
  void Integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max) {
    if (const toml::node* node = Take(key)) {
      const auto value = node->is_integer() ? node->value<std::int64_t>() : std::nullopt;
      if (!value || *value < min || *value > max) {
        Fail(key, "expected an integer from " + std::to_string(min) + " to " +
                      std::to_string(max));
      } else {
        out = static_cast<Int>(*value);
      }
    }
  }

  void Double(std::string_view key, double& out, double min, double max) {
    if (const toml::node* node = Take(key)) {
      const auto value = node->value<double>();  // an integer is taken as well
      if (!value || *value < min || *value > max) {
        Fail(key, "expected a number from " + std::to_string(min) + " to " + std::to_string(max));
      } else {
        out = *value;
      }
    }
  }

  template <class Duration>
  void DurationCount(std::string_view key, Duration& out, std::int64_t min, std::int64_t max) {
    auto count = static_cast<std::int64_t>(out.count());
    Integer(key, count, min, max);
    out = Duration(count);
  }

  // Secrets in a file end up in backups and repositories: refuse them with a pointer to the
  // environment variable that must carry them.
  void RefuseSecret(std::string_view key, std::string_view env_name) {
    if (Take(key) != nullptr) {
      Fail(key, "secrets are read only from the environment; set " + std::string(env_name));
    }
  }

  void StringList(std::string_view key, std::vector<std::string>& out) {
    const toml::node* node = Take(key);
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    std::vector<std::string> values;
    if (array != nullptr) {
      for (const toml::node& item : *array) {
        if (auto value = item.value<std::string>()) values.push_back(*value);
      }
    }
    if (array == nullptr || values.size() != array->size()) {
      Fail(key, "expected a list of strings");
      return;
    }
    out = std::move(values);
  }

  // Every key of the table, all taken: for tables whose keys are names (channels, purposes).
  std::vector<std::string> TakeAllKeys() {
    std::vector<std::string> keys;
    if (table_ == nullptr) return keys;
    for (const auto& [key, node] : *table_) {
      keys.emplace_back(key.str());
      consumed_.insert(keys.back());
    }
    return keys;
  }

  void RejectUnknownKeys() {
    if (table_ == nullptr) {
      return;
    }
    for (const auto& [key, node] : *table_) {
      if (!consumed_.contains(std::string(key.str()))) {
        errors_.push_back("unknown configuration key '" + Name(key.str()) + "'");
      }
    }
  }

 private:
  const toml::node* Take(std::string_view key) {
    if (table_ == nullptr) {
      return nullptr;
    }
    consumed_.insert(std::string(key));
    return table_->get(key);
  }

  std::string Name(std::string_view key) const { return prefix_ + std::string(key); }

  void Fail(std::string_view key, const std::string& what) {
    errors_.push_back(Name(key) + ": " + what);
  }

  const toml::table* table_;
  std::string prefix_;
  std::vector<std::string>& errors_;
  std::set<std::string> consumed_;
};

constexpr std::int64_t kMaxMillis = 24LL * 3600 * 1000;

void ReadFile(const toml::table& root, Config& config, std::vector<std::string>& errors) {
  TableReader top(&root, "", errors);

  TableReader http = top.Table("http");
  http.String("listen_address", config.http.listen_address);
  http.Integer("port", config.http.port, 0, 65535);
  http.Integer("io_threads", config.http.io_threads, 1, 64);
  http.Integer("handler_threads", config.http.handler_threads, 1, 256);
  http.Integer("inbox_committers", config.http.inbox_committers, 1, 16);
  http.DurationCount("header_timeout_seconds", config.http.header_timeout, 1, 3600);
  http.DurationCount("body_timeout_seconds", config.http.body_timeout, 1, 3600);
  http.DurationCount("idle_timeout_seconds", config.http.idle_timeout, 1, 3600);
  http.DurationCount("shutdown_grace_seconds", config.http.shutdown_grace, 0, 3600);
  http.String("public_base_url", config.http.public_base_url);
  http.StringList("trusted_proxies", config.http.trusted_proxies);
  http.StringList("ops_networks", config.http.ops_networks);
  http.RejectUnknownKeys();

  TableReader database = top.Table("database");
  database.String("url", config.database.url);
  database.Integer("pool_size", config.database.pool_size, 1, 256);
  database.DurationCount("acquire_timeout_ms", config.database.acquire_timeout, 1, kMaxMillis);
  database.DurationCount("connect_timeout_seconds", config.database.connect_timeout, 1, 600);
  database.DurationCount("statement_timeout_ms", config.database.statement_timeout, 1, kMaxMillis);
  database.RejectUnknownKeys();

  const auto read_queue = [](TableReader& table, QueueSettings& queue) {
    table.Integer("workers", queue.workers, 0, 64);
    table.DurationCount("poll_interval_ms", queue.poll_interval, 10, kMaxMillis);
    table.Integer("max_attempts", queue.max_attempts, 1, 100);
    table.DurationCount("retry_base_ms", queue.retry_base, 1, kMaxMillis);
    table.DurationCount("retry_max_ms", queue.retry_max, 1, kMaxMillis);
  };
  TableReader pipeline = top.Table("pipeline");
  read_queue(pipeline, config.pipeline);
  pipeline.RejectUnknownKeys();

  TableReader outbox = top.Table("outbox");
  read_queue(outbox, config.outbox);
  outbox.DurationCount("window_margin_seconds", config.outbound.window_margin, 0, 12 * 3600);
  outbox.DurationCount("send_lease_seconds", config.outbound.send_lease, 5, 3600);
  TableReader rates = outbox.Table("rate_per_second");
  for (const std::string& channel : rates.TakeAllKeys()) {
    int rate = 0;
    rates.Integer(channel, rate, 1, 100000);
    config.outbound.rate_per_second[channel] = rate;
  }
  outbox.RejectUnknownKeys();

  TableReader log = top.Table("log");
  log.String("level", config.log.level);
  log.RejectUnknownKeys();

  TableReader api = top.Table("api");
  api.Integer("requests_per_minute", config.api.requests_per_minute, 1, 1000000);
  api.RejectUnknownKeys();

  TableReader staff_web = top.Table("staff_web");
  staff_web.String("second_factor", config.staff_web.second_factor);
  staff_web.RefuseSecret("secret_key", "SAC_SECRET_KEY");
  staff_web.RejectUnknownKeys();

  TableReader workflow = top.Table("workflow");
  workflow.String("time_zone", config.workflow.time_zone);
  workflow.RejectUnknownKeys();

  TableReader media = top.Table("media");
  media.String("dir", config.media.dir);
  media.Integer("max_bytes", config.media.max_bytes, 1024, 1024LL * 1024 * 1024);
  media.DurationCount("timeout_ms", config.media.timeout, 1000, 600000);
  media.Integer("workers", config.media.queue.workers, 0, 16);
  media.Integer("max_attempts", config.media.queue.max_attempts, 1, 100);
  media.RejectUnknownKeys();

  // The area the municipality attends: one box in the file, used by the chats and the app.
  TableReader area_table = top.Table("area");
  ServiceArea area;
  area_table.Double("south", area.south, -90, 90);
  area_table.Double("north", area.north, -90, 90);
  area_table.Double("west", area.west, -180, 180);
  area_table.Double("east", area.east, -180, 180);
  area_table.RejectUnknownKeys();
  if (area.south >= area.north || area.west >= area.east) {
    errors.push_back("area: expected south < north and west < east");
  }
  config.conversation.area = area;
  config.channels.open311.area = area;

  TableReader conversation = top.Table("conversation");
  ConversationConfig& talk = config.conversation;
  conversation.String("privacy_version", talk.privacy_version);
  conversation.String("privacy_url", talk.privacy_url);
  conversation.DurationCount("burst_window_seconds", talk.burst_window, 0, 3600);
  conversation.DurationCount("location_wait_seconds", talk.location_wait, 0, 7 * 86400);
  conversation.DurationCount("data_wait_seconds", talk.data_wait, 0, 7 * 86400);
  conversation.DurationCount("otro_cooldown_seconds", talk.otro_cooldown, 0, 30 * 86400);
  conversation.Integer("petitions_per_day", talk.petitions_per_day, 1, 10000);
  conversation.DurationCount("held_reply_cooldown_seconds", talk.held_reply_cooldown, 0, 86400);
  conversation.DurationCount("survey_answer_window_seconds", talk.survey_answer_window, 3600,
                             90 * 86400);
  conversation.RejectUnknownKeys();

  TableReader scheduler = top.Table("scheduler");
  scheduler.Bool("enabled", config.scheduler.enabled);
  scheduler.DurationCount("tick_ms", config.scheduler.tick, 100, 600000);
  scheduler.String("overdue_checkin", config.scheduler.overdue_checkin);
  scheduler.String("monthly_survey", config.scheduler.monthly_survey);
  scheduler.String("survey_expiry", config.scheduler.survey_expiry);
  scheduler.String("access_log_check", config.scheduler.access_log_check);
  scheduler.String("retention", config.scheduler.retention);
  scheduler.RejectUnknownKeys();

  TableReader retention = top.Table("retention");
  retention.DurationCount("raw_request_days", config.retention.raw_request_days, 1, 3650);
  retention.DurationCount("message_days", config.retention.message_days, 1, 3650);
  retention.DurationCount("inactive_citizen_days", config.retention.inactive_citizen_days, 30, 7300);
  retention.String("cancellation_journal", config.retention.cancellation_journal);
  retention.RejectUnknownKeys();

  TableReader rules = top.Table("rules");
  rules.String("dir", config.rules_dir);
  rules.RejectUnknownKeys();

  TableReader channels = top.Table("channels");
  TableReader whatsapp = channels.Table("whatsapp");
  WhatsAppConfig& wa = config.channels.whatsapp;
  whatsapp.Bool("enabled", wa.enabled);
  whatsapp.String("api_base_url", wa.api_base_url);
  whatsapp.String("phone_number_id", wa.phone_number_id);
  whatsapp.Integer("max_body_bytes", wa.max_body_bytes, 1024, 64LL * 1024 * 1024);
  // Below the outbox's send lease (checked below), or a slow send could be claimed and sent twice.
  whatsapp.DurationCount("send_timeout_ms", wa.send_timeout, 100, 100000);
  whatsapp.RefuseSecret("app_secret", "SAC_WHATSAPP_APP_SECRET");
  whatsapp.RefuseSecret("verify_token", "SAC_WHATSAPP_VERIFY_TOKEN");
  whatsapp.RefuseSecret("access_token", "SAC_WHATSAPP_ACCESS_TOKEN");
  TableReader templates = whatsapp.Table("templates");
  for (const std::string& purpose : templates.TakeAllKeys()) {
    TableReader entry = templates.Table(purpose);
    WhatsAppTemplate& chosen = wa.templates[purpose];
    entry.String("name", chosen.name);
    entry.String("language", chosen.language);
    entry.StringList("parameters", chosen.parameters);
    entry.RejectUnknownKeys();
    if (chosen.name.empty()) {
      errors.push_back("channels.whatsapp.templates." + purpose + ".name is required");
    }
  }
  whatsapp.RejectUnknownKeys();

  TableReader telegram = channels.Table("telegram");
  TelegramConfig& tg = config.channels.telegram;
  telegram.Bool("enabled", tg.enabled);
  telegram.String("api_base_url", tg.api_base_url);
  telegram.Integer("max_body_bytes", tg.max_body_bytes, 1024, 64LL * 1024 * 1024);
  telegram.DurationCount("send_timeout_ms", tg.send_timeout, 100, 100000);
  telegram.RefuseSecret("bot_token", "SAC_TELEGRAM_BOT_TOKEN");
  telegram.RefuseSecret("secret_token", "SAC_TELEGRAM_SECRET_TOKEN");
  telegram.RejectUnknownKeys();

  for (auto [name, meta] : {std::pair{"messenger", &config.channels.messenger},
                             std::pair{"instagram", &config.channels.instagram}}) {
    TableReader table = channels.Table(name);
    table.Bool("enabled", meta->enabled);
    table.String("api_base_url", meta->api_base_url);
    table.String("account_id", meta->account_id);
    table.Integer("max_body_bytes", meta->max_body_bytes, 1024, 64LL * 1024 * 1024);
    table.DurationCount("send_timeout_ms", meta->send_timeout, 100, 100000);
    table.String("outside_window_tag", meta->outside_window_tag);
    table.RefuseSecret("app_secret", "SAC_META_APP_SECRET");
    table.RefuseSecret("verify_token", "SAC_META_VERIFY_TOKEN");
    table.RefuseSecret("page_token", "SAC_META_PAGE_TOKEN");
    table.RejectUnknownKeys();
  }
  TableReader twilio = channels.Table("twilio_sms");
  TwilioSmsConfig& tw = config.channels.twilio_sms;
  twilio.Bool("enabled", tw.enabled);
  twilio.String("api_base_url", tw.api_base_url);
  twilio.String("account_sid", tw.account_sid);
  twilio.String("from_number", tw.from_number);
  twilio.String("messaging_service_sid", tw.messaging_service_sid);
  twilio.Integer("max_body_bytes", tw.max_body_bytes, 1024, 16LL * 1024 * 1024);
  twilio.DurationCount("send_timeout_ms", tw.send_timeout, 100, 100000);
  twilio.RefuseSecret("auth_token", "SAC_TWILIO_AUTH_TOKEN");
  twilio.RejectUnknownKeys();

  TableReader open311 = channels.Table("open311");
  Open311Config& o311 = config.channels.open311;
  open311.Bool("enabled", o311.enabled);
  open311.String("jurisdiction_id", o311.jurisdiction_id);
  open311.Integer("max_body_bytes", o311.max_body_bytes, 1024, 64LL * 1024 * 1024);
  open311.DurationCount("folio_wait_ms", o311.folio_wait, 0, 30000);
  open311.Integer("requests_per_minute", o311.requests_per_minute, 1, 1000000);
  open311.Integer("requests_per_minute_per_address", o311.requests_per_minute_per_address, 1,
                  1000000);
  open311.StringList("media_hosts", o311.media_hosts);
  open311.RefuseSecret("api_keys", "SAC_OPEN311_API_KEYS");
  open311.RejectUnknownKeys();

  TableReader email = channels.Table("email");
  EmailConfig& mail = config.channels.email;
  email.Bool("enabled", mail.enabled);
  email.String("from_address", mail.from_address);
  email.String("from_name", mail.from_name);
  email.String("smtp_url", mail.smtp_url);
  email.String("smtp_username", mail.smtp_username);
  email.Bool("smtp_require_tls", mail.smtp_require_tls);
  email.DurationCount("send_timeout_ms", mail.send_timeout, 1000, 100000);
  email.Integer("max_message_bytes", mail.max_message_bytes, 64 * 1024, 100LL * 1024 * 1024);
  email.Bool("raw_webhook", mail.raw_webhook);
  email.Bool("postmark", mail.postmark);
  email.Bool("mailgun", mail.mailgun);
  email.Bool("sendgrid", mail.sendgrid);
  email.Bool("ses", mail.ses);
  email.String("ses_topic_arn", mail.ses_topic_arn);
  email.String("sns_cert_host_pattern", mail.sns_cert_host_pattern);
  email.RefuseSecret("webhook_token", "SAC_EMAIL_WEBHOOK_TOKEN");
  email.RefuseSecret("postmark_token", "SAC_POSTMARK_TOKEN");
  email.RefuseSecret("mailgun_signing_key", "SAC_MAILGUN_SIGNING_KEY");
  email.RefuseSecret("sendgrid_token", "SAC_SENDGRID_TOKEN");
  email.RefuseSecret("smtp_password", "SAC_SMTP_PASSWORD");
  email.RejectUnknownKeys();
  channels.RejectUnknownKeys();

  top.RejectUnknownKeys();
}

void ReadEnvironment(const Environment& env, Config& config, std::vector<std::string>& errors) {
  if (auto port = env("SAC_HTTP_PORT")) {
    char* end = nullptr;
    const long value = std::strtol(port->c_str(), &end, 10);
    if (port->empty() || *end != '\0' || value < 0 || value > 65535) {
      errors.push_back("SAC_HTTP_PORT: expected a port number from 0 to 65535");
    } else {
      config.http.port = static_cast<std::uint16_t>(value);
    }
  }
  if (auto url = env("SAC_DATABASE_URL")) {
    config.database.url = *url;
  }
  if (auto level = env("SAC_LOG_LEVEL")) {
    config.log.level = *level;
  }
  WhatsAppConfig& wa = config.channels.whatsapp;
  if (auto value = env("SAC_WHATSAPP_APP_SECRET")) wa.app_secret = *value;
  if (auto value = env("SAC_WHATSAPP_VERIFY_TOKEN")) wa.verify_token = *value;
  if (auto value = env("SAC_WHATSAPP_ACCESS_TOKEN")) wa.access_token = *value;
  if (auto value = env("SAC_PUBLIC_BASE_URL")) config.http.public_base_url = *value;
  if (auto value = env("SAC_SECRET_KEY")) {
    config.staff_web.secret_keys = {*value};
    // Retired keys, newest first, separated by commas: each opens what it sealed.
    if (auto previous = env("SAC_SECRET_KEY_PREVIOUS")) {
      std::stringstream list(*previous);
      for (std::string key; std::getline(list, key, ',');) {
        config.staff_web.secret_keys.push_back(key);
      }
    }
  } else if (env("SAC_SECRET_KEY_PREVIOUS")) {
    errors.push_back("SAC_SECRET_KEY_PREVIOUS: set only with SAC_SECRET_KEY, the key replacing it");
  }
  if (auto value = env("SAC_TWILIO_AUTH_TOKEN")) config.channels.twilio_sms.auth_token = *value;
  if (auto value = env("SAC_OPEN311_API_KEYS")) {
    // "app_mazatlan:k3y,kiosko:0tra": one key per client, each client named in the audit.
    std::string_view rest = *value;
    while (!rest.empty()) {
      const std::string_view item = rest.substr(0, rest.find(','));
      rest.remove_prefix(std::min(rest.size(), item.size() + 1));
      const auto colon = item.find(':');
      if (colon == std::string_view::npos || colon == 0 || colon + 1 == item.size()) {
        errors.push_back("SAC_OPEN311_API_KEYS: expected client:key pairs separated by commas");
        break;
      }
      config.channels.open311.api_keys.emplace_back(item.substr(0, colon), item.substr(colon + 1));
    }
  }
  EmailConfig& mail = config.channels.email;
  if (auto value = env("SAC_EMAIL_WEBHOOK_TOKEN")) mail.webhook_token = *value;
  if (auto value = env("SAC_POSTMARK_TOKEN")) mail.postmark_token = *value;
  if (auto value = env("SAC_MAILGUN_SIGNING_KEY")) mail.mailgun_signing_key = *value;
  if (auto value = env("SAC_SENDGRID_TOKEN")) mail.sendgrid_token = *value;
  if (auto value = env("SAC_SMTP_PASSWORD")) mail.smtp_password = *value;
  TelegramConfig& tg = config.channels.telegram;
  if (auto value = env("SAC_TELEGRAM_BOT_TOKEN")) tg.bot_token = *value;
  if (auto value = env("SAC_TELEGRAM_SECRET_TOKEN")) tg.secret_token = *value;
  // One Meta app serves Messenger and Instagram: its secrets fill both.
  for (MetaChannelConfig* meta : {&config.channels.messenger, &config.channels.instagram}) {
    if (auto value = env("SAC_META_APP_SECRET")) meta->app_secret = *value;
    if (auto value = env("SAC_META_VERIFY_TOKEN")) meta->verify_token = *value;
    if (auto value = env("SAC_META_PAGE_TOKEN")) meta->page_token = *value;
  }
}

void CheckValues(const Config& config, std::vector<std::string>& errors) {
  if (!log::ParseLevel(config.log.level)) {
    errors.push_back("log.level: expected one of debug, info, warn, error, off");
  }
  if (config.staff_web.second_factor != "optional" && config.staff_web.second_factor != "required") {
    errors.push_back("staff_web.second_factor: expected \"optional\" or \"required\"");
  }
  if (auto box = crypto::SecretBox::FromHex(config.staff_web.secret_keys); !box) {
    errors.push_back(box.error().message);
  }
  if (auto ranges = http::AddressRanges::Parse(config.http.ops_networks); !ranges) {
    errors.push_back("http.ops_networks: " + ranges.error().message);
  }
  if (auto hosts = media::CheckHostList(config.channels.open311.media_hosts); !hosts) {
    errors.push_back("channels.open311.media_hosts: " + hosts.error().message);
  }
  const auto check_url = [&](const std::string& url, const char* key) {
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
      errors.push_back(std::string(key) + ": expected an http(s) URL");
    }
  };
  check_url(config.channels.whatsapp.api_base_url, "channels.whatsapp.api_base_url");
  check_url(config.channels.telegram.api_base_url, "channels.telegram.api_base_url");
  check_url(config.channels.twilio_sms.api_base_url, "channels.twilio_sms.api_base_url");
  if (!config.http.public_base_url.empty()) {
    check_url(config.http.public_base_url, "http.public_base_url");
  }
  check_url(config.channels.messenger.api_base_url, "channels.messenger.api_base_url");
  check_url(config.channels.instagram.api_base_url, "channels.instagram.api_base_url");
  const EmailConfig& mail = config.channels.email;
  if (mail.smtp_url.rfind("smtp://", 0) != 0 && mail.smtp_url.rfind("smtps://", 0) != 0) {
    errors.push_back("channels.email.smtp_url: expected an smtp:// or smtps:// URL");
  }
  if (const RE2 pattern(mail.sns_cert_host_pattern, RE2::Quiet); !pattern.ok()) {
    errors.push_back("channels.email.sns_cert_host_pattern: not a valid regular expression");
  }
  // A send still running when its lease ends would be claimed again and sent twice.
  const ChannelsConfig& c = config.channels;
  const std::tuple<const char*, bool, std::chrono::milliseconds> timeouts[] = {
      {"whatsapp", c.whatsapp.enabled, c.whatsapp.send_timeout},
      {"telegram", c.telegram.enabled, c.telegram.send_timeout},
      {"messenger", c.messenger.enabled, c.messenger.send_timeout},
      {"instagram", c.instagram.enabled, c.instagram.send_timeout},
      {"twilio_sms", c.twilio_sms.enabled, c.twilio_sms.send_timeout},
      {"email", c.email.enabled, c.email.send_timeout}};
  for (const auto& [channel, enabled, timeout] : timeouts) {
    if (enabled && timeout >= config.outbound.send_lease) {
      errors.push_back(std::string("channels.") + channel +
                       ".send_timeout_ms must be shorter than outbox.send_lease_seconds");
    }
  }
}

// local@domain.tld with nothing that could break a header (replies are sent from it).
bool IsEmailAddress(std::string_view address) {
  const auto at = address.find('@');
  if (at == 0 || at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos ||
      address.find('.', at) == std::string_view::npos || address.back() == '.') {
    return false;
  }
  for (char c : address) {
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7F ||
        std::string_view("<>()[]\\,;:\"").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

Status Report(const std::vector<std::string>& errors) {
  if (errors.empty()) {
    return {};
  }
  std::string message;
  for (const std::string& error : errors) {
    message += (message.empty() ? "" : "; ") + error;
  }
  return MakeError(Errc::kInvalidArgument, message);
}

}  // namespace

Environment ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
  };
}

Result<Config> LoadConfigFromString(std::string_view toml_text, std::string_view source_name,
                                    const Environment& env) {
  Config config;
  std::vector<std::string> errors;
  try {
    const toml::table root = toml::parse(toml_text, std::string_view(source_name));
    ReadFile(root, config, errors);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << source_name << ":" << error.source().begin.line << ":"
            << error.source().begin.column << ": " << error.description();
    return MakeError(Errc::kInvalidArgument, message.str());
  }
  ReadEnvironment(env, config, errors);
  CheckValues(config, errors);
  if (auto status = Report(errors); !status) {
    return status.error();
  }
  return config;
}

Result<Config> LoadConfig(const std::filesystem::path& file, const Environment& env) {
  if (file.empty()) {
    return LoadConfigFromString("", "defaults", env);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return MakeError(Errc::kInvalidArgument, "cannot read configuration file " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return LoadConfigFromString(text.str(), file.string(), env);
}

Status ValidateDatabase(const Config& config) {
  if (config.database.url.empty()) {
    return MakeError(Errc::kInvalidArgument,
                     "database.url is empty: set SAC_DATABASE_URL or [database] url");
  }
  return {};
}

Status ValidateForServe(const Config& config) {
  std::vector<std::string> errors;
  if (auto status = ValidateDatabase(config); !status) {
    errors.push_back(status.error().message);
  }
  // An enabled channel needs every one of its secrets.
  const auto require_secrets =
      [&](bool enabled, const char* channel,
          std::initializer_list<std::pair<const std::string*, const char*>> secrets) {
        if (!enabled) return;
        for (const auto& [value, env_name] : secrets) {
          if (value->empty()) {
            errors.push_back(std::string("missing secret ") + env_name + " (channels." + channel +
                             " is enabled)");
          }
        }
      };
  const WhatsAppConfig& wa = config.channels.whatsapp;
  require_secrets(wa.enabled, "whatsapp",
                  {{&wa.app_secret, "SAC_WHATSAPP_APP_SECRET"},
                   {&wa.verify_token, "SAC_WHATSAPP_VERIFY_TOKEN"},
                   {&wa.access_token, "SAC_WHATSAPP_ACCESS_TOKEN"}});
  if (wa.enabled) {
    if (wa.phone_number_id.empty()) {
      errors.push_back("channels.whatsapp.phone_number_id is required when the channel is enabled");
    }
  }
  const TwilioSmsConfig& tw = config.channels.twilio_sms;
  require_secrets(tw.enabled, "twilio_sms", {{&tw.auth_token, "SAC_TWILIO_AUTH_TOKEN"}});
  if (tw.enabled) {
    if (tw.account_sid.empty()) {
      errors.push_back("channels.twilio_sms.account_sid is required when the channel is enabled");
    }
    if (tw.from_number.empty() == tw.messaging_service_sid.empty()) {
      errors.push_back("channels.twilio_sms: set exactly one of from_number and messaging_service_sid");
    }
    if (config.http.public_base_url.empty()) {
      errors.push_back("http.public_base_url (or SAC_PUBLIC_BASE_URL) is required by channels.twilio_sms: "
                       "Twilio signs the public URL it calls");
    }
  }
  // The production posture: second factors for everyone, their keys sealed (deploy/runbook.md).
  if (config.staff_web.second_factor == "required" && config.staff_web.secret_keys.empty()) {
    errors.push_back("missing secret SAC_SECRET_KEY (staff_web.second_factor is \"required\": "
                     "the second-factor keys are sealed with it)");
  }
  if (config.channels.open311.enabled && config.channels.open311.api_keys.empty()) {
    errors.push_back("missing secret SAC_OPEN311_API_KEYS (channels.open311 is enabled)");
  }
  const TelegramConfig& tg = config.channels.telegram;
  require_secrets(tg.enabled, "telegram",
                  {{&tg.bot_token, "SAC_TELEGRAM_BOT_TOKEN"},
                   {&tg.secret_token, "SAC_TELEGRAM_SECRET_TOKEN"}});
  const EmailConfig& mail = config.channels.email;
  require_secrets(mail.enabled && mail.raw_webhook, "email",
                  {{&mail.webhook_token, "SAC_EMAIL_WEBHOOK_TOKEN"}});
  require_secrets(mail.enabled && mail.postmark, "email", {{&mail.postmark_token, "SAC_POSTMARK_TOKEN"}});
  require_secrets(mail.enabled && mail.mailgun, "email",
                  {{&mail.mailgun_signing_key, "SAC_MAILGUN_SIGNING_KEY"}});
  require_secrets(mail.enabled && mail.sendgrid, "email", {{&mail.sendgrid_token, "SAC_SENDGRID_TOKEN"}});
  require_secrets(mail.enabled && !mail.smtp_username.empty(), "email",
                  {{&mail.smtp_password, "SAC_SMTP_PASSWORD"}});
  if (mail.enabled) {
    if (!IsEmailAddress(mail.from_address)) {
      errors.push_back("channels.email.from_address must be an e-mail address when the channel is enabled");
    }
    if (mail.ses && mail.ses_topic_arn.empty()) {
      errors.push_back("channels.email.ses_topic_arn is required when channels.email.ses is on");
    }
  }
  for (auto [name, meta] : {std::pair{"messenger", &config.channels.messenger},
                             std::pair{"instagram", &config.channels.instagram}}) {
    require_secrets(meta->enabled, name,
                    {{&meta->app_secret, "SAC_META_APP_SECRET"},
                     {&meta->verify_token, "SAC_META_VERIFY_TOKEN"},
                     {&meta->page_token, "SAC_META_PAGE_TOKEN"}});
  }
  return Report(errors);
}

}  // namespace sac
