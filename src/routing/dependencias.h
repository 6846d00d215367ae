// The dependencias catalogue (rules/dependencias.toml): where boletas can be routed.
#pragma once

#include <filesystem>
#include <map>
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
  std::map<std::string, int> sla_by_categoria;  // categorías with a term of their own
};

// Strict: unknown keys, missing fields, bad ids and duplicate ids are errors naming the entry.
Result<std::vector<Dependencia>> LoadDependencias(const std::filesystem::path& file);

// Inserts new dependencias and updates changed ones, and makes the per-categoría SLAs exactly
// those of the file; returns how many rows changed.
int UpsertDependencias(storage::Tx& tx, const std::vector<Dependencia>& dependencias);

}  // namespace sac::routing
