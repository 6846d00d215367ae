#include "storage/notification_listener.h"

#include <pqxx/pqxx>

#include <chrono>
#include <memory>

#include "observability/log.h"

namespace sac::storage {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("storage");
  return logger;
}

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection& connection, const std::string& channel,
           const NotificationListener::Callback& callback)
      : pqxx::notification_receiver(connection, channel), callback_(callback) {}

  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override {
    callback_(channel());
  }

 private:
  const NotificationListener::Callback& callback_;
};

}  // namespace

NotificationListener::NotificationListener(std::string connection_string,
                                           std::vector<std::string> channels, Callback callback)
    : connection_string_(std::move(connection_string)),
      channels_(std::move(channels)),
      callback_(std::move(callback)) {}

NotificationListener::~NotificationListener() { Stop(); }

void NotificationListener::Start() { thread_ = std::thread([this] { Run(); }); }

void NotificationListener::Stop() {
  stopping_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
}

void NotificationListener::Run() {
  using namespace std::chrono_literals;
  bool was_connected = true;
  while (!stopping_) {
    try {
      pqxx::connection connection(connection_string_);
      std::vector<std::unique_ptr<Receiver>> receivers;
      for (const std::string& channel : channels_) {
        receivers.push_back(std::make_unique<Receiver>(connection, channel, callback_));
      }
      if (!was_connected) {
        Log().Info("listening for notifications again");
      }
      was_connected = true;
      // Anything committed while we were not listening: let consumers look once.
      for (const std::string& channel : channels_) {
        callback_(channel);
      }
      while (!stopping_) {
        connection.await_notification(0, 250'000);  // wake up to check stopping_
      }
    } catch (const std::exception& error) {
      if (was_connected) {
        Log().Warn("notification connection lost; consumers keep polling",
                   {{"error", "database unavailable"}});
        Log().Debug("notification connection error", {{"error", error.what()}});
      }
      was_connected = false;
      for (int i = 0; i < 8 && !stopping_; ++i) {
        std::this_thread::sleep_for(125ms);
      }
    }
  }
}

}  // namespace sac::storage
