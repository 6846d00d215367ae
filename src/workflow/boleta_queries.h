// Reading boletas: a dependencia's list (filtered, keyset-paginated, most urgent first), one
// boleta with its timeline, and the daily follow-up list (the manual's "seguimiento diario").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"
#include "workflow/boleta_status.h"
#include "workflow/sla.h"

namespace sac::workflow {

struct BoletaSummary {
  std::int64_t id = 0;
  std::string folio;
  BoletaStatus status = BoletaStatus::kCanalizada;
  std::string dependencia_id;
  std::string categoria;
  std::string colonia;
  std::string text;  // the petition as the citizen wrote it
  std::optional<TimePoint> due_at;
  Standing standing = Standing::kOnTime;
  bool unread = false;
  std::optional<std::string> scheduled_for;  // YYYY-MM-DD
  TimePoint created_at;
  int inconformidades = 0;
  int status_version = 0;  // how many status changes so far: see StatusChange::seen_version
};

struct ListFilter {
  std::vector<BoletaStatus> statuses;  // empty: every status awaiting the dependencia
  std::string colonia;
  std::string categoria;
  std::optional<Standing> standing;
  std::string text;  // words to find in the petition (Spanish stemming)
};

struct Page {
  std::vector<BoletaSummary> items;
  std::optional<std::string> next_cursor;  // pass back to get the next page
};

inline constexpr int kMaxPageSize = 200;

// kInvalidArgument for a malformed cursor or limit.
Result<Page> ListForDependencia(storage::Tx& tx, const SlaClock& sla, TimePoint now,
                                const std::string& dependencia_id, const ListFilter& filter,
                                const std::optional<std::string>& cursor, int limit);

struct TimelineEntry {
  TimePoint at;
  std::string kind;
  std::string actor_kind;
  std::string actor;
  std::optional<std::string> from_status;
  std::optional<std::string> to_status;
  std::string detail;  // JSON object
  std::optional<std::string> note;  // the note's text, for events that point at one
};

struct MediaItem {
  std::string kind;
  std::string mime_type;
  std::string caption;
  std::string download_state;  // pending, stored, failed, blocked, too_large
};

struct BoletaDetail {
  BoletaSummary summary;
  std::string channel;
  std::string address_text;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string citizen_name;   // personal data: reading it is recorded in the bitácora
  std::string citizen_phone;
  std::string status_reason;
  std::vector<MediaItem> media;
  std::vector<TimelineEntry> timeline;
};

// The boleta with this folio, as its dependencia sees it; kNotFound when there is none. The
// caller checks who may see it.
Result<BoletaDetail> LoadBoleta(storage::Tx& tx, const SlaClock& sla, TimePoint now,
                                const std::string& folio);

struct FolioOwner {
  std::int64_t boleta_id = 0;
  std::string dependencia_id;  // "" while no dependencia holds it
};

// Who holds a folio — to tell "not yours" from "does not exist" in the audit log, never in an
// answer. nullopt when there is no such folio.
std::optional<FolioOwner> OwnerOfFolio(storage::Tx& tx, const std::string& folio);

struct FollowUpEntry {
  BoletaSummary boleta;
  bool overdue = false;       // vencida
  bool due_soon = false;      // por vencer
  bool unread_long = false;   // no leída for more than one business day
  bool disputed = false;      // en inconformidad
};

// Boletas that need a call today: vencidas, por vencer, no leídas for more than one business
// day, or in inconformidad. For one dependencia, or every one when `dependencia_id` is empty;
// ordered by dependencia, then deadline.
std::vector<FollowUpEntry> FollowUpList(storage::Tx& tx, const SlaClock& sla, TimePoint now,
                                        const std::string& dependencia_id);

}  // namespace sac::workflow
