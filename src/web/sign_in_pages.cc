#include "web/sign_in_pages.h"

#include "crypto/digest.h"
#include "web/html.h"
#include "web/second_factor.h"
#include "web/staff_page.h"

namespace sac::web {
namespace {

Html LoginFormHtml(std::string_view token, std::string_view username, std::string_view error) {
  Html form;
  form.Markup("<section class=\"acceso\"><h1>Iniciar sesión</h1>");
  if (!error.empty()) form.Markup("<p class=\"error\" role=\"alert\">").Text(error).Markup("</p>");
  form.Markup("<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"csrf\"")
      .Attr("value", token)
      .Markup("><label>Usuario <input name=\"usuario\" autocomplete=\"username\" required")
      .Attr("value", username)
      .Markup(
          "></label><label>Contraseña <input name=\"contrasena\" type=\"password\" "
          "autocomplete=\"current-password\" required></label>"
          "<button type=\"submit\">Entrar</button></form></section>");
  return form;
}

}  // namespace

HttpResponse LoginPage(int status, std::string_view username, std::string_view error,
                       bool secure_cookie) {
  const std::string token = crypto::RandomToken(24);
  HttpResponse response =
      Document(status, "Iniciar sesión", LoginFormHtml(token, username, error), nullptr);
  response.headers.Add("Set-Cookie", std::string(kLoginCookie) + "=" + token +
                                         "; Path=/login; HttpOnly; SameSite=Strict" +
                                         (secure_cookie ? "; Secure" : ""));
  return response;
}

HttpResponse CodePage(int status, std::string_view error, std::string_view token) {
  Html form;
  form.Markup("<section class=\"acceso\"><h1>Código de verificación</h1>");
  if (!error.empty()) form.Markup("<p class=\"error\" role=\"alert\">").Text(error).Markup("</p>");
  form.Markup(
          "<p>Escribe el código de seis cifras que muestra ahora la aplicación de "
          "autenticación de tu teléfono.</p>"
          "<form method=\"post\" action=\"/login/codigo\"><input type=\"hidden\" name=\"csrf\"")
      .Attr("value", token)
      .Markup(
          "><label>Código <input name=\"codigo\" inputmode=\"numeric\" "
          "autocomplete=\"one-time-code\" pattern=\"[0-9 ]{6,7}\" maxlength=\"7\" required "
          "autofocus></label><button type=\"submit\">Entrar</button></form>"
          "<p><a href=\"/login\">Volver a empezar</a></p></section>");
  return Document(status, "Código de verificación", form, nullptr);
}

std::string StepCookie(std::string_view token, bool secure_cookie) {
  const auto seconds = std::chrono::seconds(kSignInStepLifetime).count();
  return std::string(kSignInStepCookie) + "=" + std::string(token) +
         "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(seconds) +
         (secure_cookie ? "; Secure" : "");
}

std::string ExpiredSignInCookie(std::string_view name) {
  return std::string(name) + "=; Path=/login; Max-Age=0";
}

}  // namespace sac::web
