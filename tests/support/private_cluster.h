// A PostgreSQL cluster of one test's own: initdb'd in a temporary directory, listening only on a
// unix socket there, so the test may crash it, restart it or kill its backends without touching
// the cluster every other test shares. Runs the server as the `postgres` user, as deploy/dev.sh
// does (directly when we are root, through sudo otherwise).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace sac::testing {

class PrivateCluster {
 public:
  struct Options {
    // > 0: the data directory lives on a tmpfs of this size, which the test may fill (root only).
    std::size_t volume_megabytes = 0;
    std::string server_options;  // more `-c name=value` for the server
  };
  // Whether this process may mount a volume for the cluster (it must be root).
  static bool CanMountVolumes();

  // Creates and starts the cluster; throws std::runtime_error with the server's words if it can't.
  PrivateCluster() : PrivateCluster(Options{}) {}
  explicit PrivateCluster(Options options);
  ~PrivateCluster();  // stopped at once and deleted
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;

  // libpq connection string of the superuser on the `postgres` database.
  std::string AdminUrl() const;

  // `pg_ctl stop -m immediate`: every backend dies without a checkpoint, as in a power cut; the
  // next start replays the WAL.
  void StopImmediately();
  // `pg_ctl start -w`: returns once the server accepts connections.
  void Start();
  // SIGKILL to one backend: the postmaster then restarts every backend (crash recovery).
  void KillBackend(int pid);
  // SIGSTOP to the postmaster and every process of the cluster: connections stay open and
  // nothing answers, as with a frozen host or a black-holed network. Thaw() sends SIGCONT.
  void Freeze();
  void Thaw();
  // Whether the server is up (`pg_ctl status`).
  bool Running() const;

  // With a volume: fills what is left of it (no space left for WAL or data files), and frees it.
  void FillVolume();
  void FreeVolume();

 private:
  std::vector<std::string> AsPostgres(std::vector<std::string> argv) const;
  void Remove();  // stops the server (if any) and deletes the directory
  void RunOrThrow(const std::vector<std::string>& argv, const std::string& what) const;
  void SignalAll(int signal, const char* name);
  bool frozen_ = false;

  Options options_;
  std::filesystem::path dir_;       // socket and server log: always on the ordinary disk
  std::filesystem::path volume_;    // the tmpfs mount point, or empty
  std::filesystem::path data_dir_;
};

}  // namespace sac::testing
