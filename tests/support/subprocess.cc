#include "tests/support/subprocess.h"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace sac::testing {

std::string SacBinary() { return SAC_BINARY; }

Subprocess::Subprocess(const std::vector<std::string>& argv,
                       const std::map<std::string, std::string>& env, const std::string& input) {
  int out[2];
  int err[2];
  int in[2];
  // Close-on-exec: no grandchild (a daemon the child starts) or concurrently spawned child keeps
  // our pipes open, or the wait for their end would never finish.
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(in, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    merged[text.substr(0, equals)] = equals == std::string::npos ? "" : text.substr(equals + 1);
  }
  for (const auto& [key, value] : env) {
    merged[key] = value;
  }
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : merged) {
    env_strings.push_back(key + "=" + value);
  }
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    dup2(in[0], STDIN_FILENO);
    close(out[0]);
    close(err[0]);
    close(in[1]);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& entry : env_strings) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  close(in[0]);
  // Small inputs fit the pipe buffer; the child reads them after we close our end.
  std::size_t written = 0;
  while (written < input.size()) {
    const ssize_t n = write(in[1], input.data() + written, input.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  close(in[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
}

Subprocess::~Subprocess() {
  if (!waited_) {
    Signal(SIGKILL);
    Wait();
  }
}

void Subprocess::Signal(int signal) {
  if (pid_ > 0 && !waited_) {
    kill(pid_, signal);
  }
}

ProcessResult Subprocess::Wait(std::chrono::milliseconds timeout) {
  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool killed = false;
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  int open_fds = 2;
  char buffer[4096];
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 && !killed) {
      kill(pid_, SIGKILL);
      killed = true;
    }
    if (poll(fds, 2, killed ? 1000 : static_cast<int>(std::max<long>(left.count(), 1))) <= 0) {
      continue;
    }
    for (pollfd& fd : fds) {
      if (fd.fd >= 0 && (fd.revents & (POLLIN | POLLHUP)) != 0) {
        const ssize_t n = read(fd.fd, buffer, sizeof buffer);
        if (n <= 0) {
          close(fd.fd);
          fd.fd = -1;
          --open_fds;
        } else {
          (fd.fd == out_fd_ ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
        }
      }
    }
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  waited_ = true;
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env, const std::string& input) {
  Subprocess process(argv, env, input);
  return process.Wait();
}

std::uint16_t FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string PdfText(const std::string& pdf, bool layout) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("sac_pdftext_" + std::to_string(::getpid()) + ".pdf");
  std::ofstream(path, std::ios::binary) << pdf;
  std::vector<std::string> argv = {"/usr/bin/pdftotext"};
  if (layout) argv.emplace_back("-layout");
  argv.insert(argv.end(), {path.string(), "-"});
  const auto result = RunProcess(argv);
  std::filesystem::remove(path);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.exit_code == 0 ? result.out : std::string();
}

}  // namespace sac::testing
