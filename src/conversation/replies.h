// What SAC says to citizens, in plain Mexican Spanish. Every citizen-facing text lives here, so
// wording changes never touch the logic that decides when to say it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sac::conversation {

// A new petition has a folio and waits for staff to route it.
std::string BoletaRegistered(std::string_view folio);

// New petitions from someone who sent more than a person does in a day: they wait for staff.
// `folios`: those held since the last time this was said (the first 20 are named).
std::string PetitionsHeld(const std::vector<std::string>& folios);

// A new petition the rules engine routed at once.
std::string BoletaRouted(std::string_view folio, std::string_view dependencia_name,
                         int business_days);

// A new petition that is not the municipality's: who attends it, and that the office follows it.
std::string BoletaExternal(std::string_view folio, std::string_view contact);

// The citizen opened the conversation (Telegram /start, Messenger "Empezar").
std::string Welcome();

// The citizen shared their own phone number (Telegram): their reports on every channel are one.
std::string PhoneLinked();

// We cannot read this kind of message (sticker packs, contact cards, unknown types).
std::string UnsupportedMessage();

// The citizen wrote again about an existing boleta (a reply, its folio, a survey answer).
std::string NoteAdded(std::string_view folio);
// Atención Ciudadana asks the citizen for more about a report (their own words in `question`).
std::string StaffQuestion(std::string_view folio, std::string_view question);

// The aviso de privacidad simplificado, shown on first contact on each channel.
std::string PrivacyNotice(std::string_view full_notice_url);

// A report arrived without colonia, street or pin: asked once. `pin` when the channel can send a
// location (WhatsApp, Telegram, Messenger).
std::string AskLocation(std::string_view folio, bool pin);
// Added to the acknowledgement when an attachment never reached us whole (Media::too_large).
std::string AttachmentTooLarge();
// Sent when a file of folio `folio` turned out, on download, to be larger than SAC takes.
std::string AttachmentTooLargeFor(std::string_view folio);
// The answer arrived and was added.
std::string LocationAdded(std::string_view folio);
// A pin outside the area the municipality attends (core/service_area.h): not taken.
std::string LocationOutsideTheArea();

// A boleta in plain words, for the citizen who asks about it.
struct BoletaView {
  std::string folio;
  std::string status;        // por_clasificar, canalizada, ...
  std::string dependencia;   // its display name, "" when not routed
  std::string created;       // "10 de marzo de 2026"
  std::string due;           // "" when no deadline runs
  std::string scheduled;     // "" unless programada
  std::string reason;        // no procede / returned
  std::string original;      // the folio a duplicada follows
  std::string latest_note;   // the last public note of staff or the dependencia
};
std::string BoletaStatusAnswer(const BoletaView& boleta);
// The folio exists but is someone else's: nothing about it is said.
std::string FolioNotTheirs(std::string_view folio);
std::string FolioNotFound(std::string_view folio);
// "¿Cómo van mis reportes?" without a folio.
std::string OpenBoletasList(const std::vector<BoletaView>& boletas);
std::string NoOpenBoletas();

// Estados de cuenta (predial, multas): the treasury answers; SAC collects what it needs.
std::string AskAccountData();
std::string AccountRequestRegistered(std::string_view folio);

// Trámite CURP.
std::string AskCurp();
std::string CurpLooksWrong(std::string_view curp);  // the check digit does not match
std::string CurpRequestRegistered(std::string_view folio);

// A message SAC cannot tell what to do with (said once in a while, not to every message).
std::string NotUnderstood();

// "10 de marzo de 2026".
std::string SpanishDate(int year, unsigned month, unsigned day);

// Status changes the citizen is told about (and so are those following the boleta).
std::string ScheduledNotice(std::string_view folio, std::string_view dependencia,
                            std::string_view date);
std::string AttendedNotice(std::string_view folio, std::string_view dependencia);
std::string NotProceedingNotice(std::string_view folio, std::string_view reason);

// The deadline passed and the report is not attended yet: the office is following it.
std::string OverdueCheckIn(std::string_view folio, std::string_view dependencia);

// The monthly survey's question (one per boleta attended last month), and its thanks.
// `month`: "marzo".
std::string SurveyQuestion(std::string_view folio, std::string_view month);
// The one-tap answers offered with it (WhatsApp: at most 20 characters each).
std::string SurveyYesButton();
std::string SurveyNoButton();
std::string SurveyThanksResolved(std::string_view folio);
std::string SurveyThanksReopened(std::string_view folio, std::string_view dependencia);
// Spanish month name, 1-12.
std::string SpanishMonth(unsigned month);

// Staff found the same petition already registered: the citizen follows the original.
std::string MarkedDuplicate(std::string_view folio, std::string_view original_folio);

}  // namespace sac::conversation
