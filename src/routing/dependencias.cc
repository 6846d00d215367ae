#include "routing/dependencias.h"

#include <re2/re2.h>

#include <toml++/toml.h>

#include <set>

namespace sac::routing {
namespace {

constexpr storage::Statement kUpsert{
    "dependencia.upsert",
    "INSERT INTO dependencia (id, name, sla_business_days, contact) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
    "  sla_business_days = EXCLUDED.sla_business_days, contact = EXCLUDED.contact,"
    "  updated_at = now() "
    "WHERE (dependencia.name, dependencia.sla_business_days, dependencia.contact) IS DISTINCT FROM"
    "  (EXCLUDED.name, EXCLUDED.sla_business_days, EXCLUDED.contact)"};

constexpr storage::Statement kUpsertOverride{
    "dependencia.upsert_sla_override",
    "INSERT INTO sla_override (dependencia_id, categoria, sla_business_days) VALUES ($1, $2, $3) "
    "ON CONFLICT (dependencia_id, categoria) DO UPDATE SET sla_business_days = EXCLUDED.sla_business_days "
    "WHERE sla_override.sla_business_days <> EXCLUDED.sla_business_days"};

constexpr storage::Statement kDropOverrides{
    "dependencia.drop_sla_overrides",
    "DELETE FROM sla_override WHERE dependencia_id = $1 AND NOT (categoria = ANY($2::text[]))"};

Error Bad(const std::filesystem::path& file, std::size_t index, const std::string& what) {
  return MakeError(Errc::kInvalidArgument, file.string() + ": dependencia #" +
                                               std::to_string(index + 1) + ": " + what);
}

}  // namespace

Result<std::vector<Dependencia>> LoadDependencias(const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    return MakeError(Errc::kInvalidArgument,
                     file.string() + ":" + std::to_string(error.source().begin.line) + ": " +
                         std::string(error.description()));
  }
  const toml::array* entries = root["dependencia"].as_array();
  if (entries == nullptr || entries->empty()) {
    return MakeError(Errc::kInvalidArgument, file.string() + ": no [[dependencia]] entries");
  }
  for (const auto& [key, node] : root) {
    if (key.str() != "dependencia") {
      return MakeError(Errc::kInvalidArgument,
                       file.string() + ": unknown key '" + std::string(key.str()) + "'");
    }
  }
  static const RE2 kId("[a-z][a-z0-9_]*");
  const std::set<std::string> known = {"id", "nombre", "sla_dias_habiles", "contacto", "atiende",
                                       "sla_por_categoria"};
  std::vector<Dependencia> dependencias;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const toml::table* entry = entries->get(i)->as_table();
    if (entry == nullptr) {
      return Bad(file, i, "expected a table");
    }
    for (const auto& [key, node] : *entry) {
      if (!known.contains(std::string(key.str()))) {
        return Bad(file, i, "unknown key '" + std::string(key.str()) + "'");
      }
    }
    Dependencia d;
    d.id = (*entry)["id"].value_or(std::string());
    d.name = (*entry)["nombre"].value_or(std::string());
    d.contact = (*entry)["contacto"].value_or(std::string());
    d.handles = (*entry)["atiende"].value_or(std::string());
    const auto sla = (*entry)["sla_dias_habiles"].value<std::int64_t>();
    if (!RE2::FullMatch(d.id, kId)) {
      return Bad(file, i, "id must be lowercase letters, digits and _");
    }
    if (d.name.empty()) {
      return Bad(file, i, "nombre is required (" + d.id + ")");
    }
    if (!sla || *sla < 1 || *sla > 90) {
      return Bad(file, i, "sla_dias_habiles must be 1 to 90 (" + d.id + ")");
    }
    d.sla_business_days = static_cast<int>(*sla);
    if (const toml::node* overrides = entry->get("sla_por_categoria")) {
      if (!overrides->is_table()) {
        return Bad(file, i, "sla_por_categoria must be a table, e.g. { bache = 5 } (" + d.id + ")");
      }
      for (const auto& [categoria, days] : *overrides->as_table()) {
        const auto value = days.value<std::int64_t>();
        if (!value || *value < 1 || *value > 90 || !RE2::FullMatch(std::string(categoria.str()), kId)) {
          return Bad(file, i, "sla_por_categoria." + std::string(categoria.str()) +
                                  " must be a categoría id with 1 to 90 days (" + d.id + ")");
        }
        d.sla_by_categoria[std::string(categoria.str())] = static_cast<int>(*value);
      }
    }
    if (!seen.insert(d.id).second) {
      return Bad(file, i, "duplicate id " + d.id);
    }
    dependencias.push_back(std::move(d));
  }
  return dependencias;
}

int UpsertDependencias(storage::Tx& tx, const std::vector<Dependencia>& dependencias) {
  int changed = 0;
  for (const Dependencia& d : dependencias) {
    changed += static_cast<int>(
        tx.Exec(kUpsert, {d.id, d.name, d.sla_business_days, d.contact}).affected());
    std::string categorias = "{";
    for (const auto& [categoria, days] : d.sla_by_categoria) {
      changed += static_cast<int>(tx.Exec(kUpsertOverride, {d.id, categoria, days}).affected());
      categorias += (categorias.size() > 1 ? "," : "") + categoria;
    }
    changed += static_cast<int>(tx.Exec(kDropOverrides, {d.id, categorias + "}"}).affected());
  }
  return changed;
}

}  // namespace sac::routing
