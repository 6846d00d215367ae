// The jobs the scheduler runs (src/scheduler/scheduler.h), each idempotent:
//
//   OverdueCheckInJob   boletas past their deadline and not attended: the citizen is told the
//                       office is following it, the bitácora records it (staff see it in the
//                       follow-up list); once per boleta (boleta.checkin_sent_at).
//   MonthlySurveyJob    every boleta attended in the previous month (Mazatlán time) and not yet
//                       asked gets the satisfaction question on its channel, exactly once per
//                       boleta (the survey table's primary key), in batches.
//   SurveyExpiryJob     questions unanswered after the answer window are recorded "sin respuesta".
//   AccessLogCheckJob   recomputes the access log's hash chain (src/privacy/access_log.h); a
//                       broken chain fails the run, which is logged and kept in job_run.
//   RetentionJob        empties or cancels personal data past its retention period
//                       (src/privacy/retention.h).
#pragma once

#include <chrono>
#include <memory>

#include "media/media_store.h"
#include "privacy/retention.h"
#include "scheduler/scheduler.h"
#include "storage/database.h"
#include "workflow/local_time.h"

namespace sac::scheduler {

std::unique_ptr<Job> OverdueCheckInJob(storage::Database& database);
std::unique_ptr<Job> MonthlySurveyJob(storage::Database& database, const workflow::LocalTime& local,
                                      int batch_size = 1000);
std::unique_ptr<Job> SurveyExpiryJob(storage::Database& database,
                                     std::chrono::seconds answer_window);
std::unique_ptr<Job> AccessLogCheckJob(storage::Database& database);
std::unique_ptr<Job> RetentionJob(storage::Database& database, const media::MediaStore& media,
                                  const privacy::CancellationJournal& journal,
                                  const privacy::RetentionPeriods& periods);

}  // namespace sac::scheduler
