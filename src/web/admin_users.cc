// Administración, the accounts: who may sign in, with which role, and for an enlace which
// dependencias they answer for. New accounts and reset passwords get a random first password
// shown once on this page (to hand over in person) and changed at first sign-in; disabling or
// resetting an account ends its sessions at once. An administrator cannot disable their own
// account (nobody would be left to undo it).
#include <algorithm>

#include "http/query.h"
#include "web/second_factor.h"
#include "web/staff_accounts.h"
#include "web/staff_page.h"
#include "web/staff_web.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr Statement kUsers{
    "admin.users",
    "SELECT u.username, u.display_name, u.role, u.active, u.must_change_password,"
    "  coalesce((SELECT string_agg(d.name, ', ' ORDER BY d.name) FROM staff_user_dependencia b"
    "            JOIN dependencia d ON d.id = b.dependencia_id WHERE b.user_id = u.id), ''),"
    "  coalesce((SELECT string_agg(b.dependencia_id, ',') FROM staff_user_dependencia b"
    "            WHERE b.user_id = u.id), ''),"
    "  (SELECT extract(epoch FROM max(s.created_at))::float8 FROM staff_session s"
    "     WHERE s.user_id = u.id),"
    "  u.totp_enabled_at IS NOT NULL "
    "FROM staff_user u ORDER BY u.active DESC, u.role, u.username"};
constexpr Statement kDependencias{"admin.users_dependencias",
                                  "SELECT id, name FROM dependencia WHERE active ORDER BY name"};

// The values of every field called `name` (a multiple select sends one per choice).
std::vector<std::string> AllOf(const std::vector<std::pair<std::string, std::string>>& fields,
                               std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [field, value] : fields) {
    if (field == name && !value.empty()) values.push_back(value);
  }
  return values;
}

std::string FirstOf(const std::vector<std::pair<std::string, std::string>>& fields,
                    std::string_view name) {
  const auto values = AllOf(fields, name);
  return values.empty() ? std::string() : values.front();
}

Html DependenciaOptions(const std::vector<std::pair<std::string, std::string>>& all,
                        const std::vector<std::string>& chosen) {
  Html options;
  for (const auto& [id, name] : all) {
    options.Markup("<option").Attr("value", id);
    if (std::find(chosen.begin(), chosen.end(), id) != chosen.end()) options.Markup(" selected");
    options.Markup(">").Text(name).Markup("</option>");
  }
  return options;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto comma = text.find(',', start);
    const auto end = comma == std::string::npos ? text.size() : comma;
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

HttpResponse StaffWeb::AdminUsers(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  (void)request;
  return UsersPage(tx, 200, session, "", "");
}

HttpResponse StaffWeb::UsersPage(Tx& tx, int status, const StaffSession& session,
                                 std::string_view notice, std::string_view problem) {
  std::vector<std::pair<std::string, std::string>> dependencias;
  {
    const auto rows = tx.Exec(kDependencias, {});
    for (std::size_t i = 0; i < rows.size(); ++i) dependencias.emplace_back(rows[i].Text(0), rows[i].Text(1));
  }
  Html content;
  content.Markup("<h1>Usuarios</h1>");
  if (!notice.empty()) {
    content.Markup("<div class=\"hecho\" role=\"status\">").Text(notice).Markup("</div>");
  }
  if (!problem.empty()) {
    content.Markup("<p class=\"error\" role=\"alert\">").Text(problem).Markup("</p>");
  }

  content.Markup("<form class=\"ficha-alta\" method=\"post\" action=\"/admin/usuarios\">")
      .Append(CsrfField(session))
      .Markup("<fieldset><legend>Nueva cuenta</legend>"
              "<label>Usuario <input name=\"usuario\" required pattern=\"[a-z0-9._\\-]{3,64}\" "
              "autocomplete=\"off\" placeholder=\"maria.lopez\"></label>"
              "<label>Nombre <input name=\"nombre\" required maxlength=\"120\"></label>"
              "<label>Rol <select name=\"rol\" required>"
              "<option value=\"atencion_ciudadana\">Atención Ciudadana</option>"
              "<option value=\"enlace\">Enlace de dependencia</option>"
              "<option value=\"director\">Dirección</option>"
              "<option value=\"administrador\">Administración</option></select></label>"
              "<label>Dependencias (solo enlaces) <select name=\"dependencia\" multiple size=\"5\">")
      .Append(DependenciaOptions(dependencias, {}))
      .Markup("</select></label><button type=\"submit\">Crear cuenta</button></fieldset></form>");

  const auto users = tx.Exec(kUsers, {});
  content.Markup("<table class=\"lista\"><thead><tr><th>Usuario</th><th>Nombre</th><th>Rol</th>"
                 "<th>Dependencias</th><th>Estado</th><th>Dos pasos</th><th>Última sesión</th>"
                 "<th>Acciones</th></tr>"
                 "</thead><tbody>");
  for (std::size_t i = 0; i < users.size(); ++i) {
    const auto row = users[i];
    const std::string username = row.Text(0);
    const bool active = row.Bool(3);
    const std::string action = "/admin/usuarios/" + username;
    content.Markup("<tr><td><code>").Text(username).Markup("</code></td><td>").Text(row.Text(1))
        .Markup("</td><td>").Text(RoleName(row.Text(2))).Markup("</td><td>");
    if (row.Text(2) == "enlace") {
      content.Markup("<form class=\"en-linea\" method=\"post\"").Attr("action", action).Markup(">")
          .Append(CsrfField(session))
          .Markup("<input type=\"hidden\" name=\"accion\" value=\"dependencias\">"
                  "<select name=\"dependencia\" multiple size=\"3\"")
          .Attr("aria-label", "Dependencias de " + username).Markup(">")
          .Append(DependenciaOptions(dependencias, SplitCommas(row.Text(6))))
          .Markup("</select><button type=\"submit\">Guardar</button></form>");
    } else {
      content.Markup("—");
    }
    content.Markup("</td><td>")
        .Text(!active ? "desactivada" : row.Bool(4) ? "activa (falta cambiar contraseña)" : "activa")
        .Markup("</td><td>")
        .Text(row.Bool(8) ? "activa" : "no")
        .Markup("</td><td>")
        .Text(row.IsNull(7) ? "—" : SpanishDayTime(local_, FromEpoch(row.Double(7))))
        .Markup("</td><td><form class=\"en-linea\" method=\"post\"").Attr("action", action).Markup(">")
        .Append(CsrfField(session))
        .Markup("<input type=\"hidden\" name=\"accion\" value=\"restablecer\"><button type=\"submit\">")
        .Text(active ? "Nueva contraseña" : "Reactivar con contraseña nueva")
        .Markup("</button></form>");
    if (row.Bool(8) && username != session.user.username) {  // a lost phone (one's own: the CLI)
      content.Markup("<form class=\"en-linea\" method=\"post\"").Attr("action", action).Markup(">")
          .Append(CsrfField(session))
          .Markup("<input type=\"hidden\" name=\"accion\" value=\"segundo-factor\">"
                  "<button type=\"submit\">Restablecer dos pasos</button></form>");
    }
    if (active && username != session.user.username) {
      content.Markup("<form class=\"en-linea\" method=\"post\"").Attr("action", action).Markup(">")
          .Append(CsrfField(session))
          .Markup("<input type=\"hidden\" name=\"accion\" value=\"cerrar-sesiones\">"
                  "<button type=\"submit\">Cerrar sesiones</button></form>");
      content.Markup("<form class=\"en-linea\" method=\"post\"").Attr("action", action).Markup(">")
          .Append(CsrfField(session))
          .Markup("<input type=\"hidden\" name=\"accion\" value=\"desactivar\">"
                  "<button type=\"submit\" class=\"peligro\">Desactivar</button></form>");
    }
    content.Markup("</td></tr>");
  }
  content.Markup("</tbody></table>");
  return Document(status, "Usuarios", content, &session);
}

HttpResponse StaffWeb::CreateUser(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto fields = http::ParseForm(request.body, 200);
  if (!fields) return UsersPage(tx, 400, session, "", "El formulario está mal formado.");
  const std::string username = FirstOf(*fields, "usuario");
  const std::string role = FirstOf(*fields, "rol");
  const auto dependencias = role == "enlace" ? AllOf(*fields, "dependencia") : std::vector<std::string>{};
  const auto password = CreateAccount(tx, username, FirstOf(*fields, "nombre"), role, dependencias);
  if (!password) {
    return UsersPage(tx, password.error().code == Errc::kConflict ? 409 : 400, session, "",
                     "No se creó la cuenta: " + password.error().message + ".");
  }
  StaffLog().Info("staff account created from the web",
                  {{"user_id", session.user.id}, {"role", role}});
  return UsersPage(tx, 201, session,
                   "Cuenta «" + username + "» creada. Contraseña inicial (se muestra solo esta vez; "
                   "entrégala en persona, se cambia al entrar): " + *password,
                   "");
}

HttpResponse StaffWeb::ChangeUser(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const std::string username = request.path_params.at("usuario");
  const auto fields = http::ParseForm(request.body, 200);
  if (!fields) return UsersPage(tx, 400, session, "", "El formulario está mal formado.");
  const std::string action = FirstOf(*fields, "accion");
  const auto status_of = [](const Error& error) { return error.code == Errc::kNotFound ? 404 : 400; };
  if (action == "desactivar") {
    if (username == session.user.username) {
      return UsersPage(tx, 400, session, "", "No puedes desactivar tu propia cuenta.");
    }
    if (const auto done = DisableAccount(tx, username); !done) {
      return UsersPage(tx, status_of(done.error()), session, "", done.error().message);
    }
    StaffLog().Info("staff account disabled from the web", {{"user_id", session.user.id}});
    return RedirectDone("/admin/usuarios", "Cuenta «" + username + "» desactivada; sus sesiones terminaron.");
  }
  if (action == "restablecer") {
    const auto password = ResetPassword(tx, username);
    if (!password) return UsersPage(tx, status_of(password.error()), session, "", password.error().message);
    StaffLog().Info("staff password reset from the web", {{"user_id", session.user.id}});
    return UsersPage(tx, 200, session,
                     "Contraseña nueva de «" + username + "» (se muestra solo esta vez; se cambia al "
                     "entrar): " + *password,
                     "");
  }
  if (action == "cerrar-sesiones") {
    const auto ended = EndSessions(tx, username);
    if (!ended) return UsersPage(tx, status_of(ended.error()), session, "", ended.error().message);
    StaffLog().Info("staff sessions ended from the web",
                    {{"user_id", session.user.id}, {"target_user_id", *ended}});
    return RedirectDone("/admin/usuarios", "Sesiones de «" + username + "» cerradas.");
  }
  if (action == "segundo-factor") {
    if (username == session.user.username) {
      return UsersPage(tx, 400, session, "",
                       "Tu propia verificación en dos pasos la restablece otro administrador.");
    }
    const auto reset = ResetSecondFactor(tx, username);
    if (!reset) return UsersPage(tx, status_of(reset.error()), session, "", reset.error().message);
    StaffLog().Info("staff second factor reset from the web",
                    {{"user_id", session.user.id}, {"target_user_id", *reset}});
    return RedirectDone("/admin/usuarios", "Verificación en dos pasos de «" + username +
                                               "» restablecida; sus sesiones terminaron. Deberá "
                                               "activarla de nuevo en Seguridad.");
  }
  if (action == "dependencias") {
    if (const auto done = BindDependencias(tx, username, AllOf(*fields, "dependencia")); !done) {
      return UsersPage(tx, status_of(done.error()), session, "",
                       "No se guardó: " + done.error().message + ".");
    }
    return RedirectDone("/admin/usuarios", "Dependencias de «" + username + "» guardadas.");
  }
  return UsersPage(tx, 400, session, "", "Acción desconocida.");
}

}  // namespace sac::web
