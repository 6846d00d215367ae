#include "reports/meeting_pack.h"

#include <algorithm>
#include <map>

namespace sac::reports {
namespace {

using storage::Statement;

constexpr Statement kDependencias{
    "meeting.dependencias", "SELECT id, name FROM dependencia WHERE active ORDER BY name"};

// $1 dependencia ids: every boleta they still have to attend.
constexpr Statement kPending{
    "meeting.pending",
    "SELECT id, folio, dependencia_id, status, coalesce(categoria, ''), coalesce(colonia, ''), text,"
    "  extract(epoch FROM coalesce(routed_at, created_at))::float8,"
    "  extract(epoch FROM due_at)::float8, unread_by_dependencia,"
    "  extract(epoch FROM unread_since)::float8, inconformidades "
    "FROM boleta WHERE dependencia_id = ANY($1::text[])"
    "  AND status IN ('canalizada', 'leida', 'programada', 'en_seguimiento', 'inconformidad') "
    "ORDER BY due_at, id"};

// $1 dependencia ids, $2 start of the month: attended this month, and on time.
constexpr Statement kAttended{
    "meeting.attended",
    "SELECT dependencia_id, count(*), count(*) FILTER (WHERE attended_at <= due_at) "
    "FROM boleta WHERE dependencia_id = ANY($1::text[]) AND attended_at >= $2 "
    "GROUP BY dependencia_id"};

TimePoint FromEpoch(double seconds) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::duration<double>(seconds)));
}

// {a,b} as a PostgreSQL text[] literal; ids are [a-z0-9_] (the dependencia table's CHECK).
std::string TextArray(const std::vector<std::string>& ids) {
  std::string literal = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) literal += (i ? "," : "") + ids[i];
  return literal + "}";
}

}  // namespace

MeetingPack LoadMeetingPack(storage::Tx& tx, const workflow::SlaClock& sla,
                            const workflow::LocalTime& local, TimePoint now,
                            const std::vector<std::string>& dependencias) {
  MeetingPack pack{now, {}};
  std::map<std::string, std::size_t> index;
  const auto names = tx.Exec(kDependencias, {});
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string id = names[i].Text(0);
    if (!dependencias.empty() &&
        std::find(dependencias.begin(), dependencias.end(), id) == dependencias.end()) {
      continue;
    }
    index[id] = pack.sections.size();
    MeetingSection section;
    section.dependencia_id = id;
    section.dependencia_name = names[i].Text(1);
    pack.sections.push_back(std::move(section));
  }
  std::vector<std::string> ids;
  for (const auto& [id, _] : index) ids.push_back(id);
  const std::string wanted = TextArray(ids);

  const auto rows = tx.Exec(kPending, {wanted});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = rows[i];
    MeetingSection& section = pack.sections[index.at(row.Text(2))];
    MeetingBoleta boleta;
    boleta.id = row.Int(0);
    boleta.folio = row.Text(1);
    boleta.status = workflow::StatusFromName(row.Text(3)).value_or(workflow::BoletaStatus::kCanalizada);
    boleta.categoria = row.Text(4);
    boleta.colonia = row.Text(5);
    boleta.text = row.Text(6);
    boleta.routed_at = FromEpoch(row.Double(7));
    boleta.due_at = FromEpoch(row.Double(8));
    boleta.standing = sla.StandingAt(boleta.due_at, now);
    boleta.business_days_held = sla.BusinessDaysSince(boleta.routed_at, now);
    boleta.unread = row.Bool(9);
    if (boleta.unread && !row.IsNull(10)) {
      boleta.business_days_unread = sla.BusinessDaysSince(FromEpoch(row.Double(10)), now);
    }
    boleta.inconformidades = static_cast<int>(row.Int(11));
    section.unread_total += boleta.unread ? 1 : 0;
    section.in_dispute += boleta.status == workflow::BoletaStatus::kInconformidad ? 1 : 0;
    switch (boleta.standing) {
      case workflow::Standing::kOverdue:
        boleta.business_days_overdue = sla.BusinessDaysSince(boleta.due_at, now);
        section.overdue.push_back(std::move(boleta));
        break;
      case workflow::Standing::kDueSoon:
        ++section.due_soon;
        [[fallthrough]];
      case workflow::Standing::kOnTime:
        (boleta.unread ? section.unread : section.pending).push_back(std::move(boleta));
        break;
    }
  }
  for (MeetingSection& section : pack.sections) {
    // Rows came by deadline; the earliest deadline is the one most days late. Unread: longest first.
    std::stable_sort(section.unread.begin(), section.unread.end(),
                     [](const MeetingBoleta& a, const MeetingBoleta& b) {
                       return a.business_days_unread > b.business_days_unread;
                     });
  }

  const std::chrono::year_month_day today(local.LocalDate(now));
  const TimePoint month_start =
      local.StartOfDay(std::chrono::sys_days(today.year() / today.month() / std::chrono::day(1)));
  const auto attended = tx.Exec(kAttended, {wanted, month_start});
  for (std::size_t i = 0; i < attended.size(); ++i) {
    MeetingSection& section = pack.sections[index.at(attended[i].Text(0))];
    section.attended_this_month = static_cast<int>(attended[i].Int(1));
    section.attended_on_time_this_month = static_cast<int>(attended[i].Int(2));
  }
  return pack;
}

}  // namespace sac::reports
