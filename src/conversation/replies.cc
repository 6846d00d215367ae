#include "conversation/replies.h"

namespace sac::conversation {

std::string BoletaRegistered(std::string_view folio) {
  return "¡Gracias por escribirnos! Registramos tu petición con el folio " + std::string(folio) +
         ". El equipo de Atención Ciudadana la revisará y la turnará a la dependencia que "
         "corresponde; te avisaremos por este medio. Guarda tu folio para preguntar cómo va.";
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

std::string MarkedDuplicate(std::string_view folio, std::string_view original_folio) {
  return "Tu reporte con folio " + std::string(folio) +
         " es sobre lo mismo que ya atendemos con el folio " + std::string(original_folio) +
         ". Lo seguimos ahí y te avisaremos por este medio cómo avanza.";
}

}  // namespace sac::conversation
