// What every staff page shares: the document around its content (header with who is signed in
// and the sign-out button), the security headers, redirects, short messages, and form fields.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/http_message.h"
#include "core/result.h"
#include "web/html.h"
#include "web/staff_session.h"
#include "core/clock.h"
#include "observability/log.h"
#include "workflow/boleta_status.h"
#include "workflow/local_time.h"

namespace sac::web {

using Form = std::map<std::string, std::string, std::less<>>;

// Content-Security-Policy without inline scripts or styles, nosniff, no framing, no caching.
void SecureHeaders(HttpResponse& response);

// "Atención Ciudadana" for atencion_ciudadana, ...
const char* RoleName(std::string_view role);

// How staff read a boleta's channel: "WhatsApp", "Llamada telefónica", ...
std::string ChannelLabel(std::string_view channel);

// A Mexican number as people say it: "+526691234501" → "669 123 4501"; others as they are.
std::string PhoneForPeople(std::string_view e164);

// Dates as Mexicans write them, in Mazatlán: "30 de noviembre de 2026" and "…, 10:46".
std::string SpanishDay(const workflow::LocalTime& local, TimePoint instant);
std::string SpanishDayTime(const workflow::LocalTime& local, TimePoint instant);
// The instants queries give as extract(epoch …)::float8.
TimePoint FromEpoch(double seconds);

// The staff web's logger.
const log::Logger& StaffLog();

// A whole page; `session` null on pages for signed-out people.
HttpResponse Document(int status, std::string_view title, const Html& content,
                      const StaffSession* session);

// 303 See Other: after every successful POST (the browser's back button never re-posts).
HttpResponse Redirect(std::string location);

// After a POST: back to `path`, where DoneNotice says what was done.
HttpResponse RedirectDone(const std::string& path, std::string_view done);
// The "done" sentence of RedirectDone (empty when there is none).
Html DoneNotice(const HttpRequest& request);

// "87 %": a share in [0, 1] as people read it.
std::string Percent(double share);

// A page with a title and one sentence (errors, refusals).
HttpResponse Message(int status, std::string_view title, std::string_view text,
                     const StaffSession* session);

// The fields of an application/x-www-form-urlencoded body, or the plain (not file) fields of a
// multipart/form-data one; empty when malformed.
inline constexpr std::size_t kMaxMultipartParts = 40;
Form FormOf(const HttpRequest& request);
std::string Field(const Form& form, std::string_view name);

// The id in a query of exactly "<name>=<positive integer>" (the action URLs of row buttons);
// nullopt for anything else.
std::optional<std::int64_t> IdInQuery(std::string_view query, std::string_view name);

// <input type="hidden" name="csrf" value="..."> for the session's forms.
Html CsrfField(const StaffSession& session);

// <input type="hidden" name="version" value="..."> in a form that changes a boleta's status: the
// boleta's status_version when the page was drawn (workflow::StatusChange::seen_version).
Html SeenVersionField(int status_version);

// The version such a form sent back: nullopt when it sent none (a page drawn before the field
// existed: no check); kInvalidArgument when it is not a count.
Result<std::optional<int>> SeenVersionOf(const Form& form);

// The HTTP status a staff form's refused boleta change is answered with (kStale: 409, like any
// other clash with the boleta's state; the API answers it 412 for its If-Match).
int FormRefusalStatus(Errc code);

}  // namespace sac::web
