// multipart/form-data bodies (RFC 7578): the forms of the staff web that carry files (a photo
// taken at a capture). The parts point into the body, which must outlive them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sac::http {

struct MultipartPart {
  std::string name;          // the form field
  std::string filename;      // "" for a plain field
  std::string content_type;  // as the browser said (never trusted for what a file is)
  std::string_view data;
};

// The boundary of a "multipart/form-data; boundary=..." Content-Type; "" when it is not one.
std::string MultipartBoundary(std::string_view content_type);

// kInvalidArgument for a body that does not follow the boundary structure, a part without a
// name, or more than `max_parts` parts.
Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type,
                                                  std::string_view body, std::size_t max_parts);

}  // namespace sac::http
