#include "conversation/folio_status.h"

#include <chrono>

namespace sac::conversation {
namespace {

using storage::Statement;

// The columns both lookups read; $1 is the asking citizen.
#define SAC_BOLETA_VIEW_COLUMNS                                                                   \
  "b.folio, b.status, coalesce(d.name, ''), extract(epoch FROM b.created_at)::float8,"           \
  "  extract(epoch FROM b.due_at)::float8, coalesce(to_char(b.scheduled_for, 'YYYY-MM-DD'), ''),"\
  "  coalesce(b.status_reason, ''), coalesce(o.folio, ''),"                                       \
  "  coalesce((SELECT n.text FROM boleta_note n WHERE n.boleta_id = b.id AND n.public"          \
  "            AND n.author_kind IN ('staff', 'dependencia') ORDER BY n.id DESC LIMIT 1), ''),"    \
  "  b.citizen_id = $1 OR EXISTS (SELECT 1 FROM boleta_follower f"                                \
  "                                WHERE f.boleta_id = b.id AND f.citizen_id = $1) "

constexpr Statement kByFolio{
    "conversation.boleta_by_folio",
    "SELECT " SAC_BOLETA_VIEW_COLUMNS
    "FROM boleta b LEFT JOIN dependencia d ON d.id = b.dependencia_id "
    "LEFT JOIN boleta o ON o.id = b.duplicate_of WHERE b.folio = $2"};

constexpr Statement kOpenOfCitizen{
    "conversation.open_boletas_of_citizen",
    "SELECT " SAC_BOLETA_VIEW_COLUMNS
    "FROM boleta b LEFT JOIN dependencia d ON d.id = b.dependencia_id "
    "LEFT JOIN boleta o ON o.id = b.duplicate_of "
    "WHERE b.citizen_id = $1 AND b.status NOT IN "
    "  ('atendida', 'validada', 'cerrada', 'no_procede', 'duplicada') "
    "ORDER BY b.created_at DESC LIMIT 5"};

#undef SAC_BOLETA_VIEW_COLUMNS

std::string SpanishDateOf(workflow::Date date) {
  const std::chrono::year_month_day ymd(date);
  return SpanishDate(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

// The local (Mazatlán) date of an instant stored as epoch seconds; "" for NULL.
std::string LocalDateOf(const storage::Row& row, int column, const workflow::LocalTime& local,
                        std::chrono::seconds before = std::chrono::seconds(0)) {
  if (row.IsNull(column)) return {};
  const TimePoint instant(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::duration<double>(row.Double(column))));
  return SpanishDateOf(local.LocalDate(instant - before));
}

BoletaView ViewOf(const storage::Row& row, const workflow::LocalTime& local) {
  BoletaView view;
  view.folio = row.Text(0);
  view.status = row.Text(1);
  view.dependencia = row.Text(2);
  view.created = LocalDateOf(row, 3, local);
  // A deadline is the end (24:00) of its last business day: the instant a second before it
  // falls on that day.
  view.due = LocalDateOf(row, 4, local, std::chrono::seconds(1));
  const std::string scheduled = row.Text(5);
  if (scheduled.size() == 10) {
    view.scheduled = SpanishDate(std::stoi(scheduled.substr(0, 4)),
                                 static_cast<unsigned>(std::stoi(scheduled.substr(5, 2))),
                                 static_cast<unsigned>(std::stoi(scheduled.substr(8, 2))));
  }
  view.reason = row.Text(6);
  view.original = row.Text(7);
  view.latest_note = row.Text(8);
  return view;
}

}  // namespace

FolioLookup LookUpFolio(storage::Tx& tx, const workflow::Folio& folio, std::int64_t citizen_id,
                        const workflow::LocalTime& local) {
  FolioLookup lookup;
  const auto rows = tx.Exec(kByFolio, {citizen_id, workflow::FormatFolio(folio)});
  if (rows.empty()) return lookup;
  lookup.exists = true;
  lookup.theirs = rows.at(0).Bool(9);
  if (lookup.theirs) lookup.view = ViewOf(rows.at(0), local);
  return lookup;
}

std::vector<BoletaView> OpenBoletasOf(storage::Tx& tx, std::int64_t citizen_id,
                                      const workflow::LocalTime& local) {
  std::vector<BoletaView> views;
  const auto rows = tx.Exec(kOpenOfCitizen, {citizen_id});
  for (std::size_t i = 0; i < rows.size(); ++i) views.push_back(ViewOf(rows[i], local));
  return views;
}

}  // namespace sac::conversation
