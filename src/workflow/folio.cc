#include "workflow/folio.h"

#include <cctype>
#include <cstdio>

namespace sac::workflow {
namespace {

constexpr storage::Statement kNextFolio{
    "folio.next",
    "INSERT INTO folio_counter AS c (year, last_number) "
    "VALUES (extract(year FROM $1::timestamptz AT TIME ZONE 'America/Mazatlan')::int, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_number = c.last_number + 1 "
    "RETURNING year, last_number"};

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string FormatFolio(const Folio& folio) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%06d", folio.year, folio.number);
  return buffer;
}

std::optional<Folio> FindFolio(std::string_view text) {
  for (std::size_t i = 0; i + 6 <= text.size(); ++i) {
    // Four digits not preceded by a digit: a year, then '-' and 1 to 6 digits.
    if (i > 0 && IsDigit(text[i - 1])) {
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && j - i < 4 && IsDigit(text[j])) {
      ++j;
    }
    if (j - i != 4 || j >= text.size() || text[j] != '-') {
      continue;
    }
    const std::size_t start = j + 1;
    std::size_t end = start;
    while (end < text.size() && IsDigit(text[end])) {
      ++end;
    }
    const std::size_t digits = end - start;
    if (digits == 0 || digits > 6) {
      continue;
    }
    const int year = std::stoi(std::string(text.substr(i, 4)));
    const int number = std::stoi(std::string(text.substr(start, digits)));
    if (year < 2000 || year > 2999 || number == 0) {
      continue;
    }
    return Folio{year, number};
  }
  return std::nullopt;
}

Folio NextFolio(storage::Tx& tx, TimePoint now) {
  const auto row = tx.Exec(kNextFolio, {now}).at(0);
  return Folio{static_cast<int>(row.Int(0)), static_cast<int>(row.Int(1))};
}

}  // namespace sac::workflow
