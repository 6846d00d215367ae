// A real `sac serve` as a child process on a loopback port, with its own configuration file:
// for tests that kill it (-9), restart it, or run several against one database.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "core/http_client.h"
#include "tests/support/subprocess.h"

namespace sac::testing {

class SacProcess {
 public:
  // `config` is the TOML file; `env` the secrets and SAC_DATABASE_URL (SAC_HTTP_PORT is added).
  SacProcess(std::string name, const std::filesystem::path& dir, std::string config,
             std::map<std::string, std::string> env);
  ~SacProcess();

  // Starts it and waits (up to 10 s) until /readyz answers 200; false if it never did.
  bool Start();
  void Kill();       // SIGKILL, and reap it
  void Terminate();  // SIGTERM (graceful), and reap it
  bool running() const { return process_ != nullptr; }
  int pid() const { return process_ ? process_->pid() : -1; }

  const std::string& name() const { return name_; }
  std::uint16_t port() const { return port_; }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string name_;
  std::uint16_t port_;
  std::filesystem::path config_file_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<Subprocess> process_;
};

// Signed webhook bodies for load and fault tests: one text message with a unique id.
std::string WhatsAppTextWebhook(const std::string& message_id, const std::string& from,
                                const std::string& text);
// A POST of `body` to the instance's WhatsApp webhook, signed with the app secret.
ClientRequest SignedWhatsAppRequest(const SacProcess& server, const std::string& body,
                                    const std::string& app_secret);
std::string TelegramTextUpdate(std::int64_t update_id, std::int64_t chat_id, const std::string& text);

}  // namespace sac::testing
