// Exports of a month's boletas. For staff (signed in, logged): CSV and XLSX with everything a
// report needs, the petition text included. For everyone (open data, no sign-in): CSV and JSON
// with no personal data at all — no names, phones, addresses or free text; the place only as
// colonia and postal code — so the municipality can publish what its citizens ask for.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

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

// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string Csv(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& lines) {
  std::string csv = "\xEF\xBB\xBF";  // a BOM: spreadsheet programs then read the accents right
  const auto line = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) csv += ',';
      csv += CsvField(fields[i]);
    }
    csv += "\r\n";
  };
  line(header);
  for (const auto& fields : lines) line(fields);
  return csv;
}

HttpResponse Download(std::string body, const char* content_type, const std::string& filename) {
  HttpResponse response;
  response.content_type = content_type;
  response.body = std::move(body);
  response.headers.Add("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.headers.Add("X-Content-Type-Options", "nosniff");
  response.headers.Add("Cache-Control", "no-store");
  return response;
}

// libxlsxwriter (Debian's 1.1.4) writes to a file: a private temporary one, read back and removed.
std::optional<std::string> Xlsx(const std::vector<std::string>& header,
                                const std::vector<std::vector<std::string>>& lines) {
  char path[] = "/tmp/sac-export-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return std::nullopt;
  close(fd);
  lxw_workbook* workbook = workbook_new(path);
  if (workbook == nullptr) {
    unlink(path);
    return std::nullopt;
  }
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Boletas");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (std::size_t c = 0; c < header.size(); ++c) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold);
  }
  for (std::size_t r = 0; r < lines.size(); ++r) {
    for (std::size_t c = 0; c < lines[r].size(); ++c) {
      worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                             lines[r][c].c_str(), nullptr);
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  const bool written = workbook_close(workbook) == LXW_NO_ERROR;
  std::ifstream file(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  unlink(path);
  if (!written) return std::nullopt;
  return bytes.str();
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
  const std::vector<std::string> header = {"Folio", "Fecha", "Medio", "Estado", "Dependencia",
                                           "Categoría", "Colonia", "Código postal", "Plazo",
                                           "Atendida", "Petición"};
  std::vector<std::vector<std::string>> lines;
  std::vector<std::int64_t> ids;
  lines.reserve(rows.size());
  for (const Row& row : rows) {
    ids.push_back(row.id);
    lines.push_back({row.folio, row.created, row.channel, row.status, row.dependencia, row.categoria,
                     row.colonia, row.postal_code, row.due, row.attended, row.text});
  }
  RecordPersonalDataView(tx, session.user.id, ids, {"texto"}, "/exportar/{archivo}", clock_.Now());
  const std::string name = "boletas-" + request.path_params.at("archivo");
  if (file->second == "csv") return Download(Csv(header, lines), "text/csv; charset=utf-8", name);
  auto xlsx = Xlsx(header, lines);
  if (!xlsx) return Message(503, "No disponible", "No se pudo escribir el archivo; intenta de nuevo.", &session);
  return Download(std::move(*xlsx),
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
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
  const std::vector<std::string> header = {"folio", "fecha", "medio", "estado", "dependencia",
                                           "categoria", "colonia", "codigo_postal", "plazo",
                                           "fecha_atencion"};
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
    return Download(boost::json::serialize(items), "application/json", name);
  }
  std::vector<std::vector<std::string>> lines;
  for (const Row& row : rows) {
    lines.push_back({row.folio, row.created, row.channel, row.status, row.dependencia, row.categoria,
                     row.colonia, row.postal_code, row.due, row.attended});
  }
  return Download(Csv(header, lines), "text/csv; charset=utf-8", name);
}

}  // namespace sac::web
