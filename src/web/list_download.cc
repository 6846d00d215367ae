#include "web/list_download.h"

#include "http/query.h"
#include "web/staff_page.h"

namespace sac::web {
namespace {

// The request's query without `formato` (and without the one-off "hecho" message).
std::vector<std::pair<std::string, std::string>> KeptParameters(const HttpRequest& request) {
  std::vector<std::pair<std::string, std::string>> kept;
  const auto query = http::ParseQuery(request.query);
  if (!query) return kept;
  for (const auto& [name, value] : *query) {
    if (name != "formato" && name != "hecho" && name != "despues") kept.emplace_back(name, value);
  }
  return kept;
}

}  // namespace

std::optional<ListFormat> RequestedFormat(const HttpRequest& request) {
  const auto query = http::ParseQuery(request.query);
  if (!query) return std::nullopt;
  const auto format = query->find("formato");
  if (format == query->end()) return std::nullopt;
  return ListFormatNamed(format->second);
}

std::optional<ListFormat> ListFormatNamed(std::string_view formato) {
  if (formato == "csv") return ListFormat::kCsv;
  if (formato == "xlsx") return ListFormat::kXlsx;
  return std::nullopt;
}

HttpResponse Attachment(std::string body, const char* content_type, std::string_view filename) {
  HttpResponse response;
  response.content_type = content_type;
  response.body = std::move(body);
  response.headers.Add("Content-Disposition", "attachment; filename=\"" + std::string(filename) + "\"");
  response.headers.Add("X-Content-Type-Options", "nosniff");
  response.headers.Add("Cache-Control", "no-store");
  return response;
}

HttpResponse DownloadTable(const reports::Table& table, ListFormat format, std::string_view stem,
                           const StaffSession& session) {
  if (format == ListFormat::kCsv) {
    return Attachment(reports::ToCsv(table), reports::kCsvContentType, std::string(stem) + ".csv");
  }
  auto xlsx = reports::ToXlsx(table);
  if (!xlsx) {
    return Message(503, "No disponible", "No se pudo escribir el archivo; intenta de nuevo.", &session);
  }
  return Attachment(std::move(*xlsx), reports::kXlsxContentType, std::string(stem) + ".xlsx");
}

Html DownloadLinks(const HttpRequest& request) {
  const auto link = [&](const char* format) {
    auto parameters = KeptParameters(request);
    parameters.emplace_back("formato", format);
    return request.path + "?" + http::EncodeForm(parameters);
  };
  Html links;
  links.Markup("<p class=\"descargas\">Descargar la lista: <a").Attr("href", link("csv"))
      .Markup(">CSV</a> · <a").Attr("href", link("xlsx")).Markup(">XLSX</a></p>");
  return links;
}

Html DownloadButtons(std::string_view path,
                     const std::vector<std::pair<std::string, std::string>>& fields,
                     const StaffSession& session) {
  Html form;
  form.Markup("<form class=\"descargas\" method=\"post\"").Attr("action", std::string(path))
      .Markup(">").Append(CsrfField(session));
  for (const auto& [name, value] : fields) {
    form.Markup("<input type=\"hidden\"").Attr("name", name).Attr("value", value).Markup(">");
  }
  form.Markup("Descargar la lista: <button type=\"submit\" name=\"formato\" value=\"csv\">CSV"
              "</button> · <button type=\"submit\" name=\"formato\" value=\"xlsx\">XLSX</button>"
              "</form>");
  return form;
}

}  // namespace sac::web
