#include "channels/common/mx_phone.h"

#include <cctype>

namespace sac::channels {

std::optional<std::string> NormalizePhone(std::string_view raw) {
  std::string digits;
  const bool international = raw.find('+') != std::string_view::npos;
  for (const char c : raw) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return std::nullopt;
    }
  }
  if (!international) {
    // Written the way Mexicans dial at home: ten digits, once with 044/045 (mobile) or 01.
    if (digits.size() == 13 && (digits.starts_with("044") || digits.starts_with("045"))) {
      digits.erase(0, 3);
    } else if (digits.size() == 12 && digits.starts_with("01")) {
      digits.erase(0, 2);
    }
    if (digits.size() == 10) digits.insert(0, "52");
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
