// sac: the Sistema de Atención Ciudadana binary. Parses the command line and runs a subcommand.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "app/classify_commands.h"
#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App cli{"SAC: Sistema de Atención Ciudadana del Municipio de Mazatlán", "sac"};
  cli.require_subcommand(1);
  sac::app::CommonOptions options;
  cli.add_option("-c,--config", options.config_file, "TOML configuration file")
      ->envname("SAC_CONFIG")
      ->check(CLI::ExistingFile);

  CLI::App* serve = cli.add_subcommand("serve", "Serve webhooks, the pipeline and the outbox");
  bool dry_run = false;
  CLI::App* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  migrate->add_flag("--dry-run", dry_run, "List pending migrations without applying them");
  CLI::App* seed = cli.add_subcommand(
      "seed", "Load the dependencias catalogue (and, with --demo, a demo administrator)");
  bool demo = false;
  seed->add_flag("--demo", demo,
                 "Also create the demo administrator (a development machine; never production)");
  CLI::App* version = cli.add_subcommand("version", "Print the version and git commit");
  CLI::App* ingest_mail = cli.add_subcommand(
      "ingest-mail", "Store one raw e-mail from stdin (Postfix pipe): exit 0, 65 or 75");
  std::string rules_dir = "rules";
  std::optional<std::string> text;
  CLI::App* classify =
      cli.add_subcommand("classify", "Classify a text, or JSONL lines ({id, text}) from stdin");
  classify->add_option("--rules", rules_dir, "Rules directory")->check(CLI::ExistingDirectory);
  classify->add_option("text", text, "A text to classify (omit to read JSONL from stdin)");
  CLI::App* rules = cli.add_subcommand("rules", "Check and test the classification rules");
  rules->require_subcommand(1);
  std::string rules_check_dir;
  CLI::App* rules_check = rules->add_subcommand("check", "Compile every rule; list every problem");
  rules_check->add_option("dir", rules_check_dir, "Rules directory")->required()
      ->check(CLI::ExistingDirectory);
  std::string rules_test_dir;
  sac::app::RulesTestOptions rules_test_options;
  CLI::App* rules_test = rules->add_subcommand("test", "Run the golden cases; fail below thresholds");
  rules_test->add_option("dir", rules_test_dir, "Rules directory")->required()
      ->check(CLI::ExistingDirectory);
  rules_test->add_flag("--fallos", rules_test_options.show_misses, "List every case that failed");
  rules_test->add_option("--casos", rules_test_options.cases_file,
                         "Evaluate this TSV file instead of the rules' cases and examples")
      ->check(CLI::ExistingFile);
  rules_test->add_option("--precision-minima", rules_test_options.min_precision,
                         "Precision gate instead of clasificador.toml's")
      ->check(CLI::Range(0.0, 1.0));
  rules_test->add_option("--automatico-minimo", rules_test_options.min_automatic,
                         "Automatic-share gate instead of clasificador.toml's")
      ->check(CLI::Range(0.0, 1.0));
  rules_test->add_option("--intencion-minima", rules_test_options.min_intent_accuracy,
                         "Intent-accuracy gate instead of clasificador.toml's")
      ->check(CLI::Range(0.0, 1.0));
  rules_test->add_option("--colonia-minima", rules_test_options.min_colonia_accuracy,
                         "Colonia-accuracy gate instead of clasificador.toml's")
      ->check(CLI::Range(0.0, 1.0));
  bool all_corrections = false;
  CLI::App* rules_corrections = rules->add_subcommand(
      "correcciones", "Print staff corrections not yet proposed as golden cases (TSV)");
  rules_corrections->add_flag("--todas", all_corrections, "Also those printed before");
  CLI::App* token = cli.add_subcommand("token", "Manage the dependencias' API tokens");
  token->require_subcommand(1);
  std::string dependencia;
  std::string label;
  CLI::App* token_create = token->add_subcommand("create", "Create a token; prints it once");
  token_create->add_option("--dependencia", dependencia, "Dependencia id, e.g. jumapam")
      ->required();
  token_create->add_option("--label", label, "Who uses it, e.g. \"sistema de JUMAPAM\"");
  std::int64_t token_id = 0;
  CLI::App* token_revoke = token->add_subcommand("revoke", "Revoke a token by its id");
  token_revoke->add_option("id", token_id, "The token's id")->required()->check(CLI::PositiveNumber);

  CLI::App* user = cli.add_subcommand("user", "Manage the staff web's accounts");
  user->require_subcommand(1);
  std::string username;
  std::string display_name;
  std::string role;
  std::vector<std::string> user_dependencias;
  CLI::App* user_create =
      user->add_subcommand("create", "Create an account; prints its first password once");
  user_create->add_option("username", username, "e.g. maria.lopez")->required();
  user_create->add_option("--nombre", display_name, "Full name, as shown in the web")->required();
  user_create->add_option("--rol", role, "administrador, atencion_ciudadana, enlace or director")
      ->required();
  user_create->add_option("--dependencia", user_dependencias,
                          "An enlace's dependencia (repeat for several), e.g. jumapam");
  CLI::App* user_disable =
      user->add_subcommand("disable", "Stop an account from signing in; ends its sessions");
  user_disable->add_option("username", username, "The account")->required();
  CLI::App* user_reset = user->add_subcommand(
      "reset-password", "Give an account a new first password; prints it once");
  user_reset->add_option("username", username, "The account")->required();
  CLI::App* user_reset_factor = user->add_subcommand(
      "reset-second-factor",
      "A lost or changed phone: the account signs in without its code and enrols again");
  user_reset_factor->add_option("username", username, "The account")->required();

  CLI::App* citizen = cli.add_subcommand(
      "citizen", "A citizen's data rights (ARCO): export, rectify, oppose, cancel");
  citizen->require_subcommand(1);
  sac::app::CitizenRef who;
  std::int64_t citizen_id = 0;
  std::int64_t arco_request = 0;
  std::filesystem::path export_dir = ".";
  std::string new_name;
  std::string new_phone;
  bool confirmed = false;
  const auto who_options = [&](CLI::App* command) {
    auto* by_id = command->add_option("--id", citizen_id, "The citizen's id")->check(CLI::PositiveNumber);
    auto* by_phone = command->add_option("--telefono", who.phone, "The citizen's phone");
    by_id->excludes(by_phone);
    command->add_option("--actor", who.actor, "Who carries out the request (for the record)")
        ->required();
    command->add_option("--solicitud", arco_request, "The ARCO request this carries out (sac arco)")
        ->check(CLI::PositiveNumber);
    return by_id;
  };
  CLI::App* citizen_export =
      citizen->add_subcommand("export", "Everything SAC holds about a citizen, as JSON and PDF");
  who_options(citizen_export);
  citizen_export->add_option("--salida", export_dir, "Directory for ciudadano-<id>.json|pdf");
  CLI::App* citizen_rectify = citizen->add_subcommand("rectify", "Correct a citizen's name or phone");
  who_options(citizen_rectify);
  citizen_rectify->add_option("--nombre", new_name, "The right name");
  citizen_rectify->add_option("--nuevo-telefono", new_phone, "The right phone");
  CLI::App* citizen_oppose =
      citizen->add_subcommand("oppose", "The citizen objects: no more surveys");
  who_options(citizen_oppose);
  CLI::App* citizen_cancel = citizen->add_subcommand(
      "cancel", "Remove the citizen's personal data (boletas stay, without it)");
  who_options(citizen_cancel);
  citizen_cancel->add_flag("--confirmar", confirmed, "Required: this cannot be undone")->required();
  CLI::App* citizen_reapply = citizen->add_subcommand(
      "reapply-cancellations",
      "After restoring a backup: cancel again everyone the cancellation journal lists");
  citizen_reapply->add_option("--actor", who.actor, "Who restored (for the record)")->required();

  CLI::App* arco = cli.add_subcommand(
      "arco", "ARCO requests as cases with the law's deadline (20 business days, +10 once)");
  arco->require_subcommand(1);
  std::string arco_kind;
  std::string arco_received;
  std::string arco_reason;
  CLI::App* arco_open = arco->add_subcommand("open", "Register a request as it arrives");
  arco_open->add_option("--tipo", arco_kind, "acceso, rectificacion, cancelacion or oposicion")
      ->required();
  {
    auto* by_id = arco_open->add_option("--id", citizen_id, "The citizen's id, when known")
                      ->check(CLI::PositiveNumber);
    auto* by_phone = arco_open->add_option("--telefono", who.phone, "The citizen's phone, when known");
    by_id->excludes(by_phone);
  }
  arco_open->add_option("--recibida", arco_received, "The day it arrived, YYYY-MM-DD (today)");
  arco_open->add_option("--actor", who.actor, "Who registers it")->required();
  CLI::App* arco_list = arco->add_subcommand("list", "Open requests, the nearest deadline first");
  CLI::App* arco_extend = arco->add_subcommand("extend", "The one extension: 10 business days more");
  CLI::App* arco_refuse = arco->add_subcommand("refuse", "Close a request as improcedente");
  for (CLI::App* command : {arco_extend, arco_refuse}) {
    command->add_option("--solicitud", arco_request, "The request")->required()->check(CLI::PositiveNumber);
    command->add_option("--motivo", arco_reason, "Why (no personal data)")->required();
    command->add_option("--actor", who.actor, "Who decides")->required();
  }

  CLI::App* breach = cli.add_subcommand(
      "breach", "The bitácora de vulneraciones: security breaches of personal data (LGPDPPSO)");
  breach->require_subcommand(1);
  sac::app::BreachEntry breach_entry;
  std::int64_t breach_id = 0;
  std::string breach_notify;
  std::string breach_reason;
  CLI::App* breach_record = breach->add_subcommand("record", "Record a breach once it is confirmed");
  breach_record->add_option("--ocurrio", breach_entry.occurred, "When it happened: \"YYYY-MM-DD HH:MM\"")->required();
  breach_record->add_option("--confirmado", breach_entry.confirmed, "When it was confirmed")->required();
  breach_record->add_option("--motivo", breach_entry.cause, "What happened (no personal data)")->required();
  breach_record->add_option("--datos", breach_entry.data_categories, "Which kinds of data")->required();
  breach_record->add_option("--afectados", breach_entry.citizens_affected, "How many citizens")->required();
  breach_record->add_option("--acciones", breach_entry.corrective_actions, "Corrective actions")->required();
  breach_record->add_option("--actor", breach_entry.actor, "Who records it")->required();
  CLI::App* breach_decide = breach->add_subcommand("decide", "Whether to notify the citizens and the organismo garante");
  breach_decide->add_option("--id", breach_id, "The breach")->required()->check(CLI::PositiveNumber);
  breach_decide->add_option("--notificar", breach_notify, "si or no")->required()->check(CLI::IsMember({"si", "no"}));
  breach_decide->add_option("--motivo", breach_reason, "Why")->required();
  breach_decide->add_option("--actor", breach_entry.actor, "Who decides")->required();
  CLI::App* breach_notified = breach->add_subcommand("notified", "Record a notice given");
  breach_notified->add_option("--id", breach_id, "The breach")->required()->check(CLI::PositiveNumber);
  bool notified_citizens = false;
  bool notified_authority = false;
  auto* to_citizens = breach_notified->add_flag("--titulares", notified_citizens, "The citizens were told");
  auto* to_authority = breach_notified->add_flag("--autoridad", notified_authority, "The organismo garante was told");
  to_citizens->excludes(to_authority);
  CLI::App* breach_list = breach->add_subcommand("list", "Breaches with a decision or a notice pending");

  CLI::App* audit = cli.add_subcommand("audit", "The access log of citizens' personal data");
  audit->require_subcommand(1);
  CLI::App* audit_verify =
      audit->add_subcommand("verify", "Recompute the access log's hash chain; print its head");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return cli.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return cli.exit(help);
  } catch (const CLI::ParseError& error) {
    // One line, then a non-zero exit: scripts and people both read it.
    std::cerr << "sac: " << error.what() << " (see sac --help)\n";
    return error.get_exit_code() != 0 ? error.get_exit_code() : EXIT_FAILURE;
  }

  if (serve->parsed()) return sac::app::Serve(options);
  if (migrate->parsed()) return sac::app::Migrate(options, dry_run);
  if (seed->parsed()) return sac::app::Seed(options, demo);
  if (version->parsed()) return sac::app::PrintVersion();
  if (ingest_mail->parsed()) return sac::app::IngestMail(options);
  if (classify->parsed()) return sac::app::Classify(rules_dir, text);
  if (rules_check->parsed()) return sac::app::RulesCheck(rules_check_dir);
  if (rules_test->parsed()) return sac::app::RulesTest(rules_test_dir, rules_test_options);
  if (rules_corrections->parsed()) return sac::app::ExportCorrections(options, all_corrections);
  if (token_create->parsed()) return sac::app::CreateToken(options, dependencia, label);
  if (token_revoke->parsed()) return sac::app::RevokeToken(options, token_id);
  if (user_create->parsed()) {
    return sac::app::CreateUser(options, username, display_name, role, user_dependencias);
  }
  if (user_disable->parsed()) return sac::app::DisableUser(options, username);
  if (audit_verify->parsed()) return sac::app::VerifyAuditLog(options);
  if (citizen_reapply->parsed()) return sac::app::ReapplyCancellations(options, who.actor);
  if (arco_open->parsed()) {
    if (citizen_id > 0) who.id = citizen_id;
    return sac::app::OpenArcoRequest(options, arco_kind, who, arco_received);
  }
  if (arco_list->parsed()) return sac::app::ListArcoRequests(options);
  if (breach_record->parsed()) return sac::app::RecordBreach(options, breach_entry);
  if (breach_decide->parsed()) {
    return sac::app::DecideBreach(options, breach_id, breach_notify == "si", breach_reason,
                                  breach_entry.actor);
  }
  if (breach_notified->parsed()) {
    if (!notified_citizens && !notified_authority) {
      std::cerr << "sac: di a quién se notificó: --titulares o --autoridad\n";
      return 2;  // a usage error, as CLI11 answers
    }
    return sac::app::RecordBreachNotice(options, breach_id, notified_citizens);
  }
  if (breach_list->parsed()) return sac::app::ListBreaches(options);
  if (arco_extend->parsed()) {
    return sac::app::ExtendArcoRequest(options, arco_request, arco_reason, who.actor);
  }
  if (arco_refuse->parsed()) {
    return sac::app::RefuseArcoRequest(options, arco_request, arco_reason, who.actor);
  }
  if (citizen->parsed()) {
    if (citizen_id > 0) who.id = citizen_id;
    if (arco_request > 0) who.request = arco_request;
    if (!who.id && who.phone.empty()) {
      std::cerr << "sac: di qué ciudadano: --id o --telefono\n";
      return 2;
    }
    if (citizen_export->parsed()) return sac::app::ExportCitizen(options, who, export_dir);
    if (citizen_rectify->parsed()) {
      return sac::app::RectifyCitizen(
          options, who, new_name.empty() ? std::nullopt : std::optional(new_name),
          new_phone.empty() ? std::nullopt : std::optional(new_phone));
    }
    if (citizen_oppose->parsed()) return sac::app::OpposeCitizen(options, who);
    if (citizen_cancel->parsed() && confirmed) return sac::app::CancelCitizen(options, who);
  }
  if (user_reset->parsed()) return sac::app::ResetUserPassword(options, username);
  if (user_reset_factor->parsed()) return sac::app::ResetUserSecondFactor(options, username);
  return EXIT_FAILURE;
}
