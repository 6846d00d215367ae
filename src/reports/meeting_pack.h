// The pack for the monthly meeting of directors and enlaces (the manual's "reunión mensual"):
// per dependencia, what it still has — overdue boletas by how late they are, the ones nobody has
// read, and the rest of its pending work — each with its age in business days, plus the month's
// figures so far. Read once, shown on screen (src/web/meeting.cc) and printed as PDF
// (meeting_pack_pdf.h) from the same data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "storage/database.h"
#include "workflow/boleta_status.h"
#include "workflow/local_time.h"
#include "workflow/sla.h"

namespace sac::reports {

struct MeetingBoleta {
  std::int64_t id = 0;
  std::string folio;
  workflow::BoletaStatus status = workflow::BoletaStatus::kCanalizada;
  std::string categoria;
  std::string colonia;
  std::string text;                // the petition (personal data: its view is logged)
  TimePoint routed_at;             // the last canalizar, reasignar or inconformidad
  TimePoint due_at;
  workflow::Standing standing = workflow::Standing::kOnTime;
  int business_days_held = 0;      // since routed
  int business_days_overdue = 0;   // 0 unless vencida
  bool unread = false;
  int business_days_unread = 0;    // since "no leída" was raised
  int inconformidades = 0;
};

struct MeetingSection {
  std::string dependencia_id;
  std::string dependencia_name;
  // Partitioned: a vencida boleta is under `overdue` even when unread (it is marked so).
  std::vector<MeetingBoleta> overdue;   // most days late first
  std::vector<MeetingBoleta> unread;    // not overdue, longest unread first
  std::vector<MeetingBoleta> pending;   // the rest, earliest deadline first
  int unread_total = 0;                 // unread ones, overdue or not
  int due_soon = 0;
  int in_dispute = 0;
  // This month so far: attended, and of those, attended by their deadline.
  int attended_this_month = 0;
  int attended_on_time_this_month = 0;

  int PendingTotal() const {
    return static_cast<int>(overdue.size() + unread.size() + pending.size());
  }
};

struct MeetingPack {
  TimePoint as_of;
  std::vector<MeetingSection> sections;  // by dependencia name
};

// The pack for these dependencias (every active one when empty), at `now`.
MeetingPack LoadMeetingPack(storage::Tx& tx, const workflow::SlaClock& sla,
                            const workflow::LocalTime& local, TimePoint now,
                            const std::vector<std::string>& dependencias);

}  // namespace sac::reports
