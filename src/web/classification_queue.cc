// The bandeja de clasificación: the boletas the classifier was not sure about, oldest first, each
// with what SAC read (the words that fired, highlighted), its candidates and confidence and the
// colonia it found; and the decisions staff take on each — canalizar (accepting or changing the
// dependencia, the categoría and the colonia), no procede, duplicada, or a question to the
// citizen. A decision that differs from the machine's is kept as a correction for the rules.
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "conversation/replies.h"
#include "classify/corrections.h"
#include "http/query.h"
#include "outbox/outbox_writer.h"
#include "web/categoria_field.h"
#include "web/personal_data_log.h"
#include "web/staff_page.h"
#include "web/staff_web.h"
#include "workflow/boletas.h"
#include "workflow/folio.h"

namespace sac::web {
namespace {

using storage::Statement;
using storage::Tx;

constexpr int kPageSize = 20;  // worked top-down; the next ones come after each decision

constexpr Statement kQueueCount{"queue.count",
                                "SELECT count(*) FROM boleta WHERE status = 'por_clasificar'"};

constexpr Statement kQueuePage{
    "queue.page",
    "SELECT id, folio, channel, text, extract(epoch FROM created_at)::float8,"
    "  coalesce(classification::text, ''), coalesce(confidence, 0), coalesce(colonia, ''),"
    "  coalesce(colonia_postal_code, ''), coalesce(categoria, ''), status_reason IS NOT NULL,"
    "  status_version,"
    "  EXISTS (SELECT 1 FROM boleta_event e WHERE e.boleta_id = boleta.id AND e.kind = 'retenida')"
    "    AS retenida "
    // A flood held for staff (conversation/inbound_handler.cc) waits behind everyone else's.
    "FROM boleta WHERE status = 'por_clasificar' ORDER BY retenida, created_at, id LIMIT $1"};

constexpr Statement kDependencias{
    "queue.dependencias", "SELECT id, name FROM dependencia WHERE active ORDER BY name"};

constexpr Statement kFolioOf{"queue.folio_of",
                             "SELECT folio, status FROM boleta WHERE id = $1"};

constexpr Statement kCategoriaOf{"queue.categoria_of",
                                 "SELECT coalesce(categoria, '') FROM boleta WHERE id = $1"};

constexpr Statement kBoletaByFolio{"queue.boleta_by_folio", "SELECT id FROM boleta WHERE folio = $1"};

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The normalised text with the words that fired marked; overlapping spans merged. Offsets come
// from our own classifier; any that do not fit the text are skipped.
Html Highlighted(const std::string& text, std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  Html html;
  std::size_t at = 0;
  for (const Span& span : spans) {
    if (span.end > text.size() || span.begin >= span.end) continue;
    if (span.begin < at) {
      if (span.end <= at) continue;
      continue;  // overlaps the previous mark, which already shows these words
    }
    html.Text(std::string_view(text).substr(at, span.begin - at))
        .Markup("<mark>")
        .Text(std::string_view(text).substr(span.begin, span.end - span.begin))
        .Markup("</mark>");
    at = span.end;
  }
  html.Text(std::string_view(text).substr(at));
  return html;
}

std::optional<std::int64_t> BoletaId(const HttpRequest& request) {
  const auto found = request.path_params.find("id");
  if (found == request.path_params.end()) return std::nullopt;
  std::int64_t id = 0;
  const auto& text = found->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace

HttpResponse StaffWeb::Queue(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto classifier = classifiers_.Current();
  const auto& rules = classifier->rules();
  std::map<std::string, std::string, std::less<>> dependencia_names;
  std::vector<std::pair<std::string, std::string>> dependencias;
  {
    const auto rows = tx.Exec(kDependencias, {});
    for (std::size_t i = 0; i < rows.size(); ++i) {
      dependencias.emplace_back(rows[i].Text(0), rows[i].Text(1));
      dependencia_names[rows[i].Text(0)] = rows[i].Text(1);
    }
  }
  const std::int64_t waiting = tx.Exec(kQueueCount, {}).at(0).Int(0);
  const auto rows = tx.Exec(kQueuePage, {kPageSize});

  Html content;
  content.Markup("<h1>Bandeja de clasificación</h1><p>");
  if (waiting == 0) {
    content.Markup("No hay boletas por clasificar.");
  } else {
    content.Number(waiting).Text(waiting == 1 ? " boleta espera" : " boletas esperan")
        .Markup(" a una persona; las más antiguas primero.");
  }
  content.Markup("</p>");
  const auto query = http::ParseQuery(request.query);
  content.Append(DoneNotice(request));

  // The colonia field offers the gazetteer (a datalist: autocomplete without JavaScript).
  content.Markup("<datalist id=\"colonias\">");
  for (const auto& colonia : rules.gazetteer().colonias()) {
    content.Markup("<option").Attr("value", colonia.name + " (" + colonia.postal_code + ")")
        .Markup(">");
  }
  content.Markup("</datalist>");

  std::vector<std::int64_t> shown;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = rows[i];
    const std::int64_t id = row.Int(0);
    shown.push_back(id);
    const std::string folio = row.Text(1);
    const auto created = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::duration<double>(row.Double(4))));
    const std::chrono::year_month_day day(local_.LocalDate(created));
    boost::system::error_code error;
    const boost::json::value reading = boost::json::parse(row.Text(5), error);
    const boost::json::object* explained = error ? nullptr : reading.if_object();

    std::vector<Span> spans;
    std::string normalized;
    std::string top_dependencia;
    std::string top_categoria = row.Text(9);
    Html candidates;
    if (explained != nullptr) {
      if (const auto* text = explained->if_contains("texto_normalizado"); text && text->is_string()) {
        normalized = std::string(text->get_string());
      }
      if (const auto* hits = explained->if_contains("rules"); hits && hits->is_array()) {
        for (const auto& hit : hits->get_array()) {
          const auto* object = hit.if_object();
          if (object == nullptr || !object->contains("inicio") || !object->contains("fin")) continue;
          const auto* kind = object->if_contains("tipo");
          if (kind == nullptr || !kind->is_string() || kind->get_string() != "categoria") continue;
          const auto begin = object->at("inicio").to_number<std::int64_t>();
          const auto end = object->at("fin").to_number<std::int64_t>();
          if (begin >= 0 && end > begin) {
            spans.push_back({static_cast<std::size_t>(begin), static_cast<std::size_t>(end)});
          }
        }
      }
      if (const auto* list = explained->if_contains("candidatos"); list && list->is_array()) {
        for (const auto& candidate : list->get_array()) {
          const auto* object = candidate.if_object();
          if (object == nullptr) continue;
          const auto* categoria = object->if_contains("categoria");
          const auto* dependencia = object->if_contains("dependencia");
          if (categoria == nullptr || !categoria->is_string() || dependencia == nullptr ||
              !dependencia->is_string()) {
            continue;
          }
          const std::string dependencia_id(dependencia->get_string());
          if (top_dependencia.empty()) {
            top_dependencia = dependencia_id;
            if (top_categoria.empty()) top_categoria = std::string(categoria->get_string());
          }
          const auto name = dependencia_names.find(dependencia_id);
          const std::string categoria_id(categoria->get_string());
          candidates.Markup("<li>").Text(rules.CategoriaName(categoria_id))
              .Markup(" → ")
              .Text(name != dependencia_names.end() ? name->second : dependencia_id);
          if (const auto* score = object->if_contains("puntaje"); score && score->is_int64()) {
            candidates.Markup(" <small>(puntaje ").Number(score->get_int64()).Markup(")</small>");
          }
          candidates.Markup("</li>");
        }
      }
    }

    const std::string action = "/clasificacion/" + std::to_string(id);
    content.Markup("<article class=\"boleta\" tabindex=\"-1\"").Attr("id", "b-" + std::to_string(id))
        .Markup("><header><strong><a").Attr("href", "/boletas/" + folio).Markup(">").Text(folio)
        .Markup("</a></strong> · ").Text(ChannelLabel(row.Text(2)))
        .Markup(" · ")
        .Text(conversation::SpanishDate(static_cast<int>(day.year()),
                                        static_cast<unsigned>(day.month()),
                                        static_cast<unsigned>(day.day())))
        .Markup(" · confianza ").Text(Percent(row.Double(6)));
    if (row.Bool(10)) content.Markup(" · <em>devuelta por la dependencia</em>");
    if (row.Bool(12)) {
      content.Markup(" · <em>retenida: muchos reportes del mismo ciudadano en 24 horas</em>");
    }
    content.Markup("</header><p class=\"texto\">").Text(row.Text(3)).Markup("</p>");
    if (!normalized.empty()) {
      content.Markup("<p class=\"leido\"><small>Lo que leyó SAC:</small> ")
          .Append(Highlighted(normalized, spans)).Markup("</p>");
    }
    const std::string colonia = row.Text(7);
    const std::string postal_code = row.Text(8);
    content.Markup("<div class=\"lectura\"><div><small>Candidatos</small><ol>").Append(candidates)
        .Markup("</ol></div><div><small>Colonia</small><p>");
    if (colonia.empty()) {
      content.Markup("<em>no la encontró</em>");
    } else {
      content.Text(colonia).Markup(" ").Text(postal_code.empty() ? "" : "(" + postal_code + ")");
    }
    content.Markup("</p></div></div>");

    // Canalizar: the top candidate preselected, everything changeable.
    // Each decision says which version of the boleta it was made on: two people working the
    // queue at once cannot both decide on the same boleta.
    const Html seen_version = SeenVersionField(static_cast<int>(row.Int(11)));
    content.Markup("<form class=\"decision\" method=\"post\"").Attr("action", action + "/canalizar")
        .Markup(">").Append(CsrfField(session)).Append(seen_version)
        .Markup("<label>Dependencia <select name=\"dependencia\" required><option value=\"\">"
                "— elige —</option>");
    for (const auto& [dependencia_id, name] : dependencias) {
      content.Markup("<option").Attr("value", dependencia_id);
      if (dependencia_id == top_dependencia) content.Markup(" selected");
      content.Markup(">").Text(name).Markup("</option>");
    }
    content.Markup("</select></label>").Append(CategoriaSelect(rules, dependencias, top_categoria));
    content.Markup("<label>Colonia <input name=\"colonia\" list=\"colonias\" "
                   "autocomplete=\"off\"")
        .Attr("value", colonia.empty() ? "" : colonia + (postal_code.empty() ? "" : " (" + postal_code + ")"))
        .Markup("></label><label class=\"casilla\"><input type=\"checkbox\" name=\"proponer\" "
                "value=\"1\"> Proponer como caso de referencia para las reglas</label>"
                "<button type=\"submit\">Canalizar</button></form>");

    content.Markup("<details><summary>Otras decisiones</summary>"
                   "<form class=\"decision\" method=\"post\"")
        .Attr("action", action + "/no-procede").Markup(">").Append(CsrfField(session))
        .Append(seen_version)
        .Markup("<label>Motivo <input name=\"motivo\" required maxlength=\"500\"></label>"
                "<button type=\"submit\">No procede</button></form>"
                "<form class=\"decision\" method=\"post\"")
        .Attr("action", action + "/duplicada").Markup(">").Append(CsrfField(session))
        .Append(seen_version)
        .Markup("<label>Folio original <input name=\"folio\" required pattern=\"[0-9]{4}-[0-9]{6}\" "
                "placeholder=\"2026-000123\"></label><button type=\"submit\">Es duplicada</button>"
                "</form><form class=\"decision\" method=\"post\"")
        .Attr("action", action + "/preguntar").Markup(">").Append(CsrfField(session))
        .Markup("<label>Pregunta al ciudadano <textarea name=\"pregunta\" required "
                "maxlength=\"600\" rows=\"2\"></textarea></label>"
                "<button type=\"submit\">Preguntar</button></form></details></article>");
  }
  if (!shown.empty()) {
    content.Markup("<p class=\"nota no-imprimir\">Atajos: <kbd>j</kbd>/<kbd>k</kbd> siguiente y "
                   "anterior, <kbd>a</kbd> canalizar como está, <kbd>d</kbd> elegir dependencia."
                   "</p><script src=\"/static/bandeja.js\"></script>");
  }
  RecordPersonalDataView(tx, session.user.id, shown, {"texto"}, "/clasificacion", clock_.Now());
  return Document(200, "Bandeja de clasificación", content, &session);
}

HttpResponse StaffWeb::QueueOutcome(const StaffSession& session, const Result<std::string>& done) {
  if (!done) {
    return Message(FormRefusalStatus(done.error().code), "No se hizo", done.error().message,
                   &session);
  }
  return Redirect("/clasificacion?" + http::EncodeForm({{"hecho", *done}}));
}

HttpResponse StaffWeb::Canalize(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const Form form = FormOf(request);
  const auto id = BoletaId(request);
  if (!id) return Message(404, "No existe", "No existe esa boleta.", &session);
  const auto seen = SeenVersionOf(form);
  if (!seen) return QueueOutcome(session, seen.error());
  const std::string dependencia = Field(form, "dependencia");
  const std::string categoria = Field(form, "categoria");
  const auto rules = classifiers_.Current();
  // The categoría must belong to the chosen dependencia (categoria_field.h); the colonia must be
  // one of the gazetteer's.
  if (!categoria.empty()) {
    if (auto refusal = CategoriaRefusal(rules->rules(), dependencia, categoria, "")) {
      return QueueOutcome(session, MakeError(Errc::kInvalidArgument, std::move(*refusal)));
    }
  }
  std::string colonia, postal_code;
  if (const std::string field = Field(form, "colonia"); !field.empty()) {
    const classify::Colonia* picked = rules->rules().gazetteer().Picked(field);
    if (!picked) {
      return QueueOutcome(session, MakeError(Errc::kInvalidArgument,
                                             "«" + field + "» no está en el catálogo de colonias "
                                             "de Mazatlán; elígela de la lista."));
    }
    colonia = picked->name;
    postal_code = picked->postal_code;
  }
  const auto actor = workflow::Actor::Staff(session.user.username);
  const TimePoint now = clock_.Now();
  const auto folio = tx.Exec(kFolioOf, {*id});
  if (folio.empty()) return QueueOutcome(session, MakeError(Errc::kNotFound, "No existe esa boleta."));
  workflow::CorrectClassification(tx, *id, actor, now, categoria, colonia, postal_code);
  workflow::StatusChange change;
  change.to = workflow::BoletaStatus::kCanalizada;
  change.dependencia_id = dependencia;
  change.seen_version = *seen;
  const auto changed = workflow_.ChangeStatus(tx, actor, *id, change);
  if (!changed) {
    tx.RollbackAtEnd();  // the corrected categoría and colonia go with the refused decision
    return QueueOutcome(session, changed.error());
  }
  if (categoria.empty()) {
    // The categoría kept ("sin cambiar"): read under the row lock the decision took, so that a
    // boleta someone else decided on meanwhile is told as such (above) rather than as this.
    const std::string kept = tx.Exec(kCategoriaOf, {*id}).at(0).Text(0);
    if (auto refusal = CategoriaRefusal(rules->rules(), dependencia, "", kept)) {
      tx.RollbackAtEnd();
      return QueueOutcome(session, MakeError(Errc::kInvalidArgument, std::move(*refusal)));
    }
  }
  if (Field(form, "proponer") == "1") {
    classify::ProposeAsCase(tx, *id, session.user.username, now);
    return QueueOutcome(session, "Boleta " + folio.at(0).Text(0) +
                                     " canalizada y propuesta como caso de referencia.");
  }
  return QueueOutcome(session, "Boleta " + folio.at(0).Text(0) + " canalizada.");
}

HttpResponse StaffWeb::NotProceeding(Tx& tx, const HttpRequest& request,
                                     const StaffSession& session) {
  const auto id = BoletaId(request);
  if (!id) return Message(404, "No existe", "No existe esa boleta.", &session);
  const auto folio = tx.Exec(kFolioOf, {*id});
  if (folio.empty()) return QueueOutcome(session, MakeError(Errc::kNotFound, "No existe esa boleta."));
  const Form form = FormOf(request);
  const auto seen = SeenVersionOf(form);
  if (!seen) return QueueOutcome(session, seen.error());
  workflow::StatusChange change;
  change.to = workflow::BoletaStatus::kNoProcede;
  change.seen_version = *seen;
  change.comment = Field(form, "motivo");
  if (change.comment.find_first_not_of(" \t\r\n") == std::string::npos) {
    return QueueOutcome(session, MakeError(Errc::kInvalidArgument, "Escribe el motivo."));
  }
  const auto changed =
      workflow_.ChangeStatus(tx, workflow::Actor::Staff(session.user.username), *id, change);
  if (!changed) return QueueOutcome(session, changed.error());
  return QueueOutcome(session, "Boleta " + folio.at(0).Text(0) + ": no procede.");
}

HttpResponse StaffWeb::MarkDuplicate(Tx& tx, const HttpRequest& request,
                                     const StaffSession& session) {
  const auto id = BoletaId(request);
  if (!id) return Message(404, "No existe", "No existe esa boleta.", &session);
  const auto folio = tx.Exec(kFolioOf, {*id});
  if (folio.empty()) return QueueOutcome(session, MakeError(Errc::kNotFound, "No existe esa boleta."));
  const Form form = FormOf(request);
  const auto seen = SeenVersionOf(form);
  if (!seen) return QueueOutcome(session, seen.error());
  const auto original_folio = workflow::FindFolio(Field(form, "folio"));
  const auto original =
      original_folio ? tx.Exec(kBoletaByFolio, {workflow::FormatFolio(*original_folio)})
                     : tx.Exec(kBoletaByFolio, {std::string("-")});
  if (original.empty()) {
    return QueueOutcome(session, MakeError(Errc::kInvalidArgument, "No existe el folio original."));
  }
  workflow::StatusChange change;
  change.to = workflow::BoletaStatus::kDuplicada;
  change.duplicate_of = original.at(0).Int(0);
  change.seen_version = *seen;
  const auto changed =
      workflow_.ChangeStatus(tx, workflow::Actor::Staff(session.user.username), *id, change);
  if (!changed) return QueueOutcome(session, changed.error());
  return QueueOutcome(session, "Boleta " + folio.at(0).Text(0) + " marcada como duplicada.");
}

HttpResponse StaffWeb::AskCitizen(Tx& tx, const HttpRequest& request, const StaffSession& session) {
  const auto id = BoletaId(request);
  if (!id) return Message(404, "No existe", "No existe esa boleta.", &session);
  const auto folio = tx.Exec(kFolioOf, {*id});
  if (folio.empty()) return QueueOutcome(session, MakeError(Errc::kNotFound, "No existe esa boleta."));
  const std::string question = Field(FormOf(request), "pregunta");
  if (question.empty() || question.size() > 2000) {
    return QueueOutcome(session, MakeError(Errc::kInvalidArgument, "Escribe la pregunta."));
  }
  const TimePoint now = clock_.Now();
  const std::string boleta_folio = folio.at(0).Text(0);
  if (!outbox::EnqueueToBoletaCitizen(tx, *id, "pregunta_staff",
                                      conversation::StaffQuestion(boleta_folio, question),
                                      {{"folio", boleta_folio}}, now)) {
    return QueueOutcome(session, MakeError(Errc::kInvalidArgument,
                                           "Esta boleta no llegó por un canal al que SAC pueda "
                                           "escribir; llama al ciudadano."));
  }
  const auto noted = workflow_.AddNote(tx, workflow::Actor::Staff(session.user.username), *id,
                                       "Pregunta al ciudadano: " + question, true);
  if (!noted) return QueueOutcome(session, noted.error());
  return QueueOutcome(session, "Pregunta enviada al ciudadano de la boleta " + boleta_folio + ".");
}

const char* QueueScript() {
  return R"js(// Keyboard shortcuts of the bandeja de clasificación: j/k move between boletas, a submits
// the focused boleta's canalizar form as it stands, d goes to its dependencia. Keys typed into a
// field are left alone. Everything also works with the mouse and without JavaScript.
'use strict';
(function () {
  var boletas = Array.prototype.slice.call(document.querySelectorAll('article.boleta'));
  if (boletas.length === 0) return;
  function current() {
    var index = boletas.indexOf(document.activeElement);
    return index < 0 ? boletas.indexOf(document.activeElement && document.activeElement.closest('article.boleta')) : index;
  }
  function focus(index) {
    var boleta = boletas[Math.max(0, Math.min(boletas.length - 1, index))];
    boleta.focus();
    boleta.scrollIntoView({ block: 'nearest' });
  }
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
    var index = current();
    if (event.key === 'j') { focus(index + 1); event.preventDefault(); }
    else if (event.key === 'k') { focus(index < 0 ? 0 : index - 1); event.preventDefault(); }
    else if (index >= 0 && event.key === 'a') {
      boletas[index].querySelector('form.decision').requestSubmit();
      event.preventDefault();
    } else if (index >= 0 && event.key === 'd') {
      boletas[index].querySelector('select[name=dependencia]').focus();
      event.preventDefault();
    }
  });
})();
)js";
}

}  // namespace sac::web
