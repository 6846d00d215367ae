#include "app/app.h"

#include <map>
#include <vector>

#include "app/ops_endpoints.h"
#include "channels/email/email_webhooks.h"
#include "channels/open311/open311_api.h"
#include "channels/registry.h"
#include "classify/classifier_holder.h"
#include "crypto/secret_box.h"
#include "conversation/inbound_handler.h"
#include "core/clock.h"
#include "http/curl_client.h"
#include "http/limits.h"
#include "http/server.h"
#include "intake/inbox_dispatcher.h"
#include "intake/inbox_writer.h"
#include "intake/pipeline.h"
#include "intake/webhook_handler.h"
#include "media/media_downloader.h"
#include "media/media_store.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "outbox/outbox_writer.h"
#include "outbox/sender.h"
#include "privacy/cancellation_journal.h"
#include "scheduler/jobs.h"
#include "scheduler/scheduler.h"
#include "storage/database.h"
#include "storage/migration_source.h"
#include "storage/migrator.h"
#include "storage/notification_listener.h"
#include "web/second_factor.h"
#include "web/api_v1.h"
#include "web/staff_web.h"
#include "workflow/boleta_workflow.h"
#include "workflow/boletas.h"
#include "workflow/business_calendar.h"
#include "workflow/local_time.h"
#include "workflow/sla.h"

namespace sac::app {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("app");
  return logger;
}

storage::DatabaseSettings DatabaseSettingsFrom(const DatabaseConfig& config) {
  return {config.url, config.pool_size, config.acquire_timeout, config.connect_timeout,
          config.statement_timeout};
}

media::FetchLimits FetchLimitsFrom(const MediaConfig& config) {
  media::FetchLimits limits;
  limits.max_bytes = config.max_bytes;
  limits.timeout = config.timeout;
  limits.allow_private_addresses = config.allow_private_addresses;
  return limits;
}

http::ServerSettings ServerSettingsFrom(const HttpConfig& config) {
  http::ServerSettings settings{config.listen_address, config.port,         config.io_threads,
                                config.handler_threads, config.header_timeout, config.body_timeout,
                                config.idle_timeout,    config.shutdown_grace};
  settings.strict_transport_security = config.public_base_url.rfind("https://", 0) == 0;
  return settings;
}

// Sessions say Secure when providers and people reach us over TLS.
web::SessionSettings SessionSettingsFrom(const Config& config) {
  web::SessionSettings settings;
  settings.secure_cookie = config.http.public_base_url.rfind("https://", 0) == 0;
  settings.trusted_proxies = config.http.trusted_proxies;
  settings.second_factor_required = config.staff_web.second_factor == "required";
  if (auto box = crypto::SecretBox::FromHex(config.staff_web.secret_keys)) {
    settings.secret_box = *box;  // checked when the configuration was read
  }
  return settings;
}

// Keys kept in clear, or under a retired secret key, sealed under the current one; accounts
// that sign in before this ends (or while the database is away) are sealed on the way
// (web/second_factor.h).
void SealSecondFactorKeysAtStart(storage::Database& database, const StaffWebConfig& config,
                                 bool database_reachable) {
  auto box = crypto::SecretBox::FromHex(config.secret_keys);
  if (!box || !box->seals()) {
    Log().Warn("second-factor keys are kept in clear in the database: set SAC_SECRET_KEY "
               "(deploy/runbook.md)");
    return;
  }
  if (!database_reachable) return;
  if (auto sealed = web::SealSecondFactorKeys(database, *box); !sealed) {
    Log().Warn("second-factor keys not sealed at start; each is as its account signs in",
               {{"error", sealed.error().message}});
  } else if (*sealed > 0) {
    Log().Info("second-factor keys sealed under the current secret key", {{"accounts", *sealed}});
  }
}

}  // namespace

// Members are declared in dependency order: each is built from the ones above it and destroyed
// before them.
struct App::Parts {
  Parts(const Config& c, workflow::BusinessCalendar loaded_calendar, workflow::LocalTime local,
        std::unique_ptr<classify::ClassifierHolder> loaded_classifiers)
      : config(c),
        calendar(std::move(loaded_calendar)),
        local_time(std::move(local)),
        sla(calendar, local_time),
        classifiers(std::move(loaded_classifiers)),
        database(DatabaseSettingsFrom(c.database)),
        channels(sac::channels::BuildChannels(c, http_client)),
        inbox_writer(database, clock, &metrics, {.committers = c.http.inbox_committers}),
        boleta_workflow(sla, clock),
        inbound_handler(clock, *classifiers, boleta_workflow, local_time, c.conversation),
        api(database, boleta_workflow, sla, clock, config.api.requests_per_minute),
        media_store(c.media.dir),
        cancellation_journal(c.retention.cancellation_journal),
        staff_web(database, boleta_workflow, *classifiers, sla, local_time, media_store, clock,
                  SessionSettingsFrom(c)),
        open311(c.channels.open311, c.http.public_base_url, database, *classifiers, clock,
                c.http.trusted_proxies),
        dispatcher(inbound_handler, clock),
        pipeline(database, dispatcher, c.pipeline, clock, metrics),
        sender(database, ChannelsByName(), c.outbox, clock, metrics, c.outbound,
               std::chrono::duration_cast<std::chrono::milliseconds>(c.outbound.send_lease)),
        email(c.channels.email, database, media_store, http_client, clock, metrics),
        downloader(database, ChannelsByName(), c.channels.open311.media_hosts, media_store,
                   FetchLimitsFrom(c.media), c.media.queue, clock),
        scheduler(database, local_time, clock, c.scheduler.tick),
        listener(storage::Database::ConnectionString(database.settings()),
                 {std::string(intake::kInboxNotifyChannel),
                  std::string(outbox::kOutboxNotifyChannel),
                  std::string(workflow::kMediaNotifyChannel)},
                 [this](std::string_view channel) { OnNotification(channel); }),
        server(ServerSettingsFrom(c.http), router, &metrics) {}

  // Whatever happened to Start() and Stop(): the server (whose sessions wait for webhooks'
  // answers) stops before the inbox writer answers what it still holds, while the handlers and
  // io threads those answers go to still exist. Both are safe to stop twice.
  ~Parts() {
    server.Stop();
    inbox_writer.Stop();
  }

  std::map<std::string, Channel*, std::less<>> ChannelsByName() const {
    std::map<std::string, Channel*, std::less<>> byName;
    for (const auto& channel : channels) {
      byName.emplace(std::string(channel->Name()), channel.get());
    }
    return byName;
  }

  void OnNotification(std::string_view channel) {
    if (channel == intake::kInboxNotifyChannel) {
      pipeline.Wake();
    } else if (channel == outbox::kOutboxNotifyChannel) {
      sender.Wake();
    } else if (channel == workflow::kMediaNotifyChannel) {
      downloader.Wake();
    }
  }

  void AddRoutes() {
    // The loader refuses networks it cannot read; a Config made otherwise with one fails closed.
    auto ops_networks = http::AddressRanges::Parse(config.http.ops_networks);
    AddOpsRoutes(router, database, metrics, expected_schema_version,
                 {ops_networks ? *ops_networks : http::AddressRanges(), config.http.trusted_proxies});
    api.AddRoutes(router);
    staff_web.AddRoutes(router);
    if (config.channels.open311.enabled) {
      open311.AddRoutes(router);
    }
    if (config.channels.email.enabled) {
      email.AddRoutes(router);  // e-mail stores attachments before answering: its own routes
    }
    for (const auto& channel : channels) {
      intake::WebhookHandler* handler = webhook_handlers
          .emplace_back(std::make_unique<intake::WebhookHandler>(*channel, inbox_writer, metrics))
          .get();
      const std::string label = "webhook_" + std::string(channel->Name());
      for (const std::string& path : channel->WebhookPaths()) {
        router.Add({"GET", path, label + "_handshake", http::kNoBody,
                    [handler](const HttpRequest& r) { return handler->HandleGet(r); }});
        router.Add({.method = "POST", .path = path, .label = label,
                    .max_body_bytes = channel->MaxBodyBytes(),
                    .async_handler = [handler](const HttpRequest& r, http::Respond respond) {
                      handler->HandlePost(r, std::move(respond));
                    }});
      }
    }
  }

  // The scheduler's jobs, on the schedules of [scheduler] (a bad one stops the start, named).
  Status AddJobs() {
    const SchedulerConfig& s = config.scheduler;
    const auto add = [&](const char* key, const std::string& expression,
                         std::unique_ptr<scheduler::Job> job) -> Status {
      auto schedule = scheduler::CronSchedule::Parse(expression);
      if (!schedule) {
        return MakeError(Errc::kInvalidArgument,
                         std::string(key) + ": " + schedule.error().message);
      }
      scheduler.Add(std::move(job), *schedule);
      return {};
    };
    if (auto added = add("scheduler.overdue_checkin", s.overdue_checkin,
                         scheduler::OverdueCheckInJob(database));
        !added) {
      return added;
    }
    if (auto added = add("scheduler.monthly_survey", s.monthly_survey,
                         scheduler::MonthlySurveyJob(database, local_time));
        !added) {
      return added;
    }
    if (auto added = add("scheduler.survey_expiry", s.survey_expiry,
                         scheduler::SurveyExpiryJob(database, config.conversation.survey_answer_window));
        !added) {
      return added;
    }
    if (auto added = add("scheduler.access_log_check", s.access_log_check,
                         scheduler::AccessLogCheckJob(database));
        !added) {
      return added;
    }
    const RetentionConfig& kept = config.retention;
    return add("scheduler.retention", s.retention,
               scheduler::RetentionJob(database, media_store, cancellation_journal,
                                       {kept.raw_request_days, kept.message_days,
                                        kept.inactive_citizen_days}));
  }

  Config config;
  SystemClock clock;
  Metrics metrics;
  workflow::BusinessCalendar calendar;
  workflow::LocalTime local_time;
  workflow::SlaClock sla;
  std::unique_ptr<classify::ClassifierHolder> classifiers;
  storage::Database database;
  http::CurlHttpClient http_client;
  std::vector<std::unique_ptr<Channel>> channels;
  intake::InboxWriter inbox_writer;
  std::vector<std::unique_ptr<intake::WebhookHandler>> webhook_handlers;
  workflow::BoletaWorkflow boleta_workflow;
  conversation::InboundHandler inbound_handler;
  web::ApiV1 api;
  media::MediaStore media_store;
  privacy::CancellationJournal cancellation_journal;
  web::StaffWeb staff_web;
  sac::channels::open311::Open311Api open311;
  intake::InboxDispatcher dispatcher;
  intake::Pipeline pipeline;
  outbox::OutboxSender sender;
  sac::channels::email::EmailWebhooks email;
  media::MediaDownloader downloader;
  scheduler::Scheduler scheduler;
  storage::NotificationListener listener;
  http::Router router;
  http::HttpServer server;
  int expected_schema_version = 0;
  bool started = false;
};

Result<std::unique_ptr<App>> App::Create(const Config& config) {
  auto migrations = storage::LoadMigrations(storage::EmbeddedMigrations());
  if (!migrations) {
    return migrations.error();
  }
  auto calendar = workflow::BusinessCalendar::Load(std::filesystem::path(config.rules_dir) /
                                                   "calendario.toml");
  if (!calendar) {
    return calendar.error();
  }
  auto local = workflow::LocalTime::Load(config.workflow.time_zone);
  if (!local) {
    return local.error();
  }
  auto classifiers = classify::ClassifierHolder::Load(config.rules_dir);
  if (!classifiers) {
    return MakeError(Errc::kInvalidArgument, "rules in " + config.rules_dir + " refused:\n" +
                                                 classifiers.error().message);
  }
  auto parts = std::make_unique<Parts>(config, std::move(*calendar), std::move(*local),
                                       std::move(*classifiers));
  parts->expected_schema_version = migrations->empty() ? 0 : migrations->back().version;
  parts->AddRoutes();
  if (auto jobs = parts->AddJobs(); !jobs) {
    return jobs.error();
  }
  return std::unique_ptr<App>(new App(std::move(parts)));
}

App::App(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

App::~App() { Stop(); }

Result<std::uint16_t> App::Start() {
  Parts& p = *parts_;
  if (auto schema = storage::CheckSchemaCurrent(p.database, p.expected_schema_version); !schema) {
    if (schema.error().code == Errc::kConflict) {
      return schema.error();
    }
    Log().Warn("database not reachable at start; /readyz says so until it is",
               {{"error", schema.error().message}});
    SealSecondFactorKeysAtStart(p.database, p.config.staff_web, false);
  } else {
    SealSecondFactorKeysAtStart(p.database, p.config.staff_web, true);
  }
  auto port = p.server.Start();
  if (!port) {
    return port.error();
  }
  p.listener.Start();
  p.pipeline.Start();
  p.sender.Start();
  p.downloader.Start();
  if (p.config.scheduler.enabled) {
    p.scheduler.Start();
  }
  p.started = true;
  Log().Info("sac serving", {{"port", *port}, {"channels", p.channels.size()}});
  return *port;
}

Status App::ReloadRules() {
  auto reloaded = parts_->classifiers->Reload();
  if (!reloaded) {
    Log().Error("rules refused; the previous ones stay in force",
                {{"dir", parts_->config.rules_dir}, {"problems", reloaded.error().message}});
    return reloaded;
  }
  const auto& rules = parts_->classifiers->Current()->rules();
  Log().Info("rules reloaded", {{"dir", parts_->config.rules_dir},
                                {"categorias", rules.categorias().size()},
                                {"patrones", rules.patterns().size()}});
  return {};
}

void App::Stop() {
  Parts& p = *parts_;
  if (!p.started) {
    return;
  }
  p.started = false;
  p.server.Stop();  // no new webhooks; in-flight ones are committed and answered
  p.inbox_writer.Stop();  // whatever the grace period left queued is committed all the same
  p.pipeline.Stop();
  p.sender.Stop();
  p.downloader.Stop();
  p.scheduler.Stop();
  p.listener.Stop();
  Log().Info("sac stopped");
}

}  // namespace sac::app
