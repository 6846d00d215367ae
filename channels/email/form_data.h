// multipart/form-data (RFC 7578) bodies, as SendGrid's Inbound Parse and Mailgun (when a mail has
// attachments) post them. Strict about structure, byte-exact about content: a field's bytes are
// returned as sent, in whatever charset, for the caller to decode.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sac::channels::email {

struct FormField {
  std::string name;
  std::string filename;      // set for file fields (attachments)
  std::string content_type;  // as sent, may be empty
  std::string value;         // exact bytes
};

// The boundary parameter of a multipart Content-Type header value; "" when there is none.
std::string MultipartBoundary(std::string_view content_type);

// kInvalidArgument when the body is not multipart/form-data with this boundary, or has more than
// `max_fields` fields.
Result<std::vector<FormField>> ParseFormData(std::string_view body, std::string_view boundary,
                                             std::size_t max_fields = 256);

// The first field called `name`, or nullptr.
const FormField* FindField(const std::vector<FormField>& fields, std::string_view name);

}  // namespace sac::channels::email
