#include "workflow/duplicates.h"

namespace sac::workflow {
namespace {

// Haversine distance in meters (no PostGIS: the city is small and the radius short).
constexpr storage::Statement kCandidates{
    "duplicates.candidates",
    "WITH me AS ("
    "  SELECT id, categoria, colonia, lower(btrim(coalesce(address_text, ''))) AS street,"
    "    latitude, longitude, created_at FROM boleta WHERE id = $1),"
    "near AS ("
    "  SELECT b.id, b.folio, b.created_at, me.created_at AS my_created_at,"
    "    CASE WHEN me.latitude IS NOT NULL AND b.latitude IS NOT NULL THEN"
    "      12742000 * asin(sqrt(power(sin(radians(b.latitude - me.latitude) / 2), 2) +"
    "        cos(radians(me.latitude)) * cos(radians(b.latitude)) *"
    "        power(sin(radians(b.longitude - me.longitude) / 2), 2)))"
    "    END AS distance,"
    "    (me.colonia IS NOT NULL AND b.colonia = me.colonia AND me.street <> ''"
    "      AND lower(btrim(coalesce(b.address_text, ''))) = me.street) AS same_street"
    "  FROM boleta b, me"
    "  WHERE b.id <> me.id AND b.categoria = me.categoria"
    "    AND b.status NOT IN ('validada', 'cerrada', 'no_procede', 'duplicada')"
    "    AND b.created_at BETWEEN me.created_at - make_interval(days => $3)"
    "                         AND me.created_at + make_interval(days => $3)) "
    "SELECT id, folio, distance FROM near WHERE distance <= $2 OR same_street "
    "ORDER BY distance NULLS LAST, created_at LIMIT 10"};

}  // namespace

std::vector<DuplicateCandidate> FindDuplicateCandidates(storage::Tx& tx, std::int64_t boleta_id,
                                                        const DuplicateSettings& settings) {
  const auto rows = tx.Exec(kCandidates, {boleta_id, settings.radius_meters, settings.window_days});
  std::vector<DuplicateCandidate> candidates;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = rows.at(i);
    DuplicateCandidate candidate;
    candidate.boleta_id = row.Int(0);
    candidate.folio = row.Text(1);
    if (!row.IsNull(2)) {
      candidate.distance_meters = row.Double(2);
    }
    candidates.push_back(std::move(candidate));
  }
  return candidates;
}

}  // namespace sac::workflow
