// The whole configuration of SAC as one struct tree. Defaults live here, in code; a TOML file
// (deploy/config/sac.dev.toml is the dev one) overrides them; secrets come only from the
// environment (see config_loader.h). Only src/app reads this tree and hands each object its part.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/polling_workers.h"
#include "core/service_area.h"

namespace sac {

struct HttpConfig {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port (tests)
  int io_threads = 2;
  // Staff pages, the API and Open311 block on the database; they never run on io threads.
  // (Channel webhooks hold no thread while their commit is in flight: see inbox_committers.)
  int handler_threads = 32;
  // Threads committing webhooks to the inbox, each a transaction at a time holding every webhook
  // that queued meanwhile (group commit). Two keep a commit in flight while the last one's answers
  // go out; more only shrink the groups (measured in tests/bench/RESULTS.md).
  int inbox_committers = 2;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds shutdown_grace{10};
  // How providers reach us from the Internet, e.g. https://atencion.mazatlan.gob.mx (behind the
  // reverse proxy). Twilio signs the public URL it called; replies name their status callback.
  std::string public_base_url;  // SAC_PUBLIC_BASE_URL overrides
  // Peers whose X-Forwarded-For is believed (the reverse proxy): who is signing in is counted
  // by the address they name (http/client_address.h).
  std::vector<std::string> trusted_proxies = {"127.0.0.1", "::1"};
  // Who may call /healthz, /readyz and /metrics: the peer itself when it comes straight in, the
  // client a trusted proxy names when forwarded (a forward by anyone else is refused); others
  // get 404. Loopback by default: add the monitoring hosts' network (e.g. "10.20.0.0/16").
  std::vector<std::string> ops_networks = {"127.0.0.0/8", "::1"};
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

// How SAC talks with a citizen (src/conversation).
struct ConversationConfig {
  // The aviso de privacidad simplificado shown on first contact on each channel; a new version
  // is shown again to everyone. Its text lives in src/conversation/replies.cc.
  std::string privacy_version = "2026-01";
  std::string privacy_url = "https://mazatlan.gob.mx/aviso-de-privacidad";
  // A photo or a pin sent this soon after a report belongs to that report.
  std::chrono::seconds burst_window{180};
  // SAC asks once where a report without a location is; the next message answers it unless
  // this much time passed (then the boleta stays flagged "sin ubicación" for staff).
  std::chrono::seconds location_wait{1800};
  // Same for the data of an estado de cuenta or a CURP.
  std::chrono::seconds data_wait{1800};
  // "We could not tell what you need" at most this often per identity.
  std::chrono::seconds otro_cooldown{43200};
  // New petitions a citizen may send in 24 hours before the next ones wait for staff instead of
  // going to a dependencia (each still a boleta with its folio: nothing is lost). A person with
  // a street full of problems stays under it; a bot or a prank does not.
  int petitions_per_day = 10;
  // "Your reports wait for a person" at most this often per identity.
  std::chrono::seconds held_reply_cooldown{3600};
  // The monthly survey's answer counts this long after the question; then "sin respuesta".
  std::chrono::seconds survey_answer_window{7 * 86400};
  // Pins outside it are not taken as a problem's place ([area]; core/service_area.h).
  ServiceArea area;
};

// The scheduler (src/scheduler): one leader across all `sac serve` processes runs the jobs on
// these cron schedules, read in Mazatlán time.
struct SchedulerConfig {
  bool enabled = true;
  std::chrono::milliseconds tick{5000};  // how often leadership and due jobs are checked
  std::string overdue_checkin = "0 9 * * 1-5";  // weekdays at 09:00
  std::string monthly_survey = "0 10 1 * *";    // the 1st of each month at 10:00
  std::string survey_expiry = "30 8 * * *";     // every day at 08:30
  std::string access_log_check = "0 3 * * *";   // every day at 03:00
  std::string retention = "30 3 * * *";         // every day at 03:30
};

// How long each kind of citizens' personal data is kept (src/privacy/retention.h).
struct RetentionConfig {
  std::chrono::days raw_request_days{90};
  std::chrono::days message_days{730};
  std::chrono::days inactive_citizen_days{1825};
  // Every cancellation, outside the database, so a restored backup does not bring the data back
  // (src/privacy/cancellation_journal.h). Keep it off the database's and the backups' volume.
  std::string cancellation_journal = "var/cancelaciones.log";
};

struct LogConfig {
  std::string level = "info";
};

// The staff web's sign-in.
struct StaffWebConfig {
  // "required": every account signs in with a code from an authenticator app as well, and one
  // without it is sent to turn it on first; "optional": each person may turn it on (Seguridad).
  // Production should require it (deploy/runbook.md).
  std::string second_factor = "optional";
  // Seal the second-factor keys at rest (crypto/secret_box.h), 64 hex digits each: the first seals,
  // every one opens. From SAC_SECRET_KEY and SAC_SECRET_KEY_PREVIOUS (retired keys, separated
  // by commas); never from the file. Empty: kept in clear, with a warning at start; `sac serve`
  // refuses second_factor = "required" without one.
  std::vector<std::string> secret_keys;
};

// A message template approved by Meta for one purpose (channels.whatsapp.templates.<purpose>):
// WhatsApp refuses free text 24 hours after the citizen's last message, so status notices and
// the monthly survey go out as templates then. `parameters` names the message's values that fill
// {{1}}, {{2}}, ... in order: folio, dependencia, fecha, motivo, mes.
struct WhatsAppTemplate {
  std::string name;
  std::string language = "es_MX";
  std::vector<std::string> parameters;
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
  std::map<std::string, WhatsAppTemplate, std::less<>> templates;  // by purpose
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

// Messenger and Instagram: one Meta app, one parser, two channels with the same settings.
struct MetaChannelConfig {
  bool enabled = false;
  std::string api_base_url = "https://graph.facebook.com/v21.0";  // + /me/messages
  std::string account_id;  // our Page id / Instagram account id; other accounts' events are
                           // skipped (empty accepts every account)
  std::size_t max_body_bytes = 4 * 1024 * 1024;  // Meta payloads reach ~3 MB
  std::chrono::milliseconds send_timeout{15000};
  // The message tag sent outside the 24-hour window (e.g. HUMAN_AGENT, which Meta grants on
  // request and allows for 7 days); empty: nothing is sent outside the window.
  std::string outside_window_tag;
  // Secrets: environment only, the same for both channels.
  std::string app_secret;    // SAC_META_APP_SECRET: key of X-Hub-Signature-256
  std::string verify_token;  // SAC_META_VERIFY_TOKEN: answers the GET handshake
  std::string page_token;    // SAC_META_PAGE_TOKEN: Page access token of the Send API
};

struct TwilioSmsConfig {
  bool enabled = false;
  std::string api_base_url = "https://api.twilio.com/2010-04-01";
  std::string account_sid;            // AC…: in the send URL and the Basic-auth user
  std::string from_number;            // our number in E.164, or
  std::string messaging_service_sid;  // MG…: a Messaging Service that picks the number
  std::size_t max_body_bytes = 64 * 1024;  // a form of a few dozen fields
  std::chrono::milliseconds send_timeout{15000};
  // Secrets: environment only.
  std::string auth_token;  // SAC_TWILIO_AUTH_TOKEN: signature key and Basic-auth password
};

// The municipal app and any other Open311 GeoReport v2 client (channels/open311).
struct Open311Config {
  bool enabled = false;
  std::string jurisdiction_id = "mazatlan.gob.mx";
  std::size_t max_body_bytes = 1024 * 1024;
  // How long POST requests waits for the pipeline to give the boleta its folio before it answers
  // with a token instead (the client then asks tokens/{token}).
  std::chrono::milliseconds folio_wait{3000};
  // Requests per client key per minute, per process (429 with Retry-After beyond): the municipal
  // app's key carries every app user, so this is a ceiling for a runaway app, not per person...
  int requests_per_minute = 1200;
  // ... and per key and client address (behind `[http] trusted_proxies`, the one they name), so
  // that one abuser with the app's key cannot spend everyone's minute.
  int requests_per_minute_per_address = 120;
  // The hosts an app's photos (`media_url`) may come from: "fotos.mazatlan.gob.mx", or
  // ".mazatlan.gob.mx" for any name below it. A request naming another host is refused (400);
  // empty: apps send no photos by URL.
  std::vector<std::string> media_hosts;
  // Secrets: environment only. SAC_OPEN311_API_KEYS = "client:key,client2:key2".
  std::vector<std::pair<std::string, std::string>> api_keys;  // client → key
  // A request placed outside it is refused ([area]; core/service_area.h).
  ServiceArea area;
};

// E-mail (channels/email): raw MIME from our MTA (`sac ingest-mail`, POST /webhooks/email) and
// the providers' inbound webhooks; replies through an SMTP relay.
struct EmailConfig {
  bool enabled = false;
  std::string from_address;  // replies come from it; our Message-IDs end in its domain
  std::string from_name = "Atención Ciudadana de Mazatlán";
  std::string smtp_url = "smtp://127.0.0.1:25";  // smtp:// (STARTTLS when offered) or smtps://
  std::string smtp_username;                     // "" for a relay without AUTH
  bool smtp_require_tls = false;                 // smtp:// only with STARTTLS
  std::chrono::milliseconds send_timeout{30000};
  // The largest MIME message: POST /webhooks/email, `sac ingest-mail` and the parser; provider
  // webhooks (base64 attachments in JSON or forms) may be a third bigger.
  std::size_t max_message_bytes = 25 * 1024 * 1024;
  // Which HTTP doors are open; each needs its secret (SES: its topic).
  bool raw_webhook = false;  // POST /webhooks/email
  bool postmark = false;     // POST /webhooks/email/postmark
  bool mailgun = false;      // POST /webhooks/email/mailgun
  bool sendgrid = false;     // POST /webhooks/email/sendgrid
  bool ses = false;          // POST /webhooks/email/ses
  std::string ses_topic_arn;  // the only SNS topic accepted (messages and subscription)
  std::string sns_cert_host_pattern = R"(sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?)";
  // Tests only (not readable from the TOML file): a fake SNS on http://127.0.0.1.
  bool allow_insecure_sns_urls = false;
  // Secrets: environment only.
  std::string webhook_token;        // SAC_EMAIL_WEBHOOK_TOKEN: bearer token of POST /webhooks/email
  std::string postmark_token;       // SAC_POSTMARK_TOKEN: basic-auth password in Postmark's URL
  std::string mailgun_signing_key;  // SAC_MAILGUN_SIGNING_KEY: HMAC key of Mailgun's signature
  std::string sendgrid_token;       // SAC_SENDGRID_TOKEN: ?token= or basic-auth password
  std::string smtp_password;        // SAC_SMTP_PASSWORD
};

struct ChannelsConfig {
  WhatsAppConfig whatsapp;
  TelegramConfig telegram;
  MetaChannelConfig messenger;
  MetaChannelConfig instagram;
  TwilioSmsConfig twilio_sms;
  Open311Config open311;
  EmailConfig email;
};

// Photos, voice notes and documents citizens send, downloaded after the acknowledgement.
struct MediaConfig {
  std::string dir = "var/media";  // content-addressed files; personal data: back it up, guard it
  std::size_t max_bytes = 25 * 1024 * 1024;
  std::chrono::milliseconds timeout{30000};
  QueueSettings queue{1, std::chrono::milliseconds(2000), 6, std::chrono::milliseconds(30000),
                      std::chrono::milliseconds(3600000)};
  // Tests only (not readable from the TOML file): fake providers listen on http://127.0.0.1.
  bool allow_private_addresses = false;
};

// How replies leave (src/outbox), beyond the queue settings.
struct OutboundConfig {
  // Sends per second per channel (whatsapp = 60, ...); a channel not named is not limited.
  std::map<std::string, int, std::less<>> rate_per_second;
  // A reply window is taken to close this much before the provider's: the citizen's message
  // reached us a little after they sent it, and a reply in flight must still land inside.
  std::chrono::seconds window_margin{1800};
  // How long a claimed reply belongs to the process sending it. A process killed mid-send leaves
  // its replies "sending"; after this they are due again (and may reach the citizen twice: at
  // least once). Must be longer than any channel's send timeout (checked at load).
  std::chrono::seconds send_lease{120};
};

// The dependencias' API (src/web/api_v1.h).
struct ApiConfig {
  // Calls per token per minute, per process (a burst of a minute's worth, then this rate); more
  // are answered 429 with Retry-After.
  int requests_per_minute = 600;
};

struct Config {
  HttpConfig http;
  ApiConfig api;
  DatabaseConfig database;
  // Inbox rows: quarantined after max_attempts.
  QueueSettings pipeline{2, std::chrono::milliseconds(1000), 5, std::chrono::milliseconds(2000),
                         std::chrono::milliseconds(600000)};
  // Replies: marked failed after max_attempts.
  QueueSettings outbox{2, std::chrono::milliseconds(1000), 8, std::chrono::milliseconds(5000),
                       std::chrono::milliseconds(900000)};
  OutboundConfig outbound;
  LogConfig log;
  StaffWebConfig staff_web;
  WorkflowConfig workflow;
  ConversationConfig conversation;
  SchedulerConfig scheduler;
  ChannelsConfig channels;
  MediaConfig media;
  RetentionConfig retention;
  std::string rules_dir = "rules";  // rule data: dependencias, calendario, categorías, cases
};

}  // namespace sac
