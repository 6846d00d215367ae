// The staff web at / of `sac serve`: server-rendered HTML in Spanish for Atención Ciudadana,
// the enlaces of the dependencias and the directors. This part is the door: sign-in (throttled,
// argon2id), sign-out, the first-time password change, the home page with each role's counts,
// the stylesheet, and the rules every page follows — deny by default (no session: to /login;
// a role a page is not for: 403), CSRF token plus same-origin check on every POST, nothing
// changes on GET, and a Content-Security-Policy without inline scripts.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "classify/classifier_holder.h"
#include "core/clock.h"
#include "http/router.h"
#include "media/media_store.h"
#include "storage/database.h"
#include "web/html.h"
#include "web/staff_session.h"
#include "workflow/boleta_workflow.h"
#include "workflow/local_time.h"
#include "workflow/sla.h"

namespace sac::web {

// Which roles may open a page: the single table the role × route tests walk.
struct StaffPage {
  std::string method;
  std::string path;
  std::vector<std::string> roles;
};
const std::vector<StaffPage>& StaffPages();

// Our own small stylesheet, served at /static/sac.css.
const char* StaffStylesheet();
// The statistics page's chart script, served at /static/estadisticas.js.
const char* StatisticsScript();
// The classification queue's keyboard shortcuts, served at /static/bandeja.js.
const char* QueueScript();
inline constexpr const char* kStaffRoles[] = {"administrador", "atencion_ciudadana", "enlace",
                                              "director"};

class StaffWeb {
 public:
  StaffWeb(storage::Database& database, const workflow::BoletaWorkflow& workflow,
           classify::ClassifierHolder& classifiers, const workflow::SlaClock& sla,
           const workflow::LocalTime& local, const media::MediaStore& media, const Clock& clock,
           SessionSettings settings)
      : database_(database),
        workflow_(workflow),
        classifiers_(classifiers),
        sla_(sla),
        local_(local),
        media_(media),
        clock_(clock),
        sessions_(clock, settings) {}

  void AddRoutes(http::Router& router);

  // A photo attached at Captura; the form takes up to three.
  static constexpr std::size_t kMaxPhotoBytes = 8 * 1024 * 1024;

 private:
  HttpResponse LoginForm(const HttpRequest& request);
  HttpResponse Login(const HttpRequest& request);
  HttpResponse Logout(const HttpRequest& request);
  // A new session after every check passed: its cookie, the sign-in's cookies gone.
  HttpResponse SignedIn(storage::Tx& tx, const HttpRequest& request, std::int64_t user_id,
                        bool must_change_password);
  HttpResponse Home(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse PasswordForm(storage::Tx& tx, const HttpRequest& request,
                            const StaffSession& session);
  HttpResponse ChangePassword(storage::Tx& tx, const HttpRequest& request,
                              const StaffSession& session);

  // The second factor (second_factor_pages.cc): the code asked after a right password, and the
  // page where each person turns it on with their phone.
  HttpResponse LoginCode(const HttpRequest& request);
  HttpResponse SecurityPage(storage::Tx& tx, const HttpRequest& request,
                            const StaffSession& session);
  HttpResponse EnableSecondFactor(storage::Tx& tx, const HttpRequest& request,
                                  const StaffSession& session);
  HttpResponse SecurityPageWith(storage::Tx& tx, int status, const Html& notice,
                                std::string_view error, const StaffSession& session);

  // The bandeja de clasificación (classification_queue.cc): what waits for a person, and the
  // decisions on each boleta.
  HttpResponse Queue(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse Canalize(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse NotProceeding(storage::Tx& tx, const HttpRequest& request,
                             const StaffSession& session);
  HttpResponse MarkDuplicate(storage::Tx& tx, const HttpRequest& request,
                             const StaffSession& session);
  HttpResponse AskCitizen(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  // Captura (capture.cc): petitions by phone, at the módulo, on a recorrido.
  HttpResponse CaptureForm(storage::Tx& tx, const HttpRequest& request,
                           const StaffSession& session);
  HttpResponse Capture(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse Captured(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse CaptureHint(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse CapturePage(int status, const StaffSession& session,
                           const std::map<std::string, std::string, std::less<>>& values,
                           std::string_view problem);

  // Bandeja de la dependencia (dependencia_inbox.cc).
  HttpResponse DependenciaInbox(storage::Tx& tx, const HttpRequest& request,
                                const StaffSession& session);
  HttpResponse MarkRead(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);

  // The boleta (boleta_page.cc): its page, status changes, notes, a reply to the citizen.
  HttpResponse BoletaPage(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse BoletaChange(storage::Tx& tx, const HttpRequest& request,
                            const StaffSession& session);
  HttpResponse BoletaNote(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse BoletaReply(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  // A photo, voice note or document of the boleta, served so that it can never run as a page.
  HttpResponse BoletaFile(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);

  // Seguimiento diario (follow_up.cc): today's calls to the dependencias, and recording one.
  HttpResponse FollowUp(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse RecordCall(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);

  // Búsqueda (search.cc).
  HttpResponse Search(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);

  // Estadísticas del mes (statistics.cc).
  HttpResponse Statistics(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);

  // Validación mensual (validation.cc): the report and the calls for what the survey left.
  HttpResponse Validation(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse RecordValidation(storage::Tx& tx, const HttpRequest& request,
                                const StaffSession& session);

  // Reunión mensual (meeting.cc): the meeting pack on screen, as PDF, CSV and XLSX.
  HttpResponse Meeting(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);

  // Administración (admin.cc, admin_users.cc, admin_catalogues.cc): administrators only.
  HttpResponse AdminHome(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse AdminRules(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse RulesPage(storage::Tx& tx, int status, const HttpRequest& request,
                         const StaffSession& session, std::string_view problems);
  HttpResponse ReloadRules(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse ProposedCases(storage::Tx& tx, const HttpRequest& request,
                             const StaffSession& session);
  HttpResponse MarkCasesAdded(storage::Tx& tx, const HttpRequest& request,
                              const StaffSession& session);
  HttpResponse AdminUsers(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse UsersPage(storage::Tx& tx, int status, const StaffSession& session,
                         std::string_view notice, std::string_view problem);
  HttpResponse CreateUser(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse ChangeUser(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse AdminDependencias(storage::Tx& tx, const HttpRequest& request,
                                 const StaffSession& session);
  HttpResponse AdminCalendar(storage::Tx& tx, const HttpRequest& request,
                             const StaffSession& session);
  HttpResponse AdminTemplates(storage::Tx& tx, const HttpRequest& request,
                              const StaffSession& session);
  HttpResponse Quarantine(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse RetryQuarantined(storage::Tx& tx, const HttpRequest& request,
                                const StaffSession& session);
  HttpResponse MailReviewed(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  // Replies SAC could not settle by itself (admin_sends.cc).
  HttpResponse Sends(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse SendAgain(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse RecordSent(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);

  // Exports (exports.cc): a month as CSV/XLSX for staff; open data (no personal data) for all.
  HttpResponse Export(storage::Tx& tx, const HttpRequest& request, const StaffSession& session);
  HttpResponse OpenData(const HttpRequest& request);
  // The public page that lists the months and says what each field means.
  HttpResponse OpenDataIndex(const HttpRequest& request);

  // After a queue decision: back to the queue, saying what was done, or the refusal's reason.
  HttpResponse QueueOutcome(const StaffSession& session, const Result<std::string>& done);

  // Runs `page`, in one transaction, for a signed-in user whose role the page admits; otherwise
  // the redirect to /login or a 403. POSTs must also pass the CSRF and origin checks.
  using Page = HttpResponse (StaffWeb::*)(storage::Tx&, const HttpRequest&, const StaffSession&);
  HttpResponse Guard(const HttpRequest& request, std::string_view path, Page page);

  storage::Database& database_;
  const workflow::BoletaWorkflow& workflow_;
  classify::ClassifierHolder& classifiers_;  // the rules page may reload them
  const workflow::SlaClock& sla_;
  const workflow::LocalTime& local_;
  const media::MediaStore& media_;
  const Clock& clock_;
  SessionStore sessions_;
};

}  // namespace sac::web
