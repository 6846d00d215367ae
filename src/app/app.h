// App: the composition root of `sac serve`, the only place that reads Config and wires objects.
// Integration tests build one too, on port 0 against their own database.
#pragma once

#include <cstdint>
#include <memory>

#include "config/config.h"
#include "core/result.h"

namespace sac::app {

class App {
 public:
  // Builds every component; touches neither network nor database yet.
  static Result<std::unique_ptr<App>> Create(const Config& config);
  ~App();

  // Checks the schema (a database that answers with the wrong schema refuses to start; one that
  // does not answer yet only makes /readyz say so), then starts the notification listener, the
  // pipeline, the outbox sender and the HTTP server. Returns the bound port.
  Result<std::uint16_t> Start();

  // Reads rules/ again (SIGHUP); a set that fails to compile or its golden cases is refused
  // and the running one stays.
  Status ReloadRules();

  // Graceful: the HTTP server drains first, then workers finish their current row.
  void Stop();

 private:
  struct Parts;
  explicit App(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace sac::app
