#include "app/commands.h"

#include <csignal>
#include <iostream>

#include "app/app.h"
#include "channels/email/ingest_mail.h"
#include "classify/corrections.h"
#include "config/config_loader.h"
#include "observability/log.h"
#include "routing/dependencias.h"
#include "storage/database.h"
#include "storage/migration_source.h"
#include "storage/migrator.h"
#include "web/api_tokens.h"
#include "web/staff_accounts.h"

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

int Seed(const CommonOptions& options) {
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
    return Seeded{routing::UpsertDependencias(tx, *dependencias), web::CreateDemoAccount(tx)};
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
  } else {
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

// Runs one account change against the configured database; prints the error, or nothing.
template <class Body>
int OnAccounts(const CommonOptions& options, Body body) {
  auto config = LoadOrReport(options, &ValidateDatabase);
  if (!config) return kExitUsage;
  storage::Database database(SettingsFor(config->database));
  std::optional<Error> refused;
  auto done = database.Transact([&](storage::Tx& tx) {
    if (auto error = body(tx)) refused = std::move(error);
  });
  if (!done) {
    PrintError(done.error().message);
    return kExitFailure;
  }
  if (refused) {
    PrintError(refused->message);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

int CreateUser(const CommonOptions& options, const std::string& username,
               const std::string& display_name, const std::string& role,
               const std::vector<std::string>& dependencias) {
  return OnAccounts(options, [&](storage::Tx& tx) -> std::optional<Error> {
    auto password = web::CreateAccount(tx, username, display_name, role, dependencias);
    if (!password) return password.error();
    std::cout << "Usuario " << username << " creado. Contraseña inicial (se pide cambiarla al "
              << "entrar; no se vuelve a mostrar): " << *password << "\n";
    return std::nullopt;
  });
}

int DisableUser(const CommonOptions& options, const std::string& username) {
  return OnAccounts(options, [&](storage::Tx& tx) -> std::optional<Error> {
    if (auto disabled = web::DisableAccount(tx, username); !disabled) return disabled.error();
    std::cout << "Usuario " << username << " desactivado; sus sesiones terminaron.\n";
    return std::nullopt;
  });
}

int ResetUserPassword(const CommonOptions& options, const std::string& username) {
  return OnAccounts(options, [&](storage::Tx& tx) -> std::optional<Error> {
    auto password = web::ResetPassword(tx, username);
    if (!password) return password.error();
    std::cout << "Contraseña de " << username << " restablecida (se pide cambiarla al entrar; no "
              << "se vuelve a mostrar): " << *password << "\n";
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

int PrintVersion() {
  std::cout << "sac " << SAC_VERSION << " (" << SAC_GIT_HASH << ")\n";
  return kExitOk;
}

}  // namespace sac::app
