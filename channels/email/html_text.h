// HTML mail → the text a person reads in it. HTML-only mail is common (webmail, phones); what
// the citizen wrote is in the visible text, not in the preheaders hidden with display:none, the
// tracking pixels, the styles or the scripts. Quoted replies (<blockquote>) come out as "> "
// lines so the reply trimmer treats them like plain-text quotes.
#pragma once

#include <string>
#include <string_view>

namespace sac::channels::email {

// `html` is UTF-8. Block elements end lines, entities are decoded, runs of spaces collapse.
// Linear in the input; malformed HTML is read as far as it makes sense.
std::string HtmlToText(std::string_view html);

}  // namespace sac::channels::email
