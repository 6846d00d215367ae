// Administración, the rules part: what the classifier in force knows (its categorías, patterns
// and examples), how it does on the golden cases against the gates of rules/clasificador.toml,
// a "recargar reglas" that reads rules/ again and shows every problem when the new set is
// refused, and the cases staff proposed from the queue — downloadable as lines for
// rules/cases/*.tsv, then marked as added. The rules themselves stay files under review (a web
// page never writes them).
#include <charconv>

#include "classify/corrections.h"
#include "classify/golden_cases.h"
#include "http/query.h"
#include "web/list_download.h"
#include "web/personal_data_log.h"
#include "web/staff_page.h"
#include "web/staff_web.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr Statement kDependenciaNames{"admin.dependencia_names",
                                      "SELECT id, name FROM dependencia ORDER BY name"};
constexpr Statement kCounts{
    "admin.counts",
    "SELECT (SELECT count(*) FROM staff_user WHERE active),"
    "  (SELECT count(*) FROM dependencia WHERE active),"
    "  (SELECT count(*) FROM classification_correction"
    "     WHERE proposed_by IS NOT NULL AND NOT proposed_as_case),"
    "  (SELECT count(*) FROM inbox WHERE state = 'quarantined'),"
    "  (SELECT count(*) FROM email_quarantine WHERE reviewed_at IS NULL),"
    "  (SELECT count(*) FROM outbox WHERE state = 'unknown')"};

constexpr std::size_t kMissesShown = 60;

// One gate: the figure, the minimum, and whether it passes.
void Gate(Html& content, const char* name, double value, double minimum) {
  const bool passes = value >= minimum;
  content.Markup("<tr><td>").Text(name).Markup("</td><td>").Text(Percent(value))
      .Markup("</td><td>").Text(Percent(minimum)).Markup("</td><td")
      .Attr("class", passes ? "bien" : "mal").Markup(">")
      .Text(passes ? "cumple" : "no cumple").Markup("</td></tr>");
}

}  // namespace

HttpResponse StaffWeb::AdminHome(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto counts = tx.Exec(kCounts, {});
  const auto classifier = classifiers_.Current();
  Html content;
  content.Markup("<h1>Administración</h1>").Append(DoneNotice(request))
      .Markup("<ul class=\"menu-admin\"><li><a href=\"/admin/usuarios\">Usuarios</a> — ")
      .Number(counts.at(0).Int(0))
      .Markup(" cuentas activas: altas, bajas, contraseñas y dependencias de cada enlace.</li>"
              "<li><a href=\"/admin/reglas\">Reglas de clasificación</a> — ")
      .Number(static_cast<long long>(classifier->rules().categorias().size()))
      .Markup(" categorías, los casos de referencia y sus resultados, recargar reglas; ")
      .Number(counts.at(0).Int(2))
      .Markup(" casos propuestos por revisar.</li><li><a href=\"/admin/dependencias\">Dependencias</a> — ")
      .Number(counts.at(0).Int(1))
      .Markup(" activas, con sus plazos, contactos y enlaces.</li>"
              "<li><a href=\"/admin/calendario\">Calendario</a> — los días inhábiles de cada año y "
              "su fundamento.</li><li><a href=\"/admin/plantillas\">Mensajes</a> — lo que SAC "
              "escribe a los ciudadanos.</li><li><a href=\"/admin/cuarentena\">Cuarentena</a> — ")
      .Number(counts.at(0).Int(3))
      .Markup(" mensajes que SAC no pudo procesar y ").Number(counts.at(0).Int(4))
      .Markup(" correos que no pudo leer.</li><li><a href=\"/admin/envios\">Envíos</a> — ")
      .Number(counts.at(0).Int(5))
      .Markup(" respuestas sin confirmar y las fallidas: reenviar o dar por enviada.</li></ul>");
  return Document(200, "Administración", content, &session);
}

HttpResponse StaffWeb::AdminRules(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  return RulesPage(tx, 200, request, session, "");
}

HttpResponse StaffWeb::RulesPage(Tx& tx, int status, const HttpRequest& request,
                                 const StaffSession& session, std::string_view problems) {
  const auto classifier = classifiers_.Current();
  const classify::RuleSet& rules = classifier->rules();
  std::map<std::string, std::string, std::less<>> names;
  {
    const auto rows = tx.Exec(kDependenciaNames, {});
    for (std::size_t i = 0; i < rows.size(); ++i) names[rows[i].Text(0)] = rows[i].Text(1);
  }
  const auto name_of = [&](const std::string& id) {
    const auto found = names.find(id);
    return found != names.end() ? found->second : id;
  };

  Html content;
  content.Markup("<h1>Reglas de clasificación</h1>").Append(DoneNotice(request));
  if (!problems.empty()) {
    content.Markup("<div class=\"error\" role=\"alert\"><p>Las reglas nuevas no se aplicaron; siguen "
                   "las anteriores. Esto es lo que hay que corregir en rules/:</p><pre>")
        .Text(problems).Markup("</pre></div>");
  }
  content.Markup("<p>En uso: ").Number(static_cast<long long>(rules.categorias().size()))
      .Markup(" categorías, ").Number(static_cast<long long>(rules.intents().size()))
      .Markup(" intenciones, ").Number(static_cast<long long>(rules.patterns().size()))
      .Markup(" patrones y ").Number(static_cast<long long>(rules.gazetteer().colonias().size()))
      .Markup(" colonias, leídas de <code>").Text(rules.dir().string())
      .Markup("</code>. SAC canaliza solo con confianza de ")
      .Text(Percent(rules.thresholds().min_confidence))
      .Markup(" o más; lo demás espera en la bandeja de clasificación.</p>"
              "<form method=\"post\" action=\"/admin/reglas/recargar\">")
      .Append(CsrfField(session))
      .Markup("<button type=\"submit\">Recargar reglas</button> <small>Lee rules/ de nuevo; si no "
              "compilan o rinden peor de lo permitido con los casos de referencia, no se aplican y "
              "aquí se dice por qué.</small></form>");

  // The golden cases against the gates.
  const auto cases = classify::LoadGoldenCases(rules);
  content.Markup("<h2>Casos de referencia</h2>");
  if (!cases) {
    content.Markup("<pre class=\"error\">").Text(cases.error().message).Markup("</pre>");
  } else {
    const classify::GoldenReport report = classify::Evaluate(*classifier, *cases);
    const classify::Thresholds& gates = rules.thresholds();
    content.Markup("<p>").Number(report.cases)
        .Markup(" casos escritos como escriben los ciudadanos (rules/cases y los ejemplos de cada "
                "categoría).</p><table class=\"cifras\"><thead><tr><th>Medida</th><th>Resultado</th>"
                "<th>Mínimo</th><th></th></tr></thead><tbody>");
    Gate(content, "Precisión de lo canalizado automáticamente", report.Precision(), gates.min_precision);
    Gate(content, "Canalizado sin intervención", report.Automatic(), gates.min_automatic);
    Gate(content, "Intención correcta", report.IntentAccuracy(), gates.min_intent_accuracy);
    Gate(content, "Colonia correcta", report.ColoniaAccuracy(), gates.min_colonia_accuracy);
    content.Markup("</tbody></table><table class=\"cifras\"><caption>Por dependencia</caption>"
                   "<thead><tr><th>Dependencia</th><th>Casos</th><th>Enviadas por SAC</th>"
                   "<th>Precisión</th><th>Cobertura</th></tr></thead><tbody>");
    for (const auto& score : report.ByDependencia()) {
      content.Markup("<tr><td>").Text(name_of(score.dependencia))
          .Markup("</td><td>").Number(score.cases)
          .Markup("</td><td>").Number(score.sent)
          .Markup("</td><td>").Text(score.sent == 0 ? "—" : Percent(score.Precision()))
          .Markup("</td><td>").Text(Percent(score.Recall())).Markup("</td></tr>");
    }
    content.Markup("</tbody></table>");
    if (!report.misses.empty()) {
      content.Markup("<details><summary>").Number(static_cast<long long>(report.misses.size()))
          .Markup(" casos que SAC no resuelve como se espera</summary><ul class=\"fallos\">");
      for (std::size_t i = 0; i < report.misses.size() && i < kMissesShown; ++i) {
        content.Markup("<li><code>").Text(report.misses[i]).Markup("</code></li>");
      }
      content.Markup("</ul></details>");
    }
  }

  // Each categoría: where it goes, how much evidence it has, and whether its own examples work.
  content.Markup("<h2>Categorías</h2><table class=\"lista\"><thead><tr><th>Categoría</th>"
                 "<th>Dependencia</th><th>Prioridad</th><th>Patrones</th><th>Ejemplos reconocidos</th>"
                 "<th>Archivo</th></tr></thead><tbody>");
  std::vector<int> pattern_counts(rules.categorias().size(), 0);
  for (const classify::Pattern& pattern : rules.patterns()) {
    if (pattern.kind == classify::Pattern::Kind::kCategoria) ++pattern_counts[pattern.owner];
  }
  for (std::size_t i = 0; i < rules.categorias().size(); ++i) {
    const classify::Categoria& categoria = rules.categorias()[i];
    int recognised = 0;
    for (const std::string& example : categoria.examples) {
      recognised += classifier->Route(example).categoria == categoria.id ? 1 : 0;
    }
    const bool all = recognised == static_cast<int>(categoria.examples.size());
    content.Markup("<tr><td>").Text(categoria.name).Markup(" <small><code>").Text(categoria.id)
        .Markup("</code></small></td><td>").Text(name_of(categoria.dependencia))
        .Markup("</td><td>").Text(categoria.priority)
        .Markup("</td><td>").Number(pattern_counts[i])
        .Markup("</td><td").Attr("class", all ? "bien" : "mal").Markup(">").Number(recognised)
        .Markup(" de ").Number(static_cast<long long>(categoria.examples.size()))
        .Markup("</td><td><code>").Text(categoria.where).Markup("</code></td></tr>");
  }
  content.Markup("</tbody></table>");

  // What staff proposed from the queue.
  const auto proposals = classify::PendingProposals(tx);
  content.Markup("<h2>Casos propuestos (").Number(static_cast<long long>(proposals.size()))
      .Markup(")</h2>");
  if (proposals.empty()) {
    content.Markup("<p>Nadie ha propuesto casos nuevos. En la bandeja de clasificación, al "
                   "canalizar, se marca «Proponer como caso de referencia».</p>");
  } else {
    std::vector<std::int64_t> ids;
    content.Markup("<p>Para incorporarlos: descarga las líneas, agrégalas al archivo de "
                   "rules/cases que corresponda (revisa que el texto no lleve datos personales), "
                   "pasa <code>sac rules test</code> y recarga; luego márcalos como incorporados.</p>"
                   "<p><a class=\"boton\" href=\"/admin/reglas/propuestas.tsv\">Descargar las "
                   "líneas (.tsv)</a></p><table class=\"lista\"><thead><tr><th>Folio</th>"
                   "<th>Texto</th><th>SAC dijo</th><th>Canalizada a</th><th>Propuso</th></tr>"
                   "</thead><tbody>");
    for (const classify::Correction& proposal : proposals) {
      ids.push_back(proposal.id);
      content.Markup("<tr><td><a").Attr("href", "/boletas/" + proposal.folio).Markup(">")
          .Text(proposal.folio).Markup("</a></td><td class=\"peticion\">").Text(proposal.text)
          .Markup("</td><td>")
          .Text(proposal.machine_dependencia.empty() ? "sin dependencia"
                                                     : name_of(proposal.machine_dependencia) + " (" +
                                                           Percent(proposal.machine_confidence) + ")")
          .Markup("</td><td>").Text(name_of(proposal.human_dependencia))
          .Markup("</td><td>").Text(proposal.staff).Markup("</td></tr>");
    }
    content.Markup("</tbody></table><form method=\"post\" action=\"/admin/reglas/propuestas/incorporadas\">")
        .Append(CsrfField(session));
    for (const std::int64_t id : ids) {
      content.Markup("<input type=\"hidden\" name=\"caso\"").Attr("value", std::to_string(id)).Markup(">");
    }
    content.Markup("<button type=\"submit\">Marcar como incorporados</button></form>");
    std::vector<std::int64_t> boletas;  // the proposals show the citizens' words
    for (const classify::Correction& proposal : proposals) boletas.push_back(proposal.boleta_id);
    RecordPersonalDataView(tx, session.user.id, boletas, {"texto"}, "/admin/reglas", clock_.Now());
  }
  return Document(status, "Reglas de clasificación", content, &session);
}

HttpResponse StaffWeb::ReloadRules(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto reloaded = classifiers_.Reload();
  if (!reloaded) {
    StaffLog().Warn("rules reload refused from the web", {{"user_id", session.user.id}});
    return RulesPage(tx, 422, request, session, reloaded.error().message);
  }
  const auto& rules = classifiers_.Current()->rules();
  StaffLog().Info("rules reloaded from the web",
                  {{"user_id", session.user.id}, {"categorias", rules.categorias().size()},
                   {"patrones", rules.patterns().size()}});
  return RedirectDone("/admin/reglas", "Reglas recargadas: " +
                                           std::to_string(rules.categorias().size()) +
                                           " categorías y " + std::to_string(rules.patterns().size()) +
                                           " patrones en uso.");
}

HttpResponse StaffWeb::ProposedCases(Tx& tx, const HttpRequest& /*request*/,
                                     const StaffSession& session) {
  std::string lines =
      "# Casos propuestos desde la bandeja de clasificación de SAC. Texto, intención, dependencia,\n"
      "# colonia, separados por tabulador (formato de rules/cases/*.tsv).\n";
  std::vector<std::int64_t> boletas;
  for (const classify::Correction& proposal : classify::PendingProposals(tx)) {
    lines += classify::GoldenCaseLines(proposal);
    boletas.push_back(proposal.boleta_id);
  }
  RecordPersonalDataView(tx, session.user.id, boletas, {"texto"}, "/admin/reglas/propuestas.tsv",
                         clock_.Now());
  StaffLog().Info("proposed cases downloaded", {{"user_id", session.user.id}});
  return Attachment(std::move(lines), "text/tab-separated-values; charset=utf-8",
                    "casos-propuestos.tsv");
}

HttpResponse StaffWeb::MarkCasesAdded(Tx& tx, const HttpRequest& request,
                                      const StaffSession& session) {
  const auto fields = http::ParseForm(request.body, 5000);
  if (!fields) return Message(400, "Solicitud inválida", "El formulario está mal formado.", &session);
  std::vector<std::int64_t> ids;
  for (const auto& [name, value] : *fields) {
    if (name != "caso") continue;
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), id);
    if (error == std::errc() && end == value.data() + value.size() && id > 0) ids.push_back(id);
  }
  const int marked = classify::MarkWrittenOut(tx, ids);
  return RedirectDone("/admin/reglas", marked == 1 ? "1 caso marcado como incorporado."
                                                   : std::to_string(marked) +
                                                         " casos marcados como incorporados.");
}

}  // namespace sac::web
