// Phone numbers as E.164, with Mexico's quirk: WhatsApp reports Mexican mobiles as 521 + 10
// digits while everyone else writes 52 + 10 digits. Normalising lets one citizen be recognised
// across channels; the raw id is kept for sending, because that is what the provider expects.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sac::channels {

// "5216691234501" → "+526691234501"; "+52 669 123 4501" → "+526691234501"; a national number
// as people type it ("669 123 4501", "044 669 123 4501") → "+526691234501"; other countries
// keep their digits. nullopt when it is not a plausible phone number.
std::optional<std::string> NormalizePhone(std::string_view raw);

}  // namespace sac::channels
