// Exports of a month's boletas. For staff (signed in, logged): CSV and XLSX with everything a
// report needs, the petition text included. For everyone (open data, no sign-in): CSV and JSON
// with no personal data at all — no names, phones, addresses or free text; the place only as
// colonia and postal code — so the municipality can publish what its citizens ask for.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "conversation/replies.h"
#include "reports/table_file.h"
#include "web/list_download.h"
#include "web/personal_data_log.h"
#include "web/staff_page.h"
#include "web/staff_web.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

// $1 month start, $2 next month start.
constexpr Statement kMonth{
    "exports.month",
    "SELECT b.id, b.folio, extract(epoch FROM b.created_at)::float8, b.channel, b.status,"
    "  coalesce(d.name, ''), coalesce(b.categoria, ''), coalesce(b.colonia, ''),"
    "  coalesce(b.colonia_postal_code, ''), extract(epoch FROM b.due_at)::float8,"
    "  extract(epoch FROM b.attended_at)::float8, b.text "
    "FROM boleta b LEFT JOIN dependencia d ON d.id = b.dependencia_id "
    "WHERE b.created_at >= $1 AND b.created_at < $2 ORDER BY b.created_at, b.id"};

struct Row {
  std::int64_t id = 0;
  std::string folio, created, channel, status, dependencia, categoria, colonia, postal_code, due,
      attended, text;
};

// "2026-03.csv" → the month and the extension; nullopt for anything else.
std::optional<std::pair<std::chrono::year_month, std::string>> ParseFile(std::string_view name) {
  const auto dot = name.find('.');
  if (dot != 7) return std::nullopt;
  const auto first = workflow::ParseDate(std::string(name.substr(0, 7)) + "-01");
  if (!first) return std::nullopt;
  const std::chrono::year_month_day day(*first);
  return std::pair{day.year() / day.month(), std::string(name.substr(dot + 1))};
}

std::string Iso(const workflow::LocalTime& local, TimePoint instant) {
  return workflow::FormatDate(local.LocalDate(instant));
}

std::vector<Row> ReadMonth(Tx& tx, const workflow::LocalTime& local, std::chrono::year_month month,
                           const std::function<std::string(const std::string&)>& status_name) {
  using namespace std::chrono;
  const TimePoint start = local.StartOfDay(sys_days(month / day(1)));
  const TimePoint end = local.StartOfDay(sys_days((month + months(1)) / day(1)));
  const auto rows = tx.Exec(kMonth, {start, end});
  std::vector<Row> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto r = rows[i];
    out.push_back({r.Int(0), r.Text(1), Iso(local, FromEpoch(r.Double(2))), ChannelLabel(r.Text(3)),
                   status_name(r.Text(4)), r.Text(5), r.Text(6), r.Text(7), r.Text(8),
                   r.IsNull(9) ? "" : Iso(local, FromEpoch(r.Double(9))),
                   r.IsNull(10) ? "" : Iso(local, FromEpoch(r.Double(10))), r.Text(11)});
  }
  return out;
}

}  // namespace

HttpResponse StaffWeb::Export(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto file = ParseFile(request.path_params.at("archivo"));
  if (!file || (file->second != "csv" && file->second != "xlsx")) {
    return Message(404, "No existe", "Las exportaciones son AAAA-MM.csv o AAAA-MM.xlsx.", &session);
  }
  const auto status_name = [](const std::string& id) -> std::string {
    const auto status = workflow::StatusFromName(id);
    return status ? StatusLabel(*status) : id;
  };
  const std::vector<Row> rows = ReadMonth(tx, local_, file->first, status_name);
  reports::Table table{"Boletas",
                       {"Folio", "Fecha", "Medio", "Estado", "Dependencia", "Categoría", "Colonia",
                        "Código postal", "Plazo", "Atendida", "Petición"},
                       {}};
  std::vector<std::int64_t> ids;
  table.rows.reserve(rows.size());
  for (const Row& row : rows) {
    ids.push_back(row.id);
    table.rows.push_back({row.folio, row.created, row.channel, row.status, row.dependencia,
                          row.categoria, row.colonia, row.postal_code, row.due, row.attended,
                          row.text});
  }
  RecordPersonalDataView(tx, session.user.id, ids, {"texto"}, "/exportar/{archivo}", clock_.Now());
  const std::string stem = "boletas-" + request.path_params.at("archivo").substr(0, 7);
  return DownloadTable(table, file->second == "csv" ? ListFormat::kCsv : ListFormat::kXlsx, stem,
                       session);
}

HttpResponse StaffWeb::OpenData(const HttpRequest& request) {
  const auto file = ParseFile(request.path_params.at("archivo"));
  if (!file || (file->second != "csv" && file->second != "json")) {
    return HttpResponse::Text(404, "Los datos abiertos son AAAA-MM.csv o AAAA-MM.json\n");
  }
  std::vector<Row> rows;
  const auto read = database_.Transact([&](Tx& tx) {
    rows = ReadMonth(tx, local_, file->first, [](const std::string& id) { return id; });
  });
  if (!read) return HttpResponse::Text(503, "no disponible; intenta en un momento\n");
  // Nothing personal: no text, no names, phones or addresses; the place only as colonia.
  reports::Table table{"datos", {"folio", "fecha", "medio", "estado", "dependencia", "categoria",
                                 "colonia", "codigo_postal", "plazo", "fecha_atencion"}, {}};
  const std::string name = "sac-mazatlan-" + request.path_params.at("archivo");
  if (file->second == "json") {
    boost::json::array items;
    for (const Row& row : rows) {
      items.push_back(boost::json::object{{"folio", row.folio}, {"fecha", row.created},
                                          {"medio", row.channel}, {"estado", row.status},
                                          {"dependencia", row.dependencia},
                                          {"categoria", row.categoria}, {"colonia", row.colonia},
                                          {"codigo_postal", row.postal_code}, {"plazo", row.due},
                                          {"fecha_atencion", row.attended}});
    }
    return Attachment(boost::json::serialize(items), "application/json", name);
  }
  for (const Row& row : rows) {
    table.rows.push_back({row.folio, row.created, row.channel, row.status, row.dependencia,
                          row.categoria, row.colonia, row.postal_code, row.due, row.attended});
  }
  return Attachment(reports::ToCsv(table), reports::kCsvContentType, name);
}

HttpResponse StaffWeb::OpenDataIndex(const HttpRequest& /*request*/) {
  using namespace std::chrono;
  const year_month_day today(local_.LocalDate(clock_.Now()));
  Html content;
  content.Markup("<h1>Datos abiertos de Atención Ciudadana</h1><p>Cada mes, las peticiones que "
                 "la ciudadanía de Mazatlán hizo al Ayuntamiento y qué pasó con ellas, sin ningún "
                 "dato personal: ni nombres, ni teléfonos, ni domicilios, ni el texto de la "
                 "petición; el lugar solo como colonia y código postal. Libre uso; cite la fuente "
                 "«Ayuntamiento de Mazatlán, SAC».</p><table class=\"lista\"><thead><tr>"
                 "<th>Mes</th><th>CSV</th><th>JSON</th></tr></thead><tbody>");
  year_month month = today.year() / today.month();
  for (int i = 0; i < 12; ++i, month -= months(1)) {
    char name[16];
    std::snprintf(name, sizeof name, "%04d-%02u", static_cast<int>(month.year()) % 10000,
                  static_cast<unsigned>(month.month()));
    content.Markup("<tr><td>").Text(conversation::SpanishMonth(static_cast<unsigned>(month.month())) +
                                    " de " + std::to_string(static_cast<int>(month.year())))
        .Markup("</td><td><a").Attr("href", std::string("/datos-abiertos/") + name + ".csv")
        .Markup(">").Text(std::string(name) + ".csv").Markup("</a></td><td><a")
        .Attr("href", std::string("/datos-abiertos/") + name + ".json").Markup(">")
        .Text(std::string(name) + ".json").Markup("</a></td></tr>");
  }
  content.Markup(
      "</tbody></table><h2>Campos</h2><table class=\"lista\"><tbody>"
      "<tr><th>folio</th><td>Identificador público de la petición (AAAA-NNNNNN).</td></tr>"
      "<tr><th>fecha</th><td>Día en que se recibió (AAAA-MM-DD, hora de Mazatlán).</td></tr>"
      "<tr><th>medio</th><td>Por dónde llegó: WhatsApp, Telegram, Messenger, Instagram, correo, "
      "SMS, la app municipal, llamada, módulo o recorrido.</td></tr>"
      "<tr><th>estado</th><td>por_clasificar, canalizada, leida, programada, en_seguimiento, "
      "atendida, validada, inconformidad, cerrada, no_procede o duplicada.</td></tr>"
      "<tr><th>dependencia</th><td>La unidad municipal que la atiende.</td></tr>"
      "<tr><th>categoria</th><td>El tipo de petición (fuga de agua, bache, alumbrado…).</td></tr>"
      "<tr><th>colonia, codigo_postal</th><td>Según el catálogo SEPOMEX; vacío si no se "
      "indicó.</td></tr>"
      "<tr><th>plazo</th><td>Fecha límite de atención: 10 días hábiles desde que se canaliza "
      "(15 para alumbrado público).</td></tr>"
      "<tr><th>fecha_atencion</th><td>Día en que la dependencia la reportó atendida; vacío si "
      "aún no.</td></tr></tbody></table><p>CSV en UTF-8 (RFC 4180); JSON como lista de "
      "objetos con los mismos campos.</p>");
  return Document(200, "Datos abiertos", content, nullptr);
}

}  // namespace sac::web
