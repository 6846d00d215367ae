// The pages of signing in, before there is a session: the username and password form, and the
// code from the authenticator app that comes after it when the account has a second factor.
// Both carry the sign-in's CSRF token, double-submitted: a cookie scoped to /login and a field.
#pragma once

#include <string>
#include <string_view>

#include "core/http_message.h"

namespace sac::web {

inline constexpr std::string_view kLoginCookie = "sac_acceso";  // the sign-in forms' CSRF token

// The username and password form with a fresh CSRF token (its cookie set); `error` above it.
HttpResponse LoginPage(int status, std::string_view username, std::string_view error,
                       bool secure_cookie);

// The code form, posting to /login/codigo with the sign-in's CSRF token `token`.
HttpResponse CodePage(int status, std::string_view error, std::string_view token);

// The cookie of a sign-in step (web/second_factor.h): /login only, gone after five minutes.
std::string StepCookie(std::string_view token, bool secure_cookie);

// A Set-Cookie value that removes the sign-in cookie `name`.
std::string ExpiredSignInCookie(std::string_view name);

}  // namespace sac::web
