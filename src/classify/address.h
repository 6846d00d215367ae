// The street part of a location, kept as free text for the dependencia's crew: "calle X",
// "entre X y Y", "esquina con X", "frente a X", "numero 12", "cerca de X". Read from the
// normalised message; several pieces are joined with "; ".
#pragma once

#include <string>
#include <string_view>

namespace sac::classify {

std::string ExtractAddress(std::string_view normalized);

}  // namespace sac::classify
