// Captura: petitions that arrive by phone, at the módulo (walk-in) or on a recorrido ("El
// Alcalde toca tu puerta"), typed by Atención Ciudadana staff. The same path as a citizen's own
// message: a boleta with a folio, the classifier's reading (with the colonia and street staff
// give taking precedence), routed when the classifier is sure, queued otherwise. The folio is
// then shown big, ready to be read out over the phone, on a page that prints as the ficha.
#include <algorithm>
#include <cmath>

#include <simdjson.h>

#include "channels/common/mx_phone.h"
#include "channels/common/split_text.h"
#include "citizens/citizen_directory.h"
#include "conversation/replies.h"
#include "http/multipart.h"
#include "media/image_type.h"
#include "routing/route_boleta.h"
#include "web/personal_data_log.h"
#include "web/staff_page.h"
#include "web/staff_web.h"
#include "workflow/boletas.h"
#include "workflow/folio.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr std::size_t kMaxText = 4000;
constexpr std::size_t kMaxPhotos = 3;

constexpr Statement kAddPhoto{
    "capture.add_photo",
    "INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type, filename,"
    "  download_state, file_sha256, size_bytes, downloaded_at) "
    "VALUES ($1, 'image', 'captura:' || $3, $2, $4, 'stored', $3, $5, $6)"};

struct Photo {
  std::string_view bytes;
  std::string_view mime_type;
  std::string filename;
};

// The photos of a capture form: at most kMaxPhotos, each a real JPEG, PNG, GIF or WebP of at most
// kMaxPhotoBytes. An empty file input sends a part without bytes: not a photo.
Result<std::vector<Photo>> PhotosOf(const HttpRequest& request) {
  std::vector<Photo> photos;
  const auto content_type = request.headers.Get("Content-Type");
  if (!content_type || http::MultipartBoundary(*content_type).empty()) return photos;
  const auto parts = http::ParseMultipart(*content_type, request.body, kMaxMultipartParts);
  if (!parts) return MakeError(Errc::kInvalidArgument, "El formulario llegó incompleto; vuelve a enviarlo.");
  for (const auto& part : *parts) {
    if (part.name != "foto" || part.data.empty()) continue;
    if (photos.size() == kMaxPhotos) {
      return MakeError(Errc::kInvalidArgument, "Se pueden adjuntar hasta 3 fotos.");
    }
    if (part.data.size() > StaffWeb::kMaxPhotoBytes) {
      return MakeError(Errc::kInvalidArgument, "Cada foto puede pesar hasta 8 MB.");
    }
    const auto type = media::ImageTypeOf(part.data);
    if (!type) {
      return MakeError(Errc::kInvalidArgument,
                       "«" + part.filename + "» no es una foto (JPEG, PNG, GIF o WebP).");
    }
    // The name as the phone gave it, kept only when it is valid UTF-8 (PostgreSQL takes nothing
    // else), and cut between characters.
    const bool readable = simdjson::validate_utf8(part.filename.data(), part.filename.size());
    photos.push_back({part.data, *type,
                      readable ? channels::FirstCharacters(part.filename, 120) : std::string("foto")});
  }
  return photos;
}

// How a captured petition came in: the boleta's channel, and how the form names it.
struct CaptureChannel {
  const char* id;
  const char* label;
};
constexpr CaptureChannel kCaptureChannels[] = {
    {"telefono", "Llamada telefónica"},
    {"modulo", "Módulo de atención (en persona)"},
    {"recorrido", "Recorrido «El Alcalde toca tu puerta»"},
};

constexpr Statement kCaptured{
    "capture.boleta",
    "SELECT b.id, b.folio, b.status, b.channel, b.text, coalesce(b.colonia, ''),"
    "  coalesce(b.address_text, ''), coalesce(d.name, ''), b.due_at IS NOT NULL,"
    "  extract(epoch FROM b.created_at)::float8, extract(epoch FROM b.due_at)::float8,"
    "  coalesce(c.display_name, ''), coalesce(c.phone, ''),"
    "  (SELECT count(*) FROM boleta_media m WHERE m.boleta_id = b.id) "
    "FROM boleta b LEFT JOIN dependencia d ON d.id = b.dependencia_id"
    "  LEFT JOIN citizen c ON c.id = b.citizen_id "
    "WHERE b.folio = $1 AND b.channel IN ('telefono', 'modulo', 'recorrido')"};

constexpr Statement kDependenciaName{"capture.dependencia_name",
                                     "SELECT name FROM dependencia WHERE id = $1"};

struct CaptureForm {
  std::string channel = "telefono";
  std::string name;
  std::string phone;
  std::string text;
  std::string colonia;
  std::string address;
};

}  // namespace

HttpResponse StaffWeb::CaptureForm(Tx& /*tx*/, const HttpRequest& /*request*/,
                                   const StaffSession& session) {
  return CapturePage(200, session, {}, "");
}

HttpResponse StaffWeb::CapturePage(int status, const StaffSession& session,
                                   const std::map<std::string, std::string, std::less<>>& values,
                                   std::string_view problem) {
  const auto value = [&](const char* name, const char* fallback = "") {
    const auto found = values.find(name);
    return found == values.end() ? std::string(fallback) : found->second;
  };
  const std::string channel = value("canal", "telefono");
  Html content;
  content.Markup("<h1>Captura de petición</h1>");
  if (!problem.empty()) content.Markup("<p class=\"error\" role=\"alert\">").Text(problem).Markup("</p>");
  content.Markup("<form class=\"captura\" method=\"post\" action=\"/captura\" "
                 "enctype=\"multipart/form-data\">")
      .Append(CsrfField(session))
      .Markup("<fieldset><legend>¿Cómo llegó?</legend>");
  for (const CaptureChannel& option : kCaptureChannels) {
    content.Markup("<label class=\"opcion\"><input type=\"radio\" name=\"canal\"")
        .Attr("value", option.id);
    if (channel == option.id) content.Markup(" checked");
    content.Markup("> ").Text(option.label).Markup("</label>");
  }
  // While staff type, the classifier's reading appears below the text (htmx posts the form to
  // /captura/sugerencia; without JavaScript the form works the same, without the hint).
  content.Markup("</fieldset><label>Lo que pide el ciudadano <textarea name=\"texto\" required "
                 "rows=\"5\" maxlength=\"4000\" hx-post=\"/captura/sugerencia\" "
                 "hx-params=\"csrf,texto\" hx-trigger=\"keyup changed delay:400ms\" "
                 "hx-target=\"#sugerencia\">")
      .Text(value("texto"))
      .Markup("</textarea></label><p id=\"sugerencia\" class=\"sugerencia\" aria-live=\"polite\">"
              "</p><label>Colonia <input name=\"colonia\" list=\"colonias\" "
              "autocomplete=\"off\"")
      .Attr("value", value("colonia"))
      .Markup("></label><label>Calle, número y referencias <input name=\"direccion\" "
              "maxlength=\"300\"")
      .Attr("value", value("direccion"))
      .Markup("></label><label>Fotos (hasta 3, opcional) <input type=\"file\" name=\"foto\" "
              "accept=\"image/jpeg,image/png,image/gif,image/webp\" multiple></label>"
              "<fieldset><legend>Ciudadano (opcional)</legend><label>Nombre "
              "<input name=\"nombre\" maxlength=\"120\" autocomplete=\"off\"")
      .Attr("value", value("nombre"))
      .Markup("></label><label>Teléfono <input name=\"telefono\" type=\"tel\" maxlength=\"20\" "
              "autocomplete=\"off\"")
      .Attr("value", value("telefono"))
      .Markup("></label></fieldset><button type=\"submit\">Registrar y dar folio</button></form>");
  content.Markup("<datalist id=\"colonias\">");
  for (const auto& colonia : classifiers_.Current()->rules().gazetteer().colonias()) {
    content.Markup("<option").Attr("value", colonia.name + " (" + colonia.postal_code + ")")
        .Markup(">");
  }
  content.Markup("</datalist>");
  content.Markup("<script src=\"/static/htmx.min.js\"></script>");
  return Document(status, "Captura", content, &session);
}

HttpResponse StaffWeb::CaptureHint(Tx& tx, const HttpRequest& request,
                                   const StaffSession& /*session*/) {
  const std::string text = Field(FormOf(request), "texto");
  Html hint;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos || text.size() > kMaxText) {
    // Nothing to read yet.
  } else {
    const auto rules = classifiers_.Current();
    const classify::Classification reading = rules->Classify(text);
    const auto& categorias = rules->rules().categorias();
    const auto categoria = std::find_if(categorias.begin(), categorias.end(),
                                        [&](const auto& c) { return c.id == reading.categoria; });
    if (reading.needs_review || categoria == categorias.end()) {
      hint.Markup("Aún no queda claro de qué se trata: si se registra así, Atención Ciudadana la "
                  "clasificará.");
    } else {
      const auto name = tx.Exec(kDependenciaName, {categoria->dependencia});
      hint.Markup("SAC entiende: <strong>").Text(categoria->name).Markup("</strong> → ")
          .Text(name.empty() ? categoria->dependencia : name.at(0).Text(0)).Markup(" (confianza ")
          .Number(std::lround(reading.confidence * 100)).Markup(" %)");
    }
    if (reading.colonia) {
      hint.Markup(" · colonia ").Text(reading.colonia->name);
    }
  }
  HttpResponse response;
  response.content_type = "text/html; charset=utf-8";
  response.body = hint.Take();
  SecureHeaders(response);
  return response;
}

HttpResponse StaffWeb::Capture(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const Form form = FormOf(request);
  const std::string channel = Field(form, "canal");
  const std::string text = Field(form, "texto");
  const std::string name = Field(form, "nombre");
  const std::string raw_phone = Field(form, "telefono");
  const std::string colonia_field = Field(form, "colonia");
  const std::string address = Field(form, "direccion");
  const std::map<std::string, std::string, std::less<>> values(form.begin(), form.end());

  const bool known_channel =
      std::any_of(std::begin(kCaptureChannels), std::end(kCaptureChannels),
                  [&](const CaptureChannel& c) { return channel == c.id; });
  if (!known_channel) return CapturePage(400, session, values, "Elige cómo llegó la petición.");
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return CapturePage(400, session, values, "Escribe lo que pide el ciudadano.");
  }
  if (text.size() > kMaxText || name.size() > 120 || address.size() > 300) {
    return CapturePage(400, session, values, "El texto es demasiado largo.");
  }
  std::string phone;
  if (!raw_phone.empty()) {
    const auto normalized = channels::NormalizePhone(raw_phone);
    if (!normalized) {
      return CapturePage(400, session, values,
                         "El teléfono no parece un número de México de 10 dígitos.");
    }
    phone = *normalized;
  }
  const auto photos = PhotosOf(request);
  if (!photos) {
    return CapturePage(400, session, values, photos.error().message + " Vuelve a elegir las fotos.");
  }
  const auto rules = classifiers_.Current();
  classify::Classification reading = rules->Classify(text);
  if (!colonia_field.empty()) {
    // What staff wrote down from the citizen wins over what the classifier found in the text.
    const classify::Colonia* picked = rules->rules().gazetteer().Picked(colonia_field);
    if (!picked) {
      return CapturePage(400, session, values,
                         "Esa colonia no está en el catálogo de Mazatlán; elígela de la lista.");
    }
    reading.colonia = classify::ColoniaMatch{picked->name, picked->postal_code, "capturista", ""};
  }
  if (!address.empty()) reading.address = address;

  // The photos go to the content-addressed store before anything is written (durable on
  // return): a disk that refuses leaves no boleta behind, and a capture that fails later leaves
  // at most an unreferenced file, never a row without its file.
  std::vector<media::StoredFile> stored;
  for (const Photo& photo : *photos) {
    auto file = media_.Store(photo.bytes);
    if (!file) {
      StaffLog().Error("capture photo not stored", {{"error", file.error().message}});
      return CapturePage(503, session, values,
                         "No se pudo guardar una foto; intenta de nuevo en un momento.");
    }
    stored.push_back(*file);
  }
  const TimePoint now = clock_.Now();
  workflow::NewBoleta boleta;
  boleta.channel = channel;
  boleta.citizen_id = citizens::ForCapture(tx, name, phone);
  boleta.text = text;
  const workflow::BoletaRef created = workflow::CreateBoleta(tx, boleta, now);
  for (std::size_t i = 0; i < photos->size(); ++i) {
    const Photo& photo = (*photos)[i];
    tx.Exec(kAddPhoto, {created.id, photo.mime_type, stored[i].sha256, photo.filename,
                        static_cast<long long>(stored[i].size), now});
  }
  (void)routing::RouteNewBoleta(tx, workflow_, rules->rules(), created, std::move(reading), "", now);
  workflow::AppendEvent(tx, created.id, now, "capturada", workflow::Actor::Staff(session.user.username),
                        std::nullopt, std::nullopt,
                        "{\"canal\":\"" + channel + "\",\"fotos\":" + std::to_string(photos->size()) + "}");
  return Redirect("/captura/" + created.folio);
}

HttpResponse StaffWeb::Captured(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto param = request.path_params.find("folio");
  const auto folio = param == request.path_params.end() ? std::nullopt
                                                        : workflow::FindFolio(param->second);
  const auto rows = folio ? tx.Exec(kCaptured, {workflow::FormatFolio(*folio)})
                          : tx.Exec(kCaptured, {std::string("-")});
  if (rows.empty()) return Message(404, "No existe", "No hay una petición capturada con ese folio.", &session);
  const auto row = rows.at(0);
  const std::string status = row.Text(2);
  Html content;
  content.Markup("<section class=\"ficha\"><p>Folio de la petición</p><p class=\"folio\">")
      .Text(row.Text(1))
      .Markup("</p><p>Registrada el ")
      .Text(SpanishDay(local_, FromEpoch(row.Double(9))))
      .Markup(".</p>");
  if (status == "canalizada") {
    content.Markup("<p>La atiende <strong>").Text(row.Text(7)).Markup("</strong>");
    if (row.Bool(8) && !row.IsNull(10)) {
      content.Markup("; plazo hasta el ").Text(SpanishDay(local_, FromEpoch(row.Double(10))));
    }
    content.Markup(".</p>");
  } else {
    content.Markup("<p>Atención Ciudadana la revisará y la turnará a la dependencia que "
                   "corresponda.</p>");
  }
  content.Markup("<dl><dt>Petición</dt><dd>").Text(row.Text(4)).Markup("</dd>");
  if (!row.Text(5).empty()) content.Markup("<dt>Colonia</dt><dd>").Text(row.Text(5)).Markup("</dd>");
  if (!row.Text(6).empty()) content.Markup("<dt>Dirección</dt><dd>").Text(row.Text(6)).Markup("</dd>");
  if (row.Int(13) > 0) content.Markup("<dt>Fotos</dt><dd>").Number(row.Int(13)).Markup("</dd>");
  if (!row.Text(11).empty()) content.Markup("<dt>Nombre</dt><dd>").Text(row.Text(11)).Markup("</dd>");
  if (!row.Text(12).empty()) content.Markup("<dt>Teléfono</dt><dd>").Text(PhoneForPeople(row.Text(12))).Markup("</dd>");
  content.Markup("</dl><p class=\"nota\">Con este folio puede preguntar por su petición en "
                 "Atención Ciudadana. Imprima esta página (Ctrl+P) para entregar la ficha.</p>"
                 "</section><p class=\"no-imprimir\"><a href=\"/captura\">Capturar otra "
                 "petición</a></p>");
  RecordPersonalDataView(tx, session.user.id, {row.Int(0)}, {"texto", "nombre", "telefono",
                                                             "direccion"},
                         "/captura/{folio}", clock_.Now());
  return Document(200, "Folio " + row.Text(1), content, &session);
}

}  // namespace sac::web
