// Errors of the JSON API as RFC 9457 problem objects:
//   {"type":"about:blank","title":"No encontrado","status":404,"detail":"no existe la boleta"}
#pragma once

#include <string_view>

#include "core/http_message.h"
#include "core/result.h"

namespace sac::web {

HttpResponse Problem(int status, std::string_view detail);

// The HTTP status an error code means for an API client.
int HttpStatusFor(Errc code);

HttpResponse ProblemFor(const Error& error);

}  // namespace sac::web
