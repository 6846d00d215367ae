#include "scheduler/jobs.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "conversation/replies.h"
#include "outbox/outbox_writer.h"
#include "privacy/access_log.h"
#include "workflow/actor.h"
#include "workflow/bitacora.h"

namespace sac::scheduler {
namespace {

using storage::Statement;
using storage::Tx;

constexpr int kCheckInBatch = 500;

// $1 now, $2 batch. Claimed by stamping them: a second run finds nothing.
constexpr Statement kClaimOverdue{
    "jobs.claim_overdue",
    "WITH due AS ("
    "  SELECT b.id FROM boleta b WHERE b.due_at <= $1 AND b.checkin_sent_at IS NULL"
    "    AND b.status IN ('canalizada', 'leida', 'programada', 'en_seguimiento', 'inconformidad')"
    "  ORDER BY b.due_at, b.id LIMIT $2 FOR UPDATE SKIP LOCKED) "
    "UPDATE boleta b SET checkin_sent_at = $1 FROM due WHERE b.id = due.id "
    "RETURNING b.id, b.folio, coalesce((SELECT d.name FROM dependencia d"
    "                                   WHERE d.id = b.dependencia_id), 'la dependencia'),"
    "  b.due_at"};

class OverdueCheckIn final : public Job {
 public:
  explicit OverdueCheckIn(storage::Database& database) : database_(database) {}
  std::string_view Name() const override { return "aviso_plazo_vencido"; }

  Result<JobCounts> Run(TimePoint now) override {
    JobCounts counts{{"boletas", 0}, {"avisos", 0}};
    for (;;) {
      auto batch = database_.Transact([&](Tx& tx) {
        const auto rows = tx.Exec(kClaimOverdue, {now, kCheckInBatch});
        for (std::size_t i = 0; i < rows.size(); ++i) {
          const auto row = rows[i];
          const std::int64_t boleta_id = row.Int(0);
          workflow::AppendEvent(tx, boleta_id, now, "plazo_vencido", workflow::Actor::System(),
                                std::nullopt, std::nullopt,
                                boost::json::serialize(boost::json::object{{"vencio", row.Text(3)}}));
          if (outbox::EnqueueToBoletaCitizen(
                  tx, boleta_id, "aviso_plazo_vencido",
                  conversation::OverdueCheckIn(row.Text(1), row.Text(2)),
                  {{"folio", row.Text(1)}, {"dependencia", row.Text(2)}}, now)) {
            ++counts["avisos"];
          }
        }
        counts["boletas"] += static_cast<std::int64_t>(rows.size());
        return rows.size();
      });
      if (!batch) return batch.error();
      if (*batch < static_cast<std::size_t>(kCheckInBatch)) return counts;
    }
  }

 private:
  storage::Database& database_;
};

// $1 month start, $2 month end (instants), $3 month (date), $4 now, $5 question with %FOLIO%,
// $6 batch, $7 the month's name, $8 and $9 the titles of the yes and no buttons (their payloads
// carry the folio, so a tap answers the right boleta whatever came in between). Boletas that came from a channel SAC can write to; those staff captured are
// validated by phone (the monthly validation list). A concurrent run inserts nothing twice: the
// survey's primary key, and messages only for the rows this statement inserted.
constexpr Statement kSurveyBatch{
    "jobs.survey_batch",
    "WITH chosen AS ("
    "  SELECT b.id FROM boleta b JOIN inbox i ON i.id = b.source_inbox_id"
    "  WHERE b.status = 'atendida' AND b.attended_at >= $1 AND b.attended_at < $2"
    "    AND i.channel <> 'open311' AND i.sender_id <> ''"
    "    AND NOT EXISTS (SELECT 1 FROM survey s WHERE s.boleta_id = b.id)"
    // The citizen objected to surveys (oposición, src/privacy).
    "    AND NOT EXISTS (SELECT 1 FROM citizen c WHERE c.id = b.citizen_id"
    "                    AND c.opposed_at IS NOT NULL)"
    "  ORDER BY b.id LIMIT $6),"
    " surveyed AS ("
    "  INSERT INTO survey (boleta_id, month, citizen_id, sent_at)"
    "  SELECT b.id, $3::date, b.citizen_id, $4 FROM boleta b JOIN chosen c ON c.id = b.id"
    "  ON CONFLICT (boleta_id) DO NOTHING RETURNING boleta_id),"
    " sent AS ("
    "  INSERT INTO outbox (channel, account_id, recipient, citizen_id, boleta_id, purpose, body,"
    "    next_attempt_at, created_at, updated_at, template_params, buttons)"
    "  SELECT i.channel, coalesce(i.payload->>'account_id', ''), i.sender_id, b.citizen_id, b.id,"
    "    'encuesta', replace($5, '%FOLIO%', b.folio), $4, $4, $4,"
    "    jsonb_build_object('folio', b.folio, 'mes', $7::text),"
    "    jsonb_build_array("
    "      jsonb_build_object('payload', 'ENCUESTA|' || b.folio || '|SI', 'title', $8::text),"
    "      jsonb_build_object('payload', 'ENCUESTA|' || b.folio || '|NO', 'title', $9::text))"
    "  FROM surveyed s JOIN boleta b ON b.id = s.boleta_id JOIN inbox i ON i.id = b.source_inbox_id"
    "  RETURNING id) "
    "SELECT (SELECT count(*) FROM chosen), (SELECT count(*) FROM sent)"};

class MonthlySurvey final : public Job {
 public:
  MonthlySurvey(storage::Database& database, const workflow::LocalTime& local, int batch_size)
      : database_(database), local_(local), batch_size_(batch_size) {}
  std::string_view Name() const override { return "encuesta_mensual"; }

  Result<JobCounts> Run(TimePoint now) override {
    using namespace std::chrono;
    // The previous month, in Mazatlán.
    const year_month_day today(local_.LocalDate(now));
    const year_month this_month = today.year() / today.month();
    const year_month last_month = this_month - months(1);
    const workflow::Date first = sys_days(last_month / day(1));
    const workflow::Date next = sys_days(this_month / day(1));
    const std::string month_name =
        conversation::SpanishMonth(static_cast<unsigned>(last_month.month()));
    const std::string question = conversation::SurveyQuestion("%FOLIO%", month_name);
    JobCounts counts{{"boletas", 0}, {"preguntas", 0}};
    for (;;) {
      auto batch = database_.Transact([&](Tx& tx) -> std::int64_t {
        const auto row = tx.Exec(kSurveyBatch, {local_.StartOfDay(first), local_.StartOfDay(next),
                                                workflow::FormatDate(first), now, question,
                                                batch_size_, month_name,
                                                conversation::SurveyYesButton(),
                                                conversation::SurveyNoButton()})
                             .at(0);
        counts["preguntas"] += row.Int(1);
        if (row.Int(1) > 0) tx.Notify(outbox::kOutboxNotifyChannel);
        return row.Int(0);
      });
      if (!batch) return batch.error();
      counts["boletas"] += *batch;
      if (*batch < batch_size_) return counts;
    }
  }

 private:
  storage::Database& database_;
  const workflow::LocalTime& local_;
  int batch_size_;
};

constexpr Statement kExpireSurveys{
    "jobs.expire_surveys",
    "UPDATE survey SET answer = 'sin_respuesta', answered_at = $1 "
    "WHERE answer IS NULL AND sent_at < $1::timestamptz - $2::float8 * interval '1 second'"};

class SurveyExpiry final : public Job {
 public:
  SurveyExpiry(storage::Database& database, std::chrono::seconds window)
      : database_(database), window_(window) {}
  std::string_view Name() const override { return "encuesta_sin_respuesta"; }

  Result<JobCounts> Run(TimePoint now) override {
    auto expired = database_.Transact([&](Tx& tx) {
      return tx.Exec(kExpireSurveys, {now, static_cast<double>(window_.count())}).affected();
    });
    if (!expired) return expired.error();
    return JobCounts{{"sin_respuesta", *expired}};
  }

 private:
  storage::Database& database_;
  std::chrono::seconds window_;
};

}  // namespace

std::unique_ptr<Job> OverdueCheckInJob(storage::Database& database) {
  return std::make_unique<OverdueCheckIn>(database);
}

std::unique_ptr<Job> MonthlySurveyJob(storage::Database& database, const workflow::LocalTime& local,
                                      int batch_size) {
  return std::make_unique<MonthlySurvey>(database, local, batch_size);
}

std::unique_ptr<Job> SurveyExpiryJob(storage::Database& database,
                                     std::chrono::seconds answer_window) {
  return std::make_unique<SurveyExpiry>(database, answer_window);
}

namespace {

class AccessLogCheck final : public Job {
 public:
  explicit AccessLogCheck(storage::Database& database) : database_(database) {}
  std::string_view Name() const override { return "verificar_bitacora_accesos"; }

  Result<JobCounts> Run(TimePoint /*now*/) override {
    privacy::AccessLogCheck check;
    auto read = database_.Transact([&](Tx& tx) { check = privacy::VerifyAccessLog(tx); });
    if (!read) return read.error();
    if (check.first_broken) {
      return MakeError(Errc::kInternal, "la bitácora de accesos está alterada desde el registro " +
                                            std::to_string(*check.first_broken));
    }
    return JobCounts{{"registros", check.rows}};
  }

 private:
  storage::Database& database_;
};

}  // namespace

std::unique_ptr<Job> AccessLogCheckJob(storage::Database& database) {
  return std::make_unique<AccessLogCheck>(database);
}

namespace {

class Retention final : public Job {
 public:
  Retention(storage::Database& database, const media::MediaStore& media,
            const privacy::CancellationJournal& journal, const privacy::RetentionPeriods& periods)
      : database_(database), media_(media), journal_(journal), periods_(periods) {}
  std::string_view Name() const override { return "depuracion"; }

  Result<JobCounts> Run(TimePoint now) override {
    auto purged = privacy::ApplyRetention(database_, media_, journal_, periods_, now);
    if (!purged) return purged.error();
    return JobCounts{{"solicitudes_crudas", purged->raw_requests},
                     {"mensajes", purged->messages},
                     {"ciudadanos", purged->citizens},
                     {"boletas_sin_ciudadano", purged->ownerless_boletas},
                     {"archivos", purged->files}};
  }

 private:
  storage::Database& database_;
  const media::MediaStore& media_;
  const privacy::CancellationJournal& journal_;
  const privacy::RetentionPeriods periods_;
};

}  // namespace

std::unique_ptr<Job> RetentionJob(storage::Database& database, const media::MediaStore& media,
                                  const privacy::CancellationJournal& journal,
                                  const privacy::RetentionPeriods& periods) {
  return std::make_unique<Retention>(database, media, journal, periods);
}

}  // namespace sac::scheduler
