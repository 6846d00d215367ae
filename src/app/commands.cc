#include "app/commands.h"

#include <sys/stat.h>

#include <cctype>
#include <csignal>
#include <fstream>
#include <iostream>

#include "app/app.h"
#include "channels/email/ingest_mail.h"
#include "classify/corrections.h"
#include "config/config_loader.h"
#include "media/media_store.h"
#include "observability/log.h"
#include "privacy/access_log.h"
#include "privacy/arco_requests.h"
#include "privacy/cancellation_journal.h"
#include "privacy/citizen_rights.h"
#include "privacy/security_breaches.h"
#include "routing/dependencias.h"
#include "storage/database.h"
#include "storage/migration_source.h"
#include "storage/migrator.h"
#include "web/api_tokens.h"
#include "web/second_factor.h"
#include "web/staff_accounts.h"
#include "workflow/business_calendar.h"
#include "workflow/local_time.h"

#ifndef SAC_GIT_HASH
#define SAC_GIT_HASH "unknown"
#endif

namespace sac::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void PrintError(const std::string& message) { std::cerr << "sac: " << message << "\n"; }

// Loads the configuration, checks it has what the command needs (`validate`) and applies its log
// level. On failure prints the one-line error and returns nullopt.
std::optional<Config> LoadOrReport(const CommonOptions& options,
                                   Status (*validate)(const Config&)) {
  auto config = LoadConfig(options.config_file, ProcessEnvironment());
  if (!config) {
    PrintError(config.error().message);
    return std::nullopt;
  }
  if (auto valid = validate(*config); !valid) {
    PrintError(valid.error().message);
    return std::nullopt;
  }
  log::SetLevel(*log::ParseLevel(config->log.level));
  return std::move(*config);
}

storage::DatabaseSettings SettingsFor(const DatabaseConfig& config) {
  return {config.url, 2, config.acquire_timeout, config.connect_timeout,
          config.statement_timeout};
}

}  // namespace

int Serve(const CommonOptions& options) {
  // Block the stop signals before any thread starts, so every thread inherits the mask and only
  // sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);  // reload the classification rules
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto config = LoadOrReport(options, &ValidateForServe);
  if (!config) {
    return kExitUsage;
  }
  auto app = App::Create(*config);
  if (!app) {
    PrintError(app.error().message);
    return kExitFailure;
  }
  auto port = (*app)->Start();
  if (!port) {
    PrintError(port.error().message);
    return kExitFailure;
  }
  int signal = 0;
  while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) {
    (void)(*app)->ReloadRules();  // it logs what happened
  }
  log::Logger("app").Info("stopping", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
  (*app)->Stop();
  return kExitOk;
}

int Migrate(const CommonOptions& options, bool dry_run) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) {
    return kExitUsage;
  }
  auto migrations = storage::LoadMigrations(storage::EmbeddedMigrations());
  if (!migrations) {
    PrintError(migrations.error().message);
    return kExitFailure;
  }
  storage::Migrator migrator(
      storage::Database::ConnectionString(SettingsFor(config->database)), *migrations);
  if (dry_run) {
    auto plan = migrator.Plan();
    if (!plan) {
      PrintError(plan.error().message);
      return kExitFailure;
    }
    std::cout << plan->applied.size() << " applied, " << plan->pending.size() << " pending\n";
    for (const auto& migration : plan->pending) {
      std::cout << "  would apply " << migration.name << "\n";
    }
    return kExitOk;
  }
  auto applied = migrator.Apply();
  if (!applied) {
    PrintError(applied.error().message);
    return kExitFailure;
  }
  std::cout << (applied->empty() ? "schema is up to date"
                                 : "applied " + std::to_string(applied->size()) + " migration(s)")
            << " (version " << migrator.ExpectedVersion() << ")\n";
  return kExitOk;
}

int Seed(const CommonOptions& options, bool demo_account) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) {
    return kExitUsage;
  }
  auto dependencias =
      routing::LoadDependencias(std::filesystem::path(config->rules_dir) / "dependencias.toml");
  if (!dependencias) {
    PrintError(dependencias.error().message);
    return kExitFailure;
  }
  storage::Database database(SettingsFor(config->database));
  struct Seeded {
    int changed_dependencias = 0;
    std::optional<std::string> demo_password;
  };
  auto seeded = database.Transact([&](storage::Tx& tx) {
    Seeded done{routing::UpsertDependencias(tx, *dependencias), std::nullopt};
    if (demo_account) done.demo_password = web::CreateDemoAccount(tx);
    return done;
  });
  if (!seeded) {
    PrintError("seeding failed: " + seeded.error().message);
    return kExitFailure;
  }
  std::cout << dependencias->size() << " dependencias in the catalogue, "
            << seeded->changed_dependencias << " added or updated\n";
  if (seeded->demo_password) {
    // The only time this password is ever shown: it is stored hashed.
    std::cout << "\nCuenta de demostración creada; guarda la contraseña, no se vuelve a mostrar:\n"
              << "  usuario:    " << web::kDemoUsername << "\n"
              << "  contraseña: " << *seeded->demo_password << "\n\n";
  } else if (demo_account) {
    std::cout << "the demo account already exists (its password was shown when it was created)\n";
  }
  return kExitOk;
}

int IngestMail(const CommonOptions& options) {
  // A configuration Postfix cannot use yet must not bounce mail: it waits in Postfix's queue.
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) {
    return channels::email::kExitTempFail;
  }
  return channels::email::IngestMail(std::cin, *config);
}

int CreateToken(const CommonOptions& options, const std::string& dependencia,
                const std::string& label) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) {
    return kExitUsage;
  }
  storage::Database database(SettingsFor(config->database));
  auto created = database.Transact(
      [&](storage::Tx& tx) { return web::CreateApiToken(tx, dependencia, label); });
  if (!created) {
    PrintError(created.error().message);
    return created.error().code == Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  // Shown once: only its SHA-256 is stored.
  std::cout << "Token " << created->id << " para " << dependencia
            << " (guárdalo: no se vuelve a mostrar): " << created->token << "\n";
  return kExitOk;
}

int RevokeToken(const CommonOptions& options, std::int64_t id) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) {
    return kExitUsage;
  }
  storage::Database database(SettingsFor(config->database));
  SystemClock clock;
  auto revoked = database.Transact(
      [&](storage::Tx& tx) { return web::RevokeApiToken(tx, id, clock.Now()); });
  if (!revoked) {
    PrintError(revoked.error().message);
    return kExitFailure;
  }
  if (!*revoked) {
    PrintError("no hay un token activo con id " + std::to_string(id));
    return kExitUsage;
  }
  std::cout << "token " << id << " revocado\n";
  return kExitOk;
}

namespace {

// Runs one change against the configured database in a transaction; prints the error, or
// nothing. `body` returns the refusal (nothing is written then), or nullopt.
template <class Body>
int InTransaction(const CommonOptions& options, Body body) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) return kExitUsage;
  storage::Database database(SettingsFor(config->database));
  std::optional<Error> refused;
  auto done = database.Transact([&](storage::Tx& tx) -> Status {
    if (auto error = body(tx)) {
      refused = *error;
      return *error;  // rolls back whatever the body wrote before refusing
    }
    return {};
  });
  if (refused) {
    PrintError(refused->message);
    return kExitUsage;
  }
  if (!done) {
    PrintError(done.error().message);
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int CreateUser(const CommonOptions& options, const std::string& username,
               const std::string& display_name, const std::string& role,
               const std::vector<std::string>& dependencias) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    auto password = web::CreateAccount(tx, username, display_name, role, dependencias);
    if (!password) return password.error();
    std::cout << "Usuario " << username << " creado. Contraseña inicial (se pide cambiarla al "
              << "entrar; no se vuelve a mostrar): " << *password << "\n";
    return std::nullopt;
  });
}

int DisableUser(const CommonOptions& options, const std::string& username) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    if (auto disabled = web::DisableAccount(tx, username); !disabled) return disabled.error();
    std::cout << "Usuario " << username << " desactivado; sus sesiones terminaron.\n";
    return std::nullopt;
  });
}

int ResetUserPassword(const CommonOptions& options, const std::string& username) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    auto password = web::ResetPassword(tx, username);
    if (!password) return password.error();
    std::cout << "Contraseña de " << username << " restablecida (se pide cambiarla al entrar; no "
              << "se vuelve a mostrar): " << *password << "\n";
    return std::nullopt;
  });
}

int ResetUserSecondFactor(const CommonOptions& options, const std::string& username) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    if (auto reset = web::ResetSecondFactor(tx, username); !reset) return reset.error();
    std::cout << "Verificación en dos pasos de " << username << " restablecida; sus sesiones "
              << "terminaron. Entrará con su contraseña y deberá activarla de nuevo en "
              << "Seguridad.\n";
    return std::nullopt;
  });
}

int ExportCorrections(const CommonOptions& options, bool again) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) {
    return kExitUsage;
  }
  storage::Database database(SettingsFor(config->database));
  auto corrections = database.Transact(
      [&](storage::Tx& tx) { return classify::TakeCorrections(tx, again); });
  if (!corrections) {
    PrintError(corrections.error().message);
    return kExitFailure;
  }
  for (const classify::Correction& correction : *corrections) {
    std::cout << classify::GoldenCaseLines(correction);
  }
  // The texts are the citizens' own words: they must not reach the repository as they are.
  std::cerr << corrections->size()
            << " correcciones. Antes de agregarlas a rules/cases/: quite nombres, teléfonos y "
               "domicilios exactos, y revise la colonia.\n";
  return kExitOk;
}

namespace {

// The citizen a request names, inside the request's transaction; the refusal when there is none.
std::optional<Error> Find(storage::Tx& tx, const CitizenRef& who, std::int64_t& id) {
  auto found = privacy::FindCitizen(tx, who.id, who.phone);
  if (!found) return found.error();
  id = *found;
  return std::nullopt;
}

// An action done on an ARCO request (--solicitud) closes it, in the action's transaction.
std::optional<Error> CarryOut(storage::Tx& tx, const CitizenRef& who, std::string_view kind,
                              std::int64_t citizen_id, TimePoint now) {
  if (!who.request) return std::nullopt;
  if (auto done = privacy::CarryOutArcoRequest(tx, *who.request, kind, citizen_id, who.actor, now);
      !done) {
    return done.error();
  }
  return std::nullopt;
}

// The municipality's business calendar and Mazatlán's dates: the clock of ARCO requests.
struct ArcoCalendar {
  workflow::BusinessCalendar calendar;
  workflow::LocalTime local;
};
std::optional<ArcoCalendar> LoadArcoCalendar(const CommonOptions& options) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) return std::nullopt;
  auto calendar = workflow::BusinessCalendar::Load(std::filesystem::path(config->rules_dir) /
                                                   "calendario.toml");
  auto local = workflow::LocalTime::Load("America/Mazatlan");
  if (!calendar || !local) {
    PrintError(!calendar ? calendar.error().message : local.error().message);
    return std::nullopt;
  }
  return ArcoCalendar{std::move(*calendar), std::move(*local)};
}

}  // namespace

int ExportCitizen(const CommonOptions& options, const CitizenRef& who,
                  const std::filesystem::path& directory) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) return kExitUsage;
  auto local = workflow::LocalTime::Load("America/Mazatlan");
  if (!local) {
    PrintError(local.error().message);
    return kExitFailure;
  }
  SystemClock clock;
  std::int64_t id = 0;
  int boletas = 0;
  std::filesystem::path stem;
  // The files are written before the commit: a request is closed as atendida only once what it
  // asked for exists (a failed commit leaves files the next run overwrites).
  const int code = InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    if (auto refused = Find(tx, who, id)) return refused;
    if (auto refused = CarryOut(tx, who, "acceso", id, clock.Now())) return refused;
    auto exported = privacy::ExportCitizen(tx, id, *local, who.actor, clock.Now());
    if (!exported) return exported.error();
    boletas = exported->boletas;
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    stem = directory / ("ciudadano-" + std::to_string(id));
    // Personal data: readable by whoever ran the command only.
    const mode_t previous = ::umask(077);
    for (const auto& [extension, bytes] :
         {std::pair{".json", &exported->json}, std::pair{".pdf", &exported->pdf}}) {
      std::ofstream file(stem.string() + extension, std::ios::binary | std::ios::trunc);
      file << *bytes;
      if (!file.flush()) {
        ::umask(previous);
        return MakeError(Errc::kUnavailable, "no se pudo escribir " + stem.string() + extension);
      }
    }
    ::umask(previous);
    return std::nullopt;
  });
  if (code != kExitOk) return code;
  std::cout << "Datos del ciudadano " << id << " (" << boletas << " boletas): " << stem.string()
            << ".json y " << stem.string() << ".pdf\n";
  return kExitOk;
}

int RectifyCitizen(const CommonOptions& options, const CitizenRef& who,
                   const std::optional<std::string>& name, const std::optional<std::string>& phone) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    std::int64_t id = 0;
    if (auto refused = Find(tx, who, id)) return refused;
    SystemClock clock;
    if (auto refused = CarryOut(tx, who, "rectificacion", id, clock.Now())) return refused;
    if (auto done = privacy::RectifyCitizen(tx, id, name, phone, who.actor, clock.Now()); !done) {
      return done.error();
    }
    std::cout << "Datos del ciudadano " << id << " rectificados.\n";
    return std::nullopt;
  });
}

int OpposeCitizen(const CommonOptions& options, const CitizenRef& who) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    std::int64_t id = 0;
    if (auto refused = Find(tx, who, id)) return refused;
    SystemClock clock;
    if (auto refused = CarryOut(tx, who, "oposicion", id, clock.Now())) return refused;
    if (auto done = privacy::OpposeCitizen(tx, id, who.actor, clock.Now()); !done) return done.error();
    std::cout << "El ciudadano " << id << " ya no recibirá encuestas.\n";
    return std::nullopt;
  });
}

int CancelCitizen(const CommonOptions& options, const CitizenRef& who) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) return kExitUsage;
  const privacy::CancellationJournal journal(config->retention.cancellation_journal);
  std::optional<privacy::Cancellation> done;
  std::int64_t id = 0;
  const int code = InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    if (auto refused = Find(tx, who, id)) return refused;
    SystemClock clock;
    // The request is checked before anything is removed or journalled.
    if (auto refused = CarryOut(tx, who, "cancelacion", id, clock.Now())) return refused;
    auto cancelled = privacy::CancelCitizen(tx, id, who.actor, clock.Now(), "solicitud", &journal);
    if (!cancelled) return cancelled.error();
    done = std::move(*cancelled);
    return std::nullopt;
  });
  if (code != kExitOk) return code;
  // After the commit: a crash before this leaves files no row points to, never the reverse.
  const media::MediaStore media(config->media.dir);
  for (const std::string& sha : done->files_to_delete) media.Remove(sha);
  std::cout << "Datos personales del ciudadano " << id << " cancelados: " << done->boletas
            << " boletas (se conservan para estadística sin datos personales), " << done->messages
            << " mensajes, " << done->files_to_delete.size() << " archivos borrados.\n";
  return kExitOk;
}

int OpenArcoRequest(const CommonOptions& options, const std::string& kind, const CitizenRef& who,
                    const std::string& received) {
  auto clock_of = LoadArcoCalendar(options);
  if (!clock_of) return kExitUsage;
  SystemClock clock;
  const workflow::Date today = clock_of->local.LocalDate(clock.Now());
  std::optional<workflow::Date> received_on = today;
  if (!received.empty()) received_on = workflow::ParseDate(received);
  if (!received_on) {
    PrintError("--recibida no es una fecha AAAA-MM-DD");
    return kExitUsage;
  }
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    std::optional<std::int64_t> citizen_id;
    if (who.id || !who.phone.empty()) {
      std::int64_t id = 0;
      if (auto refused = Find(tx, who, id)) return refused;
      citizen_id = id;
    }
    auto opened = privacy::OpenArcoRequest(tx, clock_of->calendar, kind, citizen_id, *received_on,
                                           today, who.actor);
    if (!opened) return opened.error();
    std::cout << "Solicitud ARCO " << opened->id << " (" << kind << ") recibida el "
              << workflow::FormatDate(opened->received_on) << ": responder a más tardar el "
              << workflow::FormatDate(opened->due_on) << " (" << privacy::kArcoAnswerBusinessDays
              << " días hábiles).\n";
    return std::nullopt;
  });
}

int ListArcoRequests(const CommonOptions& options) {
  auto clock_of = LoadArcoCalendar(options);
  if (!clock_of) return kExitUsage;
  SystemClock clock;
  const workflow::Date today = clock_of->local.LocalDate(clock.Now());
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    const auto open = privacy::OpenArcoRequests(tx, clock_of->calendar, today);
    if (open.empty()) std::cout << "Sin solicitudes ARCO abiertas.\n";
    for (const privacy::OpenArcoCase& item : open) {
      const char* standing = item.standing == privacy::ArcoStanding::kOverdue   ? "VENCIDA"
                             : item.standing == privacy::ArcoStanding::kDueSoon ? "por vencer"
                                                                                 : "a tiempo";
      std::cout << item.request.id << "\t" << item.request.kind << "\tciudadano "
                << (item.request.citizen_id ? std::to_string(*item.request.citizen_id) : "sin identificar")
                << "\trecibida " << workflow::FormatDate(item.request.received_on) << "\tvence "
                << workflow::FormatDate(item.request.due_on) << (item.request.extended ? " (ampliada)" : "")
                << "\t" << standing << " (" << item.business_days_left << " días hábiles)\n";
    }
    return std::nullopt;
  });
}

int ExtendArcoRequest(const CommonOptions& options, std::int64_t id, const std::string& reason,
                      const std::string& actor) {
  auto clock_of = LoadArcoCalendar(options);
  if (!clock_of) return kExitUsage;
  SystemClock clock;
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    auto extended = privacy::ExtendArcoRequest(tx, clock_of->calendar, id, reason, actor,
                                               clock_of->local.LocalDate(clock.Now()), clock.Now());
    if (!extended) return extended.error();
    std::cout << "Solicitud ARCO " << id << " ampliada: responder a más tardar el "
              << workflow::FormatDate(extended->due_on) << ".\n";
    return std::nullopt;
  });
}

int RefuseArcoRequest(const CommonOptions& options, std::int64_t id, const std::string& reason,
                      const std::string& actor) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    SystemClock clock;
    if (auto refused = privacy::RefuseArcoRequest(tx, id, reason, actor, clock.Now()); !refused) {
      return refused.error();
    }
    std::cout << "Solicitud ARCO " << id << " cerrada como improcedente.\n";
    return std::nullopt;
  });
}

namespace {

// "YYYY-MM-DD HH:MM", Mazatlán's time, as an instant.
std::optional<TimePoint> ParseLocalTime(const workflow::LocalTime& local, const std::string& text) {
  if (text.size() != 16 || text[10] != ' ' || text[13] != ':') return std::nullopt;
  const auto date = workflow::ParseDate(text.substr(0, 10));
  const auto digits = [&](std::size_t at) -> int {
    return std::isdigit(static_cast<unsigned char>(text[at])) &&
                   std::isdigit(static_cast<unsigned char>(text[at + 1]))
               ? (text[at] - '0') * 10 + (text[at + 1] - '0')
               : -1;
  };
  const int hour = digits(11);
  const int minute = digits(14);
  if (!date || hour < 0 || hour > 23 || minute < 0 || minute > 59) return std::nullopt;
  return local.StartOfDay(*date) + std::chrono::hours(hour) + std::chrono::minutes(minute);
}

}  // namespace

int RecordBreach(const CommonOptions& options, const BreachEntry& entry) {
  auto local = workflow::LocalTime::Load("America/Mazatlan");
  if (!local) {
    PrintError(local.error().message);
    return kExitFailure;
  }
  const auto occurred = ParseLocalTime(*local, entry.occurred);
  const auto confirmed = ParseLocalTime(*local, entry.confirmed);
  if (!occurred || !confirmed) {
    PrintError("--ocurrio y --confirmado van como \"AAAA-MM-DD HH:MM\" (hora de Mazatlán)");
    return kExitUsage;
  }
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    SystemClock clock;
    auto id = privacy::RecordBreach(
        tx, {*occurred, *confirmed, entry.cause, entry.data_categories, entry.citizens_affected,
             entry.corrective_actions, entry.actor},
        clock.Now());
    if (!id) return id.error();
    std::cout << "Vulneración " << *id << " registrada. Decida si se notifica antes de "
              << privacy::kBreachDecisionTarget.count() << " horas desde su confirmación: sac breach decide --id "
              << *id << "\n";
    return std::nullopt;
  });
}

int DecideBreach(const CommonOptions& options, std::int64_t id, bool notify,
                 const std::string& reason, const std::string& actor) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    SystemClock clock;
    if (auto done = privacy::DecideBreachNotice(tx, id, notify, reason, actor, clock.Now()); !done) {
      return done.error();
    }
    std::cout << "Vulneración " << id << (notify ? ": se notifica a los titulares y al organismo garante.\n"
                                                 : ": no se notifica (motivo registrado).\n");
    return std::nullopt;
  });
}

int RecordBreachNotice(const CommonOptions& options, std::int64_t id, bool citizens) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    SystemClock clock;
    const auto who = citizens ? privacy::Notified::kCitizens : privacy::Notified::kAuthority;
    if (auto done = privacy::RecordBreachNotice(tx, id, who, clock.Now()); !done) return done.error();
    std::cout << "Vulneración " << id << ": notificación a "
              << (citizens ? "los titulares" : "el organismo garante") << " registrada.\n";
    return std::nullopt;
  });
}

int ListBreaches(const CommonOptions& options) {
  return InTransaction(options, [&](storage::Tx& tx) -> std::optional<Error> {
    SystemClock clock;
    const auto pending = privacy::PendingBreaches(tx);
    if (pending.empty()) std::cout << "Sin vulneraciones pendientes.\n";
    for (const privacy::BreachStatus& breach : pending) {
      const auto hours =
          std::chrono::duration_cast<std::chrono::hours>(clock.Now() - breach.confirmed_at).count();
      std::cout << breach.id << "\tconfirmada hace " << hours << " h\t" << breach.citizens_affected
                << " titulares\t";
      if (!breach.notify) {
        std::cout << "SIN DECISIÓN" << (hours >= privacy::kBreachDecisionTarget.count() ? " (pasó de 72 h)" : "");
      } else {
        std::cout << "falta notificar a "
                  << (!breach.citizens_notified && !breach.authority_notified
                          ? "los titulares y al organismo garante"
                          : breach.citizens_notified ? "al organismo garante" : "los titulares");
      }
      std::cout << "\t" << breach.cause << "\n";
    }
    return std::nullopt;
  });
}

int ReapplyCancellations(const CommonOptions& options, const std::string& actor) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) return kExitUsage;
  storage::Database database(SettingsFor(config->database));
  const media::MediaStore media(config->media.dir);
  const privacy::CancellationJournal journal(config->retention.cancellation_journal);
  SystemClock clock;
  auto done = privacy::ReapplyCancellations(database, media, journal, actor, clock.Now());
  if (!done) {
    std::cerr << "sac: " << done.error().message << "\n";
    return kExitFailure;
  }
  std::cout << "Cancelaciones aplicadas de nuevo: " << done->citizens << " ciudadanos, "
            << done->files << " archivos borrados (" << journal.file().string() << ").\n";
  return kExitOk;
}

int VerifyAuditLog(const CommonOptions& options) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) return kExitUsage;
  storage::Database database(SettingsFor(config->database));
  privacy::AccessLogCheck check;
  auto read = database.Transact([&](storage::Tx& tx) { check = privacy::VerifyAccessLog(tx); });
  if (!read) {
    PrintError(read.error().message);
    return kExitFailure;
  }
  if (check.first_broken) {
    std::cout << "La bitácora de accesos está alterada desde el registro " << *check.first_broken
              << " (de " << check.rows << ").\n";
    return kExitFailure;
  }
  std::cout << "Bitácora de accesos íntegra: " << check.rows << " registros; huella final "
            << (check.head.empty() ? "(vacía)" : check.head) << "\n";
  return kExitOk;
}

int PrintVersion() {
  std::cout << "sac " << SAC_VERSION << " (" << SAC_GIT_HASH << ")\n";
  return kExitOk;
}

}  // namespace sac::app
