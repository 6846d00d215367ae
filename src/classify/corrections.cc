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
    "  c.staff, b.id"};

// The correction the routing just recorded becomes the proposal: the boleta's latest, if it sent
// the boleta where it is now and was not written out yet (an older routing's is not this case).
constexpr Statement kProposeLatest{
    "classify.propose_latest",
    "UPDATE classification_correction c SET proposed_by = $2, proposed_at = $3 WHERE c.id = ("
    "  SELECT l.id FROM classification_correction l JOIN boleta b ON b.id = l.boleta_id"
    "  WHERE l.boleta_id = $1 AND l.human_dependencia = b.dependencia_id"
    "    AND NOT l.proposed_as_case AND l.proposed_by IS NULL ORDER BY l.id DESC LIMIT 1) "
    "RETURNING c.id"};
// The person agreed with the machine: the boleta's own routing is the case.
constexpr Statement kProposeAgreement{
    "classify.propose_agreement",
    "INSERT INTO classification_correction (boleta_id, at, staff, machine_dependencia,"
    "  machine_categoria, machine_confidence, human_dependencia, proposed_by, proposed_at) "
    "SELECT id, $3, $2, classification->>'dependencia', classification->>'categoria', confidence,"
    "  dependencia_id, $2, $3 FROM boleta WHERE id = $1 AND dependencia_id IS NOT NULL "
    "RETURNING id"};

constexpr Statement kPendingProposals{
    "classify.pending_proposals",
    "SELECT c.id, b.folio, b.text, coalesce(b.colonia, ''), coalesce(c.machine_dependencia, ''),"
    "  coalesce(c.machine_categoria, ''), coalesce(c.machine_confidence, 0), c.human_dependencia,"
    "  c.proposed_by, b.id "
    "FROM classification_correction c JOIN boleta b ON b.id = c.boleta_id "
    "WHERE c.proposed_by IS NOT NULL AND NOT c.proposed_as_case ORDER BY c.proposed_at, c.id"};

constexpr Statement kMarkWrittenOut{
    "classify.mark_written_out",
    "UPDATE classification_correction SET proposed_as_case = true "
    "WHERE id = ANY($1::bigint[]) AND proposed_by IS NOT NULL AND NOT proposed_as_case"};

Correction FromRow(const storage::Row& row) {
  return Correction{row.Int(0),  row.Text(1),   row.Text(2), row.Text(3), row.Text(4),
                    row.Text(5), row.Double(6), row.Text(7), row.Text(8), row.Int(9)};
}

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
    corrections.push_back(FromRow(row));
  }
  // RETURNING has no ORDER BY: the oldest correction first, as staff made them.
  std::sort(corrections.begin(), corrections.end(),
            [](const Correction& a, const Correction& b) { return a.id < b.id; });
  return corrections;
}

bool ProposeAsCase(storage::Tx& tx, std::int64_t boleta_id, const std::string& staff, TimePoint now) {
  if (!tx.Exec(kProposeLatest, {boleta_id, staff, now}).empty()) return true;
  return !tx.Exec(kProposeAgreement, {boleta_id, staff, now}).empty();
}

std::vector<Correction> PendingProposals(storage::Tx& tx) {
  std::vector<Correction> proposals;
  const storage::Rows rows = tx.Exec(kPendingProposals, {});
  for (std::size_t i = 0; i < rows.size(); ++i) proposals.push_back(FromRow(rows[i]));
  return proposals;
}

int MarkWrittenOut(storage::Tx& tx, const std::vector<std::int64_t>& ids) {
  std::string array = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) array += (i ? "," : "") + std::to_string(ids[i]);
  return static_cast<int>(tx.Exec(kMarkWrittenOut, {array + "}"}).affected());
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
