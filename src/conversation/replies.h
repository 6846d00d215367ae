// What SAC says to citizens, in plain Mexican Spanish. Every citizen-facing text lives here, so
// wording changes never touch the logic that decides when to say it.
#pragma once

#include <string>
#include <string_view>

namespace sac::conversation {

// A new petition has a folio and waits for staff to route it.
std::string BoletaRegistered(std::string_view folio);

// A new petition the rules engine routed at once.
std::string BoletaRouted(std::string_view folio, std::string_view dependencia_name,
                         int business_days);

// A new petition that is not the municipality's: who attends it, and that the office follows it.
std::string BoletaExternal(std::string_view folio, std::string_view contact);

// The citizen opened the conversation (Telegram /start, Messenger "Empezar").
std::string Welcome();

// The citizen shared their own phone number (Telegram): their reports on every channel are one.
std::string PhoneLinked();

// We cannot read this kind of message (sticker packs, contact cards, unknown types).
std::string UnsupportedMessage();

// The citizen wrote again about an existing boleta (a reply, its folio, a survey answer).
std::string NoteAdded(std::string_view folio);

// Staff found the same petition already registered: the citizen follows the original.
std::string MarkedDuplicate(std::string_view folio, std::string_view original_folio);

}  // namespace sac::conversation
