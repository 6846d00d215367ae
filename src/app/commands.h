// The subcommands of the `sac` binary. main.cc parses the command line (CLI11) and calls these;
// each returns the process exit code.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sac::app {

struct CommonOptions {
  std::filesystem::path config_file;  // --config, or SAC_CONFIG
};

int Serve(const CommonOptions& options);
int Migrate(const CommonOptions& options, bool dry_run);
int Seed(const CommonOptions& options, bool demo_account);
int PrintVersion();

// API tokens of the dependencias: the token is printed once, as the last word of the output.
int CreateToken(const CommonOptions& options, const std::string& dependencia,
                const std::string& label);
int RevokeToken(const CommonOptions& options, std::int64_t id);

// Staff accounts: `sac user create|disable|reset-password`. Passwords are printed once.
int CreateUser(const CommonOptions& options, const std::string& username,
               const std::string& display_name, const std::string& role,
               const std::vector<std::string>& dependencias);
int DisableUser(const CommonOptions& options, const std::string& username);
int ResetUserPassword(const CommonOptions& options, const std::string& username);
int ResetUserSecondFactor(const CommonOptions& options, const std::string& username);

// Citizens' data rights, carried out by an official (`actor`) on the citizen's request:
// `sac citizen export|rectify|oppose|cancel` (src/privacy/citizen_rights.h).
struct CitizenRef {
  std::optional<std::int64_t> id;  // or
  std::string phone;
  std::string actor;
  // --solicitud: the ARCO request the action carries out (closed as atendida in the same
  // transaction; src/privacy/arco_requests.h).
  std::optional<std::int64_t> request;
};
// Writes ciudadano-<id>.json and .pdf into `directory`.
int ExportCitizen(const CommonOptions& options, const CitizenRef& who,
                  const std::filesystem::path& directory);
int RectifyCitizen(const CommonOptions& options, const CitizenRef& who,
                   const std::optional<std::string>& name, const std::optional<std::string>& phone);
int OpposeCitizen(const CommonOptions& options, const CitizenRef& who);
int CancelCitizen(const CommonOptions& options, const CitizenRef& who);
// ARCO requests as cases with the law's deadline: `sac arco open|list|extend|refuse`.
// `received` is the local date it arrived (YYYY-MM-DD), today when empty; `who` may name nobody
// yet (a requester not identified).
int OpenArcoRequest(const CommonOptions& options, const std::string& kind, const CitizenRef& who,
                    const std::string& received);
int ListArcoRequests(const CommonOptions& options);
int ExtendArcoRequest(const CommonOptions& options, std::int64_t id, const std::string& reason,
                      const std::string& actor);
int RefuseArcoRequest(const CommonOptions& options, std::int64_t id, const std::string& reason,
                      const std::string& actor);
// The bitácora de vulneraciones: `sac breach record|decide|notified|list`
// (src/privacy/security_breaches.h). Times are Mazatlán's, "YYYY-MM-DD HH:MM".
struct BreachEntry {
  std::string occurred;   // when it happened
  std::string confirmed;  // when it was confirmed (the 72-hour clock starts here)
  std::string cause;
  std::string data_categories;
  int citizens_affected = 0;
  std::string corrective_actions;
  std::string actor;
};
int RecordBreach(const CommonOptions& options, const BreachEntry& entry);
int DecideBreach(const CommonOptions& options, std::int64_t id, bool notify,
                 const std::string& reason, const std::string& actor);
int RecordBreachNotice(const CommonOptions& options, std::int64_t id, bool citizens);
int ListBreaches(const CommonOptions& options);
// After restoring a backup: cancels again every citizen the journal says was cancelled and the
// restore brought back (src/privacy/cancellation_journal.h).
int ReapplyCancellations(const CommonOptions& options, const std::string& actor);

// `sac audit verify`: recomputes the access log's hash chain; prints its length and head hash
// (exit 0) or the first row that does not fit (exit 1).
int VerifyAuditLog(const CommonOptions& options);

// One raw e-mail on stdin, as Postfix's pipe(8) hands it over; exits 0 (stored), 65 (unreadable:
// quarantined, Postfix bounces it) or 75 (try again later). See channels/email/ingest_mail.h.
int IngestMail(const CommonOptions& options);

// Staff corrections not yet proposed (all with `again`) printed as golden-case lines for
// rules/cases, and marked as proposed.
int ExportCorrections(const CommonOptions& options, bool again);

}  // namespace sac::app
