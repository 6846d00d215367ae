// InboxWriter: the durable half of a webhook. A transaction stores the raw request and one inbox
// row per message or delivery update (deduplicated by the provider's id under a UNIQUE
// constraint), then commits; only after that does the webhook answer 200.
//
// Group commit: webhooks that arrive while the previous commit is in flight wait for the next
// one, and that one transaction stores all of them in a single statement. Each caller still gets
// its own answer, only after the commit that holds its rows; at low load a group is one webhook
// and nothing waits. Commits happen on the writer's own committer thread(s): a caller queues its
// webhook and is called back, so nobody holds a thread just to wait. A group the database refuses for one webhook's sake (not for being down) is
// retried webhook by webhook, so one bad payload costs only its own provider a 503.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/inbound.h"
#include "core/result.h"
#include "storage/database.h"

namespace sac {
class Metrics;
}

namespace sac::intake {

inline constexpr std::string_view kInboxNotifyChannel = "sac_inbox";

struct StoreSummary {
  int stored = 0;      // new inbox rows
  int duplicates = 0;  // already stored by an earlier delivery
};

// A citizen's cancellation rewrites their dedupe keys as salted hashes (privacy/citizen_rights).
// A webhook stored at that moment must see either the old keys or the hashes, never neither:
// every store holds this lock shared and a cancellation holds it exclusively, each until its
// transaction ends. Call it first in the transaction, before any statement reads the inbox.
void ExcludeInboxStores(storage::Tx& tx);

// The same, for one message, inside the caller's transaction (an API that must record more in
// the same commit, like Open311's token): the new inbox row's id, or nullopt when its dedupe key
// is already there (the caller decides whether to keep the raw request). Queues the pipeline's
// wake-up for the commit.
std::optional<std::int64_t> StoreMessage(storage::Tx& tx, std::string_view channel,
                                         std::string_view raw_body, const InboundMessage& message,
                                         TimePoint now);

// What InboxWriter::Store writes (the raw request and one row per message or update), inside the
// caller's transaction, for a channel that must record more in the same commit (e-mail's replay
// tokens). When every item is a duplicate the caller should roll back, as Store does.
StoreSummary StoreParsed(storage::Tx& tx, std::string_view channel, std::string_view raw_body,
                         const ParsedWebhook& parsed, TimePoint now);

// Called once, on a committer thread, with what became of one webhook.
using StoreDone = std::function<void(Result<StoreSummary>)>;

struct InboxWriterSettings {
  std::size_t max_group = 256;  // the most webhooks one commit holds
  // Threads committing groups, each with its own transaction (one keeps a single commit in
  // flight while the next group forms).
  int committers = 1;
  // Webhooks waiting for a commit are refused (kUnavailable: 503, the provider retries) beyond
  // these: when the database stalls, memory stays bounded and providers learn it at once.
  std::size_t max_queued = 4096;
  std::size_t max_queued_bytes = 64 * 1024 * 1024;  // of raw bodies
};

class InboxWriter {
 public:
  // `metrics` (may be null) sees each group's size.
  InboxWriter(storage::Database& database, const Clock& clock, Metrics* metrics = nullptr,
              InboxWriterSettings settings = {});
  ~InboxWriter();  // Stop()s
  InboxWriter(const InboxWriter&) = delete;
  InboxWriter& operator=(const InboxWriter&) = delete;

  // Queues one webhook for the next group commit and returns at once; `done` is called after the
  // commit that holds its rows — ok means durable (synchronous commit) — or with why it is not
  // stored: kUnavailable/kTimeout mean answer 503 so the provider retries. When every item is a
  // duplicate nothing at all is written, the raw request included. `channel` and `raw_body` must
  // stay valid until `done` is called. A webhook with no items, or one that finds the queue full,
  // is done at once, on this thread.
  // This is what lets an HTTP server's io thread take in webhooks without a thread waiting for
  // each commit.
  void Submit(std::string_view channel, std::string_view raw_body, const ParsedWebhook& parsed,
              StoreDone done);

  // Submit, and wait for the outcome. Thread-safe: concurrent callers share commits.
  Result<StoreSummary> Store(std::string_view channel, std::string_view raw_body,
                             const ParsedWebhook& parsed);

  // Commits and answers what is still queued, then stops the committers; later webhooks are
  // answered kUnavailable at once. Call it once nothing can still expect a webhook's answer to
  // be delivered except through what it holds (after the HTTP server stopped).
  void Stop();

  struct GroupStats {
    std::uint64_t groups = 0;    // transactions tried
    std::uint64_t webhooks = 0;  // webhooks in them
  };
  GroupStats stats() const;
  std::size_t waiting() const;  // webhooks queued for the next group

 private:
  struct Pending;
  void CommitLoop();
  std::vector<Result<StoreSummary>> CommitGroup(const std::vector<Pending*>& group);
  Status InsertGroup(const std::vector<Pending*>& group);
  std::string Salt(storage::Tx& tx);

  storage::Database& database_;
  const Clock& clock_;
  Metrics* metrics_;
  const InboxWriterSettings settings_;

  mutable std::mutex mutex_;
  std::condition_variable queued_;               // a webhook was queued, or stopping
  std::deque<std::unique_ptr<Pending>> waiting_;  // not yet in a group
  std::size_t waiting_bytes_ = 0;                 // their raw bodies
  bool stopping_ = false;
  GroupStats stats_;
  std::string salt_;  // of the dedupe hashes, read on the first commit
  std::vector<std::thread> committers_;
};

}  // namespace sac::intake
