// Any list staff see, as a file to take away: CSV (RFC 4180, UTF-8 with a BOM so spreadsheet
// programs read the accents) or XLSX (libxlsxwriter). Pages build a Table from the same rows
// they show; this turns it into bytes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sac::reports {

struct Table {
  std::string title;  // the XLSX sheet's name ("Boletas", "Bandeja de JUMAPAM", ...)
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::string ToCsv(const Table& table);

// nullopt when the temporary file libxlsxwriter needs could not be written.
std::optional<std::string> ToXlsx(const Table& table);

inline constexpr const char* kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr const char* kCsvContentType = "text/csv; charset=utf-8";

}  // namespace sac::reports
