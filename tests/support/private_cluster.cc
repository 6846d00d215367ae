#include "tests/support/private_cluster.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "tests/support/subprocess.h"

namespace sac::testing {
namespace {

// The newest PostgreSQL server installed the Debian way (deploy/packages.txt pins 15).
std::filesystem::path ServerBinaries() {
  std::filesystem::path newest;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql")) {
    if (std::filesystem::exists(entry.path() / "bin/initdb") && entry.path() > newest) {
      newest = entry.path();
    }
  }
  if (newest.empty()) throw std::runtime_error("no PostgreSQL server under /usr/lib/postgresql");
  return newest / "bin";
}

}  // namespace

std::vector<std::string> PrivateCluster::AsPostgres(std::vector<std::string> argv) const {
  if (::geteuid() == 0) {
    argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  } else if (const passwd* me = ::getpwuid(::geteuid()); me == nullptr || std::string(me->pw_name) != "postgres") {
    argv.insert(argv.begin(), {"/usr/bin/sudo", "-n", "-u", "postgres"});
  }
  return argv;
}

void PrivateCluster::RunOrThrow(const std::vector<std::string>& argv, const std::string& what) const {
  const ProcessResult result = RunProcess(AsPostgres(argv));
  if (result.exit_code != 0) {
    std::string log;
    std::ifstream file(dir_ / "server.log");
    log.assign(std::istreambuf_iterator<char>(file), {});
    throw std::runtime_error(what + " failed: " + result.out + result.err + log);
  }
}

bool PrivateCluster::CanMountVolumes() { return ::geteuid() == 0; }

PrivateCluster::PrivateCluster(Options options) : options_(std::move(options)) {
  static std::atomic<int> counter{0};
  // Short: a unix socket's path must fit in 107 bytes.
  dir_ = std::filesystem::path("/tmp") /
         ("sac-pgc." + std::to_string(::getpid()) + "." + std::to_string(counter++));
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  data_dir_ = dir_ / "data";
  try {
    if (options_.volume_megabytes > 0) {
      if (!CanMountVolumes()) throw std::runtime_error("mounting a volume needs root");
      volume_ = dir_ / "volume";
      std::filesystem::create_directories(volume_);
      const ProcessResult mounted = RunProcess({"/bin/mount", "-t", "tmpfs", "-o",
                                                "size=" + std::to_string(options_.volume_megabytes) + "m",
                                                "tmpfs", volume_.string()});
      if (mounted.exit_code != 0) throw std::runtime_error("mount failed: " + mounted.err);
      data_dir_ = volume_ / "data";
    }
    for (const auto& owned : {dir_, volume_}) {
      if (owned.empty()) continue;
      if (::geteuid() == 0) {
        const passwd* postgres = ::getpwnam("postgres");
        if (postgres == nullptr || ::chown(owned.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
          throw std::runtime_error("cannot give " + owned.string() + " to the postgres user");
        }
      } else {
        std::filesystem::permissions(owned, std::filesystem::perms::all);  // sudo'd postgres writes
      }
    }
    RunOrThrow({(ServerBinaries() / "initdb").string(), "-D", data_dir_.string(), "-A", "trust",
                "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"},
               "initdb");
    Start();
  } catch (...) {
    Remove();  // a destructor does not run for a constructor that throws
    throw;
  }
}

PrivateCluster::~PrivateCluster() { Remove(); }

void PrivateCluster::Remove() {
  if (frozen_) {
    try {
      Thaw();  // a stopped server would never hear pg_ctl's stop
    } catch (const std::exception&) {
    }
  }
  RunProcess(AsPostgres({(ServerBinaries() / "pg_ctl").string(), "-D", data_dir_.string(),
                         "-m", "immediate", "-w", "stop"}));
  // The data directory is the postgres user's (0700): removed as that user, then the rest.
  RunProcess(AsPostgres({"/bin/rm", "-rf", data_dir_.string()}));
  if (!volume_.empty()) RunProcess({"/bin/umount", volume_.string()});
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PrivateCluster::AdminUrl() const {
  return "host=" + dir_.string() + " user=postgres dbname=postgres";
}

void PrivateCluster::StopImmediately() {
  RunOrThrow({(ServerBinaries() / "pg_ctl").string(), "-D", data_dir_.string(), "-m",
              "immediate", "-w", "stop"},
             "pg_ctl stop -m immediate");
}

void PrivateCluster::Start() {
  RunOrThrow({(ServerBinaries() / "pg_ctl").string(), "-D", data_dir_.string(), "-l",
              (dir_ / "server.log").string(), "-w", "-t", "60", "-o",
              "-c listen_addresses='' -c unix_socket_directories='" + dir_.string() +
                  "' -c max_connections=100 " + options_.server_options,
              "start"},
             "pg_ctl start");
}

void PrivateCluster::KillBackend(int pid) {
  if (::kill(pid, SIGKILL) != 0) {
    RunOrThrow({"/bin/kill", "-KILL", std::to_string(pid)}, "kill of a backend");
  }
}

// The postmaster (first line of postmaster.pid) and its children (their parent in /proc).
void PrivateCluster::SignalAll(int signal, const char* name) {
  const auto pid_file = RunProcess(AsPostgres({"/bin/cat", (data_dir_ / "postmaster.pid").string()}));
  const int postmaster = std::atoi(pid_file.out.c_str());
  if (postmaster <= 0) throw std::runtime_error("no postmaster.pid: is the cluster running?");
  std::vector<std::string> pids = {std::to_string(postmaster)};
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const auto close = line.rfind(')');  // "pid (name) state ppid ..."
    if (close == std::string::npos) continue;
    int parent = 0;
    char state = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %d", &state, &parent) == 2 && parent == postmaster) {
      pids.push_back(entry.path().filename().string());
    }
  }
  bool all = true;
  for (const std::string& pid : pids) all = ::kill(std::stoi(pid), signal) == 0 && all;
  if (!all) {
    std::vector<std::string> argv = {"/bin/kill", std::string("-") + name};
    argv.insert(argv.end(), pids.begin(), pids.end());
    RunOrThrow(AsPostgres(argv), std::string("kill -") + name);
  }
}

void PrivateCluster::Freeze() {
  SignalAll(SIGSTOP, "STOP");
  frozen_ = true;
}

void PrivateCluster::Thaw() {
  SignalAll(SIGCONT, "CONT");
  frozen_ = false;
}

bool PrivateCluster::Running() const {
  return RunProcess(AsPostgres({(ServerBinaries() / "pg_ctl").string(), "-D", data_dir_.string(),
                                "status"})).exit_code == 0;
}

void PrivateCluster::FillVolume() {
  if (volume_.empty()) throw std::runtime_error("this cluster has no volume to fill");
  std::FILE* filler = std::fopen((volume_ / "filler").c_str(), "wb");
  if (filler == nullptr) throw std::runtime_error("cannot create the filler file");
  static const std::string megabyte(1 << 20, '\0');
  while (std::fwrite(megabyte.data(), 1, megabyte.size(), filler) == megabyte.size()) {
  }
  std::fclose(filler);  // the last, partial write took what was left
}

void PrivateCluster::FreeVolume() {
  std::error_code ignored;
  std::filesystem::remove(volume_ / "filler", ignored);
}

}  // namespace sac::testing
