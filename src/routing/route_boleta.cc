#include "routing/route_boleta.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace sac::routing {
namespace {

constexpr storage::Statement kDependencia{
    "routing.dependencia", "SELECT name, sla_business_days, contact FROM dependencia WHERE id = $1"};

}  // namespace

std::optional<Routed> RouteNewBoleta(storage::Tx& tx, const workflow::BoletaWorkflow& workflow,
                                     const classify::RuleSet& rules,
                                     const workflow::BoletaRef& boleta,
                                     classify::Classification c, std::string_view chosen_id,
                                     TimePoint now) {
  const classify::Categoria* chosen = nullptr;
  for (const classify::Categoria& categoria : rules.categorias()) {
    if (!chosen_id.empty() && categoria.id == chosen_id) chosen = &categoria;
  }
  std::string json = c.ToJson();
  if (chosen != nullptr) {
    // The citizen picked the categoría: that routes it. The machine's reading stays in the
    // record (and a disagreement is worth a look when staff review corrections).
    boost::json::object record_json = boost::json::parse(json).as_object();
    record_json["categoria_elegida"] = chosen->id;
    json = boost::json::serialize(record_json);
    c.categoria = chosen->id;
    c.dependencia = chosen->dependencia;
    c.priority = chosen->priority;
    c.confidence = 1.0;
    c.needs_review = false;
    c.intent = "peticion";
  }
  workflow::ClassificationRecord record;
  record.intent = c.intent;
  record.categoria = c.categoria;
  record.dependencia = c.dependencia;
  record.colonia = c.colonia ? c.colonia->name : "";
  record.colonia_postal_code = c.colonia ? c.colonia->postal_code : "";
  record.address = c.address;
  record.priority = c.priority;
  record.confidence = c.confidence;
  record.needs_review = c.needs_review;
  record.json = json;
  workflow::RecordClassification(tx, boleta.id, record, now);
  if (c.needs_review || c.dependencia.empty()) return std::nullopt;
  workflow::StatusChange route;
  route.to = workflow::BoletaStatus::kCanalizada;
  route.dependencia_id = c.dependencia;
  if (!workflow.ChangeStatus(tx, workflow::Actor::System(), boleta.id, route)) {
    return std::nullopt;  // e.g. an inactive dependencia: staff decide
  }
  Routed routed;
  routed.dependencia_id = c.dependencia;
  routed.name = c.dependencia;
  if (const auto rows = tx.Exec(kDependencia, {c.dependencia}); !rows.empty()) {
    routed.name = rows.at(0).Text(0);
    routed.sla_business_days = static_cast<int>(rows.at(0).Int(1));
    routed.contact = rows.at(0).Text(2);
  }
  return routed;
}

}  // namespace sac::routing
