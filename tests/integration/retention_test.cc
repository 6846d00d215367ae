// Retention of citizens' personal data under a fake "now": each kind is emptied exactly when its
// period ends and not before; open work is never touched; a silent citizen is cancelled like an
// ARCO request (recorded with its motive), their photo deleted; a second run finds nothing.
#include "privacy/retention.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "scheduler/jobs.h"
#include "storage/database.h"
#include "tests/support/test_database.h"

namespace sac::privacy {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TimePoint Day(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return TimePoint(sys_days(year{y} / month{m} / day{d}) + hours{18});
}

class RetentionTest : public ::testing::Test {
 protected:
  RetentionTest()
      : database_(db_.Settings(2)),
        media_(std::filesystem::temp_directory_path() / ("sac_retention_" + std::to_string(::getpid()))) {
    db_.SeedDependencias();
    // Two citizens: one silent since 2020 with a finished boleta (and a photo), one active.
    db_.Execute("INSERT INTO citizen (display_name, phone, created_at) VALUES "
                "('Silenciosa', '+526691110000', '2020-01-10'), ('Activa', '+526692220000', '2020-01-10')");
    db_.Execute("INSERT INTO citizen_identity (channel, external_id, citizen_id, last_seen_at) VALUES "
                "('whatsapp', '5216691110000', 1, '2020-02-01'), ('whatsapp', '5216692220000', 2, '2026-10-01')");
    db_.Execute("INSERT INTO webhook_request (channel, body, received_at) VALUES "
                "('whatsapp', convert_to('viejo', 'UTF8'), '2020-02-01'),"
                "('whatsapp', convert_to('reciente', 'UTF8'), '2026-10-01')");
    db_.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload, state,"
                "  received_at) VALUES "
                "(1, 'whatsapp', 'w1', 'message', '5216691110000', '{\"text\":\"fuga vieja\"}', 'processed', '2020-02-01'),"
                "(2, 'whatsapp', 'w2', 'message', '5216692220000', '{\"text\":\"bache abierto\"}', 'processed', '2024-01-01'),"
                "(2, 'whatsapp', 'w3', 'message', '5216692220000', '{\"text\":\"hola\"}', 'processed', '2024-01-01')");
    db_.Execute("INSERT INTO boleta (folio, channel, citizen_id, source_inbox_id, text, status,"
                "  dependencia_id, due_at, colonia, created_at, updated_at) VALUES "
                "('2020-000001', 'whatsapp', 1, 1, 'fuga vieja', 'cerrada', 'jumapam', '2020-02-20',"
                "  'Centro', '2020-02-01', '2020-03-01'),"
                "('2024-000001', 'whatsapp', 2, 2, 'bache abierto', 'canalizada', 'obras_publicas',"
                "  '2024-01-20', 'Juárez', '2024-01-01', '2024-01-01')");
    db_.Execute("INSERT INTO outbox (channel, recipient, citizen_id, boleta_id, purpose, body, state,"
                "  created_at) VALUES "
                "('whatsapp', '5216691110000', 1, 1, 'acuse', 'Folio 2020-000001', 'sent', '2020-02-01'),"
                "('whatsapp', '5216692220000', 2, 2, 'acuse', 'Folio 2024-000001', 'sent', '2024-01-01')");
    photo_ = media_.Store("\xFF\xD8\xFF foto vieja")->sha256;
    db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, download_state,"
                "  file_sha256) VALUES (1, 'image', 'm1', 'stored', '" + photo_ + "')");
  }
  ~RetentionTest() override {
    std::filesystem::remove_all(media_.PathOf(photo_).parent_path().parent_path());
    std::filesystem::remove(journal_.file());
  }

  Purged Apply(TimePoint now) {
    auto purged = ApplyRetention(database_, media_, journal_, RetentionPeriods{}, now, 2);
    EXPECT_TRUE(purged) << purged.error().message;
    return purged ? *purged : Purged{};
  }

  testing::TestDatabase db_;
  storage::Database database_;
  media::MediaStore media_;
  privacy::CancellationJournal journal_{std::filesystem::temp_directory_path() /
                                        ("sac_retention_journal_" + std::to_string(::getpid()))};
  std::string photo_;
};

TEST_F(RetentionTest, NothingIsTouchedBeforeItsPeriodEnds) {
  // In 2021: the 2020 messages are not two years old, and the silent citizen has been silent
  // for less than five years.
  const Purged purged = Apply(Day(2021, 1, 1));
  EXPECT_EQ(purged.raw_requests, 1) << "only the 2020 request is over 90 days old";
  EXPECT_EQ(purged.messages, 0) << "no message is two years old yet";
  EXPECT_EQ(purged.citizens, 0);
  EXPECT_EQ(db_.Scalar("SELECT convert_from(body, 'UTF8') FROM webhook_request WHERE id = 2"), "reciente");
}

TEST_F(RetentionTest, EachKindGoesWhenItsPeriodEndsAndOpenWorkStays) {
  const Purged purged = Apply(Day(2026, 11, 30));
  EXPECT_EQ(purged.raw_requests, 1) << "the 2026-10 request is younger than 90 days";
  EXPECT_EQ(db_.Scalar("SELECT octet_length(body) FROM webhook_request WHERE id = 1"), "0");
  // Messages: the finished boleta's and the one without a boleta; not the open boleta's.
  EXPECT_EQ(db_.Scalar("SELECT string_agg(CASE WHEN dedupe_key = dedupe_hash(channel, 'w1') THEN 'hash(w1)'"
                       " ELSE dedupe_key END || '=' || (payload ? 'depurado')::text, ',' ORDER BY id) FROM inbox"),
            "hash(w1)=false,w2=false,w3=true")
      << "w1 belonged to the silent citizen: cancelled (suprimido, its id kept as a hash) rather than depurado";
  EXPECT_EQ(db_.Scalar("SELECT payload::text FROM inbox WHERE dedupe_key = dedupe_hash(channel, 'w1')"),
            "{\"suprimido\": true}");
  EXPECT_EQ(db_.Scalar("SELECT body FROM outbox WHERE boleta_id = 2"), "Folio 2024-000001");
  // The silent citizen is cancelled, with the motive, and the photo is gone.
  EXPECT_EQ(purged.citizens, 1);
  EXPECT_EQ(purged.files, 1);
  EXPECT_FALSE(std::filesystem::exists(media_.PathOf(photo_)));
  EXPECT_EQ(db_.Scalar("SELECT coalesce(phone, '') || ':' || (cancelled_at IS NOT NULL)::text FROM citizen"
                       " WHERE id = 1"), ":true");
  EXPECT_THAT(db_.Scalar("SELECT actor || ' ' || detail::text FROM arco_action"),
              HasSubstr("depuracion {\"motivo\": \"conservacion\""));
  EXPECT_EQ(db_.Scalar("SELECT folio || ':' || status || ':' || colonia FROM boleta WHERE id = 1"),
            "2020-000001:cerrada:Centro") << "statistics keep the boleta";
  EXPECT_EQ(db_.Scalar("SELECT phone FROM citizen WHERE id = 2"), "+526692220000");
  const auto journalled = journal_.Read();
  ASSERT_TRUE(journalled);
  ASSERT_EQ(journalled->size(), 1u) << "the cancellation outlives a restored backup";
  EXPECT_EQ(journalled->at(0).citizen_id, 1);
  EXPECT_EQ(journalled->at(0).motive, "conservacion");

  const Purged again = Apply(Day(2026, 11, 30));
  EXPECT_EQ(again.raw_requests + again.messages + again.citizens, 0) << "a second run finds nothing";
}

// The silent citizen's only boleta was a duplicate of another citizen's, still open: they follow
// it and will be told when it is attended, so their data stays until it is finished.
TEST_F(RetentionTest, ACitizenFollowingAnOpenBoletaIsNotCancelledAsInactive) {
  db_.Execute("UPDATE boleta SET status = 'duplicada' WHERE id = 1");
  db_.Execute("INSERT INTO boleta_follower (boleta_id, citizen_id, via_boleta, since)"
              " VALUES (2, 1, 1, '2020-02-01')");
  EXPECT_EQ(Apply(Day(2026, 11, 30)).citizens, 0);
  EXPECT_EQ(db_.Scalar("SELECT phone FROM citizen WHERE id = 1"), "+526691110000");
  db_.Execute("UPDATE boleta SET status = 'cerrada' WHERE id = 2");
  EXPECT_EQ(Apply(Day(2026, 11, 30)).citizens, 1) << "once it is finished, the period applies";
}

// A boleta whose messages are two years old but which was closed only last month may still be
// reopened (a "no" to the survey): its messages stay until it has been finished for the period.
TEST_F(RetentionTest, ARecentlyFinishedBoletaKeepsItsMessagesForThePeriodAfterItEnded) {
  db_.Execute("UPDATE boleta SET status = 'cerrada', status_changed_at = '2026-11-01' WHERE id = 2");
  Apply(Day(2026, 11, 30));
  EXPECT_EQ(db_.Scalar("SELECT payload ? 'depurado' FROM inbox WHERE dedupe_key = 'w2'"), "f");
  EXPECT_EQ(db_.Scalar("SELECT body FROM outbox WHERE boleta_id = 2"), "Folio 2024-000001");
  Apply(Day(2028, 11, 2));
  EXPECT_EQ(db_.Scalar("SELECT payload ? 'depurado' FROM inbox WHERE dedupe_key = 'w2'"), "t");
  EXPECT_EQ(db_.Scalar("SELECT body FROM outbox WHERE boleta_id = 2"), "");
}

// A boleta captured without a name or a phone belongs to no citizen, so no cancellation would
// ever reach it: once finished for as long as a silent citizen is kept, its texts, address,
// notes and photo go the same way; open work, recent work and the dependencia's notes stay.
TEST_F(RetentionTest, ABoletaNoCitizenOwnsLosesItsPersonalDataLikeASilentCitizensBoleta) {
  db_.Execute("INSERT INTO boleta (folio, channel, text, address_text, latitude, longitude, status,"
              "  status_reason, dependencia_id, due_at, colonia, created_at, updated_at,"
              "  status_changed_at) VALUES "
              "('2020-000002', 'modulo', 'luminaria frente a mi casa', 'Calle 1 #2', 23.2, -106.4,"
              "  'cerrada', 'se cambió el foco', 'alumbrado_publico', '2020-02-20', 'Centro',"
              "  '2020-02-01', '2020-03-01', '2020-03-01'),"
              "('2020-000003', 'telefono', 'árbol caído', 'Calle 3 #4', NULL, NULL, 'canalizada', NULL,"
              "  'alumbrado_publico', '2020-02-20', 'Centro', '2020-02-01', '2020-02-01', '2020-02-01'),"
              "('2026-000001', 'modulo', 'bache en mi calle', 'Calle 5 #6', NULL, NULL, 'cerrada',"
              "  NULL, 'obras_publicas', '2026-02-20', 'Juárez', '2026-02-01', '2026-03-01',"
              "  '2026-03-01')");
  db_.Execute("INSERT INTO boleta_note (boleta_id, author_kind, author, text) VALUES "
              "(3, 'staff', 'ana', 'llamó el vecino de la casa 2'),"
              "(3, 'dependencia', 'alumbrado_publico', 'cuadrilla 4 atendió')");
  // It came through the app without a contact: its message and raw request go too (the request
  // is younger than raw_request_days, so only this removal empties it).
  db_.Execute("INSERT INTO webhook_request (channel, body, received_at) VALUES "
              "('open311', convert_to('luminaria frente a mi casa', 'UTF8'), '2026-11-01')");
  db_.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload, state,"
              "  received_at) VALUES (3, 'open311', 'app-7', 'message', '',"
              "  '{\"text\":\"luminaria frente a mi casa\"}', 'processed', '2026-11-01')");
  db_.Execute("UPDATE boleta SET source_inbox_id ="
              " (SELECT id FROM inbox WHERE dedupe_key = 'app-7') WHERE id = 3");
  const std::string photo = media_.Store("\xFF\xD8\xFF luminaria")->sha256;
  db_.Execute("INSERT INTO boleta_media (boleta_id, kind, provider_media_id, download_state,"
              "  file_sha256) VALUES (3, 'image', 'captura', 'stored', '" + photo + "')");

  const Purged purged = Apply(Day(2026, 11, 30));
  EXPECT_EQ(purged.ownerless_boletas, 1) << "only the boleta finished in 2020";
  EXPECT_EQ(purged.files, 2) << "the silent citizen's photo and the ownerless boleta's";
  EXPECT_FALSE(std::filesystem::exists(media_.PathOf(photo)));
  EXPECT_EQ(db_.Scalar("SELECT text || '|' || coalesce(address_text, '-') || '|' ||"
                       " coalesce(latitude::text, '-') || '|' || status_reason || '|' || folio || '|' ||"
                       " status || '|' || colonia || '|' || (personal_data_removed_at IS NOT NULL)::text"
                       " FROM boleta WHERE id = 3"),
            "[Datos suprimidos al vencer su plazo de conservación]|-|-|"
            "[Datos suprimidos al vencer su plazo de conservación]|2020-000002|cerrada|Centro|true");
  EXPECT_EQ(db_.Scalar("SELECT string_agg(author_kind || '=' || text, ',' ORDER BY id) FROM boleta_note"
                       " WHERE boleta_id = 3"),
            "staff=[Datos suprimidos al vencer su plazo de conservación],"
            "dependencia=cuadrilla 4 atendió");
  EXPECT_EQ(db_.Scalar("SELECT provider_media_id || ':' || download_state FROM boleta_media"
                       " WHERE boleta_id = 3"), ":blocked");
  EXPECT_EQ(db_.Scalar("SELECT octet_length(body) FROM webhook_request WHERE id = 3"), "0");
  EXPECT_EQ(db_.Scalar("SELECT payload::text || ' ' ||"
                       " (dedupe_key = dedupe_hash(channel, 'app-7'))::text"
                       " FROM inbox WHERE channel = 'open311'"),
            "{\"suprimido\": true} true") << "its id kept only as a salted hash";
  EXPECT_EQ(db_.Scalar("SELECT actor || ' ' || (detail->>'motivo') FROM boleta_event"
                       " WHERE boleta_id = 3 AND kind = 'datos_suprimidos'"),
            "depuracion conservacion");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM boleta WHERE id IN (4, 5) AND text IN"
                       " ('árbol caído', 'bache en mi calle') AND address_text IS NOT NULL"), "2")
      << "open work and work finished this year keep theirs";
  EXPECT_EQ(db_.Scalar("SELECT text FROM boleta WHERE id = 1"),
            "[Datos suprimidos al vencer su plazo de conservación]")
      << "the silent citizen did not ask: the text says why it is gone";

  const Purged again = Apply(Day(2026, 11, 30));
  EXPECT_EQ(again.ownerless_boletas, 0) << "a second run finds nothing";
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM boleta_event WHERE kind = 'datos_suprimidos'"), "2");
  EXPECT_EQ(Apply(Day(2031, 3, 2)).ownerless_boletas, 1)
      << "the 2026 boleta, five years after it was finished";
}

TEST_F(RetentionTest, TheDailyJobReportsWhatItPurged) {
  auto job = scheduler::RetentionJob(database_, media_, journal_, RetentionPeriods{});
  const auto counts = job->Run(Day(2026, 11, 30));
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->at("ciudadanos"), 1);
  EXPECT_EQ(counts->at("solicitudes_crudas"), 1);
  EXPECT_EQ(counts->at("boletas_sin_ciudadano"), 0);
}

}  // namespace
}  // namespace sac::privacy
