// A citizen's data rights against a real PostgreSQL and the real `sac` binary: export (JSON and a
// PDF poppler can read), rectification, opposition (no more surveys), and cancellation — after
// which canary values planted in every place SAC keeps personal data appear nowhere: not in any
// text, JSON or byte column of any table, nor in the media store; the statistics keep the boleta.
#include "privacy/citizen_rights.h"

#include "privacy/arco_requests.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <optional>
#include <filesystem>
#include <fstream>

#include "intake/inbox_writer.h"
#include "media/media_store.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac::privacy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunProcess;
using testing::SacBinary;

// Planted everywhere the citizen's data goes; searched for everywhere afterwards.
constexpr const char* kCanaries[] = {"Zoila Canaria", "6691110000", "CANARIO", "Calle Canaria 77",
                                     "987654321"};

class CitizenRightsTest : public ::testing::Test {
 protected:
  CitizenRightsTest()
      : dir_(std::filesystem::temp_directory_path() / ("sac_rights_" + std::to_string(::getpid()))),
        media_(dir_ / "media") {
    db_.SeedDependencias();
    citizen_ = std::to_string(db_.Count(
        "INSERT INTO citizen (display_name, phone) VALUES ('Zoila Canaria', '+526691110000') RETURNING id"));
    // An earlier record of the same person, merged into this one when a phone tied them.
    db_.Execute("INSERT INTO citizen (display_name, merged_into) VALUES ('Zoila Canaria', " + citizen_ + ")");
    other_ = std::to_string(db_.Count(
        "INSERT INTO citizen (display_name, phone) VALUES ('Otro Vecino', '+526692220000') RETURNING id"));
    db_.Execute("INSERT INTO citizen_identity (channel, external_id, citizen_id, display_name) VALUES "
                "('whatsapp', '5216691110000', " + citizen_ + ", 'Zoila Canaria'),"
                "('telegram', '987654321', " + citizen_ + ", 'Zoila Canaria'),"
                "('messenger', '987654321', " + citizen_ + ", 'Zoila Canaria'),"
                "('whatsapp', '5216692220000', " + other_ + ", 'Otro Vecino')");
    db_.Execute("INSERT INTO conversation (channel, external_id, awaiting) VALUES "
                "('whatsapp', '5216691110000', 'nada')");
    // One webhook carried both citizens' messages.
    db_.Execute("INSERT INTO webhook_request (channel, body) VALUES ('whatsapp', convert_to("
                "'{\"msgs\":[\"CANARIO fuga en Calle Canaria 77\",\"bache normal\"]}', 'UTF8'))");
    db_.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload, state) "
                "SELECT max(id), 'whatsapp', 'wamid.1', 'message', '5216691110000',"
                "  '{\"text\":\"CANARIO fuga en Calle Canaria 77\",\"name\":\"Zoila Canaria\"}'::jsonb, 'processed'"
                " FROM webhook_request UNION ALL "
                "SELECT max(id), 'whatsapp', 'wamid.2', 'message', '5216692220000',"
                "  '{\"text\":\"bache normal\"}'::jsonb, 'processed' FROM webhook_request");
    db_.Execute(
        "INSERT INTO boleta (folio, channel, citizen_id, source_inbox_id, text, status, dependencia_id,"
        "  categoria, colonia, address_text, latitude, longitude, routed_at, due_at, attended_at,"
        "  classification, created_at, updated_at) VALUES "
        "('2026-000001', 'whatsapp', " + citizen_ + ", (SELECT id FROM inbox WHERE dedupe_key = 'wamid.1'),"
        "  'CANARIO fuga en Calle Canaria 77', 'atendida', 'jumapam', 'fuga_agua', 'Centro',"
        "  'Calle Canaria 77', 23.2, -106.4, now() - interval '9 days', now() + interval '5 days',"
        "  now() - interval '1 day', '{\"normalizado\":\"canario fuga\"}', now() - interval '9 days', now()),"
        "('2026-000002', 'whatsapp', " + other_ + ", (SELECT id FROM inbox WHERE dedupe_key = 'wamid.2'),"
        "  'bache normal', 'atendida', 'obras_publicas', NULL, 'Juárez', NULL, NULL, NULL,"
        "  now() - interval '9 days', now() + interval '5 days', now() - interval '1 day', NULL,"
        "  now() - interval '9 days', now())");
    db_.Execute("INSERT INTO boleta_note (boleta_id, author_kind, author, text) SELECT id, 'ciudadano',"
                " 'ciudadano', 'CANARIO gracias, soy Zoila Canaria' FROM boleta WHERE folio = '2026-000001'"
                " UNION ALL SELECT id, 'staff', 'capturista', 'Llamé a Zoila Canaria al 669 111 0000'"
                " FROM boleta WHERE folio = '2026-000001' UNION ALL SELECT id, 'dependencia', 'jumapam',"
                " 'Se cambió la válvula' FROM boleta WHERE folio = '2026-000001'");
    db_.Execute("INSERT INTO outbox (channel, recipient, citizen_id, boleta_id, purpose, body, state) "
                "SELECT 'whatsapp', '5216691110000', " + citizen_ + ", id, 'acuse_boleta',"
                " 'Hola Zoila Canaria, su folio es 2026-000001', 'sent' FROM boleta WHERE folio = '2026-000001'"
                " UNION ALL SELECT 'whatsapp', '5216691110000', " + citizen_ + ", id, 'aviso_atendida',"
                " 'Zoila Canaria: atendida', 'pending' FROM boleta WHERE folio = '2026-000001'");
    // Meta's news that the acuse was read: keyed by our message's id, naming the recipient.
    db_.Execute("UPDATE outbox SET provider_message_id = 'wamid.OUT1' WHERE purpose = 'acuse_boleta'");
    db_.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload, state) "
                "SELECT max(id), 'whatsapp', 'status:wamid.OUT1:read', 'delivery', '',"
                "  '{\"recipient_id\":\"5216691110000\",\"state\":\"read\"}'::jsonb, 'processed'"
                " FROM webhook_request");
    // Messenger's "read up to here", keyed and addressed by the citizen's page-scoped id.
    db_.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload, state) "
                "SELECT max(id), 'messenger', 'status:987654321@1773162161000:read', 'delivery', '987654321',"
                "  '{\"recipient_id\":\"987654321\",\"watermark\":1773162161000}'::jsonb, 'processed'"
                " FROM webhook_request");
    db_.Execute("INSERT INTO survey (boleta_id, month, citizen_id, sent_at, answer, answer_text) "
                "SELECT id, date_trunc('month', now())::date, " + citizen_ + ", now(), 'positiva',"
                " 'CANARIO muy bien atendida' FROM boleta WHERE folio = '2026-000001'");
    mine_ = media_.Store("\xFF\xD8\xFF CANARIO foto de la fuga")->sha256;
    shared_ = media_.Store("\xFF\xD8\xFF la misma foto en dos boletas")->sha256;
    db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, mime_type, filename,"
                "  caption, download_state, file_sha256) "
                "SELECT id, 'image', 'media-CANARIO', 'image/jpeg', 'Zoila Canaria.jpg', 'CANARIO',"
                " 'stored', '" + mine_ + "' FROM boleta WHERE folio = '2026-000001' UNION ALL "
                "SELECT id, 'image', 'm2', 'image/jpeg', '', '', 'stored', '" + shared_ +
                "' FROM boleta");  // the same photo on both citizens' boletas
    config_ = (dir_ / "sac.toml").string();
    // A calendar of the test's own for ARCO deadlines (weekends and Christmas), so that the dates
    // asserted do not move when the municipality declares a year's vacations in rules/.
    std::filesystem::create_directories(dir_ / "rules");
    std::ofstream(dir_ / "rules" / "calendario.toml")
        << "[[dia_inhabil]]\nnombre = \"Navidad\"\ntipo = \"fecha\"\nmes = 12\ndia = 25\n"
           "fuente = \"LFT art. 74 fr. VIII\"\n";
    std::ofstream(config_) << "[media]\ndir = \"" << (dir_ / "media").string() << "\"\n"
                           << "[rules]\ndir = \"" << (dir_ / "rules").string() << "\"\n"
                           << "[retention]\ncancellation_journal = \""
                           << (dir_ / "cancelaciones.log").string() << "\"\n";
  }
  ~CitizenRightsTest() override { std::filesystem::remove_all(dir_); }

  // The provider delivering the citizen's first message again.
  static ParsedWebhook ReplayOfTheirFirstMessage() {
    InboundMessage message;
    message.external_id = "wamid.1";
    message.sender_id = "5216691110000";
    message.text = "la misma entrega, otra vez";
    ParsedWebhook replay;
    replay.messages.push_back(message);
    return replay;
  }

  testing::ProcessResult Sac(std::vector<std::string> arguments, const char* command = "citizen") {
    arguments.insert(arguments.begin(), {SacBinary(), "--config", config_, command});
    return RunProcess(arguments, {{"SAC_DATABASE_URL", db_.url()}, {"SAC_LOG_LEVEL", "warn"}});
  }
  testing::ProcessResult Arco(std::vector<std::string> arguments) { return Sac(std::move(arguments), "arco"); }

  // Every place a canary still stands: "table.column" of every text, JSON and byte column.
  std::vector<std::string> WhereCanariesStand() {
    std::vector<std::string> found;
    const std::string columns = db_.Scalar(
        "SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',') "
        "FROM information_schema.columns WHERE table_schema = 'public'"
        "  AND data_type IN ('text', 'jsonb', 'bytea', 'ARRAY')");
    std::size_t start = 0;
    while (start < columns.size()) {
      const auto end = std::min(columns.find(',', start), columns.size());
      const std::string entry = columns.substr(start, end - start);
      start = end + 1;
      const auto dot = entry.find('.');
      const auto colon = entry.find(':');
      const std::string table = entry.substr(0, dot);
      const std::string column = entry.substr(dot + 1, colon - dot - 1);
      const std::string as_text = entry.substr(colon + 1) == "bytea"
                                      ? "convert_from(" + column + ", 'UTF8')"
                                      : column + "::text";
      for (const char* canary : kCanaries) {
        if (db_.Count("SELECT count(*) FROM " + table + " WHERE " + as_text + " LIKE '%" + canary +
                      "%'") > 0) {
          found.push_back(table + "." + column + " has " + canary);
        }
      }
    }
    return found;
  }

  testing::TestDatabase db_;
  std::filesystem::path dir_;
  media::MediaStore media_;
  std::string citizen_;
  std::string other_;
  std::string mine_;
  std::string shared_;
  std::string config_;
};

TEST_F(CitizenRightsTest, AnExportHoldsEverythingAsJsonAndAReadablePdf) {
  const auto out = Sac({"export", "--telefono", "669 111 0000", "--actor", "unidad.transparencia",
                        "--salida", (dir_ / "salida").string()});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_THAT(out.out, HasSubstr("(1 boletas)"));
  std::ifstream json_file(dir_ / "salida" / ("ciudadano-" + citizen_ + ".json"));
  const std::string json{std::istreambuf_iterator<char>(json_file), {}};
  for (const char* expected : {"\"nombre\": \"Zoila Canaria\"", "\"telefono\": \"+526691110000\"",
                               "\"identificador\": \"987654321\"", "CANARIO fuga en Calle Canaria 77",
                               "CANARIO gracias", "Se cambió la válvula", "Hola Zoila Canaria",
                               "CANARIO muy bien atendida", "Zoila Canaria.jpg", "\"folio\": \"2026-000001\""}) {
    EXPECT_THAT(json, HasSubstr(expected));
  }
  EXPECT_THAT(json, Not(HasSubstr("bache normal"))) << "another citizen's";
  const auto mode = std::filesystem::status(dir_ / "salida" / ("ciudadano-" + citizen_ + ".json")).permissions();
  EXPECT_EQ(mode & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none) << "personal data, readable by its owner only";
  std::ifstream pdf_file(dir_ / "salida" / ("ciudadano-" + citizen_ + ".pdf"), std::ios::binary);
  const std::string text = testing::PdfText(std::string(std::istreambuf_iterator<char>(pdf_file), {}));
  EXPECT_THAT(text, HasSubstr("Sus datos personales en SAC"));
  EXPECT_THAT(text, HasSubstr("Zoila Canaria"));
  EXPECT_THAT(text, HasSubstr("Folio 2026-000001"));
  EXPECT_THAT(text, HasSubstr("CANARIO fuga en Calle Canaria 77"));
  EXPECT_EQ(db_.Scalar("SELECT kind || ':' || actor FROM arco_action"), "acceso:unidad.transparencia");
  EXPECT_THAT(db_.Scalar("SELECT detail::text FROM arco_action"), Not(HasSubstr("Zoila")));
}

TEST_F(CitizenRightsTest, RectificationAndOppositionAreRecordedWithoutTheData) {
  ASSERT_EQ(Sac({"rectify", "--id", citizen_, "--actor", "ut", "--nombre", "Zoila C.",
                 "--nuevo-telefono", "6693334444"}).exit_code, 0);
  EXPECT_EQ(db_.Scalar("SELECT display_name || ' ' || phone FROM citizen WHERE id = " + citizen_),
            "Zoila C. +526693334444");
  const auto taken = Sac({"rectify", "--id", citizen_, "--actor", "ut", "--nuevo-telefono", "6692220000"});
  EXPECT_EQ(taken.exit_code, 2);
  EXPECT_THAT(taken.err, HasSubstr("otro ciudadano tiene ese teléfono"));
  EXPECT_EQ(Sac({"rectify", "--id", "999999", "--actor", "ut", "--nombre", "x"}).exit_code, 2);
  ASSERT_EQ(Sac({"oppose", "--id", citizen_, "--actor", "ut"}).exit_code, 0);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen WHERE opposed_at IS NOT NULL"), 1);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(kind, ',' ORDER BY id) FROM arco_action"),
            "rectificacion,oposicion");
  EXPECT_EQ(db_.Scalar("SELECT detail::text FROM arco_action WHERE kind = 'rectificacion'"),
            "{\"nombre\": true, \"telefono\": true}")
      << "what changed, never the values";
}

TEST_F(CitizenRightsTest, AfterCancellationNoCanaryStandsAnywhereAndStatisticsRemain) {
  ASSERT_FALSE(WhereCanariesStand().empty()) << "the canaries are planted";
  EXPECT_NE(Sac({"cancel", "--id", citizen_, "--actor", "ut"}).exit_code, 0) << "not without --confirmar";
  ASSERT_FALSE(WhereCanariesStand().empty()) << "and nothing was touched";
  const auto out = Sac({"cancel", "--id", citizen_, "--actor", "ut", "--confirmar"});
  std::ifstream journal(dir_ / "cancelaciones.log");
  std::string line;
  ASSERT_TRUE(std::getline(journal, line)) << "the cancellation is journalled outside the database";
  EXPECT_EQ(line.substr(0, line.find('\t')), citizen_);
  EXPECT_NE(line.find("\tsolicitud\t"), std::string::npos) << line;
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_THAT(out.out, HasSubstr("1 archivos borrados"));
  EXPECT_THAT(WhereCanariesStand(), ::testing::IsEmpty());
  EXPECT_FALSE(std::filesystem::exists(media_.PathOf(mine_))) << "the citizen's photo is gone";
  EXPECT_TRUE(std::filesystem::exists(media_.PathOf(shared_))) << "another boleta still uses this one";
  // What statistics need stays.
  EXPECT_EQ(db_.Scalar("SELECT folio || ':' || status || ':' || dependencia_id || ':' || categoria"
                       " || ':' || colonia FROM boleta WHERE citizen_id = " + citizen_),
            "2026-000001:atendida:jumapam:fuga_agua:Centro");
  EXPECT_EQ(db_.Scalar("SELECT text FROM boleta_note WHERE author_kind = 'dependencia'"),
            "Se cambió la válvula") << "the record of the work stays";
  EXPECT_EQ(db_.Scalar("SELECT state || ':' || last_error FROM outbox WHERE purpose = 'aviso_atendida'"),
            "failed:datos cancelados (ARCO)") << "nothing more is sent to them";
  // The other citizen, and the other message of the shared webhook, are untouched.
  EXPECT_EQ(db_.Scalar("SELECT text FROM boleta WHERE folio = '2026-000002'"), "bache normal");
  EXPECT_EQ(db_.Scalar("SELECT payload->>'text' FROM inbox WHERE dedupe_key = 'wamid.2'"), "bache normal");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM citizen_identity"), "1");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM arco_action WHERE kind = 'cancelacion'"), 1);
  const auto rectified = Sac({"rectify", "--id", citizen_, "--actor", "ut", "--nombre", "Otra vez"});
  EXPECT_EQ(rectified.exit_code, 2) << "cancelled data is not put back";
  EXPECT_THAT(rectified.err, HasSubstr("fueron cancelados"));
  // The record of requests is append-only for the application.
  EXPECT_THROW(db_.Execute("SET ROLE sac_app; DELETE FROM arco_action"), std::exception);
  EXPECT_THROW(db_.Execute("SET ROLE sac_app; UPDATE arco_action SET actor = 'x'"), std::exception);
}

// A provider's id may carry the phone (a wamid does): after cancellation it stays only as a salted
// hash, and a replay of the same delivery is still recognised and stores nothing.
TEST_F(CitizenRightsTest, ACancelledCitizensMessageIdsStayOnlyAsSaltedHashesAndStillStopReplays) {
  // One more message of theirs that the pipeline has not reached yet.
  db_.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload) "
              "SELECT max(id), 'whatsapp', 'wamid.3', 'message', '5216691110000',"
              "  '{\"text\":\"CANARIO otra vez\"}'::jsonb FROM webhook_request");
  ASSERT_EQ(Sac({"cancel", "--id", citizen_, "--actor", "ut", "--confirmar"}).exit_code, 0);
  EXPECT_EQ(db_.Scalar("SELECT state || ':' || outcome FROM inbox WHERE dedupe_key = dedupe_hash('whatsapp', 'wamid.3')"),
            "ignored:datos cancelados (ARCO)") << "not processed afterwards, which would bring the data back";
  EXPECT_THAT(WhereCanariesStand(), ::testing::IsEmpty());
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox WHERE dedupe_key IN ('wamid.1', 'status:wamid.OUT1:read')"), 0);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox WHERE dedupe_key IN"
                      " (dedupe_hash('whatsapp', 'wamid.1'), dedupe_hash('whatsapp', 'status:wamid.OUT1:read'),"
                      "  dedupe_hash('messenger', 'status:987654321@1773162161000:read'))"),
            3);
  EXPECT_THAT(db_.Scalar("SELECT dedupe_hash('whatsapp', 'wamid.1')"), ::testing::MatchesRegex("sha256:[0-9a-f]{64}"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox WHERE dedupe_key = 'wamid.2'"), 1) << "others keep theirs";
  const auto before = db_.Count("SELECT count(*) FROM inbox");

  storage::Database database(db_.Settings(2));
  SystemClock clock;
  intake::InboxWriter writer(database, clock);
  const ParsedWebhook replay = ReplayOfTheirFirstMessage();
  auto stored = writer.Store("whatsapp", "raw", replay);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->stored, 0);
  EXPECT_EQ(stored->duplicates, 1);
  auto alone = database.Transact([&](storage::Tx& tx) {
    return intake::StoreMessage(tx, "whatsapp", "raw", replay.messages[0], clock.Now()).has_value();
  });
  ASSERT_TRUE(alone);
  EXPECT_FALSE(*alone) << "the one-message path (Open311, e-mail) refuses it too";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox"), before);
  // The salt is the installation's: the application cannot change it (every hash would be lost).
  EXPECT_THROW(db_.Execute("SET ROLE sac_app; UPDATE dedupe_salt SET salt = 'x'"), std::exception);
}

// A replay arriving while the cancellation is being written waits for it, then finds the hash:
// it is not stored as new (which would bring the data back). The cancellation is held open
// until the replay is seen waiting.
TEST_F(CitizenRightsTest, AReplayDuringTheCancellationWaitsAndIsStillRecognised) {
  storage::Database database(db_.Settings(3));
  SystemClock clock;
  std::atomic<bool> commit{false};
  std::thread cancelling([&] {
    ASSERT_TRUE(database.Transact([&](storage::Tx& tx) -> Status {
      const CancellationJournal journal(::testing::TempDir() + "sac_cancelaciones_race.log");
      auto cancelled = CancelCitizen(tx, std::stoll(citizen_), "ut", clock.Now(), "solicitud", &journal);
      if (!cancelled) return cancelled.error();
      while (!commit) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return {};
    }));
  });
  const std::string advisory = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                               " AND classid = 5314 AND objid = 1 AND objsubid = 2 AND ";
  while (db_.Count(advisory + "granted AND mode = 'ExclusiveLock'") == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  intake::InboxWriter writer(database, clock);
  const ParsedWebhook replay = ReplayOfTheirFirstMessage();
  std::optional<Result<intake::StoreSummary>> stored;
  std::thread replaying([&] { stored = writer.Store("whatsapp", "raw", replay); });
  for (int i = 0; i < 400 && db_.Count(advisory + "NOT granted") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the replay waits on the lock
  }
  commit = true;
  cancelling.join();
  replaying.join();
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->stored, 0);
  EXPECT_EQ((*stored)->duplicates, 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox WHERE dedupe_key = 'wamid.1'"), 0);
}

// ARCO requests as cases (reliability goal P1): 20 business days to answer, one extension of 10
// decided within the first term; "por vencer" from the 15th day, "vencida" after the deadline.
TEST_F(CitizenRightsTest, AnArcoRequestRunsOnTheLawsClock) {
  storage::Database database(db_.Settings());
  const workflow::BusinessCalendar calendar({});  // weekends only: the dates below stay put
  const auto day = [](int month, int day_of_month) {
    return workflow::Date(std::chrono::year{2026} / month / day_of_month);
  };
  std::optional<ArcoRequest> request;
  ASSERT_TRUE(database.Transact([&](storage::Tx& tx) -> Status {
    // Received on Monday 1 June 2026: the day itself does not count; 20 business days end on
    // Monday 29 June, "por vencer" from Monday 22 June.
    auto opened = OpenArcoRequest(tx, calendar, "cancelacion", std::stoll(citizen_), day(6, 1),
                                  day(6, 2), "ut");
    if (!opened) return opened.error();
    request = *opened;
    return {};
  }));
  EXPECT_EQ(workflow::FormatDate(request->due_on), "2026-06-29");
  EXPECT_EQ(workflow::FormatDate(request->warn_on), "2026-06-22");
  EXPECT_EQ(StandingOf(*request, day(6, 19)), ArcoStanding::kOnTime);
  EXPECT_EQ(StandingOf(*request, day(6, 22)), ArcoStanding::kDueSoon);
  EXPECT_EQ(StandingOf(*request, day(6, 29)), ArcoStanding::kDueSoon) << "the last day still counts";
  EXPECT_EQ(StandingOf(*request, day(6, 30)), ArcoStanding::kOverdue);

  const auto extend = [&](std::int64_t id, workflow::Date today) {
    return database.Transact([&](storage::Tx& tx) -> Status {
      auto extended = ExtendArcoRequest(tx, calendar, id, "falta acreditar la identidad", "ut", today,
                                        std::chrono::system_clock::now());
      if (!extended) return extended.error();
      request = *extended;
      return {};
    });
  };
  const auto late = extend(request->id, day(6, 30));
  ASSERT_FALSE(late);
  EXPECT_THAT(late.error().message, HasSubstr("venció el 2026-06-29"));
  ASSERT_TRUE(extend(request->id, day(6, 26)));
  EXPECT_EQ(workflow::FormatDate(request->due_on), "2026-07-13");
  EXPECT_EQ(db_.Scalar("SELECT due_on || ' ' || warn_on || ' ' || extension_reason FROM arco_request"),
            "2026-07-13 2026-07-06 falta acreditar la identidad");
  const auto twice = extend(request->id, day(6, 26));
  ASSERT_FALSE(twice);
  EXPECT_THAT(twice.error().message, HasSubstr("ya fue ampliada"));
}

// From the command line: registered, listed, and closed only by the action it asked for, for the
// citizen it is about — a refused action changes nothing — or as improcedente with the reason.
TEST_F(CitizenRightsTest, AnArcoRequestClosesWithItsActionOrAsImprocedente) {
  const auto opened = Arco({"open", "--tipo", "cancelacion", "--id", citizen_, "--recibida",
                            "2026-06-01", "--actor", "unidad.transparencia"});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  EXPECT_THAT(opened.out, HasSubstr("responder a más tardar el 2026-06-29"));
  const std::string id = db_.Scalar("SELECT id FROM arco_request");
  const auto late = Arco({"extend", "--solicitud", id, "--motivo", "m", "--actor", "ut"});
  EXPECT_EQ(late.exit_code, 2);
  EXPECT_THAT(late.err, HasSubstr("venció")) << "June is long past";
  EXPECT_THAT(Arco({"list"}).out, HasSubstr("vence 2026-06-29\tVENCIDA"));

  const auto wrong_kind = Sac({"oppose", "--id", citizen_, "--actor", "ut", "--solicitud", id});
  EXPECT_EQ(wrong_kind.exit_code, 2);
  EXPECT_THAT(wrong_kind.err, HasSubstr("es de cancelacion, no de oposicion"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen WHERE opposed_at IS NOT NULL"), 0);
  const auto wrong_citizen =
      Sac({"cancel", "--id", other_, "--actor", "ut", "--confirmar", "--solicitud", id});
  EXPECT_EQ(wrong_citizen.exit_code, 2);
  EXPECT_THAT(wrong_citizen.err, HasSubstr("es de otro ciudadano"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen WHERE cancelled_at IS NOT NULL"), 0);
  ASSERT_EQ(Sac({"cancel", "--id", citizen_, "--actor", "ut", "--confirmar", "--solicitud", id}).exit_code, 0);
  EXPECT_EQ(db_.Scalar("SELECT outcome || ' ' || closed_by FROM arco_request"), "atendida ut");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen WHERE cancelled_at IS NOT NULL AND id = " + citizen_), 1);
  const auto closed = Arco({"refuse", "--solicitud", id, "--motivo", "x", "--actor", "ut"});
  EXPECT_EQ(closed.exit_code, 2);
  EXPECT_THAT(closed.err, HasSubstr("ya está cerrada"));
  EXPECT_THAT(Arco({"list"}).out, HasSubstr("Sin solicitudes ARCO abiertas"));

  // An access request carried out by the export it asked for.
  ASSERT_EQ(Arco({"open", "--tipo", "acceso", "--id", other_, "--actor", "ut"}).exit_code, 0);
  const std::string access = db_.Scalar("SELECT max(id) FROM arco_request");
  EXPECT_THAT(Arco({"list"}).out, HasSubstr("a tiempo"));
  ASSERT_EQ(Sac({"export", "--id", other_, "--actor", "ut", "--salida", (dir_ / "arco").string(),
                 "--solicitud", access}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "arco" / ("ciudadano-" + other_ + ".pdf")));
  EXPECT_EQ(db_.Scalar("SELECT outcome FROM arco_request WHERE id = " + access), "atendida");

  // A letter from someone SAC cannot identify: registered today without a citizen, then
  // improcedente with the reason. A date in the future and an unknown kind are refused.
  ASSERT_EQ(Arco({"open", "--tipo", "acceso", "--actor", "ut"}).exit_code, 0);
  const std::string letter = db_.Scalar("SELECT max(id) FROM arco_request");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM arco_request WHERE id = " + letter +
                      " AND citizen_id IS NULL AND received_on BETWEEN"
                      " (now() AT TIME ZONE 'America/Mazatlan')::date - 1 AND"
                      " (now() AT TIME ZONE 'America/Mazatlan')::date"),
            1);
  EXPECT_EQ(Arco({"refuse", "--solicitud", letter, "--motivo", "no acreditó su identidad", "--actor",
                  "ut"}).exit_code, 0);
  EXPECT_EQ(db_.Scalar("SELECT outcome || ': ' || reason FROM arco_request WHERE id = " + letter),
            "improcedente: no acreditó su identidad");
  const auto future = Arco({"open", "--tipo", "acceso", "--recibida", "2999-01-04", "--actor", "ut"});
  EXPECT_EQ(future.exit_code, 2);
  EXPECT_THAT(future.err, HasSubstr("posterior a hoy"));
  const auto unknown = Arco({"open", "--tipo", "borrado", "--actor", "ut"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("tipo de solicitud desconocido"));
}

// The bitácora de vulneraciones (reliability goal P3): a breach is recorded with its dates, cause,
// data, count and corrective actions; the decision whether to notify is taken once, with its
// reason; the notices given are recorded; nothing in it can be deleted by the application.
TEST_F(CitizenRightsTest, ASecurityBreachIsRecordedDecidedAndItsNoticesKept) {
  const auto breach = [&](std::vector<std::string> arguments) { return Sac(std::move(arguments), "breach"); };
  const auto recorded = breach({"record", "--ocurrio", "2026-11-19 14:30", "--confirmado", "2026-11-20 09:00",
                                "--motivo", "un respaldo quedó en una carpeta compartida",
                                "--datos", "teléfonos y textos de boletas", "--afectados", "120",
                                "--acciones", "carpeta cerrada; contraseñas rotadas", "--actor", "ut"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  EXPECT_THAT(recorded.out, HasSubstr("antes de 72 horas"));
  const std::string id = db_.Scalar("SELECT id FROM security_breach");
  // Mazatlán is UTC-7: 09:00 there is 16:00 UTC.
  EXPECT_EQ(db_.Scalar("SELECT to_char(confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' ||"
                       " citizens_affected FROM security_breach"),
            "2026-11-20 16:00 120");
  EXPECT_THAT(breach({"list"}).out, HasSubstr("SIN DECISIÓN (pasó de 72 h)"));
  EXPECT_EQ(breach({"notified", "--id", id, "--titulares"}).exit_code, 2) << "not decided yet";
  ASSERT_EQ(breach({"decide", "--id", id, "--notificar", "si", "--motivo", "afecta a 120 titulares",
                    "--actor", "ut"}).exit_code, 0);
  const auto twice = breach({"decide", "--id", id, "--notificar", "no", "--motivo", "x", "--actor", "ut"});
  EXPECT_EQ(twice.exit_code, 2) << "decided once";
  EXPECT_THAT(twice.err, HasSubstr("ya tiene decisión"));
  ASSERT_EQ(breach({"notified", "--id", id, "--titulares"}).exit_code, 0);
  EXPECT_THAT(breach({"list"}).out, HasSubstr("falta notificar a al organismo garante"));
  ASSERT_EQ(breach({"notified", "--id", id, "--autoridad"}).exit_code, 0);
  EXPECT_THAT(breach({"list"}).out, HasSubstr("Sin vulneraciones pendientes"));
  EXPECT_EQ(breach({"notified", "--id", id}).exit_code, 2) << "to whom?";

  // Refused: confirmed before it happened, in the future, or a malformed time.
  const auto dated = [&](const char* occurred, const char* confirmed) {
    const auto refused = breach({"record", "--ocurrio", occurred, "--confirmado", confirmed, "--motivo",
                                 "m", "--datos", "d", "--afectados", "1", "--acciones", "a", "--actor", "ut"});
    EXPECT_EQ(refused.exit_code, 2);
    return refused.err;
  };
  EXPECT_THAT(dated("2026-11-29 10:00", "2026-11-29 09:00"), HasSubstr("se confirmó antes de ocurrir"));
  EXPECT_THAT(dated("2026-11-29 10:00", "2030-01-01 09:00"), HasSubstr("posterior a ahora"));
  EXPECT_THAT(dated("ayer", "2026-11-29 09:00"), HasSubstr("AAAA-MM-DD HH:MM"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM security_breach"), 1);

  // The application's role cannot erase the record.
  EXPECT_EQ(db_.Scalar("SELECT has_table_privilege('sac_app', 'security_breach', 'DELETE')::text"), "false");
}

}  // namespace
}  // namespace sac::privacy
