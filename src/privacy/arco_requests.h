// ARCO requests as cases with the law's clock (LGPDPPSO art. 51): the municipality answers an
// access, rectification, cancellation or opposition request within 20 business days of receiving
// it, extendable once by 10 when justified. The clock runs on the municipality's calendar
// (rules/calendario.toml), like a boleta's. A request is "por vencer" from its 15th business day
// (5 or fewer left; reliability goal P1) and "vencida" after its deadline; /metrics counts both
// and deploy/prometheus alerts on them.
//
// A request closes when the official carries it out (`sac citizen export|rectify|oppose|cancel
// --solicitud N`: the action is the answer) or declares it improcedente with the reason. What
// SAC records is the case — kind, dates, citizen, outcome — never the data itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"
#include "workflow/business_calendar.h"

namespace sac::privacy {

inline constexpr int kArcoAnswerBusinessDays = 20;
inline constexpr int kArcoExtensionBusinessDays = 10;
inline constexpr int kArcoDueSoonBusinessDays = 5;  // "por vencer" from the 15th day of 20

struct ArcoRequest {
  std::int64_t id = 0;
  std::string kind;  // acceso, rectificacion, cancelacion, oposicion
  std::optional<std::int64_t> citizen_id;
  workflow::Date received_on{};
  workflow::Date due_on{};
  workflow::Date warn_on{};  // "por vencer" from this day (5 business days before due_on)
  bool extended = false;
};

// Registers a request received on `received_on` (a local date; today when the official types it
// in as it arrives). `citizen_id` may be unknown yet (a request by letter from someone SAC has
// never heard from). kInvalidArgument for an unknown kind or a date in the future.
Result<ArcoRequest> OpenArcoRequest(storage::Tx& tx, const workflow::BusinessCalendar& calendar,
                                    std::string_view kind, std::optional<std::int64_t> citizen_id,
                                    workflow::Date received_on, workflow::Date today,
                                    const std::string& actor);

// The one extension the law allows: 10 more business days after the first deadline, decided
// within the first (the requester must be told before it runs out). kConflict when already
// extended, closed or overdue on `today`; kNotFound for an unknown id.
Result<ArcoRequest> ExtendArcoRequest(storage::Tx& tx, const workflow::BusinessCalendar& calendar,
                                      std::int64_t id, const std::string& reason,
                                      const std::string& actor, workflow::Date today, TimePoint now);

// Closed as improcedente (e.g. the requester could not prove who they are), with the reason.
Status RefuseArcoRequest(storage::Tx& tx, std::int64_t id, const std::string& reason,
                         const std::string& actor, TimePoint now);

// The request an ARCO action carries out: it must be open and of the same kind, and about this
// citizen (or about nobody yet: it becomes theirs). Closes it as atendida. Call it in the action's
// transaction.
Status CarryOutArcoRequest(storage::Tx& tx, std::int64_t id, std::string_view kind,
                           std::int64_t citizen_id, const std::string& actor, TimePoint now);

// Where an open request stands on `today`, from its stored dates — the same rule /metrics counts
// with (src/app/ops_endpoints.cc).
enum class ArcoStanding { kOnTime, kDueSoon, kOverdue };  // a tiempo, por vencer, vencida
ArcoStanding StandingOf(const ArcoRequest& request, workflow::Date today);

struct OpenArcoCase {
  ArcoRequest request;
  ArcoStanding standing = ArcoStanding::kOnTime;
  int business_days_left = 0;  // for reading: negative when overdue
};
// Open requests, the nearest deadline first.
std::vector<OpenArcoCase> OpenArcoRequests(storage::Tx& tx,
                                           const workflow::BusinessCalendar& calendar,
                                           workflow::Date today);

}  // namespace sac::privacy
