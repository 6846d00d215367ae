#include "web/personal_data_log.h"

#include <string>

namespace sac::web {
namespace {

// $1 user, $2 boleta ids ('{1,2}'), $3 fields ('{texto,telefono}'), $4 route, $5 now.
constexpr storage::Statement kRecord{
    "personal_data.record",
    "INSERT INTO personal_data_access (user_id, boleta_id, fields, route, at) "
    "SELECT $1, id, $3::text[], $4, $5 FROM unnest($2::bigint[]) AS id"};

// The same, $1 the API token.
constexpr storage::Statement kRecordApi{
    "personal_data.record_api",
    "INSERT INTO personal_data_access (api_token_id, boleta_id, fields, route, at) "
    "SELECT $1, id, $3::text[], $4, $5 FROM unnest($2::bigint[]) AS id"};

void Record(storage::Tx& tx, const storage::Statement& statement, std::int64_t reader,
            const std::vector<std::int64_t>& boleta_ids,
            const std::vector<std::string_view>& fields, std::string_view route, TimePoint now) {
  if (boleta_ids.empty()) return;
  std::string ids = "{";
  for (std::size_t i = 0; i < boleta_ids.size(); ++i) {
    if (i > 0) ids += ',';
    ids += std::to_string(boleta_ids[i]);
  }
  ids += '}';
  std::string names = "{";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) names += ',';
    names += fields[i];  // our own field names: letters and underscores only
  }
  names += '}';
  tx.Exec(statement, {reader, ids, names, route, now});
}

}  // namespace

void RecordPersonalDataView(storage::Tx& tx, std::int64_t user_id,
                            const std::vector<std::int64_t>& boleta_ids,
                            const std::vector<std::string_view>& fields, std::string_view route,
                            TimePoint now) {
  Record(tx, kRecord, user_id, boleta_ids, fields, route, now);
}

void RecordApiDataView(storage::Tx& tx, std::int64_t api_token_id,
                       const std::vector<std::int64_t>& boleta_ids,
                       const std::vector<std::string_view>& fields, std::string_view route,
                       TimePoint now) {
  Record(tx, kRecordApi, api_token_id, boleta_ids, fields, route, now);
}

void RecordRefusedView(storage::Tx& tx, std::int64_t user_id, std::int64_t boleta_id,
                       std::string_view route, TimePoint now) {
  RecordPersonalDataView(tx, user_id, {boleta_id}, {"acceso_denegado"}, route, now);
}

}  // namespace sac::web
