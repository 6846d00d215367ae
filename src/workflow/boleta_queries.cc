#include "workflow/boleta_queries.h"

#include <charconv>

#include "workflow/transitions.h"

namespace sac::workflow {
namespace {

using storage::Param;
using storage::Row;
using storage::Statement;
using storage::Tx;

// The summary columns, in the order ReadSummary expects; timestamps as epoch microseconds.
// Every query names the boleta table `b`.
#define SAC_SUMMARY_COLUMNS                                                                      \
  "b.id, b.folio, b.status, coalesce(b.dependencia_id, ''), coalesce(b.categoria, ''),"          \
  " coalesce(b.colonia, ''), b.text, (extract(epoch FROM b.due_at) * 1000000)::bigint,"          \
  " b.unread_by_dependencia, b.scheduled_for::text,"                                             \
  " (extract(epoch FROM b.created_at) * 1000000)::bigint, b.inconformidades, b.status_version"
constexpr int kSummaryColumns = 13;

// The statuses awaiting a dependencia, written out so the planner can use the partial index
// boleta_dependencia_pending (a parameter would hide them from it).
#define SAC_PENDING "status IN ('canalizada', 'leida', 'programada', 'en_seguimiento', 'inconformidad')"

// $1 dependencia, $2 statuses, $3 colonia, $4 categoria, $5 due from, $6 due before,
// $7 words, $8/$9 keyset (due, id) after, $10 limit. Unused bounds are ±infinity.
#define SAC_LIST_WHERE                                                              \
  " AND status = ANY($2::text[]) AND ($3 = '' OR colonia = $3)"                    \
  " AND ($4 = '' OR categoria = $4) AND due_at >= $5 AND due_at < $6"              \
  " AND ($7 = '' OR to_tsvector('spanish', text) @@ plainto_tsquery('spanish', $7))" \
  " AND (due_at, id) > ($8::timestamptz, $9::bigint) ORDER BY due_at, id LIMIT $10"

constexpr Statement kListPending{
    "boleta.list_pending",
    "SELECT " SAC_SUMMARY_COLUMNS " FROM boleta b WHERE dependencia_id = $1 AND " SAC_PENDING
        SAC_LIST_WHERE};

constexpr Statement kListAny{
    "boleta.list_any",
    "SELECT " SAC_SUMMARY_COLUMNS " FROM boleta b WHERE dependencia_id = $1" SAC_LIST_WHERE};

constexpr Statement kLoad{
    "boleta.load",
    "SELECT " SAC_SUMMARY_COLUMNS ", b.channel, coalesce(b.address_text, ''), b.latitude,"
    "  b.longitude, coalesce(c.display_name, ''), coalesce(c.phone, ''),"
    "  coalesce(b.status_reason, '') "
    "FROM boleta b LEFT JOIN citizen c ON c.id = b.citizen_id WHERE b.folio = $1"};

constexpr Statement kMedia{
    "boleta.media",
    "SELECT kind, mime_type, caption, download_state FROM boleta_media WHERE boleta_id = $1 "
    "ORDER BY id"};

constexpr Statement kTimeline{
    "boleta.timeline",
    "SELECT (extract(epoch FROM e.at) * 1000000)::bigint, e.kind, e.actor_kind, e.actor,"
    "  e.from_status, e.to_status, e.detail::text, n.text "
    "FROM boleta_event e LEFT JOIN boleta_note n ON n.id = (e.detail->>'note_id')::bigint "
    "WHERE e.boleta_id = $1 ORDER BY e.at, e.id"};

constexpr Statement kOwnerOf{
    "boleta.owner_of",
    "SELECT id, coalesce(dependencia_id, '') FROM boleta WHERE folio = $1"};

// $1 dependencia ('' for all), $2 just past the due-soon limit, $3 unread limit.
#define SAC_FOLLOW_UP_WHERE                                                               \
  " AND (due_at < $2 OR (unread_by_dependencia AND unread_since < $3)"                    \
  "      OR status = 'inconformidad') ORDER BY dependencia_id, due_at, id"

constexpr Statement kFollowUpOne{
    "boleta.follow_up_one",
    "SELECT " SAC_SUMMARY_COLUMNS ", unread_since < $3 FROM boleta b "
    "WHERE dependencia_id = $1 AND " SAC_PENDING SAC_FOLLOW_UP_WHERE};

constexpr Statement kFollowUpAll{
    "boleta.follow_up_all",
    "SELECT " SAC_SUMMARY_COLUMNS ", unread_since < $3 FROM boleta b "
    "WHERE $1 = '' AND dependencia_id IS NOT NULL AND " SAC_PENDING SAC_FOLLOW_UP_WHERE};

TimePoint FromMicros(std::int64_t micros) {
  return TimePoint(std::chrono::microseconds(micros));
}

std::int64_t Micros(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

BoletaSummary ReadSummary(const Row& row, const SlaClock& sla, TimePoint now) {
  BoletaSummary summary;
  summary.id = row.Int(0);
  summary.folio = row.Text(1);
  summary.status = StatusFromName(row.Text(2)).value_or(BoletaStatus::kPorClasificar);
  summary.dependencia_id = row.Text(3);
  summary.categoria = row.Text(4);
  summary.colonia = row.Text(5);
  summary.text = row.Text(6);
  if (auto due = row.OptInt(7)) {
    summary.due_at = FromMicros(*due);
    summary.standing = sla.StandingAt(*summary.due_at, now);
  }
  summary.unread = row.Bool(8);
  summary.scheduled_for = row.OptText(9);
  summary.created_at = FromMicros(row.Int(10));
  summary.inconformidades = static_cast<int>(row.Int(11));
  summary.status_version = static_cast<int>(row.Int(12));
  return summary;
}

// Cursor: "<due micros>_<id>" of the last item of the previous page. Not a secret: it only
// says where the list stopped, and the dependencia filter still applies.
std::optional<std::pair<std::int64_t, std::int64_t>> DecodeCursor(const std::string& cursor) {
  const auto underscore = cursor.find('_');
  if (underscore == std::string::npos) {
    return std::nullopt;
  }
  std::int64_t due = 0;
  std::int64_t id = 0;
  const char* begin = cursor.data();
  const char* middle = begin + underscore;
  const char* end = begin + cursor.size();
  if (std::from_chars(begin, middle, due).ptr != middle ||
      std::from_chars(middle + 1, end, id).ptr != end || id <= 0) {
    return std::nullopt;
  }
  return std::make_pair(due, id);
}

std::string StatusArray(const std::vector<BoletaStatus>& statuses) {
  std::string array = "{";
  for (BoletaStatus status : statuses) {
    array += (array.size() > 1 ? "," : "") + std::string(StatusName(status));
  }
  return array + "}";
}

}  // namespace

Result<Page> ListForDependencia(Tx& tx, const SlaClock& sla, TimePoint now,
                                const std::string& dependencia_id, const ListFilter& filter,
                                const std::optional<std::string>& cursor, int limit) {
  if (limit < 1 || limit > kMaxPageSize) {
    return MakeError(Errc::kInvalidArgument,
                     "limit debe ser de 1 a " + std::to_string(kMaxPageSize));
  }
  std::optional<std::pair<std::int64_t, std::int64_t>> after;
  if (cursor) {
    after = DecodeCursor(*cursor);
    if (!after) {
      return MakeError(Errc::kInvalidArgument, "cursor inválido");
    }
  }
  bool only_pending = true;
  std::vector<BoletaStatus> statuses = filter.statuses;
  if (statuses.empty()) {
    statuses = {BoletaStatus::kCanalizada, BoletaStatus::kLeida, BoletaStatus::kProgramada,
                BoletaStatus::kEnSeguimiento, BoletaStatus::kInconformidad};
  }
  for (BoletaStatus status : statuses) {
    only_pending = only_pending && AwaitsDependencia(status);
  }
  // Deadline bands, exactly as SlaClock::StandingAt draws them: vencida when due <= now,
  // por vencer when now < due <= limit, a tiempo after the limit. The SQL takes half-open
  // [from, before) ranges, hence the microsecond.
  constexpr auto kTick = std::chrono::microseconds(1);
  Param due_from("-infinity");
  Param due_before("infinity");
  if (filter.standing == Standing::kOverdue) {
    due_before = Param(now + kTick);
  } else if (filter.standing == Standing::kDueSoon) {
    due_from = Param(now + kTick);
    due_before = Param(sla.DueSoonLimit(now) + kTick);
  } else if (filter.standing == Standing::kOnTime) {
    due_from = Param(sla.DueSoonLimit(now) + kTick);
  }
  const Param after_due = after ? Param(FromMicros(after->first)) : Param("-infinity");
  const long long after_id = after ? after->second : 0;
  // One row more than asked tells whether there is a next page.
  const auto rows =
      tx.Exec(only_pending ? kListPending : kListAny,
              {dependencia_id, StatusArray(statuses), filter.colonia, filter.categoria, due_from,
               due_before, filter.text, after_due, after_id, limit + 1});
  Page page;
  for (std::size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i) {
    page.items.push_back(ReadSummary(rows.at(i), sla, now));
  }
  if (static_cast<int>(rows.size()) > limit) {
    const BoletaSummary& last = page.items.back();
    page.next_cursor = std::to_string(Micros(*last.due_at)) + "_" + std::to_string(last.id);
  }
  return page;
}

Result<BoletaDetail> LoadBoleta(Tx& tx, const SlaClock& sla, TimePoint now,
                                const std::string& folio) {
  const auto rows = tx.Exec(kLoad, {folio});
  if (rows.empty()) {
    return MakeError(Errc::kNotFound, "no existe la boleta");
  }
  const Row row = rows.at(0);
  BoletaDetail detail;
  detail.summary = ReadSummary(row, sla, now);
  detail.channel = row.Text(kSummaryColumns);
  detail.address_text = row.Text(kSummaryColumns + 1);
  if (!row.IsNull(kSummaryColumns + 2)) {
    detail.latitude = row.Double(kSummaryColumns + 2);
    detail.longitude = row.Double(kSummaryColumns + 3);
  }
  detail.citizen_name = row.Text(kSummaryColumns + 4);
  detail.citizen_phone = row.Text(kSummaryColumns + 5);
  detail.status_reason = row.Text(kSummaryColumns + 6);
  const auto media = tx.Exec(kMedia, {detail.summary.id});
  for (std::size_t i = 0; i < media.size(); ++i) {
    const Row m = media.at(i);
    detail.media.push_back({m.Text(0), m.Text(1), m.Text(2), m.Text(3)});
  }
  const auto events = tx.Exec(kTimeline, {detail.summary.id});
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Row e = events.at(i);
    detail.timeline.push_back({FromMicros(e.Int(0)), e.Text(1), e.Text(2), e.Text(3),
                               e.OptText(4), e.OptText(5), e.Text(6), e.OptText(7)});
  }
  return detail;
}

std::optional<FolioOwner> OwnerOfFolio(Tx& tx, const std::string& folio) {
  const auto rows = tx.Exec(kOwnerOf, {folio});
  if (rows.empty()) {
    return std::nullopt;
  }
  return FolioOwner{rows.at(0).Int(0), rows.at(0).Text(1)};
}

std::vector<FollowUpEntry> FollowUpList(Tx& tx, const SlaClock& sla, TimePoint now,
                                        const std::string& dependencia_id) {
  // due_at <= limit is "por vencer" (StandingAt): the SQL's strict < needs the limit plus a tick.
  const auto rows = tx.Exec(dependencia_id.empty() ? kFollowUpAll : kFollowUpOne,
                            {dependencia_id, sla.DueSoonLimit(now) + std::chrono::microseconds(1),
                             sla.UnreadLimit(now)});
  std::vector<FollowUpEntry> entries;
  entries.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row row = rows.at(i);
    FollowUpEntry entry;
    entry.boleta = ReadSummary(row, sla, now);
    entry.overdue = entry.boleta.standing == Standing::kOverdue;
    entry.due_soon = entry.boleta.standing == Standing::kDueSoon;
    entry.unread_long = entry.boleta.unread && row.Bool(kSummaryColumns);
    entry.disputed = entry.boleta.status == BoletaStatus::kInconformidad;
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace sac::workflow
