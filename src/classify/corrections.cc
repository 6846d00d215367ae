#include "classify/corrections.h"

#include <algorithm>
#include <cstdio>

namespace sac::classify {
namespace {

using storage::Statement;

constexpr Statement kTakeCorrections{
    "classify.take_corrections",
    "UPDATE classification_correction c SET proposed_as_case = true FROM boleta b "
    "WHERE b.id = c.boleta_id AND (NOT c.proposed_as_case OR $1) "
    "RETURNING c.id, b.folio, b.text, coalesce(b.colonia, ''), coalesce(c.machine_dependencia, ''),"
    "  coalesce(c.machine_categoria, ''), coalesce(c.machine_confidence, 0), c.human_dependencia,"
    "  c.staff"};

// A case is one line: tabs and line breaks inside the citizen's text become spaces.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

Result<std::vector<Correction>> TakeCorrections(storage::Tx& tx, bool again) {
  std::vector<Correction> corrections;
  const storage::Rows rows = tx.Exec(kTakeCorrections, {again});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const storage::Row row = rows[i];
    corrections.push_back(Correction{row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4),
                           row.Text(5), row.Double(6), row.Text(7), row.Text(8)});
  }
  // RETURNING has no ORDER BY: the oldest correction first, as staff made them.
  std::sort(corrections.begin(), corrections.end(),
            [](const Correction& a, const Correction& b) { return a.id < b.id; });
  return corrections;
}

std::string GoldenCaseLines(const Correction& correction) {
  char confidence[16];
  std::snprintf(confidence, sizeof confidence, "%.2f", correction.machine_confidence);
  std::string machine = correction.machine_dependencia.empty()
                            ? std::string("sin dependencia")
                            : correction.machine_dependencia +
                                  (correction.machine_categoria.empty()
                                       ? ""
                                       : "/" + correction.machine_categoria) +
                                  " (" + confidence + ")";
  return "# folio " + correction.folio + ": la máquina dijo " + machine + "; " +
         correction.staff + " canalizó a " + correction.human_dependencia + "\n" +
         OneLine(correction.text) + "\tpeticion\t" + correction.human_dependencia + "\t" +
         (correction.colonia.empty() ? "-" : correction.colonia) + "\n";
}

}  // namespace sac::classify
