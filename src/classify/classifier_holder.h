// The classifier in force, swappable while `sac serve` runs: a reload (SIGHUP, later the staff
// web) builds a complete new rule set, checks it against every golden case, and only then
// replaces the old one in a single step. Messages being classified keep the set they started
// with; a set that does not compile or does worse than rules/clasificador.toml allows is refused
// with every problem listed as file:line, and the last good one stays.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "classify/classifier.h"
#include "core/result.h"

namespace sac::classify {

class ClassifierHolder {
 public:
  static Result<std::unique_ptr<ClassifierHolder>> Load(const std::filesystem::path& dir);

  std::shared_ptr<const Classifier> Current() const;

  // Reads the same directory again. On error nothing changes.
  Status Reload();

 private:
  explicit ClassifierHolder(std::filesystem::path dir) : dir_(std::move(dir)) {}
  static Result<std::shared_ptr<const Classifier>> Build(const std::filesystem::path& dir);

  const std::filesystem::path dir_;
  mutable std::mutex mutex_;  // guards current_ (a shared_ptr swap)
  std::shared_ptr<const Classifier> current_;
};

}  // namespace sac::classify
