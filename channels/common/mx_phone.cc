#include "channels/common/mx_phone.h"

#include <cctype>

namespace sac::channels {

std::optional<std::string> NormalizePhone(std::string_view raw) {
  std::string digits;
  for (const char c : raw) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return std::nullopt;
    }
  }
  if (digits.size() == 13 && digits.starts_with("521")) {
    digits.erase(2, 1);  // the mobile "1" Mexico dropped in 2019; WhatsApp still sends it
  }
  if (digits.size() < 8 || digits.size() > 15) {  // E.164 allows at most 15 digits
    return std::nullopt;
  }
  return "+" + digits;
}

}  // namespace sac::channels
