// Listens for PostgreSQL NOTIFY on a few channels over a dedicated connection and calls back on
// each. NOTIFY is only a hint that new rows committed: consumers also poll, so a notification
// lost during a reconnect delays work by one poll interval and loses nothing.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sac::storage {

class NotificationListener {
 public:
  using Callback = std::function<void(std::string_view channel)>;

  NotificationListener(std::string connection_string, std::vector<std::string> channels,
                       Callback callback);
  ~NotificationListener();

  void Start();
  void Stop();

 private:
  void Run();

  std::string connection_string_;
  std::vector<std::string> channels_;
  Callback callback_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace sac::storage
