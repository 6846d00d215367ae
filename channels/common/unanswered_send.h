// What a send that got no HTTP answer means. A connection that could not be made sent nothing:
// try again. Anything later (a timeout, a connection dropped while waiting) may have reached the
// provider, who may have accepted it: the outcome is unknown, and sending again could make the
// citizen read the reply twice (see SendOutcome::Kind::kUnknown). Except in the middle of a reply
// sent in pieces: some of it surely went, and the whole is sent again — better twice than half.
#pragma once

#include <cstddef>

#include "core/outbound.h"
#include "core/result.h"

namespace sac::channels {

// `pieces_sent`: how many earlier pieces of the same reply the provider accepted.
SendOutcome OutcomeOfUnansweredSend(const Error& error, std::size_t pieces_sent = 0);

}  // namespace sac::channels
