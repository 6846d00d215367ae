// What a send that got no HTTP answer means. A connection that could not be made sent nothing:
// try again. Anything later (a timeout, a connection dropped while waiting) may have reached the
// provider, who may have accepted it: the outcome is unknown, and sending again could make the
// citizen read the reply twice (see SendOutcome::Kind::kUnknown).
#pragma once

#include "core/outbound.h"
#include "core/result.h"

namespace sac::channels {

SendOutcome OutcomeOfUnansweredSend(const Error& error);

}  // namespace sac::channels
