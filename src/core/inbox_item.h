// An inbox row claimed by the pipeline, and how its processing ended.
#pragma once

#include <cstdint>
#include <string>

namespace sac {

enum class InboxKind { kMessage, kDelivery, kUnhandled };

struct InboxItem {
  std::int64_t id = 0;
  std::string channel;
  InboxKind kind = InboxKind::kMessage;
  int attempts = 0;      // including the current one
  std::string payload;   // JSON written by intake/inbox_codec
};

struct ProcessOutcome {
  enum class State { kProcessed, kIgnored };
  State state = State::kProcessed;
  std::string detail;  // what was done, or why nothing was: stored in inbox.outcome, no PII

  static ProcessOutcome Processed(std::string detail) { return {State::kProcessed, std::move(detail)}; }
  static ProcessOutcome Ignored(std::string reason) { return {State::kIgnored, std::move(reason)}; }
};

}  // namespace sac
