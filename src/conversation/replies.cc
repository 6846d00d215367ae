#include "conversation/replies.h"

namespace sac::conversation {

std::string BoletaRegistered(std::string_view folio) {
  return "¡Gracias por escribirnos! Registramos tu petición con el folio " + std::string(folio) +
         ". El equipo de Atención Ciudadana la revisará y la turnará a la dependencia que "
         "corresponde; te avisaremos por este medio. Guarda tu folio para preguntar cómo va.";
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
