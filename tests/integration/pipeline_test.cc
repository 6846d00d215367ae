// The pipeline against a real PostgreSQL: inbox rows become citizens, boletas, bitácora events
// and replies in one transaction; failures retry, poison is quarantined, a killed worker loses
// nothing.
#include "intake/pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channels/whatsapp/payloads.h"
#include "classify/classifier_holder.h"
#include "conversation/inbound_handler.h"
#include "routing/dependencias.h"
#include "intake/inbox_dispatcher.h"
#include "intake/inbox_writer.h"
#include "observability/metrics.h"
#include "tests/support/fake_clock.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac::intake {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using testing::TestDatabase;
using namespace std::chrono_literals;

ParsedWebhook Fixture(const std::string& file) {
  return *channels::whatsapp::ParseWebhook(testing::ReadTestdata("whatsapp", file), "");
}

TimePoint At(const char* utc) {
  std::tm tm{};
  strptime(utc, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// Fails any message whose text contains "POISON"; hands everything else on.
class PoisonAware final : public InboxProcessor {
 public:
  explicit PoisonAware(InboxProcessor& next) : next_(next) {}
  Result<ProcessOutcome> Process(storage::Tx& tx, const InboxItem& item) override {
    if (item.payload.find("POISON") != std::string::npos) {
      return MakeError(Errc::kInternal, "classifier exploded");
    }
    return next_.Process(tx, item);
  }

 private:
  InboxProcessor& next_;
};

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest()
      : database_(db_.Settings()),
        writer_(database_, clock_),
        calendar_(*workflow::BusinessCalendar::Load(testing::SourceDir() / "rules/calendario.toml")),
        local_(*workflow::LocalTime::Load("America/Mazatlan")),
        sla_(calendar_, local_),
        classifiers_(std::move(*classify::ClassifierHolder::Load(testing::SourceDir() / "rules"))),
        workflow_(sla_, clock_),
        handler_(clock_, *classifiers_, workflow_, local_),
        dispatcher_(handler_, clock_),
        poison_aware_(dispatcher_),
        pipeline_(database_, poison_aware_, Settings(), clock_, metrics_) {}

  static QueueSettings Settings() {
    QueueSettings settings;
    settings.workers = 1;
    settings.max_attempts = 5;
    settings.retry_base = 1000ms;
    settings.retry_max = 60000ms;
    return settings;
  }

  void Store(const ParsedWebhook& parsed) {
    ASSERT_TRUE(writer_.Store("whatsapp", "raw", parsed));
  }
  void Store(const std::string& file) { Store(Fixture(file)); }

  // Runs the pipeline until no row is due.
  int Drain() {
    int handled = 0;
    for (;;) {
      auto found = pipeline_.RunOnce();
      EXPECT_TRUE(found) << found.error().message;
      if (!found || !*found) return handled;
      ++handled;
    }
  }

  TestDatabase db_;
  testing::FakeClock clock_{At("2026-03-10T17:00:00")};
  Metrics metrics_;
  storage::Database database_;
  InboxWriter writer_;
  workflow::BusinessCalendar calendar_;
  workflow::LocalTime local_;
  workflow::SlaClock sla_;
  std::unique_ptr<classify::ClassifierHolder> classifiers_;
  workflow::BoletaWorkflow workflow_;
  conversation::InboundHandler handler_;
  InboxDispatcher dispatcher_;
  PoisonAware poison_aware_;
  Pipeline pipeline_;
};

TEST_F(PipelineTest, AMessageBecomesABoletaWithAFolioAndAnAcknowledgement) {
  Store("text_fuga_agua_colonia_juarez.json");
  EXPECT_EQ(Drain(), 1);

  EXPECT_EQ(db_.Scalar("SELECT state FROM inbox"), "processed");
  EXPECT_THAT(db_.Scalar("SELECT outcome FROM inbox"), HasSubstr("boleta 2026-000001 created"));
  EXPECT_EQ(db_.Scalar("SELECT folio FROM boleta"), "2026-000001");
  EXPECT_EQ(db_.Scalar("SELECT status FROM boleta"), "por_clasificar");
  EXPECT_THAT(db_.Scalar("SELECT text FROM boleta"), HasSubstr("fuga de agua potable"));
  EXPECT_EQ(db_.Scalar("SELECT phone FROM citizen"), "+526691234501");
  EXPECT_EQ(db_.Scalar("SELECT display_name FROM citizen"), "María Guadalupe Osuna");
  EXPECT_EQ(db_.Scalar("SELECT external_id FROM citizen_identity"), "5216691234501");
  EXPECT_EQ(db_.Scalar("SELECT kind || '/' || to_status FROM boleta_event"), "creada/por_clasificar");
  EXPECT_EQ(db_.Scalar("SELECT purpose FROM outbox"), "acuse_boleta");
  EXPECT_EQ(db_.Scalar("SELECT recipient FROM outbox"), "5216691234501");
  EXPECT_EQ(db_.Scalar("SELECT account_id FROM outbox"), "110220330440550");
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox"), HasSubstr("folio 2026-000001"));
}

TEST_F(PipelineTest, AClearPetitionIsClassifiedAndRoutedAtOnce) {
  db_.SeedDependencias();
  Store("text_fuga_agua_colonia_juarez.json");
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || dependencia_id || ':' || categoria FROM boleta"),
            "canalizada:jumapam:fuga_agua");
  EXPECT_EQ(db_.Scalar("SELECT colonia FROM boleta"), "Benito Juárez");
  EXPECT_EQ(db_.Scalar("SELECT due_at IS NOT NULL AND confidence >= 0.6 FROM boleta"), "t");
  EXPECT_EQ(db_.Scalar("SELECT string_agg(kind || '/' || actor_kind, ' ' ORDER BY id) FROM boleta_event"),
            "creada/sistema clasificada/sistema canalizar/sistema");
  EXPECT_THAT(db_.Scalar("SELECT classification->>'rules' FROM boleta"), HasSubstr("agua_drenaje.toml"));
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox"), HasSubstr("JUMAPAM"));
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox"), HasSubstr("10 días hábiles"));
}

TEST_F(PipelineTest, AVagueMessageWaitsForStaffWithItsCandidates) {
  db_.SeedDependencias();
  ParsedWebhook vague = Fixture("text_fuga_agua_colonia_juarez.json");
  vague.messages[0].text = "quiero reportar un problema que hay en mi calle";
  Store(vague);
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || coalesce(dependencia_id, '-') FROM boleta"),
            "por_clasificar:-");
  EXPECT_EQ(db_.Scalar("SELECT classification->>'needs_review' FROM boleta"), "true");
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox"), HasSubstr("Atención Ciudadana la revisará"));
}

TEST_F(PipelineTest, MediaAndLocationAreKeptOnTheBoleta) {
  // Ten minutes apart: three reports, not one burst.
  for (const char* file : {"image_caption_luminaria_villa_verde.json",
                           "location_basura_infonavit_playas.json", "audio_voice_note.json"}) {
    Store(file);
    EXPECT_EQ(Drain(), 1);
    clock_.Advance(std::chrono::minutes(10));
  }
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 3);
  EXPECT_EQ(db_.Scalar("SELECT kind || ':' || mime_type FROM boleta_media WHERE NOT voice"),
            "image:image/jpeg");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_media WHERE voice AND kind = 'audio'"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta WHERE latitude IS NOT NULL"), 1);
}

// A mail kept without the attachment it was cut in (bad input #20, channels/email/ingest_mail):
// the file is on record as too large — nothing to fetch — and the acknowledgement asks for a
// lighter one.
TEST_F(PipelineTest, AnAttachmentThatNeverArrivedWholeIsOnRecordAndTheCitizenIsAskedForALighterOne) {
  ParsedWebhook parsed = Fixture("text_fuga_agua_colonia_juarez.json");
  Media missing;
  missing.provider_media_id = std::string(kTooLargeMediaId);
  missing.too_large = true;
  parsed.messages[0].media.push_back(missing);
  Store(parsed);
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Scalar("SELECT kind || ' ' || download_state || ' ' || (file_sha256 IS NULL) "
                       "FROM boleta_media"),
            "document too_large true");
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox"), HasSubstr("folio 2026-000001"));
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox"), HasSubstr("era demasiado grande y no pudimos recibirlo"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_media WHERE download_state = 'pending'"), 0)
      << "the downloader has nothing to look for";
}

TEST_F(PipelineTest, FoliosIncreaseWithinTheMazatlanYearAndRestartInTheNext) {
  ParsedWebhook parsed = Fixture("text_fuga_agua_colonia_juarez.json");
  const auto at = [&](const char* utc, const char* id) {
    clock_.Set(At(utc));
    parsed.messages[0].external_id = id;
    Store(parsed);
    Drain();
  };
  at("2026-12-31T20:00:00", "m1");
  at("2027-01-01T06:30:00", "m2");  // still 23:30 on 31 December in Mazatlán (UTC-7)
  at("2027-01-01T07:30:00", "m3");  // 00:30 on 1 January in Mazatlán
  at("2027-01-02T10:00:00", "m4");
  EXPECT_EQ(db_.Scalar("SELECT string_agg(folio, ' ' ORDER BY id) FROM boleta"),
            "2026-000001 2026-000002 2027-000001 2027-000002");
}

TEST_F(PipelineTest, OneCitizenAcrossMessagesAndChannels) {
  ParsedWebhook parsed = Fixture("text_fuga_agua_colonia_juarez.json");
  Store(parsed);
  parsed.messages[0].external_id = "another message";
  Store(parsed);
  parsed.messages[0].external_id = "same phone, other channel";
  parsed.messages[0].channel = "telegram";
  parsed.messages[0].sender_id = "123456789";  // phone shared through the contact
  Store(parsed);
  // Moments apart, the second message is more of the first report (a burst); the third comes
  // from another channel identity, whose conversation is its own.
  EXPECT_EQ(Drain(), 3);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen_identity"), 2);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 2);
  EXPECT_EQ(db_.Count("SELECT count(DISTINCT citizen_id) FROM boleta"), 1);
}

TEST_F(PipelineTest, ReactionsAreIgnoredWithAReason) {
  Store("reaction_thumbs_up_no_ticket.json");
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Scalar("SELECT state || ':' || outcome FROM inbox"), "ignored:reaction");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 0);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox"), 0);
}

TEST_F(PipelineTest, UnsupportedMessagesGetAPoliteAnswerAndNoBoleta) {
  Store("unsupported_message_type.json");
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 0);
  EXPECT_EQ(db_.Scalar("SELECT purpose FROM outbox"), "tipo_no_soportado");
}

TEST_F(PipelineTest, DeliveryUpdatesNeverCreateBoletas) {
  Store("status_delivered_no_ticket.json");
  Store("status_read_no_ticket.json");
  Store("status_failed_131047_window_closed.json");
  EXPECT_EQ(Drain(), 3);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 0);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen"), 0);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM delivery_event"), 3);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox WHERE state = 'processed'"), 3);
}

TEST_F(PipelineTest, ATemplateReplyNamingAFolioBecomesANoteNotABoleta) {
  Store("text_fuga_agua_colonia_juarez.json");
  Drain();
  ParsedWebhook survey = Fixture("template_button_reply_encuesta_mensual.json");
  survey.messages[0].reply_payload = "ENCUESTA_2026_03|MZT-2026-000001|MUY_SATISFECHO";
  Store(survey);
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 1);
  EXPECT_EQ(db_.Scalar("SELECT n.text FROM boleta_event e JOIN boleta_note n "
                       "ON n.id = (e.detail->>'note_id')::bigint WHERE e.kind = 'nota_ciudadano'"),
            "Muy satisfecho");
  EXPECT_EQ(db_.Scalar("SELECT purpose FROM outbox ORDER BY id DESC LIMIT 1"), "nota_agregada");
}

TEST_F(PipelineTest, AMessageQuotingTheCitizensOwnFolioIsANoteOnThatBoleta) {
  Store("text_fuga_agua_colonia_juarez.json");
  Drain();
  ParsedWebhook again = Fixture("text_fuga_agua_colonia_juarez.json");
  again.messages[0].external_id = "wamid.again";
  again.messages[0].text = "Buenas, mi folio 2026-000001 sigue igual, ya son 5 días";
  Store(again);
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 1);
  EXPECT_THAT(db_.Scalar("SELECT text FROM boleta_note"), HasSubstr("sigue igual"));
  // It asks how it goes: the answer is the status, in plain words.
  EXPECT_EQ(db_.Scalar("SELECT purpose FROM outbox ORDER BY id DESC LIMIT 1"), "estado_folio");
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox ORDER BY id DESC LIMIT 1"),
              HasSubstr("Tu folio 2026-000001"));
}

TEST_F(PipelineTest, AskingAboutSomeoneElsesFolioLearnsNothingAboutIt) {
  Store("text_fuga_agua_colonia_juarez.json");
  Drain();
  ParsedWebhook other = Fixture("text_fuga_agua_colonia_juarez.json");
  other.messages[0].external_id = "wamid.other";
  other.messages[0].sender_id = "5216699999999";
  other.messages[0].sender_phone = "+526699999999";
  other.messages[0].text = "como va el folio 2026-000001?";
  Store(other);
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note"), 0);
  const std::string answer = db_.Scalar("SELECT body FROM outbox ORDER BY id DESC LIMIT 1");
  EXPECT_THAT(answer, HasSubstr("no está registrado a tu nombre"));
  EXPECT_THAT(answer, ::testing::Not(HasSubstr("JUMAPAM")));
  EXPECT_THAT(answer, ::testing::Not(HasSubstr("Juárez")));
}

TEST_F(PipelineTest, AReplyToOurMessageAboutABoletaAttachesToIt) {
  Store("text_fuga_agua_colonia_juarez.json");
  Drain();
  db_.Execute("UPDATE outbox SET provider_message_id = 'wamid.our-ack', state = 'sent'");
  ParsedWebhook photo = Fixture("image_caption_luminaria_villa_verde.json");
  photo.messages[0].sender_id = "5216691234501";  // the same citizen
  photo.messages[0].sender_phone = "+526691234501";
  photo.messages[0].context_id = "wamid.our-ack";
  Store(photo);
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_media"), 1);
  EXPECT_EQ(db_.Scalar("SELECT kind FROM boleta_event ORDER BY id DESC LIMIT 1"), "nota_ciudadano");
}

TEST_F(PipelineTest, ATemplateReplyForAnUnknownFolioIsIgnored) {
  Store("template_button_reply_encuesta_mensual.json");  // names MZT-2026-000123: not ours
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Scalar("SELECT state FROM inbox"), "ignored");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 0);
}

TEST_F(PipelineTest, APoisonRowIsQuarantinedAfterFiveAttemptsAndBlocksNothing) {
  ParsedWebhook poison = Fixture("text_fuga_agua_colonia_juarez.json");
  poison.messages[0].external_id = "poison";
  poison.messages[0].text = "POISON";
  Store(poison);
  Store("audio_voice_note.json");

  Drain();
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 1) << "the good row went through at once";
  for (int attempt = 2; attempt <= 6; ++attempt) {
    clock_.Advance(120s);  // past every backoff
    Drain();
  }
  EXPECT_EQ(db_.Scalar("SELECT state FROM inbox WHERE dedupe_key = 'poison'"), "quarantined");
  EXPECT_EQ(db_.Count("SELECT attempts FROM inbox WHERE dedupe_key = 'poison'"), 5);
  EXPECT_EQ(db_.Scalar("SELECT last_error FROM inbox WHERE dedupe_key = 'poison'"),
            "classifier exploded");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 1);
}

TEST_F(PipelineTest, AFailedRowWaitsForItsBackoff) {
  ParsedWebhook poison = Fixture("text_fuga_agua_colonia_juarez.json");
  poison.messages[0].text = "POISON";
  Store(poison);
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(Drain(), 0) << "not due again yet";
  clock_.Advance(1001ms);
  EXPECT_EQ(Drain(), 1) << "due after retry_base";
  clock_.Advance(1001ms);
  EXPECT_EQ(Drain(), 0) << "the second backoff is four times longer";
  clock_.Advance(3000ms);
  EXPECT_EQ(Drain(), 1);
}

TEST_F(PipelineTest, AWorkerKilledMidTransactionLosesNothing) {
  Store("text_fuga_agua_colonia_juarez.json");
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // A worker that dies (SIGKILL) after doing the work but before committing it.
    class DieBeforeCommit final : public InboxProcessor {
     public:
      explicit DieBeforeCommit(InboxProcessor& next) : next_(next) {}
      Result<ProcessOutcome> Process(storage::Tx& tx, const InboxItem& item) override {
        (void)next_.Process(tx, item);
        raise(SIGKILL);
        return ProcessOutcome::Processed("unreachable");
      }
      InboxProcessor& next_;
    };
    storage::Database database(db_.Settings());
    DieBeforeCommit dying(dispatcher_);
    Pipeline pipeline(database, dying, Settings(), clock_, metrics_);
    (void)pipeline.RunOnce();
    _exit(0);  // not reached
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  EXPECT_EQ(db_.Scalar("SELECT state || ':' || attempts FROM inbox"), "pending:1");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 0) << "the work was rolled back";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(Drain(), 0) << "claimed until the backoff passes";
  clock_.Advance(1001ms);
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Scalar("SELECT state FROM inbox"), "processed");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox"), 1);
}

TEST_F(PipelineTest, ARowWhoseWorkersKeepDyingIsQuarantined) {
  Store("text_fuga_agua_colonia_juarez.json");
  db_.Execute("UPDATE inbox SET attempts = 5");  // five claims, no outcome: five crashed workers
  EXPECT_EQ(Drain(), 1);
  EXPECT_EQ(db_.Scalar("SELECT state FROM inbox"), "quarantined");
  EXPECT_THAT(db_.Scalar("SELECT last_error FROM inbox"), HasSubstr("never finished"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 0);
}

TEST_F(PipelineTest, WorkerThreadsDrainTheInboxOnTheirOwn) {
  for (const char* file : {"text_fuga_agua_colonia_juarez.json", "audio_voice_note.json",
                           "image_caption_luminaria_villa_verde.json"}) {
    Store(file);
  }
  pipeline_.Start();
  pipeline_.Wake();
  for (int i = 0; i < 200 && db_.Count("SELECT count(*) FROM inbox WHERE state = 'pending'") > 0;
       ++i) {
    std::this_thread::sleep_for(20ms);
  }
  pipeline_.Stop();
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), 3);
}

}  // namespace
}  // namespace sac::intake
