// Conversation scripts: a citizen's messages, one after another through the real pipeline and
// PostgreSQL with a fake clock, and what SAC answers and records each time.
#include "conversation/inbound_handler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include <map>
#include <thread>

#include "channels/whatsapp/whatsapp_channel.h"
#include "http/curl_client.h"
#include "outbox/sender.h"
#include "tests/support/fake_provider.h"

#include "classify/classifier_holder.h"
#include "intake/inbox_dispatcher.h"
#include "intake/inbox_writer.h"
#include "intake/pipeline.h"
#include "observability/metrics.h"
#include "routing/dependencias.h"
#include "outbox/outbox_writer.h"
#include "privacy/citizen_rights.h"
#include "scheduler/jobs.h"
#include "tests/support/fake_clock.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac::conversation {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestDatabase;
using namespace std::chrono_literals;

TimePoint Utc(int y, unsigned mo, unsigned d, int h) {
  using namespace std::chrono;
  return TimePoint(sys_days(year_month_day{year{y}, month{mo}, day{d}}) + hours{h});
}

class ConversationTest : public ::testing::Test {
 protected:
  ConversationTest()
      : database_(db_.Settings()),
        writer_(database_, clock_),
        calendar_(*workflow::BusinessCalendar::Load(sac::testing::SourceDir() / "rules/calendario.toml")),
        local_(*workflow::LocalTime::Load("America/Mazatlan")),
        sla_(calendar_, local_),
        classifiers_(std::move(*classify::ClassifierHolder::Load(sac::testing::SourceDir() / "rules"))),
        workflow_(sla_, clock_),
        handler_(clock_, *classifiers_, workflow_, local_, Config()),
        dispatcher_(handler_, clock_),
        pipeline_(database_, dispatcher_, QueueSettings{1, 1000ms, 5, 1000ms, 60000ms}, clock_,
                  metrics_) {
    db_.SeedDependencias();
  }

  static ConversationConfig Config() {
    ConversationConfig config;
    config.privacy_version = "2026-01";
    config.privacy_url = "https://mazatlan.gob.mx/privacidad";
    return config;
  }

  // The citizen sends `message` (a WhatsApp text unless changed); returns what SAC answered.
  std::vector<std::string> Send(InboundMessage message) {
    message.external_id = "wamid." + std::to_string(++sent_);
    const auto before = db_.Count("SELECT coalesce(max(id), 0) FROM outbox");
    ParsedWebhook parsed;
    parsed.messages.push_back(std::move(message));
    EXPECT_TRUE(writer_.Store(parsed.messages[0].channel, "raw", parsed));
    for (;;) {
      auto found = pipeline_.RunOnce();
      EXPECT_TRUE(found);
      if (!found || !*found) break;
    }
    std::vector<std::string> replies;
    const std::string bodies = db_.Scalar(
        "SELECT coalesce(string_agg(body, '\x1f' ORDER BY id), '') FROM outbox WHERE id > " +
        std::to_string(before));
    std::size_t start = 0;
    while (!bodies.empty() && start <= bodies.size()) {
      const auto end = std::min(bodies.find('\x1f', start), bodies.size());
      replies.push_back(bodies.substr(start, end - start));
      start = end + 1;
    }
    return replies;
  }

  InboundMessage Text(std::string text, std::string sender = "5216691234501") {
    InboundMessage message;
    message.channel = "whatsapp";
    message.account_id = "110220330440550";
    message.sender_id = sender;
    message.sender_phone = "+52" + sender.substr(3);
    message.type = MessageType::kText;
    message.text = std::move(text);
    return message;
  }
  std::vector<std::string> Say(std::string text, std::string sender = "5216691234501") {
    return Send(Text(std::move(text), std::move(sender)));
  }
  std::vector<std::string> SendPhoto(std::string caption = "") {
    InboundMessage photo = Text(std::move(caption));
    photo.type = MessageType::kImage;
    Media media;
    media.provider_media_id = "media-" + std::to_string(sent_ + 1);
    media.kind = MessageType::kImage;
    media.mime_type = "image/jpeg";
    photo.media.push_back(media);
    return Send(photo);
  }
  std::vector<std::string> SendPin(double latitude = 23.2418, double longitude = -106.4112) {
    InboundMessage pin = Text("");
    pin.type = MessageType::kLocation;
    pin.location = GeoPoint{latitude, longitude, "", ""};
    return Send(pin);
  }
  std::int64_t Boletas() { return db_.Count("SELECT count(*) FROM boleta"); }

  TestDatabase db_;
  sac::testing::FakeClock clock_{Utc(2026, 3, 10, 17)};
  Metrics metrics_;
  storage::Database database_;
  intake::InboxWriter writer_;
  workflow::BusinessCalendar calendar_;
  workflow::LocalTime local_;
  workflow::SlaClock sla_;
  std::unique_ptr<classify::ClassifierHolder> classifiers_;
  workflow::BoletaWorkflow workflow_;
  InboundHandler handler_;
  intake::InboxDispatcher dispatcher_;
  intake::Pipeline pipeline_;
  int sent_ = 0;
};

TEST_F(ConversationTest, AGreetingGetsTheWelcomeOnceAndNoBoleta) {
  const auto first = Say("Hola, buenas tardes");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_THAT(first[0], HasSubstr("Somos Atención Ciudadana"));
  EXPECT_THAT(first[0], HasSubstr("Aviso de privacidad")) << "first contact on the channel";
  EXPECT_TRUE(Say("holaaaa").empty()) << "not a welcome for every hello";
  EXPECT_EQ(Boletas(), 0);
  clock_.Advance(24h);
  EXPECT_EQ(Say("buenos días").size(), 1u);
}

TEST_F(ConversationTest, ThePrivacyNoticeGoesWithTheFirstReplyOfEachChannelAndEachNewVersion) {
  EXPECT_THAT(Say("hay una fuga de agua en la col. Juárez calle Laureles")[0], HasSubstr("Aviso de privacidad"));
  clock_.Advance(1h);
  EXPECT_THAT(Say("hay un bache enorme en la colonia Juárez calle Aquiles Serdán")[0],
              Not(HasSubstr("Aviso de privacidad")));
  InboundMessage telegram = Text("se fue la luz de la calle en la colonia Juárez");
  telegram.channel = "telegram";
  telegram.sender_id = "512345678";
  telegram.sender_phone.clear();
  EXPECT_THAT(Send(telegram)[0], HasSubstr("Aviso de privacidad")) << "a new channel";
  EXPECT_EQ(db_.Scalar("SELECT string_agg(privacy_version, ',') FROM conversation"), "2026-01,2026-01");
}

TEST_F(ConversationTest, AReportWithoutAPlaceIsAskedWhereOnceAndTheAnswerFillsIt) {
  const auto replies = Say("hay una fuga de agua enorme, ya lleva dos días tirando agua");
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_THAT(replies[0], HasSubstr("folio 2026-000001"));
  EXPECT_THAT(replies[1], HasSubstr("¿en qué colonia y calle"));
  EXPECT_THAT(replies[1], HasSubstr("ubicación")) << "WhatsApp can send a pin";
  EXPECT_EQ(db_.Scalar("SELECT location_missing FROM boleta"), "t") << "staff see it";

  clock_.Advance(5min);
  const auto answered = Say("en la colonia Juárez, calle Laureles entre Río Piaxtla y Río Baluarte");
  ASSERT_EQ(answered.size(), 1u);
  EXPECT_THAT(answered[0], HasSubstr("agregamos la ubicación a tu folio 2026-000001"));
  EXPECT_EQ(Boletas(), 1);
  EXPECT_EQ(db_.Scalar("SELECT colonia || '|' || location_missing FROM boleta"), "Benito Juárez|false");
  EXPECT_THAT(db_.Scalar("SELECT address_text FROM boleta"), HasSubstr("laureles"));
}

TEST_F(ConversationTest, APinAnswersWhereAndAQuestionIsAskedOnlyOnce) {
  Say("la lámpara del poste de mi casa no prende");
  clock_.Advance(10min);
  EXPECT_THAT(SendPin(), ::testing::ElementsAre(HasSubstr("agregamos la ubicación")));
  EXPECT_EQ(db_.Scalar("SELECT latitude IS NOT NULL AND NOT location_missing FROM boleta"), "t");

  // Another report without a place, and no answer for longer than the wait: SAC moved on.
  clock_.Advance(1h);
  Say("hay mucha basura tirada en el arroyo");
  clock_.Advance(2h);
  const auto later = Say("también se cayó un árbol en la banqueta");
  EXPECT_EQ(Boletas(), 3) << "the late message is its own report, not the lost answer";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta WHERE location_missing"), 2);
  EXPECT_EQ(later.size(), 2u);
}

// A pin outside the municipality — 0,0 from a phone without a fix, or where a visitor is — is not
// a problem's place: not taken, and the citizen is told; the question about the place stays open.
TEST_F(ConversationTest, APinOutsideTheMunicipalityIsNotTakenAndTheCitizenIsTold) {
  Say("la lámpara del poste de mi casa no prende");
  clock_.Advance(10min);
  EXPECT_THAT(SendPin(0, 0), ::testing::ElementsAre(HasSubstr("fuera del municipio de Mazatlán")));
  EXPECT_EQ(db_.Scalar("SELECT (latitude IS NULL)::text || ' ' || location_missing::text"
                       " FROM boleta"),
            "true true");
  EXPECT_THAT(SendPin(), ::testing::ElementsAre(HasSubstr("agregamos la ubicación")))
      << "the right pin still answers the question";
  EXPECT_EQ(db_.Scalar("SELECT latitude IS NOT NULL AND NOT location_missing FROM boleta"), "t");

  clock_.Advance(1h);
  EXPECT_THAT(SendPin(24.8091, -107.3940), ::testing::ElementsAre(HasSubstr("fuera del municipio")))
      << "a pin alone from Culiacán starts no report";
  EXPECT_EQ(Boletas(), 1);
}

TEST_F(ConversationTest, APhotoAndAPinMomentsAfterAReportAreThatReport) {
  Say("hay un bache enorme frente a mi casa en la colonia Juárez calle Laureles");
  clock_.Advance(40s);
  EXPECT_TRUE(SendPhoto().empty()) << "no reply to each piece";
  clock_.Advance(40s);
  EXPECT_TRUE(SendPin().empty());
  EXPECT_EQ(Boletas(), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_media"), 1);
  EXPECT_EQ(db_.Scalar("SELECT latitude IS NOT NULL FROM boleta"), "t");

  // Another problem for another dependencia, right after: its own boleta.
  clock_.Advance(30s);
  Say("y también la lámpara de la esquina está fundida");
  EXPECT_EQ(Boletas(), 2);
  // Much later, a photo is a new report.
  clock_.Advance(1h);
  EXPECT_EQ(SendPhoto("otro bache en la colonia Juárez").size(), 1u);
  EXPECT_EQ(Boletas(), 3);
}

TEST_F(ConversationTest, TheStatusOfAFolioIsToldOnlyToItsCitizen) {
  Say("hay una fuga de agua en la colonia Juárez calle Laureles");
  clock_.Advance(1h);
  const auto mine = Say("¿cómo va mi folio 2026-000001?");
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_THAT(mine[0], HasSubstr("Tu folio 2026-000001 (del 10 de marzo de 2026)"));
  EXPECT_THAT(mine[0], HasSubstr("JUMAPAM"));
  // Ten business days from Tuesday 10 March, Monday 16 March (Benito Juárez) not counted.
  EXPECT_THAT(mine[0], HasSubstr("plazo hasta el 25 de marzo de 2026"));

  const auto other = Say("como va el folio 2026-000001", "5216699999999");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_THAT(other[0], HasSubstr("no está registrado a tu nombre"));
  EXPECT_THAT(other[0], Not(HasSubstr("JUMAPAM")));

  EXPECT_THAT(Say("¿qué pasó con el folio 2026-009999?")[0], HasSubstr("No encontramos el folio"));
  const auto list = Say("como van mis reportes?");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_THAT(list[0], HasSubstr("2026-000001: está turnada a JUMAPAM"));
  EXPECT_EQ(Boletas(), 1);
}

TEST_F(ConversationTest, AnEstadoDeCuentaCollectsTheClaveAndGoesToTesoreria) {
  const auto asked = Say("quiero saber mi estado de cuenta del predial");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_THAT(asked[0], HasSubstr("clave catastral"));
  EXPECT_EQ(Boletas(), 0);
  const auto registered = Say("011-000-012-345-001");
  ASSERT_EQ(registered.size(), 1u);
  EXPECT_THAT(registered[0], HasSubstr("Tesorería revisará el saldo"));
  EXPECT_EQ(db_.Scalar("SELECT dependencia_id || ':' || intent FROM boleta"), "tesoreria:estado_cuenta");
  EXPECT_THAT(db_.Scalar("SELECT text FROM boleta"), HasSubstr("011-000-012-345-001"));

  clock_.Advance(1h);
  Say("cuanto debo de multas? las placas son VKL-123-A");
  EXPECT_EQ(Boletas(), 2) << "the data came with the question";
}

TEST_F(ConversationTest, ACurpWithAWrongDigitIsPointedOutKindly) {
  const auto wrong = Say("necesito corregir mi CURP GODE561231HDFRRN09");
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_THAT(wrong[0], HasSubstr("parece tener un error"));
  EXPECT_EQ(Boletas(), 0);
  const auto right = Say("perdón, es MAHJ280603MSPRRV09");
  ASSERT_EQ(right.size(), 1u);
  EXPECT_THAT(right[0], HasSubstr("trámite de CURP con el folio"));
  EXPECT_EQ(db_.Scalar("SELECT dependencia_id || ':' || intent FROM boleta"), "atencion_ciudadana:curp");

  clock_.Advance(1h);
  EXPECT_THAT(Say("quiero sacar mi curp")[0], HasSubstr("nombre completo, fecha y estado de nacimiento"));
  Say("Juan Pérez López, 3 de junio de 1990, Sinaloa");
  EXPECT_EQ(Boletas(), 2) << "the data to make one is enough";
}

TEST_F(ConversationTest, WhatSacCannotTellIsAnsweredOnceInAWhile) {
  EXPECT_THAT(Say("jajaja ok")[0], HasSubstr("no entendimos"));
  EXPECT_TRUE(Say("jajaja").empty());
  EXPECT_EQ(Boletas(), 0);
}

// --- What SAC says on its own: status changes, the 10-day check-in, the monthly survey -------

TEST_F(ConversationTest, AFloodOfTheSameReportIsOneBoletaAndOneAnswer) {
  std::size_t replies = 0;
  for (int i = 0; i < 8; ++i) {
    replies += Say("HAY UNA FUGA DE AGUA EN LA COLONIA JUAREZ CALLE LAURELES!!!").size();
    clock_.Advance(20s);
  }
  EXPECT_EQ(Boletas(), 1);
  EXPECT_EQ(replies, 1u) << "the acknowledgement, then silence while the burst goes on";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note"), 7) << "nothing the citizen said is lost";
}

// More new petitions in a day than a person makes (a bot, a stuck app, a prank): each is still a
// boleta with its folio, but waits for staff, and the citizen hears so once an hour at most.
TEST_F(ConversationTest, PetitionsBeyondTheDailyLimitWaitForStaffAndAreAnsweredOnceAnHour) {
  const auto petition = [&](int n) {
    clock_.Advance(5min);  // past the burst window: each one a petition of its own
    return Say("hay un bache enorme en la calle " + std::to_string(n) + " de la colonia Centro");
  };
  for (int n = 1; n <= 10; ++n) {
    const auto replies = petition(n);
    ASSERT_FALSE(replies.empty());
    EXPECT_THAT(replies[0], Not(HasSubstr("muchos reportes"))) << n;
  }
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta WHERE status = 'canalizada'"), 10);

  const auto eleventh = petition(11);
  ASSERT_EQ(eleventh.size(), 1u) << "no question about the place either";
  EXPECT_THAT(eleventh[0], HasSubstr("folio 2026-000011"));
  EXPECT_THAT(eleventh[0], HasSubstr("muchos reportes"));
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || (classification IS NOT NULL) FROM boleta "
                       "WHERE folio = '2026-000011'"),
            "por_clasificar:true")
      << "read by the rules for staff to see, routed by no machine";
  EXPECT_EQ(db_.Scalar("SELECT detail->>'peticiones' FROM boleta_event WHERE kind = 'retenida'"),
            "11");
  EXPECT_TRUE(petition(12).empty()) << "told a moment ago: a bot gets no answer to each message";
  EXPECT_EQ(Boletas(), 12) << "nothing is lost";
  EXPECT_EQ(db_.Scalar("SELECT location_missing FROM boleta WHERE folio = '2026-000012'"), "f")
      << "flagged as usual (this one names its colonia)";
  clock_.Advance(1h);
  EXPECT_THAT(petition(13),
              ::testing::ElementsAre(HasSubstr("los folios 2026-000012 y 2026-000013")))
      << "every folio held since the last time";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta WHERE status = 'por_clasificar'"), 3);

  clock_.Advance(24h);
  const auto next_day = petition(14);
  ASSERT_FALSE(next_day.empty());
  EXPECT_THAT(next_day[0], Not(HasSubstr("muchos reportes")));
  EXPECT_EQ(db_.Scalar("SELECT status FROM boleta WHERE folio = '2026-000014'"), "canalizada");
  const auto other = Say("hay un bache enorme en la calle 20 de la colonia Centro", "5216690000002");
  ASSERT_FALSE(other.empty());
  EXPECT_THAT(other[0], Not(HasSubstr("muchos reportes"))) << "another sender is not held back";
}

// The same script on every channel a citizen can write from: a report without a place, the
// question where (a pin offered only where the app can send one), the answer, the status by folio.
struct ChannelIdentity {
  const char* channel;
  const char* sender;
  const char* phone;  // "" when the channel does not tell
  bool can_send_pin;
};

class EveryChannelTest : public ConversationTest,
                         public ::testing::WithParamInterface<ChannelIdentity> {
 protected:
  std::vector<std::string> Write(std::string text) {
    InboundMessage message = Text(std::move(text));
    message.channel = GetParam().channel;
    message.account_id = std::string(GetParam().channel) == "whatsapp" ? "110220330440550" : "";
    message.sender_id = GetParam().sender;
    message.sender_phone = GetParam().phone;
    return Send(message);
  }
};

TEST_P(EveryChannelTest, AReportIsAskedWhereOnceFilledAndItsStatusToldOnTheSameChannel) {
  const bool chat = std::string(GetParam().channel) != "email";
  const auto replies = Write("hay una fuga de agua enorme, ya lleva dos días tirando agua");
  ASSERT_EQ(replies.size(), chat ? 2u : 1u);
  EXPECT_THAT(replies[0], HasSubstr("folio 2026-000001"));
  EXPECT_THAT(replies[0], HasSubstr("Aviso de privacidad")) << "first contact on this channel";
  EXPECT_EQ(db_.Scalar("SELECT location_missing FROM boleta"), "t") << "staff see it";
  if (chat) {
    EXPECT_THAT(replies[1], HasSubstr("¿en qué colonia y calle"));
    EXPECT_EQ(replies[1].find("ubicación") != std::string::npos, GetParam().can_send_pin);
    clock_.Advance(5min);
    const auto answered = Write("colonia Juárez, calle Laureles");
    ASSERT_EQ(answered.size(), 1u);
    EXPECT_THAT(answered[0], HasSubstr("agregamos la ubicación a tu folio 2026-000001"));
    EXPECT_EQ(db_.Scalar("SELECT colonia || '|' || location_missing FROM boleta"),
              "Benito Juárez|false");
  }

  clock_.Advance(1h);
  const auto status = Write("como va mi folio 2026-000001");
  ASSERT_EQ(status.size(), 1u);
  EXPECT_THAT(status[0], HasSubstr("Tu folio 2026-000001"));
  EXPECT_THAT(status[0], HasSubstr("JUMAPAM"));

  EXPECT_EQ(Boletas(), 1);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(DISTINCT channel || ':' || recipient, ',') FROM outbox"),
            std::string(GetParam().channel) + ":" + GetParam().sender)
      << "every reply goes back where the citizen wrote from";
}

INSTANTIATE_TEST_SUITE_P(
    Channels, EveryChannelTest,
    ::testing::Values(ChannelIdentity{"whatsapp", "5216691234501", "+526691234501", true},
                      ChannelIdentity{"telegram", "512345678", "", true},
                      ChannelIdentity{"messenger", "7012345678901234", "", true},
                      ChannelIdentity{"instagram", "17841400000000001", "", false},
                      ChannelIdentity{"twilio_sms", "+5216691234501", "+526691234501", false},
                      ChannelIdentity{"email", "martha.pena@correo.example", "", false}),
    [](const auto& test) { return std::string(test.param.channel); });

class ScheduledTest : public ConversationTest {
 protected:
  // A report the dependencia has worked and attended, as of the clock's time.
  std::int64_t AttendedReport(const std::string& sender) {
    Say("hay una fuga de agua en la colonia Juárez calle Laureles", sender);
    const auto id = db_.Count("SELECT max(id) FROM boleta");
    const auto jumapam = workflow::Actor::ForDependencia("jumapam", "api:jumapam");
    Act(jumapam, id, workflow::BoletaStatus::kLeida);
    Act(jumapam, id, workflow::BoletaStatus::kAtendida);
    return id;
  }
  void Act(const workflow::Actor& actor, std::int64_t id, workflow::BoletaStatus to,
           std::optional<workflow::Date> scheduled = std::nullopt) {
    workflow::StatusChange change;
    change.to = to;
    change.scheduled_for = scheduled;
    auto changed = database_.Transact(
        [&](storage::Tx& tx) { return workflow_.ChangeStatus(tx, actor, id, change); });
    ASSERT_TRUE(changed) << changed.error().message;
  }
  std::string LastOutbox(const std::string& purpose) {
    return db_.Scalar("SELECT coalesce(max(body), '') FROM outbox WHERE purpose = '" + purpose + "'");
  }
  scheduler::JobCounts Run(scheduler::Job& job) {
    auto counts = job.Run(clock_.Now());
    EXPECT_TRUE(counts) << counts.error().message;
    return counts ? *counts : scheduler::JobCounts{};
  }
};

TEST_F(ScheduledTest, TheCitizenHearsWhenTheBoletaIsScheduledAttendedOrDoesNotProceed) {
  Say("hay una fuga de agua en la colonia Juárez calle Laureles");
  const auto jumapam = workflow::Actor::ForDependencia("jumapam", "api:jumapam");
  Act(jumapam, 1, workflow::BoletaStatus::kLeida);
  Act(jumapam, 1, workflow::BoletaStatus::kProgramada,
      std::chrono::sys_days(std::chrono::year{2026} / 3 / 18));
  EXPECT_THAT(LastOutbox("aviso_programar"), HasSubstr("quedó programado"));
  EXPECT_THAT(LastOutbox("aviso_programar"), HasSubstr("18 de marzo de 2026"));
  Act(jumapam, 1, workflow::BoletaStatus::kAtendida);
  EXPECT_THAT(LastOutbox("aviso_atender"), HasSubstr("reporta como atendido tu folio 2026-000001"));
  EXPECT_EQ(db_.Scalar("SELECT recipient FROM outbox WHERE purpose = 'aviso_atender'"), "5216691234501");
}

TEST_F(ScheduledTest, AnOverdueBoletaIsCheckedInOnceWithTheCitizenAndInTheBitacora) {
  Say("hay una fuga de agua en la colonia Juárez calle Laureles");
  auto job = scheduler::OverdueCheckInJob(database_);
  EXPECT_EQ(Run(*job)["boletas"], 0) << "not due yet";
  clock_.Advance(24h * 16);  // past the 10 business days
  EXPECT_EQ(Run(*job)["avisos"], 1);
  EXPECT_THAT(LastOutbox("aviso_plazo_vencido"), HasSubstr("cumplió el plazo"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_event WHERE kind = 'plazo_vencido'"), 1);
  EXPECT_EQ(Run(*job)["boletas"], 0) << "once per boleta";
}

TEST_F(ScheduledTest, TheMonthlySurveyAsksEachAttendedBoletaExactlyOnceEvenWithTwoSchedulers) {
  for (int i = 0; i < 12; ++i) {
    AttendedReport("52166912345" + std::to_string(10 + i));
    clock_.Advance(1h);
  }
  clock_.Set(Utc(2026, 4, 1, 17));  // 1 April, 10:00 in Mazatlán
  auto one = scheduler::MonthlySurveyJob(database_, local_, 5);
  auto two = scheduler::MonthlySurveyJob(database_, local_, 5);
  std::thread a([&] { Run(*one); });
  std::thread b([&] { Run(*two); });
  a.join();
  b.join();
  EXPECT_EQ(db_.Count("SELECT count(*) FROM survey"), 12);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE purpose = 'encuesta'"), 12);
  EXPECT_EQ(db_.Count("SELECT count(DISTINCT boleta_id) FROM outbox WHERE purpose = 'encuesta'"), 12);
  EXPECT_THAT(LastOutbox("encuesta"), HasSubstr("en marzo atendimos tu reporte con folio"));
  EXPECT_EQ(Run(*one)["preguntas"], 0) << "a second month-start run asks nobody again";
}

// Bad input #38, the other half: the survey run dies in the middle (here its second batch's
// transaction fails, as it would with the process killed): what it committed stays asked, the
// next run — a missed run is made up at start — asks the rest, and nobody is asked twice.
TEST_F(ScheduledTest, ASurveyRunThatDiesMidwayAsksTheRestNextTimeAndNobodyTwice) {
  for (int i = 0; i < 12; ++i) {
    AttendedReport("52166912345" + std::to_string(10 + i));
    clock_.Advance(1h);
  }
  clock_.Set(Utc(2026, 4, 1, 17));
  db_.Execute("CREATE FUNCTION die_after_five() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              " IF (SELECT count(*) FROM survey) >= 5 THEN RAISE EXCEPTION 'the run died'; END IF;"
              " RETURN NEW; END $$");
  db_.Execute("CREATE TRIGGER die BEFORE INSERT ON survey FOR EACH ROW EXECUTE FUNCTION die_after_five()");
  auto job = scheduler::MonthlySurveyJob(database_, local_, 5);
  EXPECT_FALSE(job->Run(clock_.Now())) << "the run fails in its second batch";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM survey"), 5) << "the first batch was committed";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE purpose = 'encuesta'"), 5);
  db_.Execute("DROP TRIGGER die ON survey");
  EXPECT_EQ(Run(*job)["preguntas"], 7) << "the next run asks the rest";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM survey"), 12);
  EXPECT_EQ(db_.Count("SELECT count(DISTINCT boleta_id) FROM outbox WHERE purpose = 'encuesta'"), 12);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE purpose = 'encuesta'"), 12) << "nobody twice";
}

TEST_F(ScheduledTest, NoSurveyForACitizenWhoObjectedOrWhoseDataWasCancelled) {
  const auto opposed = AttendedReport("5216691234501");
  const auto cancelled = AttendedReport("5216691234502");
  AttendedReport("5216691234503");
  auto done = database_.Transact([&](storage::Tx& tx) -> Status {
    const auto citizen = [&](std::int64_t boleta) {
      return std::stoll(db_.Scalar("SELECT citizen_id FROM boleta WHERE id = " + std::to_string(boleta)));
    };
    if (auto objected = privacy::OpposeCitizen(tx, citizen(opposed), "ut", clock_.Now()); !objected) {
      return objected;
    }
    const privacy::CancellationJournal journal(::testing::TempDir() + "sac_cancelaciones_conv.log");
    if (auto gone = privacy::CancelCitizen(tx, citizen(cancelled), "ut", clock_.Now(), "solicitud",
                                           &journal);
        !gone) {
      return gone.error();
    }
    return {};
  });
  ASSERT_TRUE(done) << done.error().message;
  clock_.Set(Utc(2026, 4, 1, 17));
  auto job = scheduler::MonthlySurveyJob(database_, local_);
  EXPECT_EQ(Run(*job)["preguntas"], 1) << "only the third citizen is asked";
  EXPECT_EQ(db_.Scalar("SELECT recipient FROM outbox WHERE purpose = 'encuesta'"), "5216691234503");
  // And a cancelled citizen hears nothing more about their boleta either; the others do.
  auto enqueued = database_.Transact([&](storage::Tx& tx) {
    return std::pair{outbox::EnqueueToBoletaCitizen(tx, cancelled, "aviso", "x", {}, clock_.Now()),
                     outbox::EnqueueToBoletaCitizen(tx, opposed, "aviso", "x", {}, clock_.Now())};
  });
  ASSERT_TRUE(enqueued);
  EXPECT_FALSE(enqueued->first) << "nobody to write to";
  EXPECT_TRUE(enqueued->second) << "objecting to surveys is not objecting to news of one's boleta";
}

TEST_F(ScheduledTest, ANoToTheSurveyReopensTheBoletaWithTheCitizensWords) {
  const auto id = AttendedReport("5216691234501");
  clock_.Set(Utc(2026, 4, 1, 17));
  auto job = scheduler::MonthlySurveyJob(database_, local_);
  Run(*job);
  clock_.Advance(2h);
  const auto thanks = Say("no, sigue igual la fuga, nomás le echaron tierra");
  ASSERT_EQ(thanks.size(), 1u);
  EXPECT_THAT(thanks[0], HasSubstr("Reabrimos tu folio 2026-000001"));
  EXPECT_EQ(db_.Scalar("SELECT answer FROM survey"), "negativa");
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || inconformidades FROM boleta WHERE id = " +
                       std::to_string(id)),
            "inconformidad:1");
  EXPECT_EQ(db_.Scalar("SELECT dependencia_id FROM boleta"), "jumapam") << "back to the same one";
  EXPECT_THAT(db_.Scalar("SELECT text FROM boleta_note ORDER BY id DESC LIMIT 1"),
              HasSubstr("nomás le echaron tierra"));
}

TEST_F(ScheduledTest, AYesValidatesAndSilenceIsRecordedAsNoAnswer) {
  AttendedReport("5216691234501");
  AttendedReport("5216691234502");
  clock_.Set(Utc(2026, 4, 1, 17));
  auto job = scheduler::MonthlySurveyJob(database_, local_);
  Run(*job);
  clock_.Advance(3h);
  EXPECT_THAT(Say("👍", "5216691234501")[0], HasSubstr("quedara resuelto"));
  EXPECT_EQ(db_.Scalar("SELECT string_agg(b.status || ':' || coalesce(s.answer, '-'), ',' ORDER BY b.id) "
                       "FROM boleta b JOIN survey s ON s.boleta_id = b.id"),
            "validada:positiva,atendida:-");
  clock_.Advance(24h * 8);
  auto expiry = scheduler::SurveyExpiryJob(database_, std::chrono::hours(24 * 7));
  EXPECT_EQ(Run(*expiry)["sin_respuesta"], 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM survey WHERE answer = 'sin_respuesta'"), 1);
  EXPECT_TRUE(Say("no", "5216691234502").size() <= 1u) << "too late: an ordinary message";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM survey WHERE answer = 'negativa'"), 0);
}


// --- What leaves: the outbox sender against a fake Graph API ------------------------------------

class DeliveredTest : public ScheduledTest {
 protected:
  DeliveredTest()
      : graph_("/v21.0/110220330440550/messages",
               HttpResponse::Json(200, sac::testing::ReadTestdata(
                                           "whatsapp", "outbound_send_response_ok.json"))),
        whatsapp_(WhatsApp(), http_) {}

  WhatsAppConfig WhatsApp() {
    WhatsAppConfig config;
    config.enabled = true;
    config.phone_number_id = "110220330440550";
    config.api_base_url = graph_.BaseUrl() + "/v21.0";
    config.access_token = "token";
    config.send_timeout = 3000ms;
    config.templates["encuesta"] = {"encuesta_satisfaccion_mensual", "es_MX", {"mes", "folio"}};
    return config;
  }

  // Sends everything due; returns how many rows were handled.
  int Deliver(outbox::OutboxSender& sender) {
    int handled = 0;
    for (;;) {
      auto found = sender.RunOnce();
      EXPECT_TRUE(found) << found.error().message;
      if (!found || !*found) return handled;
      ++handled;
    }
  }

  // What the last requests to the Graph API were: "template", "interactive", "text".
  std::vector<std::string> SentTypes() {
    std::vector<std::string> types;
    for (const HttpRequest& request : graph_.Requests()) {
      types.emplace_back(boost::json::parse(request.body).at("type").as_string());
    }
    return types;
  }

  void ForgetEarlierReplies() {
    db_.Execute("UPDATE outbox SET state = 'sent' WHERE purpose <> 'encuesta'");
  }

  sac::testing::FakeProvider graph_;
  http::CurlHttpClient http_;
  channels::whatsapp::WhatsAppChannel whatsapp_;
};

TEST_F(DeliveredTest, AfterTwentyFourHoursTheSurveyIsTheApprovedTemplateAndATapOnNoReopens) {
  const auto id = AttendedReport("5216691234501");  // the citizen last wrote on 10 March
  ForgetEarlierReplies();
  clock_.Set(Utc(2026, 4, 1, 17));
  auto job = scheduler::MonthlySurveyJob(database_, local_);
  Run(*job);
  outbox::OutboxSender sender(database_, {{"whatsapp", &whatsapp_}}, QueueSettings{}, clock_,
                              metrics_);
  EXPECT_EQ(Deliver(sender), 1);
  ASSERT_EQ(SentTypes(), std::vector<std::string>{"template"});
  const auto sent = boost::json::parse(graph_.Requests()[0].body);
  const auto& components = sent.at("template").at("components").as_array();
  EXPECT_EQ(components.at(0).at("parameters").at(0).at("text").as_string(), "marzo");
  EXPECT_EQ(components.at(0).at("parameters").at(1).at("text").as_string(), "2026-000001");
  EXPECT_EQ(components.at(2).at("parameters").at(0).at("payload").as_string(),
            "ENCUESTA|2026-000001|NO");

  // The citizen taps "No quedó" on the template: a template button with our payload.
  clock_.Advance(3h);
  InboundMessage tap = Text("No quedó");
  tap.type = MessageType::kTemplateButton;
  tap.reply_payload = "ENCUESTA|2026-000001|NO";
  const auto thanks = Send(tap);
  ASSERT_EQ(thanks.size(), 1u);
  EXPECT_THAT(thanks[0], HasSubstr("Reabrimos tu folio 2026-000001"));
  EXPECT_EQ(db_.Scalar("SELECT status FROM boleta WHERE id = " + std::to_string(id)),
            "inconformidad");
  EXPECT_EQ(Deliver(sender), 1);
  EXPECT_EQ(SentTypes(), (std::vector<std::string>{"template", "text"}))
      << "the tap opened the window again: the thanks go as free text";
}

TEST_F(DeliveredTest, InsideTheWindowTheSurveyHasReplyButtons) {
  AttendedReport("5216691234501");
  ForgetEarlierReplies();
  clock_.Set(Utc(2026, 4, 1, 17));
  Say("oigan, ¿y mi reporte de la fuga?");  // the citizen wrote this morning
  ForgetEarlierReplies();
  auto job = scheduler::MonthlySurveyJob(database_, local_);
  Run(*job);
  outbox::OutboxSender sender(database_, {{"whatsapp", &whatsapp_}}, QueueSettings{}, clock_,
                              metrics_);
  EXPECT_EQ(Deliver(sender), 1);
  ASSERT_EQ(SentTypes(), std::vector<std::string>{"interactive"});
  const auto sent = boost::json::parse(graph_.Requests()[0].body);
  EXPECT_EQ(sent.at("interactive").at("action").at("buttons").at(0).at("reply").at("id").as_string(),
            "ENCUESTA|2026-000001|SI");
}

// A sender that dies (SIGKILL) after the provider accepted a message and before the commit that
// records it: the row stays claimed until its lease passes, then goes once more. At most one
// duplicate, and the survey itself still asked once per boleta.
TEST_F(DeliveredTest, TheSurveyIsAskedOnceWithTwoSchedulersAndAKillBetweenSendAndCommit) {
  for (int i = 0; i < 3; ++i) AttendedReport("52166912345" + std::to_string(10 + i));
  ForgetEarlierReplies();
  clock_.Set(Utc(2026, 4, 1, 17));
  auto one = scheduler::MonthlySurveyJob(database_, local_, 2);
  auto two = scheduler::MonthlySurveyJob(database_, local_, 2);
  std::thread a([&] { Run(*one); });
  std::thread b([&] { Run(*two); });
  a.join();
  b.join();
  ASSERT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE purpose = 'encuesta'"), 3);

  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    class DieAfterSend final : public Channel {
     public:
      explicit DieAfterSend(Channel& real) : real_(real) {}
      std::string_view Name() const override { return real_.Name(); }
      std::size_t MaxBodyBytes() const override { return real_.MaxBodyBytes(); }
      std::optional<HttpResponse> AnswerHandshake(const HttpRequest& r) const override {
        return real_.AnswerHandshake(r);
      }
      Status Verify(const HttpRequest& r) const override { return real_.Verify(r); }
      Result<ParsedWebhook> Parse(const HttpRequest& r) const override { return real_.Parse(r); }
      std::optional<std::chrono::seconds> ReplyWindow() const override {
        return real_.ReplyWindow();
      }
      SendOutcome Send(const OutboundMessage& message) override {
        (void)real_.Send(message);  // the provider accepted it...
        raise(SIGKILL);             // ...and we die before recording it
        return SendOutcome::Permanent("unreachable");
      }
      Channel& real_;
    };
    http::CurlHttpClient http;
    channels::whatsapp::WhatsAppChannel real(WhatsApp(), http);
    DieAfterSend dying(real);
    storage::Database database(db_.Settings());
    outbox::OutboxSender sender(database, {{"whatsapp", &dying}}, QueueSettings{}, clock_,
                                metrics_);
    (void)sender.RunOnce();
    _exit(0);  // not reached
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_EQ(graph_.WaitForRequests(1).size(), 1u);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE state = 'sending'"), 1);

  outbox::OutboxSender sender(database_, {{"whatsapp", &whatsapp_}}, QueueSettings{}, clock_,
                              metrics_);
  EXPECT_EQ(Deliver(sender), 2) << "the two the dead sender never claimed";
  clock_.Advance(outbox::kSendLease + 1s);
  EXPECT_EQ(Deliver(sender), 1) << "the dead sender's row, once its lease passed";

  EXPECT_EQ(db_.Count("SELECT count(*) FROM survey"), 3);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE purpose = 'encuesta' AND state = 'sent'"), 3);
  std::map<std::string, int> per_citizen;
  for (const HttpRequest& request : graph_.Requests()) {
    ++per_citizen[std::string(boost::json::parse(request.body).at("to").as_string())];
  }
  ASSERT_EQ(per_citizen.size(), 3u);
  int duplicated = 0;
  for (const auto& [citizen, count] : per_citizen) {
    EXPECT_LE(count, 2);
    duplicated += count - 1;
  }
  EXPECT_EQ(duplicated, 1) << "exactly the one the crash could not record";
}

}  // namespace
}  // namespace sac::conversation
