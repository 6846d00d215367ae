#include "tests/support/sac_process.h"

#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "crypto/digest.h"
#include "http/curl_client.h"

namespace sac::testing {

using namespace std::chrono_literals;

SacProcess::SacProcess(std::string name, const std::filesystem::path& dir, std::string config,
                       std::map<std::string, std::string> env)
    : name_(std::move(name)),
      port_(FreeLoopbackPort()),
      config_file_(dir / (name_ + ".toml")),
      env_(std::move(env)) {
  std::filesystem::create_directories(dir);
  // The port through the environment, so `config` may have an [http] table of its own.
  env_["SAC_HTTP_PORT"] = std::to_string(port_);
  std::ofstream(config_file_) << config;
}

SacProcess::~SacProcess() {
  if (process_) Terminate();
}

bool SacProcess::Start() {
  process_ = std::make_unique<Subprocess>(
      std::vector<std::string>{SacBinary(), "--config", config_file_.string(), "serve"}, env_);
  http::CurlHttpClient client;
  for (int attempt = 0; attempt < 400; ++attempt) {
    ClientRequest ready;
    ready.method = "GET";
    ready.url = BaseUrl() + "/readyz";
    if (auto answer = client.Execute(ready); answer && answer->status == 200) return true;
    std::this_thread::sleep_for(25ms);
  }
  return false;
}

void SacProcess::Kill() {
  if (!process_) return;
  process_->Signal(SIGKILL);
  process_->Wait(10s);
  process_.reset();
}

void SacProcess::Terminate() {
  if (!process_) return;
  process_->Signal(SIGTERM);
  process_->Wait(30s);
  process_.reset();
}

std::string WhatsAppTextWebhook(const std::string& message_id, const std::string& from,
                                const std::string& text) {
  return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":"
         "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"526691000000\","
         "\"phone_number_id\":\"110220330440550\"},\"contacts\":[{\"profile\":{\"name\":\"Vecina\"},"
         "\"wa_id\":\"" + from + "\"}],\"messages\":[{\"from\":\"" + from + "\",\"id\":\"" + message_id +
         "\",\"timestamp\":\"1773162161\",\"type\":\"text\",\"text\":{\"body\":\"" + text +
         "\"}}]},\"field\":\"messages\"}]}]}";
}

ClientRequest SignedWhatsAppRequest(const SacProcess& server, const std::string& body,
                                    const std::string& app_secret) {
  ClientRequest request;
  request.url = server.BaseUrl() + "/webhooks/whatsapp";
  request.headers = {{"Content-Type", "application/json"},
                     {"X-Hub-Signature-256", "sha256=" + crypto::HmacSha256Hex(app_secret, body)}};
  request.body = body;
  return request;
}

std::string TelegramTextUpdate(std::int64_t update_id, std::int64_t chat_id, const std::string& text) {
  const std::string chat = std::to_string(chat_id);
  return "{\"update_id\":" + std::to_string(update_id) + ",\"message\":{\"message_id\":" +
         std::to_string(update_id % 100000) + ",\"from\":{\"id\":" + chat +
         ",\"is_bot\":false,\"first_name\":\"Vecino\"},\"chat\":{\"id\":" + chat +
         ",\"first_name\":\"Vecino\",\"type\":\"private\"},\"date\":1773162161,\"text\":\"" + text + "\"}}";
}

}  // namespace sac::testing
