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
  CLI::App* seed =
      cli.add_subcommand("seed", "Load the dependencias catalogue and create the demo account");
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
  if (seed->parsed()) return sac::app::Seed(options);
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
  if (user_reset->parsed()) return sac::app::ResetUserPassword(options, username);
  return EXIT_FAILURE;
}
