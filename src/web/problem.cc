#include "web/problem.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace sac::web {
namespace {

std::string_view Title(int status) {
  switch (status) {
    case 400: return "Solicitud inválida";
    case 401: return "Falta autenticación";
    case 403: return "No permitido";
    case 404: return "No encontrado";
    case 409: return "Conflicto con el estado de la boleta";
    case 412: return "La boleta cambió desde la versión indicada";
    case 413: return "Solicitud demasiado grande";
    case 429: return "Demasiadas llamadas";
    case 503: return "Servicio no disponible por el momento";
    default: return "Error interno";
  }
}

}  // namespace

HttpResponse Problem(int status, std::string_view detail) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = boost::json::serialize(boost::json::object{
      {"type", "about:blank"}, {"title", Title(status)}, {"status", status}, {"detail", detail}});
  return response;
}

int HttpStatusFor(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument: return 400;
    case Errc::kUnauthenticated: return 401;
    case Errc::kPermissionDenied: return 403;
    case Errc::kNotFound: return 404;
    case Errc::kConflict: return 409;
    case Errc::kStale: return 412;  // If-Match named an older version (RFC 9110 §13.1.1)
    case Errc::kUnavailable:
    case Errc::kTimeout: return 503;
    case Errc::kInternal: return 500;
  }
  return 500;
}

HttpResponse ProblemFor(const Error& error) {
  const int status = HttpStatusFor(error.code);
  // Internal errors keep their details in the log, not in the answer.
  return Problem(status, status == 500 ? "error interno" : std::string_view(error.message));
}

}  // namespace sac::web
