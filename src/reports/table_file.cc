#include "reports/table_file.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <fstream>
#include <sstream>

namespace sac::reports {
namespace {

// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
void AppendCsvField(std::string& csv, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    csv += value;
    return;
  }
  csv += '"';
  for (const char c : value) {
    if (c == '"') csv += '"';
    csv += c;
  }
  csv += '"';
}

// A spreadsheet may read a cell starting with = + - @ as a formula: a citizen's text must never
// run as one in an officer's Excel (CSV injection), so such cells get a leading apostrophe.
std::string Inert(std::string_view value) {
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                         value[0] == '@' || value[0] == '\t' || value[0] == '\r')) {
    return "'" + std::string(value);
  }
  return std::string(value);
}

// Excel's rules for a sheet name: at most 31 characters, none of []:*?/\ .
std::string SheetName(std::string_view title) {
  std::string name;
  for (const char c : title) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) continue;
    name += c;
  }
  if (name.empty()) name = "Lista";
  // Cut at 31 bytes without splitting a UTF-8 character.
  if (name.size() > 31) {
    std::size_t cut = 31;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name.resize(cut);
  }
  return name;
}

}  // namespace

std::string ToCsv(const Table& table) {
  std::string csv = "\xEF\xBB\xBF";
  const auto line = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) csv += ',';
      AppendCsvField(csv, Inert(fields[i]));
    }
    csv += "\r\n";
  };
  line(table.header);
  for (const auto& fields : table.rows) line(fields);
  return csv;
}

// libxlsxwriter (Debian's 1.1.4) writes to a file: a private temporary one, read back and removed.
std::optional<std::string> ToXlsx(const Table& table) {
  char path[] = "/tmp/sac-export-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return std::nullopt;
  close(fd);
  lxw_workbook* workbook = workbook_new(path);
  if (workbook == nullptr) {
    unlink(path);
    return std::nullopt;
  }
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, SheetName(table.title).c_str());
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.header[c].c_str(), bold);
  }
  // Strings are written as strings (never formulas), so no apostrophe is needed here.
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
      worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                             table.rows[r][c].c_str(), nullptr);
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

}  // namespace sac::reports
