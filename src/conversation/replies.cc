#include "conversation/replies.h"

#include <algorithm>

namespace sac::conversation {

std::string BoletaRegistered(std::string_view folio) {
  return "¡Gracias por escribirnos! Registramos tu petición con el folio " + std::string(folio) +
         ". El equipo de Atención Ciudadana la revisará y la turnará a la dependencia que "
         "corresponde; te avisaremos por este medio. Guarda tu folio para preguntar cómo va.";
}

std::string PetitionsHeld(const std::vector<std::string>& folios) {
  std::string named;
  const std::size_t shown = std::min<std::size_t>(folios.size(), 20);
  for (std::size_t i = 0; i < shown; ++i) {
    named += (i == 0 ? "" : i + 1 == shown && shown == folios.size() ? " y " : ", ") + folios[i];
  }
  if (folios.size() > shown) named += " y otros " + std::to_string(folios.size() - shown);
  const bool one = folios.size() == 1;
  const std::string registered = one ? "Registramos tu petición con el folio "
                                     : "Registramos tus peticiones con los folios ";
  return registered + named +
         ". Como hoy nos has enviado muchos reportes, una persona de Atención Ciudadana " +
         (one ? "la revisará antes de turnarla" : "los revisará antes de turnarlos") +
         " a la dependencia; te avisaremos por este medio.";
}

std::string BoletaRouted(std::string_view folio, std::string_view dependencia_name,
                         int business_days) {
  return "¡Gracias por escribirnos! Registramos tu petición con el folio " + std::string(folio) +
         " y la turnamos a " + std::string(dependencia_name) + ", que tiene " +
         std::to_string(business_days) +
         " días hábiles para atenderla. Te avisaremos por este medio; guarda tu folio para "
         "preguntar cómo va.";
}

std::string BoletaExternal(std::string_view folio, std::string_view contact) {
  std::string text = "Registramos tu mensaje con el folio " + std::string(folio) +
                     ". Lo que nos cuentas no lo atiende el Ayuntamiento sino otra institución";
  if (!contact.empty()) text += " (" + std::string(contact) + ")";
  return text + "; el equipo de Atención Ciudadana te orientará y le dará seguimiento.";
}

std::string Welcome() {
  return "¡Hola! Somos Atención Ciudadana del Ayuntamiento de Mazatlán. Cuéntanos qué pasa y "
         "dónde (calle, colonia o tu ubicación); te daremos un folio para darle seguimiento. "
         "Si ya tienes un folio, escríbelo y te decimos cómo va.";
}

std::string PhoneLinked() {
  return "Gracias, guardamos tu número: así reconocemos como tuyos los reportes que nos mandes "
         "por WhatsApp, SMS o aquí.";
}

std::string UnsupportedMessage() {
  return "Perdón, no podemos leer ese tipo de mensaje. Escríbenos tu reporte en texto; también "
         "puedes mandar fotos, notas de voz o tu ubicación.";
}

std::string NoteAdded(std::string_view folio) {
  return "Gracias, agregamos tu mensaje a la boleta " + std::string(folio) +
         "; la dependencia que la atiende lo verá.";
}

std::string PrivacyNotice(std::string_view full_notice_url) {
  return "Aviso de privacidad: el H. Ayuntamiento de Mazatlán, por medio de la Dirección de "
         "Atención Ciudadana, usa los datos que nos compartes (nombre, teléfono, ubicación, fotos "
         "y lo que nos cuentas) solo para atender tu petición y darle seguimiento. Consulta el "
         "aviso completo en " + std::string(full_notice_url) + ".";
}

std::string AskLocation(std::string_view folio, bool pin) {
  return "Para atender tu folio " + std::string(folio) + " necesitamos saber dónde es: ¿en qué "
         "colonia y calle (o entre qué calles)?" +
         std::string(pin ? " También puedes mandarnos tu ubicación." : "");
}

std::string AttachmentTooLarge() {
  return "Uno de tus archivos adjuntos era demasiado grande y no pudimos recibirlo; registramos tu "
         "petición sin él. Si es importante, mándalo más ligero (o en partes) respondiendo a este "
         "mensaje.";
}

std::string AttachmentTooLargeFor(std::string_view folio) {
  return "Uno de los archivos de tu folio " + std::string(folio) +
         " era demasiado grande y no pudimos recibirlo; tu petición sigue registrada sin él. Si "
         "es importante, mándalo más ligero (o en partes) respondiendo a este mensaje.";
}

std::string LocationAdded(std::string_view folio) {
  return "Gracias, agregamos la ubicación a tu folio " + std::string(folio) + ".";
}

std::string LocationOutsideTheArea() {
  return "La ubicación que enviaste queda fuera del municipio de Mazatlán, así que no la "
         "agregamos. Si el problema está en Mazatlán, envía la ubicación del lugar (no la tuya si "
         "estás lejos) o escribe la calle y la colonia.";
}

namespace {

std::string StatusWords(const BoletaView& b) {
  const std::string dependencia = b.dependencia.empty() ? "la dependencia" : b.dependencia;
  if (b.status == "por_clasificar") {
    return "la estamos revisando para turnarla a la dependencia que corresponde";
  }
  if (b.status == "canalizada") return "está turnada a " + dependencia + ", que aún no la abre";
  if (b.status == "leida") return dependencia + " ya la recibió";
  if (b.status == "programada") {
    return dependencia + " la programó" + (b.scheduled.empty() ? "" : " para el " + b.scheduled);
  }
  if (b.status == "en_seguimiento") return dependencia + " está trabajando en ella";
  if (b.status == "atendida") return dependencia + " la reporta como atendida";
  if (b.status == "validada" || b.status == "cerrada") return "está atendida y cerrada";
  if (b.status == "inconformidad") {
    return "la reabrimos por tu inconformidad y " + dependencia + " la atiende de nuevo";
  }
  if (b.status == "no_procede") {
    return "no procede" + (b.reason.empty() ? std::string() : ": " + b.reason);
  }
  if (b.status == "duplicada") {
    return "es el mismo problema que ya atendemos con el folio " + b.original;
  }
  return "está en trámite";
}

bool Open(const BoletaView& b) {
  return b.status != "atendida" && b.status != "validada" && b.status != "cerrada" &&
         b.status != "no_procede" && b.status != "duplicada";
}

}  // namespace

std::string BoletaStatusAnswer(const BoletaView& b) {
  std::string text = "Tu folio " + b.folio + " (del " + b.created + "): " + StatusWords(b) + ".";
  if (Open(b) && !b.due.empty()) text += " Tiene plazo hasta el " + b.due + ".";
  if (!b.latest_note.empty()) text += " Último aviso: «" + b.latest_note + "».";
  return text;
}

std::string FolioNotTheirs(std::string_view folio) {
  return "El folio " + std::string(folio) + " no está registrado a tu nombre, así que no podemos "
         "darte detalles. Si es tuyo, escríbenos desde el número o la cuenta con que lo reportaste, "
         "o llámanos a Atención Ciudadana.";
}

std::string FolioNotFound(std::string_view folio) {
  return "No encontramos el folio " + std::string(folio) +
         ". Revisa que esté completo, por ejemplo 2026-000123.";
}

std::string OpenBoletasList(const std::vector<BoletaView>& boletas) {
  std::string text = "Estos son tus reportes en trámite:";
  for (const BoletaView& b : boletas) text += "\n• " + b.folio + ": " + StatusWords(b) + ".";
  return text + "\nPara más detalle, escríbenos el folio.";
}

std::string NoOpenBoletas() {
  return "No tienes reportes en trámite con nosotros. Si quieres reportar algo, cuéntanos qué "
         "pasa y dónde.";
}

std::string AskAccountData() {
  return "Con gusto. Tesorería te dará el saldo: mándanos la clave catastral (viene en tu recibo "
         "de predial) o, si es de multas de tránsito, las placas del vehículo.";
}

std::string AccountRequestRegistered(std::string_view folio) {
  return "Registramos tu solicitud de estado de cuenta con el folio " + std::string(folio) +
         ". Tesorería revisará el saldo y te responderemos por este medio.";
}

std::string AskCurp() {
  return "Con gusto te ayudamos con tu CURP. Si ya la tienes y quieres corregirla, mándanos tu "
         "CURP (18 letras y números). Si quieres tramitarla, mándanos tu nombre completo, fecha y "
         "estado de nacimiento.";
}

std::string CurpLooksWrong(std::string_view curp) {
  return "La CURP " + std::string(curp) + " parece tener un error: el último dígito no "
         "corresponde. ¿Nos la mandas de nuevo, revisando letra por letra? Viene en tu acta o tu "
         "credencial.";
}

std::string CurpRequestRegistered(std::string_view folio) {
  return "Registramos tu trámite de CURP con el folio " + std::string(folio) + ". El equipo de "
         "Atención Ciudadana lo revisará con RENAPO y te avisará por este medio cuando esté listo.";
}

std::string NotUnderstood() {
  return "Perdón, no entendimos qué necesitas. Para reportar algo, cuéntanos qué pasa y dónde "
         "(colonia y calle). Si ya tienes un folio, escríbelo y te decimos cómo va.";
}

std::string SpanishDate(int year, unsigned month, unsigned day) {
  return std::to_string(day) + " de " + SpanishMonth(month) + " de " + std::to_string(year);
}

std::string ScheduledNotice(std::string_view folio, std::string_view dependencia,
                            std::string_view date) {
  return "Tu reporte con folio " + std::string(folio) + " quedó programado: " +
         std::string(dependencia) + " lo atenderá el " + std::string(date) + ".";
}

std::string AttendedNotice(std::string_view folio, std::string_view dependencia) {
  return std::string(dependencia) + " reporta como atendido tu folio " + std::string(folio) +
         ". Si no quedó resuelto, respóndenos a este mensaje y le damos seguimiento.";
}

std::string NotProceedingNotice(std::string_view folio, std::string_view reason) {
  return "Revisamos tu folio " + std::string(folio) + " y no procede" +
         (reason.empty() ? std::string(".") : ": " + std::string(reason) + ".") +
         " Si tienes dudas, respóndenos a este mensaje.";
}

std::string OverdueCheckIn(std::string_view folio, std::string_view dependencia) {
  return "Tu reporte con folio " + std::string(folio) + " cumplió el plazo de días hábiles y " +
         std::string(dependencia) + " aún no lo reporta como atendido. Atención Ciudadana ya le "
         "está dando seguimiento; te avisaremos por este medio.";
}

std::string SurveyQuestion(std::string_view folio, std::string_view month) {
  return "Hola, en " + std::string(month) + " atendimos tu reporte con folio " + std::string(folio) +
         ". ¿Quedó resuelto? Responde SÍ o NO; si quieres, cuéntanos cómo te atendieron.";
}

std::string StaffQuestion(std::string_view folio, std::string_view question) {
  return "Sobre tu reporte con folio " + std::string(folio) + ", Atención Ciudadana pregunta: " +
         std::string(question) + "\nResponde por este medio, por favor.";
}

std::string SurveyYesButton() { return "Sí, quedó"; }
std::string SurveyNoButton() { return "No quedó"; }

std::string SurveyThanksResolved(std::string_view folio) {
  return "¡Gracias! Nos da gusto que tu reporte " + std::string(folio) + " quedara resuelto.";
}

std::string SurveyThanksReopened(std::string_view folio, std::string_view dependencia) {
  return "Lamentamos que no quedara resuelto. Reabrimos tu folio " + std::string(folio) + " y " +
         std::string(dependencia) + " lo atenderá de nuevo; te avisaremos por este medio.";
}

std::string SpanishMonth(unsigned month) {
  static constexpr const char* kMonths[] = {"enero",      "febrero", "marzo",     "abril",
                                            "mayo",       "junio",   "julio",     "agosto",
                                            "septiembre", "octubre", "noviembre", "diciembre"};
  return month >= 1 && month <= 12 ? kMonths[month - 1] : "";
}

std::string MarkedDuplicate(std::string_view folio, std::string_view original_folio) {
  return "Tu reporte con folio " + std::string(folio) +
         " es sobre lo mismo que ya atendemos con el folio " + std::string(original_folio) +
         ". Lo seguimos ahí y te avisaremos por este medio cómo avanza.";
}

}  // namespace sac::conversation
