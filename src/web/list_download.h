// "Descargar CSV · XLSX" on every list page: the same page address with ?formato=csv|xlsx gives
// the list it shows (all of it, not one screen) as a file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http_message.h"
#include "reports/table_file.h"
#include "web/html.h"
#include "web/staff_session.h"

namespace sac::web {

enum class ListFormat { kCsv, kXlsx };

// The format a list page was asked for; nullopt for the page itself (no or unknown `formato`).
std::optional<ListFormat> RequestedFormat(const HttpRequest& request);
// The same, for a `formato` that came in a posted form.
std::optional<ListFormat> ListFormatNamed(std::string_view formato);

// The list as an attachment named `<stem>.csv|xlsx`, never cached.
HttpResponse DownloadTable(const reports::Table& table, ListFormat format, std::string_view stem,
                           const StaffSession& session);

// Links to this page's list as CSV and XLSX, keeping its filters.
Html DownloadLinks(const HttpRequest& request);
// For a list reached by posting a form (whose criteria must stay out of addresses, like a
// citizen's phone): buttons that post `fields` to `path` again with formato=csv|xlsx.
Html DownloadButtons(std::string_view path,
                     const std::vector<std::pair<std::string, std::string>>& fields,
                     const StaffSession& session);

// A file download: attachment, nosniff, no-store.
HttpResponse Attachment(std::string body, const char* content_type, std::string_view filename);

}  // namespace sac::web
