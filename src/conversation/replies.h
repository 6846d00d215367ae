// What SAC says to citizens, in plain Mexican Spanish. Every citizen-facing text lives here, so
// wording changes never touch the logic that decides when to say it.
#pragma once

#include <string>
#include <string_view>

namespace sac::conversation {

// A new petition has a folio and waits for staff to route it.
std::string BoletaRegistered(std::string_view folio);

// We cannot read this kind of message (sticker packs, contact cards, unknown types).
std::string UnsupportedMessage();

// The citizen answered a survey or question about an existing boleta.
std::string NoteAdded(std::string_view folio);

}  // namespace sac::conversation
