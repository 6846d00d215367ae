// Runs a program (the real `sac` binary) as a child process, with its output captured.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sac::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

class Subprocess {
 public:
  // Starts `argv` with the current environment plus `env` (which wins), `input` on its stdin.
  Subprocess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::string& input = "");
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  void Signal(int signal);
  pid_t pid() const { return pid_; }
  // Waits for the exit (SIGKILL after `timeout`) and returns what it printed.
  ProcessResult Wait(std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool waited_ = false;
};

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env = {},
                         const std::string& input = "");

// A PDF's text as poppler's pdftotext reads it (`layout`: columns kept in place); "" and a test
// failure when it cannot be read.
std::string PdfText(const std::string& pdf, bool layout = true);

// A loopback TCP port nobody listens on right now (for a child `sac serve` to bind).
std::uint16_t FreeLoopbackPort();

// The sac binary under test.
std::string SacBinary();

}  // namespace sac::testing
