// The dependencias catalogue (rules/dependencias.toml): where boletas can be routed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace sac::routing {

struct Dependencia {
  std::string id;
  std::string name;
  int sla_business_days = 10;
  std::string contact;
  std::string handles;  // what it attends, for staff
};

// Strict: unknown keys, missing fields, bad ids and duplicate ids are errors naming the entry.
Result<std::vector<Dependencia>> LoadDependencias(const std::filesystem::path& file);

// Inserts new dependencias and updates changed ones; returns how many rows changed.
int UpsertDependencias(storage::Tx& tx, const std::vector<Dependencia>& dependencias);

}  // namespace sac::routing
