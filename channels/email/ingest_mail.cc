#include "channels/email/ingest_mail.h"

#include <iostream>

#include "channels/email/email_intake.h"
#include "channels/email/email_reader.h"
#include "channels/email/mime_limits.h"
#include "core/inbound.h"
#include "media/media_store.h"
#include "observability/log.h"
#include "storage/database.h"

namespace sac::channels::email {
namespace {

constexpr std::string_view kSource = "ingest-mail";

const log::Logger& Log() {
  static const log::Logger logger("email");
  return logger;
}

struct Input {
  std::string kept;         // at most the limit
  std::size_t received = 0;  // all of it, counted
};

// Reads the whole message but keeps only `limit` bytes: a bigger one is still read to the end,
// so Postfix sees it consumed, and its size is known.
Input ReadAll(std::istream& in, std::size_t limit) {
  Input input;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    const auto count = static_cast<std::size_t>(in.gcount());
    input.received += count;
    if (input.kept.size() < limit) input.kept.append(buffer, std::min(count, limit - input.kept.size()));
  }
  return input;
}

int TempFail(const std::string& why) {
  std::cerr << "sac: mail deferred: " << why << "\n";
  return kExitTempFail;
}

}  // namespace

int IngestMail(std::istream& in, const Config& config) {
  const EmailConfig& email = config.channels.email;
  const MimeLimits limits = LimitsOf(email);
  const Input input = ReadAll(in, limits.max_bytes);
  if (!email.enabled) return TempFail("channels.email is not enabled in the configuration");
  if (config.database.url.empty()) return TempFail("no database configured (SAC_DATABASE_URL)");

  storage::Database database({config.database.url, 1, config.database.acquire_timeout,
                              config.database.connect_timeout, config.database.statement_timeout});
  const media::MediaStore media(config.media.dir);
  const SystemClock clock;
  const EmailIntake intake(database, media, clock);

  // Unreadable or too big: kept for a person to look at, and bounced to the sender by Postfix.
  const auto quarantine = [&](const std::string& reason) {
    if (auto kept = intake.Quarantine(input.kept, input.received, kSource, reason); !kept) {
      return TempFail("cannot quarantine it now: " + kept.error().message);
    }
    Log().Warn("mail quarantined", {{"source", kSource}, {"reason", reason},
                                    {"bytes", input.received}});
    std::cerr << "sac: mail refused and quarantined: " << reason << "\n";
    return kExitDataError;
  };
  // Too big to keep whole (an attachment of tens of MB): what its first bytes hold whole is kept
  // — the text comes first — and the attachment they ran out in is on record as too large.
  std::string_view raw = input.kept;
  std::string whole_parts;
  const bool cut_short = input.received > limits.max_bytes;
  if (cut_short) {
    auto whole = WholePartsOf(input.kept, limits);
    if (!whole) {
      return quarantine(std::string(kOverLimits) + "larger than " + std::to_string(limits.max_bytes) +
                        " bytes (the first ones are kept)");
    }
    whole_parts = std::move(*whole);
    raw = whole_parts;
  }
  auto mail = ReadMimeMail(raw, limits, OwnMailboxOf(email));
  if (!mail) return quarantine(mail.error().message);
  if (cut_short && !mail->parsed.messages.empty()) {
    Media missing;
    missing.provider_media_id = std::string(kTooLargeMediaId);
    missing.kind = MessageType::kDocument;
    missing.too_large = true;
    InboundMessage& message = mail->parsed.messages[0];
    message.media.push_back(std::move(missing));
    // Only the subject came whole (the cut fell in the first part): still a petition, with a file.
    if (message.type == MessageType::kUnsupported) message.type = MessageType::kDocument;
  }

  auto stored = intake.Store(*mail, raw);
  if (!stored) return TempFail(stored.error().message);
  Log().Info("mail stored", {{"provider", "pipe"},
                             {"messages", mail->parsed.messages.size()},
                             {"updates", mail->parsed.updates.size()},
                             {"attachments", mail->files.size()},
                             {"cut_short_bytes", cut_short ? input.received : 0},
                             {"duplicate", *stored == StoreOutcome::kDuplicate}});
  return kExitDelivered;
}

}  // namespace sac::channels::email
