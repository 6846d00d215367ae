// The pipeline: worker threads inside `sac serve` that turn committed inbox rows into boletas,
// notes and replies. Woken by NOTIFY, polling as a fallback.
//
// Each row is handled in three short transactions:
//   1. claim  — FOR UPDATE SKIP LOCKED picks the oldest due row, counts the attempt and pushes
//               next_attempt_at out by the backoff; a worker that dies after this loses nothing:
//               the row is due again when the backoff passes.
//   2. work   — locks the row, checks it is still pending, runs the InboxProcessor and marks the
//               row processed/ignored, all in one transaction: a crash mid-way rolls it all back.
//   3. record — only on failure: keeps the error; after max_attempts the row is quarantined.
// A poison row therefore never blocks the others, and never loops forever.
#pragma once

#include "core/clock.h"
#include "core/inbox_item.h"
#include "core/polling_workers.h"
#include "core/result.h"
#include "storage/database.h"

namespace sac {
class Metrics;
}

namespace sac::intake {

class InboxProcessor {
 public:
  virtual ~InboxProcessor() = default;
  // Does everything an inbox row implies inside `tx`. An error rolls it all back and counts as
  // a failed attempt.
  virtual Result<ProcessOutcome> Process(storage::Tx& tx, const InboxItem& item) = 0;
};

class Pipeline {
 public:
  Pipeline(storage::Database& database, InboxProcessor& processor, QueueSettings settings,
           const Clock& clock, Metrics& metrics);
  ~Pipeline();

  void Start();
  void Stop();
  void Wake();

  // Claims and handles at most one due row; true when there was one. Errors are database
  // failures of the claim itself.
  Result<bool> RunOnce();

 private:
  storage::Database& database_;
  InboxProcessor& processor_;
  QueueSettings settings_;
  const Clock& clock_;
  Metrics& metrics_;
  PollingWorkers workers_;
};

}  // namespace sac::intake
