#include "web/categoria_field.h"

#include <algorithm>

namespace sac::web {
namespace {

const classify::Categoria* Named(const classify::RuleSet& rules, std::string_view id) {
  const auto& all = rules.categorias();
  const auto found = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c.id == id; });
  return found == all.end() ? nullptr : &*found;
}

}  // namespace

Html CategoriaSelect(const classify::RuleSet& rules,
                     const std::vector<std::pair<std::string, std::string>>& dependencias,
                     std::string_view selected) {
  // A name once per group, not once per option: the queue repeats this list for every boleta.
  Html select;
  select.Markup("<label>Categoría <select name=\"categoria\"><option value=\"\">— sin cambiar —"
                "</option>");
  for (const auto& [dependencia_id, name] : dependencias) {
    bool opened = false;
    for (const auto& categoria : rules.categorias()) {
      if (categoria.dependencia != dependencia_id) continue;
      if (!opened) select.Markup("<optgroup").Attr("label", name).Markup(">");
      opened = true;
      select.Markup("<option").Attr("value", categoria.id);
      if (categoria.id == selected) select.Markup(" selected");
      select.Markup(">").Text(categoria.name).Markup("</option>");
    }
    if (opened) select.Markup("</optgroup>");
  }
  select.Markup("</select></label>");
  return select;
}

std::optional<std::string> CategoriaRefusal(const classify::RuleSet& rules,
                                            std::string_view dependencia, std::string_view chosen,
                                            std::string_view kept) {
  if (!chosen.empty()) {
    const classify::Categoria* categoria = Named(rules, chosen);
    if (!categoria) return "No existe la categoría elegida.";
    if (categoria->dependencia != dependencia) {
      return "La categoría «" + categoria->name +
             "» corresponde a otra dependencia; elige ambas de nuevo.";
    }
    return std::nullopt;
  }
  const classify::Categoria* categoria = Named(rules, kept);
  if (categoria && categoria->dependencia != dependencia) {
    return "La boleta tiene la categoría «" + categoria->name +
           "», que es de otra dependencia; elige también una categoría de la dependencia elegida.";
  }
  return std::nullopt;
}

}  // namespace sac::web
