// A staff web over a real database, wired as `sac serve` wires it (the municipal calendar, the SLA
// clock, the workflow, a media store, the router): for benchmarks that call its pages through the
// router, without the socket.
#pragma once

#include <filesystem>

#include "classify/classifier_holder.h"
#include "core/clock.h"
#include "http/router.h"
#include "media/media_store.h"
#include "storage/database.h"
#include "tests/support/testdata.h"
#include "web/staff_web.h"
#include "workflow/boleta_workflow.h"
#include "workflow/business_calendar.h"
#include "workflow/local_time.h"
#include "workflow/sla.h"

namespace sac::testing {

struct StaffWebStack {
  StaffWebStack(storage::Database& database, classify::ClassifierHolder& classifiers,
                const std::filesystem::path& media_dir)
      : calendar(*workflow::BusinessCalendar::Load(SourceDir() / "rules/calendario.toml")),
        local(*workflow::LocalTime::Load("America/Mazatlan")),
        sla(calendar, local),
        workflow(sla, clock),
        media(media_dir),
        staff(database, workflow, classifiers, sla, local, media, clock, web::SessionSettings{}) {
    staff.AddRoutes(router);
  }

  workflow::BusinessCalendar calendar;
  workflow::LocalTime local;
  workflow::SlaClock sla;
  SystemClock clock;
  workflow::BoletaWorkflow workflow;
  const media::MediaStore media;
  web::StaffWeb staff;
  http::Router router;
};

}  // namespace sac::testing
