// Estadísticas del mes: how many petitions came in and by which channel, about what, for which
// dependencia and from which colonias; how they stand; how many business days each dependencia
// took to attend them (average, p90) and how many within its plazo; what the citizens said in the
// monthly validation; and the last twelve months. Tables for reading and printing, and Chart.js
// charts drawn from the same figures (a JSON block the page's own script reads: no inline code).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "conversation/replies.h"
#include "core/time_format.h"
#include "http/query.h"
#include "web/staff_page.h"
#include "web/staff_web.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

// $1 month start, $2 next month start. One pass over the month's boletas: how many per channel,
// categoría, dependencia, colonia and status (the grouping that produced each row in column 0;
// '' for a missing key).
constexpr Statement kBreakdown{
    "stats.breakdown",
    "SELECT CASE WHEN GROUPING(channel) = 0 THEN 'medio' WHEN GROUPING(categoria) = 0 THEN 'categoria'"
    "  WHEN GROUPING(dependencia_id) = 0 THEN 'dependencia' WHEN GROUPING(colonia) = 0 THEN 'colonia'"
    "  ELSE 'estado' END,"
    "  coalesce(channel, categoria, dependencia_id, colonia, status, ''), count(*) "
    "FROM boleta WHERE created_at >= $1 AND created_at < $2 "
    "GROUP BY GROUPING SETS ((channel), (categoria), (dependencia_id), (colonia), (status))"};
// Boletas attended in the month: when routed, when attended, their deadline.
constexpr Statement kAttended{
    "stats.attended",
    "SELECT coalesce(d.name, b.dependencia_id), extract(epoch FROM b.routed_at)::float8,"
    "  extract(epoch FROM b.attended_at)::float8, b.attended_at <= b.due_at "
    "FROM boleta b LEFT JOIN dependencia d ON d.id = b.dependencia_id "
    "WHERE b.attended_at >= $1 AND b.attended_at < $2 AND b.routed_at IS NOT NULL"};
// $1 the month (first day): the survey of the boletas attended in it.
constexpr Statement kValidation{
    "stats.validation",
    "SELECT coalesce(answer, 'pendiente'), count(*) FROM survey WHERE month = $1::date "
    "GROUP BY 1 ORDER BY 1"};
// $1 the thirteen instants that start each of twelve months and end the last (Mazatlán time):
// boletas per month by bucket, so no row needs a time-zone conversion (an index-only scan).
constexpr Statement kTrend{
    "stats.trend",
    "SELECT width_bucket(created_at, $1::timestamptz[]), count(*) FROM boleta "
    "WHERE created_at >= ($1::timestamptz[])[1] AND created_at < ($1::timestamptz[])[13] "
    "GROUP BY 1 ORDER BY 1"};

using Counts = std::vector<std::pair<std::string, std::int64_t>>;

Counts CountsOf(const storage::Rows& rows) {
  Counts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) counts.emplace_back(rows[i].Text(0), rows[i].Int(1));
  return counts;
}

struct Attention {
  std::vector<int> days;
  int within = 0;
};

double Percentile(std::vector<int> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size()))) - 1;
  return values[std::min(index, values.size() - 1)];
}

std::string OneDecimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// "noviembre de 2026" for "2026-11".
std::string MonthName(std::chrono::year_month month) {
  return conversation::SpanishMonth(static_cast<unsigned>(month.month())) + " de " +
         std::to_string(static_cast<int>(month.year()));
}

void Table(Html& content, const char* caption, const char* label, const Counts& counts,
           const std::function<std::string(const std::string&)>& name) {
  content.Markup("<table class=\"cifras\"><caption>").Text(caption)
      .Markup("</caption><thead><tr><th>").Text(label).Markup("</th><th>Boletas</th></tr></thead><tbody>");
  for (const auto& [key, count] : counts) {
    content.Markup("<tr><td>").Text(name(key)).Markup("</td><td>").Number(count).Markup("</td></tr>");
  }
  if (counts.empty()) content.Markup("<tr><td colspan=\"2\">Sin boletas este mes.</td></tr>");
  content.Markup("</tbody></table>");
}

boost::json::object Series(const Counts& counts, const std::function<std::string(const std::string&)>& name) {
  boost::json::array labels;
  boost::json::array values;
  for (const auto& [key, count] : counts) {
    labels.emplace_back(name(key));
    values.emplace_back(count);
  }
  return {{"etiquetas", std::move(labels)}, {"valores", std::move(values)}};
}

}  // namespace

HttpResponse StaffWeb::Statistics(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  using namespace std::chrono;
  const auto query = http::ParseQuery(request.query);
  const year_month_day today(local_.LocalDate(clock_.Now()));
  year_month month = today.year() / today.month();
  if (query && query->contains("mes")) {
    const auto first = workflow::ParseDate(query->at("mes") + "-01");
    if (!first) return Message(400, "Mes inválido", "El mes se escribe AAAA-MM.", &session);
    const year_month_day chosen(*first);
    month = chosen.year() / chosen.month();
  }
  const workflow::Date first_day = sys_days(month / day(1));
  const workflow::Date next_day = sys_days((month + months(1)) / day(1));
  const TimePoint start = local_.StartOfDay(first_day);
  const TimePoint end = local_.StartOfDay(next_day);

  std::map<std::string, Counts, std::less<>> breakdown;
  {
    const auto rows = tx.Exec(kBreakdown, {start, end});
    for (std::size_t i = 0; i < rows.size(); ++i) {
      breakdown[rows[i].Text(0)].emplace_back(rows[i].Text(1), rows[i].Int(2));
    }
    for (auto& [kind, counts] : breakdown) {
      std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      if ((kind == "categoria" || kind == "colonia") && counts.size() > 15) counts.resize(15);
    }
  }
  const Counts by_channel = breakdown["medio"];
  const Counts by_categoria = breakdown["categoria"];
  const Counts by_dependencia = breakdown["dependencia"];
  const Counts by_colonia = breakdown["colonia"];
  const Counts by_status = breakdown["estado"];
  const Counts validation = CountsOf(tx.Exec(kValidation, {workflow::FormatDate(first_day)}));
  Counts trend;
  {
    std::string bounds = "{";
    std::vector<std::string> names;
    for (int i = 11; i >= -1; --i) {
      const year_month first = month - months(i);
      bounds += (bounds.size() > 1 ? "," : "") + FormatUtc(local_.StartOfDay(sys_days(first / day(1))));
      char name[16];
      std::snprintf(name, sizeof name, "%04d-%02u", static_cast<int>(first.year()) % 10000,
                    static_cast<unsigned>(first.month()));
      if (i >= 0) names.emplace_back(name);
    }
    const auto rows = tx.Exec(kTrend, {bounds + "}"});
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto bucket = rows[i].Int(0);  // 1..12
      if (bucket >= 1 && bucket <= 12) trend.emplace_back(names[static_cast<std::size_t>(bucket - 1)], rows[i].Int(1));
    }
  }
  std::map<std::string, Attention> attention;
  {
    const auto rows = tx.Exec(kAttended, {start, end});
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Attention& entry = attention[rows[i].Text(0)];
      entry.days.push_back(sla_.BusinessDaysSince(FromEpoch(rows[i].Double(1)), FromEpoch(rows[i].Double(2))));
      entry.within += !rows[i].IsNull(3) && rows[i].Bool(3) ? 1 : 0;
    }
  }
  std::int64_t total = 0;
  for (const auto& [channel, count] : by_channel) total += count;

  const auto classifier = classifiers_.Current();
  const auto categoria_name = [&](const std::string& id) -> std::string {
    return id.empty() ? "(sin categoría)" : classifier->rules().CategoriaName(id);
  };
  const auto same = [](const std::string& text) { return text; };
  std::map<std::string, std::string, std::less<>> dependencia_names;
  {
    constexpr Statement kNames{"stats.dependencia_names", "SELECT id, name FROM dependencia"};
    const auto rows = tx.Exec(kNames, {});
    for (std::size_t i = 0; i < rows.size(); ++i) dependencia_names[rows[i].Text(0)] = rows[i].Text(1);
  }
  const auto dependencia_name = [&](const std::string& id) -> std::string {
    if (id.empty()) return "(sin turnar)";
    const auto found = dependencia_names.find(id);
    return found != dependencia_names.end() ? found->second : id;
  };
  const auto colonia_name = [](const std::string& name) -> std::string {
    return name.empty() ? "(sin colonia)" : name;
  };
  const auto status_name = [](const std::string& id) -> std::string {
    const auto status = workflow::StatusFromName(id);
    return status ? StatusLabel(*status) : id;
  };
  const auto answer_name = [](const std::string& answer) -> std::string {
    if (answer == "positiva") return "Satisfechos";
    if (answer == "negativa") return "Inconformes";
    if (answer == "sin_respuesta") return "Sin respuesta";
    return "Esperando respuesta";
  };
  const auto channel_name = [](const std::string& id) { return ChannelLabel(id); };

  char month_value[16];
  std::snprintf(month_value, sizeof month_value, "%04d-%02u", static_cast<int>(month.year()) % 10000,
                static_cast<unsigned>(month.month()));
  Html content;
  content.Markup("<h1>Estadísticas de ").Text(MonthName(month)).Markup("</h1>"
                 "<form class=\"filtros\" method=\"get\" action=\"/estadisticas\"><label>Mes "
                 "<input type=\"month\" name=\"mes\"").Attr("value", month_value)
      .Markup("></label><button type=\"submit\">Ver</button></form><p class=\"no-imprimir\">"
              "Descargar el mes: <a").Attr("href", std::string("/exportar/") + month_value + ".xlsx")
      .Markup(">Excel</a> · <a").Attr("href", std::string("/exportar/") + month_value + ".csv")
      .Markup(">CSV</a> · datos abiertos <a").Attr("href", std::string("/datos-abiertos/") + month_value + ".csv")
      .Markup(">CSV</a> / <a").Attr("href", std::string("/datos-abiertos/") + month_value + ".json")
      .Markup(">JSON</a></p><p class=\"cifra\"><strong>")
      .Number(total).Markup("</strong> boletas registradas en el mes.</p>");

  content.Markup("<div class=\"graficas\">");
  Table(content, "Por medio", "Medio", by_channel, channel_name);
  Table(content, "Por dependencia", "Dependencia", by_dependencia, dependencia_name);
  Table(content, "Por categoría (las 15 más frecuentes)", "Categoría", by_categoria, categoria_name);
  Table(content, "Por colonia (las 15 más frecuentes)", "Colonia", by_colonia, colonia_name);
  Table(content, "Estado actual", "Estado", by_status, status_name);
  content.Markup("</div>");

  content.Markup("<h2>Tiempo de atención (boletas atendidas en el mes, días hábiles)</h2>"
                 "<table class=\"cifras\"><thead><tr><th>Dependencia</th><th>Atendidas</th>"
                 "<th>Promedio</th><th>p90</th><th>Dentro del plazo</th></tr></thead><tbody>");
  for (const auto& [dependencia, entry] : attention) {
    double sum = 0;
    for (const int days : entry.days) sum += days;
    const double count = static_cast<double>(entry.days.size());
    content.Markup("<tr><td>").Text(dependencia).Markup("</td><td>")
        .Number(static_cast<long long>(entry.days.size())).Markup("</td><td>")
        .Text(OneDecimal(sum / count)).Markup("</td><td>")
        .Text(OneDecimal(Percentile(entry.days, 0.9))).Markup("</td><td>")
        .Text(std::to_string(static_cast<int>(std::lround(100.0 * entry.within / count))) + " %")
        .Markup("</td></tr>");
  }
  if (attention.empty()) content.Markup("<tr><td colspan=\"5\">Ninguna boleta atendida este mes.</td></tr>");
  content.Markup("</tbody></table>");

  content.Markup("<div class=\"graficas\">");
  Table(content, "Validación mensual (boletas atendidas en el mes)", "Respuesta", validation, answer_name);
  Table(content, "Últimos doce meses", "Mes", trend, same);
  content.Markup("</div>");

  // The same figures for the charts; read by /static/estadisticas.js.
  const boost::json::object data{
      {"medio", Series(by_channel, channel_name)},
      {"dependencia", Series(by_dependencia, dependencia_name)},
      {"categoria", Series(by_categoria, categoria_name)},
      {"validacion", Series(validation, answer_name)},
      {"tendencia", Series(trend, same)}};
  content.Markup("<section class=\"graficas\" aria-label=\"Gráficas\">"
                 "<div class=\"grafica\"><canvas id=\"g-tendencia\"></canvas></div>"
                 "<div class=\"grafica\"><canvas id=\"g-medio\"></canvas></div>"
                 "<div class=\"grafica\"><canvas id=\"g-dependencia\"></canvas></div>"
                 "<div class=\"grafica\"><canvas id=\"g-validacion\"></canvas></div>"
                 "</section><script type=\"application/json\" id=\"datos\">")
      .JsonData(boost::json::serialize(data))
      .Markup("</script><script src=\"/static/chart.umd.min.js\"></script>"
              "<script src=\"/static/estadisticas.js\"></script>");
  return Document(200, "Estadísticas", content, &session);
}

const char* StatisticsScript() {
  return R"js(// Draws the statistics page's charts from its JSON block (no inline script: CSP).
'use strict';
(function () {
  var block = document.getElementById('datos');
  if (!block || typeof Chart === 'undefined') return;
  var datos = JSON.parse(block.textContent);
  var colores = ['#00606e', '#d4a017', '#a4262c', '#4f6d7a', '#7fb069', '#8e5572', '#e07a5f',
                 '#3d405b', '#81b29a', '#f2cc8f'];
  function grafica(id, tipo, serie, titulo) {
    var lienzo = document.getElementById(id);
    if (!lienzo || !serie) return;
    new Chart(lienzo, {
      type: tipo,
      data: { labels: serie.etiquetas,
              datasets: [{ label: titulo, data: serie.valores,
                           backgroundColor: tipo === 'line' ? '#00606e' : colores,
                           borderColor: '#00606e' }] },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
                 plugins: { title: { display: true, text: titulo },
                            legend: { display: tipo === 'doughnut' } } }
    });
  }
  grafica('g-tendencia', 'line', datos.tendencia, 'Boletas por mes');
  grafica('g-medio', 'bar', datos.medio, 'Por medio');
  grafica('g-dependencia', 'bar', datos.dependencia, 'Por dependencia');
  grafica('g-validacion', 'doughnut', datos.validacion, 'Validación mensual');
})();
)js";
}

}  // namespace sac::web
