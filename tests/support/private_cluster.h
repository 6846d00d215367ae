// A PostgreSQL cluster of one test's own: initdb'd in a temporary directory, listening only on a
// unix socket there, so the test may crash it, restart it or kill its backends without touching
// the cluster every other test shares. Runs the server as the `postgres` user, as deploy/dev.sh
// does (directly when we are root, through sudo otherwise).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sac::testing {

class PrivateCluster {
 public:
  // Creates and starts the cluster; throws std::runtime_error with the server's words if it can't.
  PrivateCluster();
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

 private:
  std::vector<std::string> AsPostgres(std::vector<std::string> argv) const;
  void Remove();  // stops the server (if any) and deletes the directory
  void RunOrThrow(const std::vector<std::string>& argv, const std::string& what) const;

  std::filesystem::path dir_;
};

}  // namespace sac::testing
