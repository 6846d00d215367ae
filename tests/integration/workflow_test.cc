// The life of a boleta against a real PostgreSQL: routing, deadlines, the read flag, actors'
// rights, duplicates, and a bitácora nobody can rewrite.
#include "workflow/boleta_workflow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <atomic>
#include <thread>

#include "classify/corrections.h"
#include "routing/dependencias.h"
#include "tests/support/fake_clock.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"
#include "workflow/boleta_queries.h"
#include "workflow/boletas.h"
#include "workflow/duplicates.h"

namespace sac::workflow {
namespace {

using ::testing::HasSubstr;
using testing::TestDatabase;
using namespace std::chrono;
using S = BoletaStatus;

TimePoint Utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  return TimePoint(sys_days(year_month_day{year{y}, month{mo}, day{d}}) + hours{h} + minutes{mi});
}
Date D(int y, unsigned m, unsigned d) { return sys_days(year_month_day{year{y}, month{m}, day{d}}); }

class WorkflowTest : public ::testing::Test {
 protected:
  WorkflowTest()
      : database_(db_.Settings()),
        calendar_(*BusinessCalendar::Load(testing::SourceDir() / "rules/calendario.toml")),
        local_(*LocalTime::Load("America/Mazatlan")),
        sla_(calendar_, local_),
        workflow_(sla_, clock_) {
    db_.SeedDependencias();
  }

  // A citizen on WhatsApp and a boleta of theirs, por clasificar.
  std::int64_t CreateCitizensBoleta(const std::string& phone = "+526691234501",
                         const std::string& wa_id = "5216691234501") {
    db_.Execute("INSERT INTO citizen (phone) VALUES ('" + phone + "') ON CONFLICT DO NOTHING");
    const std::string citizen = db_.Scalar("SELECT id FROM citizen WHERE phone = '" + phone + "'");
    db_.Execute("INSERT INTO citizen_identity (channel, external_id, citizen_id) VALUES "
                "('whatsapp', '" + wa_id + "', " + citizen + ") ON CONFLICT DO NOTHING");
    auto created = database_.Transact([&](storage::Tx& tx) {
      workflow::NewBoleta boleta;
      boleta.channel = "whatsapp";
      boleta.citizen_id = std::stoll(citizen);
      boleta.text = "hay un bache enorme";
      return CreateBoleta(tx, boleta, clock_.Now()).id;
    });
    EXPECT_TRUE(created) << created.error().message;
    return *created;
  }

  Result<ChangeResult> Change(const Actor& actor, std::int64_t id, StatusChange change) {
    return database_.Transact(
        [&](storage::Tx& tx) { return workflow_.ChangeStatus(tx, actor, id, change); });
  }
  void MustChange(const Actor& actor, std::int64_t id, StatusChange change) {
    auto changed = Change(actor, id, std::move(change));
    ASSERT_TRUE(changed) << changed.error().message;
  }
  Status Open(const Actor& actor, std::int64_t id) {
    return database_.Transact([&](storage::Tx& tx) { return workflow_.Open(tx, actor, id); });
  }
  std::string Col(std::int64_t id, const std::string& expression) {
    return db_.Scalar("SELECT " + expression + " FROM boleta WHERE id = " + std::to_string(id));
  }
  std::string Events(std::int64_t id) {
    return db_.Scalar("SELECT string_agg(kind, ' ' ORDER BY id) FROM boleta_event WHERE boleta_id = " +
                      std::to_string(id));
  }

  static StatusChange To(S status, std::string dependencia = "", std::string comment = "") {
    StatusChange change;
    change.to = status;
    change.dependencia_id = std::move(dependencia);
    change.comment = std::move(comment);
    return change;
  }

  TestDatabase db_;
  storage::Database database_;
  testing::FakeClock clock_{Utc(2026, 11, 30, 17)};  // Monday 10:00 in Mazatlán
  BusinessCalendar calendar_;
  LocalTime local_;
  SlaClock sla_;
  BoletaWorkflow workflow_;
  const Actor staff_ = Actor::Staff("ana.staff");
  const Actor obras_ = Actor::ForDependencia("obras_publicas", "api:obras");
  const Actor jumapam_ = Actor::ForDependencia("jumapam", "api:jumapam");
};

TEST_F(WorkflowTest, CanalizarSetsTheDependenciaTheDeadlineAndNoLeida) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));
  EXPECT_EQ(Col(id, "status"), "canalizada");
  EXPECT_EQ(Col(id, "dependencia_id"), "obras_publicas");
  EXPECT_EQ(Col(id, "sla_business_days"), "10");
  EXPECT_EQ(Col(id, "due_at"), "2026-12-15 07:00:00+00") << "end of Monday 14 Dec in Mazatlán";
  EXPECT_EQ(Col(id, "unread_by_dependencia"), "t");
  EXPECT_EQ(Events(id), "creada canalizar");
  EXPECT_EQ(db_.Scalar("SELECT actor_kind || ':' || actor || ':' || (detail->>'dependencia') "
                       "FROM boleta_event WHERE kind = 'canalizar'"),
            "staff:ana.staff:obras_publicas");
}

TEST_F(WorkflowTest, AlumbradoGetsFifteenDaysAndCategoriasCanOverride) {
  const auto lamp = CreateCitizensBoleta();
  MustChange(staff_, lamp, To(S::kCanalizada, "alumbrado_publico"));
  EXPECT_EQ(Col(lamp, "sla_business_days"), "15");

  routing::Dependencia obras{"obras_publicas", "Obras Públicas", 10, "", "", {{"bache", 5}}};
  ASSERT_TRUE(database_.Transact([&](storage::Tx& tx) { routing::UpsertDependencias(tx, {obras}); }));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM sla_override"), 1);
  const auto pothole = CreateCitizensBoleta();
  db_.Execute("UPDATE boleta SET categoria = 'bache' WHERE id = " + std::to_string(pothole));
  MustChange(staff_, pothole, To(S::kCanalizada, "obras_publicas"));
  EXPECT_EQ(Col(pothole, "sla_business_days"), "5");
  EXPECT_EQ(Col(pothole, "due_at"), "2026-12-08 07:00:00+00");
  obras.sla_by_categoria.clear();  // removed from the file: gone from the database
  ASSERT_TRUE(database_.Transact([&](storage::Tx& tx) { routing::UpsertDependencias(tx, {obras}); }));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM sla_override"), 0);
}

TEST_F(WorkflowTest, OnlyTheDependenciaOpeningItMakesItLeida) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));
  ASSERT_TRUE(Open(staff_, id));
  EXPECT_EQ(Col(id, "status || ':' || unread_by_dependencia"), "canalizada:true");
  ASSERT_TRUE(Open(obras_, id));
  EXPECT_EQ(Col(id, "status || ':' || unread_by_dependencia"), "leida:false");
  EXPECT_EQ(Col(id, "first_read_at IS NOT NULL"), "t");
  ASSERT_TRUE(Open(obras_, id));
  EXPECT_EQ(Events(id), "creada canalizar abrir") << "reading it again is not news";
}

TEST_F(WorkflowTest, ACitizenNoteMakesItNoLeidaAgain) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));
  ASSERT_TRUE(Open(obras_, id));
  StatusChange program = To(S::kProgramada);
  program.scheduled_for = D(2026, 12, 3);
  MustChange(obras_, id, program);
  clock_.Advance(hours{2});
  ASSERT_TRUE(database_.Transact(
      [&](storage::Tx& tx) { AddCitizenNote(tx, id, "sigue igual", "mensaje", clock_.Now()); }));
  EXPECT_EQ(Col(id, "status || ':' || unread_by_dependencia"), "programada:true");
  EXPECT_EQ(Col(id, "unread_since = '2026-11-30 19:00:00+00'"), "t");
  ASSERT_TRUE(Open(obras_, id));
  EXPECT_EQ(Col(id, "unread_by_dependencia"), "f");
  EXPECT_EQ(Events(id), "creada canalizar abrir programar nota_ciudadano leida");
}

TEST_F(WorkflowTest, ADependenciaCannotSeeOrTouchAnothersBoleta) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));
  EXPECT_EQ(Open(jumapam_, id).error().code, Errc::kNotFound);
  EXPECT_EQ(Change(jumapam_, id, To(S::kEnSeguimiento)).error().code, Errc::kNotFound);
  auto note = database_.Transact(
      [&](storage::Tx& tx) { return workflow_.AddNote(tx, jumapam_, id, "x", true); });
  EXPECT_EQ(note.error().code, Errc::kNotFound);
  EXPECT_EQ(Events(id), "creada canalizar");
}

TEST_F(WorkflowTest, EachActorMayOnlyDoItsPart) {
  const auto id = CreateCitizensBoleta();
  auto by_dependencia = Change(Actor::ForDependencia("", "x"), id, To(S::kCanalizada, "obras_publicas"));
  ASSERT_FALSE(by_dependencia);
  EXPECT_EQ(by_dependencia.error().code, Errc::kNotFound) << "not its boleta (it has none yet)";
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));
  auto reassign = Change(obras_, id, To(S::kCanalizada, "jumapam"));
  ASSERT_FALSE(reassign);
  EXPECT_EQ(reassign.error().code, Errc::kPermissionDenied);
  EXPECT_THAT(reassign.error().message, HasSubstr("reasignar"));
  auto citizen_attends = Change(Actor::Citizen(), id, To(S::kLeida));
  EXPECT_EQ(citizen_attends.error().code, Errc::kPermissionDenied);
}

TEST_F(WorkflowTest, IllegalTransitionsAreRefusedNamingBothStatuses) {
  const auto id = CreateCitizensBoleta();
  auto refused = Change(staff_, id, To(S::kAtendida));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kConflict);
  EXPECT_EQ(refused.error().message, "no se puede pasar de por_clasificar a atendida");
  EXPECT_EQ(Col(id, "status"), "por_clasificar");
}

TEST_F(WorkflowTest, DevolverNeedsAReasonAndStopsTheClock) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "jumapam"));
  EXPECT_EQ(Change(jumapam_, id, To(S::kPorClasificar)).error().code, Errc::kInvalidArgument);
  MustChange(jumapam_, id, To(S::kPorClasificar, "", "no nos corresponde: es un bache"));
  EXPECT_EQ(Col(id, "status"), "por_clasificar");
  EXPECT_EQ(Col(id, "coalesce(dependencia_id, 'none') || ':' || coalesce(due_at::text, 'none')"),
            "none:none");
  EXPECT_EQ(Col(id, "status_reason"), "no nos corresponde: es un bache");
  EXPECT_EQ(db_.Scalar("SELECT detail->>'from_dependencia' FROM boleta_event WHERE kind = 'devolver'"),
            "jumapam");
  EXPECT_EQ(db_.Scalar("SELECT n.text FROM boleta_note n JOIN boleta_event e ON "
                       "n.id = (e.detail->>'note_id')::bigint WHERE e.kind = 'devolver'"),
            "no nos corresponde: es un bache");
}

TEST_F(WorkflowTest, ReasignarRestartsTheClockAndKeepsTheHistory) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "jumapam"));
  ASSERT_TRUE(Open(jumapam_, id));
  clock_.Set(Utc(2026, 12, 7, 17));  // a week later
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));
  EXPECT_EQ(Col(id, "dependencia_id || ':' || status"), "obras_publicas:canalizada");
  EXPECT_EQ(Col(id, "due_at"), "2026-12-22 07:00:00+00") << "ten business days from 7 Dec";
  EXPECT_EQ(Col(id, "unread_by_dependencia"), "t");
  EXPECT_EQ(Events(id), "creada canalizar abrir reasignar");
  EXPECT_EQ(db_.Scalar("SELECT detail->>'from_dependencia' FROM boleta_event WHERE kind = 'reasignar'"),
            "jumapam");
  EXPECT_EQ(Change(staff_, id, To(S::kCanalizada, "obras_publicas")).error().code,
            Errc::kInvalidArgument) << "already there";
  EXPECT_EQ(Change(staff_, id, To(S::kCanalizada, "no_existe")).error().code,
            Errc::kInvalidArgument);
}

TEST_F(WorkflowTest, ProgramarNeedsADateNotInThePast) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));
  ASSERT_TRUE(Open(obras_, id));
  EXPECT_EQ(Change(obras_, id, To(S::kProgramada)).error().code, Errc::kInvalidArgument);
  StatusChange past = To(S::kProgramada);
  past.scheduled_for = D(2026, 11, 29);
  EXPECT_EQ(Change(obras_, id, past).error().code, Errc::kInvalidArgument);
  StatusChange today = To(S::kProgramada);
  today.scheduled_for = D(2026, 11, 30);
  MustChange(obras_, id, today);
  StatusChange later = To(S::kProgramada);
  later.scheduled_for = D(2026, 12, 4);
  MustChange(obras_, id, later);
  EXPECT_EQ(Col(id, "scheduled_for"), "2026-12-04");
  EXPECT_EQ(Events(id), "creada canalizar abrir programar reprogramar");
  StatusChange attended_on = To(S::kAtendida);
  attended_on.scheduled_for = D(2026, 12, 5);
  EXPECT_EQ(Change(obras_, id, attended_on).error().code, Errc::kInvalidArgument)
      << "a date goes only with programar: refused, not ignored";
  EXPECT_EQ(Col(id, "status"), "programada");
}

TEST_F(WorkflowTest, AFullLifeFromIntakeToClosing) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));
  ASSERT_TRUE(Open(obras_, id));
  StatusChange program = To(S::kProgramada);
  program.scheduled_for = D(2026, 12, 2);
  MustChange(obras_, id, program);
  MustChange(obras_, id, To(S::kEnSeguimiento, "", "cuadrilla en camino"));
  MustChange(obras_, id, To(S::kAtendida));
  MustChange(Actor::Citizen(), id, To(S::kValidada));
  MustChange(Actor::System(), id, To(S::kCerrada));
  EXPECT_EQ(Events(id), "creada canalizar abrir programar dar_seguimiento atender validar cerrar");
  EXPECT_EQ(Col(id, "attended_at IS NOT NULL AND closed_at IS NOT NULL"), "t");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_event WHERE boleta_id = " + std::to_string(id) +
                      " AND from_status IS DISTINCT FROM to_status AND to_status IS NOT NULL"),
            8);
}

TEST_F(WorkflowTest, StaffRoutingAgainstTheMachineIsKeptAsACorrectionForTheGoldenCases) {
  const auto classify = [&](std::int64_t id, const std::string& dependencia) {
    ClassificationRecord record;
    record.intent = "peticion";
    record.categoria = dependencia.empty() ? "" : "fuga_agua";
    record.dependencia = dependencia;
    record.colonia = "Benito Juárez";
    record.confidence = 0.55;
    record.json = dependencia.empty() ? R"({"dependencia":null})"
                                      : R"({"dependencia":")" + dependencia + R"("})";
    ASSERT_TRUE(database_.Transact(
        [&](storage::Tx& tx) { RecordClassification(tx, id, record, clock_.Now()); }));
  };
  const auto agreed = CreateCitizensBoleta();
  classify(agreed, "obras_publicas");
  MustChange(staff_, agreed, To(S::kCanalizada, "obras_publicas"));
  const auto unsure = CreateCitizensBoleta();
  classify(unsure, "");
  MustChange(staff_, unsure, To(S::kCanalizada, "obras_publicas"));
  const auto wrong = CreateCitizensBoleta();
  classify(wrong, "jumapam");
  MustChange(staff_, wrong, To(S::kCanalizada, "obras_publicas"));
  const auto never_classified = CreateCitizensBoleta();
  MustChange(staff_, never_classified, To(S::kCanalizada, "jumapam"));

  EXPECT_EQ(db_.Scalar("SELECT string_agg(boleta_id || ':' || coalesce(machine_dependencia, '-') || "
                       "'>' || human_dependencia || ':' || staff, ' ' ORDER BY id) "
                       "FROM classification_correction"),
            std::to_string(unsure) + ":->obras_publicas:ana.staff " + std::to_string(wrong) +
                ":jumapam>obras_publicas:ana.staff");

  auto taken = database_.Transact([](storage::Tx& tx) { return classify::TakeCorrections(tx, false); });
  ASSERT_TRUE(taken) << taken.error().message;
  ASSERT_EQ(taken->size(), 2u);
  EXPECT_EQ(classify::GoldenCaseLines(taken->at(1)),
            "# folio " + Col(wrong, "folio") +
                ": la máquina dijo jumapam/fuga_agua (0.55); ana.staff canalizó a obras_publicas\n"
                "hay un bache enorme\tpeticion\tobras_publicas\tBenito Juárez\n");
  auto again = database_.Transact([](storage::Tx& tx) { return classify::TakeCorrections(tx, false); });
  EXPECT_TRUE(again && again->empty()) << "each correction is proposed once";
  auto all = database_.Transact([](storage::Tx& tx) { return classify::TakeCorrections(tx, true); });
  EXPECT_EQ(all->size(), 2u);
}

TEST_F(WorkflowTest, InconformidadGoesBackToTheSameDependenciaWithANewTerm) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));
  ASSERT_TRUE(Open(obras_, id));
  MustChange(obras_, id, To(S::kAtendida));
  clock_.Set(Utc(2026, 12, 21, 17));  // Monday 21 Dec
  EXPECT_EQ(Change(staff_, id, To(S::kInconformidad)).error().code, Errc::kInvalidArgument)
      << "staff noting it for the citizen must write what they said";
  StatusChange blank = To(S::kInconformidad);
  blank.comment = " \n\t ";
  EXPECT_EQ(Change(staff_, id, blank).error().code, Errc::kInvalidArgument) << "spaces say nothing";
  MustChange(Actor::Citizen(), id, To(S::kInconformidad));
  EXPECT_EQ(Col(id, "dependencia_id || ':' || inconformidades || ':' || unread_by_dependencia"),
            "obras_publicas:1:true");
  EXPECT_EQ(Col(id, "due_at"), "2027-01-07 07:00:00+00")
      << "end of 6 Jan: 25 Dec and 1 Jan do not count";
  MustChange(obras_, id, To(S::kEnSeguimiento));
}

TEST_F(WorkflowTest, MarcarDuplicadaLinksFollowsAndTellsTheCitizen) {
  const auto original = CreateCitizensBoleta("+526691234501", "5216691234501");
  const auto duplicate = CreateCitizensBoleta("+526699876543", "5216699876543");
  const std::string original_folio = Col(original, "folio");
  StatusChange change = To(S::kDuplicada);
  change.duplicate_of = original;
  MustChange(staff_, duplicate, change);
  EXPECT_EQ(Col(duplicate, "duplicate_of"), std::to_string(original));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_follower WHERE boleta_id = " +
                      std::to_string(original)),
            1);
  EXPECT_EQ(db_.Scalar("SELECT recipient FROM outbox WHERE purpose = 'aviso_duplicada'"),
            "5216699876543");
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox WHERE purpose = 'aviso_duplicada'"),
              HasSubstr(original_folio));

  StatusChange self = To(S::kDuplicada);
  self.duplicate_of = original;
  EXPECT_EQ(Change(staff_, original, To(S::kDuplicada)).error().code, Errc::kInvalidArgument);
  const auto third = CreateCitizensBoleta("+526690000001", "5216690000001");
  StatusChange chained = To(S::kDuplicada);
  chained.duplicate_of = duplicate;
  EXPECT_EQ(Change(staff_, third, chained).error().code, Errc::kInvalidArgument)
      << "point at the original, not at another duplicate";
  MustChange(staff_, duplicate, To(S::kPorClasificar));
  EXPECT_EQ(Col(duplicate, "coalesce(duplicate_of::text, 'none')"), "none");
}

TEST_F(WorkflowTest, NoProcedeNeedsAReason) {
  const auto id = CreateCitizensBoleta();
  EXPECT_EQ(Change(staff_, id, To(S::kNoProcede)).error().code, Errc::kInvalidArgument);
  MustChange(staff_, id, To(S::kNoProcede, "", "es de CFE: se orientó al ciudadano"));
  EXPECT_EQ(Col(id, "status_reason"), "es de CFE: se orientó al ciudadano");
  EXPECT_EQ(Col(id, "closed_at IS NOT NULL"), "t");
}

TEST_F(WorkflowTest, TheBitacoraCannotBeRewrittenByAnyone) {
  const auto id = CreateCitizensBoleta();
  const std::string update = "UPDATE boleta_event SET kind = 'x' WHERE boleta_id = " + std::to_string(id);
  const std::string remove = "DELETE FROM boleta_event WHERE boleta_id = " + std::to_string(id);
  for (const std::string& sql : {update, remove, std::string("TRUNCATE boleta_event CASCADE")}) {
    SCOPED_TRACE(sql);
    try {
      db_.Execute(sql);  // as the owner: the trigger refuses
      ADD_FAILURE() << "the owner rewrote the bitácora";
    } catch (const pqxx::sql_error& error) {
      EXPECT_THAT(error.what(), HasSubstr("la bitácora es de solo inserción"));
    }
  }
  // The application's role is not even granted it, while it may append.
  pqxx::connection connection(db_.url());
  pqxx::work tx(connection);
  tx.exec("SET ROLE sac_app");
  tx.exec("INSERT INTO boleta_event (boleta_id, kind, actor) VALUES (" + std::to_string(id) +
          ", 'prueba', 'sistema')");
  tx.exec("SAVEPOINT before");
  try {
    tx.exec(update);
    ADD_FAILURE() << "sac_app rewrote the bitácora";
  } catch (const pqxx::sql_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("permission denied for table boleta_event"));
  }
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_event WHERE boleta_id = " + std::to_string(id)), 1);
}

TEST_F(WorkflowTest, SuggestsDuplicatesNearbyOrOnTheSameStreetNeverMerging) {
  const auto place = [&](std::int64_t id, const char* categoria, const char* colonia,
                         const char* street, std::optional<std::pair<double, double>> at) {
    db_.Execute("UPDATE boleta SET categoria = '" + std::string(categoria) + "', colonia = '" +
                colonia + "', address_text = '" + street + "'" +
                (at ? ", latitude = " + std::to_string(at->first) +
                          ", longitude = " + std::to_string(at->second)
                    : std::string()) +
                " WHERE id = " + std::to_string(id));
  };
  const auto original = CreateCitizensBoleta();
  place(original, "bache", "Juárez", "Calle Laureles", std::make_pair(23.2400, -106.4200));
  const auto nearby = CreateCitizensBoleta();  // ~100 m north
  place(nearby, "bache", "Juárez", "Av. Juárez", std::make_pair(23.2409, -106.4200));
  const auto far = CreateCitizensBoleta();  // ~1.1 km away
  place(far, "bache", "Centro", "Otra", std::make_pair(23.2500, -106.4200));
  const auto same_street = CreateCitizensBoleta();  // no pin, same colonia and street
  place(same_street, "bache", "Juárez", "  calle laureles ", std::nullopt);
  const auto other_category = CreateCitizensBoleta();
  place(other_category, "fuga_agua", "Juárez", "Calle Laureles", std::make_pair(23.2400, -106.4200));

  auto candidates = database_.Transact([&](storage::Tx& tx) {
    return FindDuplicateCandidates(tx, original, DuplicateSettings{});
  });
  ASSERT_TRUE(candidates);
  ASSERT_EQ(candidates->size(), 2u);
  EXPECT_EQ((*candidates)[0].boleta_id, nearby);
  EXPECT_NEAR(*(*candidates)[0].distance_meters, 100, 5);
  EXPECT_EQ((*candidates)[1].boleta_id, same_street);
  EXPECT_FALSE((*candidates)[1].distance_meters);
  EXPECT_EQ(Col(nearby, "status"), "por_clasificar") << "suggested, not merged";

  db_.Execute("UPDATE boleta SET created_at = created_at - interval '40 days' WHERE id = " +
              std::to_string(nearby));
  auto later = database_.Transact([&](storage::Tx& tx) {
    return FindDuplicateCandidates(tx, original, DuplicateSettings{});
  });
  EXPECT_EQ(later->size(), 1u) << "outside the window";
}

TEST_F(WorkflowTest, ABoletaDueExactlyAtTheDueSoonLimitIsPorVencerEverywhere) {
  const auto id = CreateCitizensBoleta();
  MustChange(staff_, id, To(S::kCanalizada, "obras_publicas"));  // due at the end of Mon 14 Dec
  clock_.Set(Utc(2026, 12, 10, 18));  // Thursday: two business days left, the limit is that end
  const auto list = [&](Standing standing) {
    ListFilter filter;
    filter.standing = standing;
    return database_
        .Transact([&](storage::Tx& tx) {
          return ListForDependencia(tx, sla_, clock_.Now(), "obras_publicas", filter, std::nullopt, 10);
        })
        ->items.size();
  };
  EXPECT_EQ(list(Standing::kDueSoon), 1u);
  EXPECT_EQ(list(Standing::kOnTime), 0u);
  EXPECT_EQ(list(Standing::kOverdue), 0u);
  auto follow_up = database_.Transact(
      [&](storage::Tx& tx) { return FollowUpList(tx, sla_, clock_.Now(), "obras_publicas"); });
  ASSERT_EQ(follow_up->size(), 1u);
  EXPECT_TRUE((*follow_up)[0].due_soon);
  EXPECT_EQ((*follow_up)[0].boleta.standing, Standing::kDueSoon);
  clock_.Set(Utc(2026, 12, 15, 7));  // 00:00 on Tuesday 15: overdue, in every view too
  EXPECT_EQ(list(Standing::kOverdue), 1u);
  EXPECT_EQ(list(Standing::kDueSoon), 0u);
}

// Four people had the queue open on the same boleta and decide at once, each on the version they
// saw: the row lock lines them up, the first acts, the others are told it changed — and their
// transactions commit whatever a refused change might have written, which must be nothing.
TEST_F(WorkflowTest, PeopleDecidingAtOnceOnOneVersionOneActsTheRestAreToldItChanged) {
  const auto id = CreateCitizensBoleta();
  // From a WhatsApp message, so that a refusal (no procede) is told to the citizen.
  db_.Execute("INSERT INTO webhook_request (channel, body) VALUES ('whatsapp', '\\x')");
  db_.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload) "
              "SELECT max(r.id), 'whatsapp', 'wamid.1', 'message', '5216691234501', '{}' "
              "FROM webhook_request r");
  db_.Execute("UPDATE boleta SET source_inbox_id = (SELECT max(id) FROM inbox) WHERE id = " +
              std::to_string(id));
  storage::Database pool(db_.Settings(8));
  // Two route it, two refuse it (which tells the citizen): only one decision may stand.
  const std::vector<StatusChange> decisions = {
      To(S::kCanalizada, "obras_publicas", "es un bache"), To(S::kCanalizada, "jumapam", "es fuga"),
      To(S::kNoProcede, "", "no es del municipio"), To(S::kNoProcede, "", "es publicidad")};
  std::atomic<int> acted{0};
  std::atomic<int> stale{0};
  std::vector<std::thread> people;
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    people.emplace_back([&, i] {
      StatusChange change = decisions[i];
      change.seen_version = 0;  // everyone had the queue open before anyone decided
      std::optional<Errc> refused;
      auto committed = pool.Transact([&](storage::Tx& tx) {
        auto changed = workflow_.ChangeStatus(tx, Actor::Staff("staff." + std::to_string(i)), id,
                                              change);
        if (!changed) refused = changed.error().code;
      });
      ASSERT_TRUE(committed) << committed.error().message;
      if (!refused) ++acted;
      if (refused == Errc::kStale) ++stale;
    });
  }
  for (auto& person : people) person.join();
  EXPECT_EQ(acted, 1);
  EXPECT_EQ(stale, 3);
  const std::string events = Events(id);
  EXPECT_TRUE(events == "creada canalizar" || events == "creada no_procede") << events;
  EXPECT_EQ(Col(id, "status_version"), "1");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note"), 1) << "only the decision's reason";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox"), events == "creada no_procede" ? 1 : 0)
      << "the citizen hears of one decision at most";

  // Without a version (the older callers' way) nothing is checked but the transition table.
  const S next = events == "creada canalizar" ? S::kNoProcede : S::kPorClasificar;
  MustChange(staff_, id, To(next, "", "revisado"));
  EXPECT_EQ(Col(id, "status_version"), "2");
}

// Folios come from a per-year counter row that each transaction increments and holds until it
// ends: concurrent creators queue on it, a rolled-back boleta gives its number back, and the
// committed folios are unique and gapless, in commit order.
TEST_F(WorkflowTest, FoliosUnderConcurrencyAreUniqueAndGapless) {
  storage::Database pool(db_.Settings(8));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> committed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const bool roll_back = (t + i) % 5 == 0;
        auto done = pool.Transact([&](storage::Tx& tx) {
          workflow::NewBoleta boleta;
          boleta.channel = "telefono";
          CreateBoleta(tx, boleta, clock_.Now());
          if (roll_back) tx.RollbackAtEnd();
        });
        if (done && !roll_back) ++committed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(committed, kThreads * kPerThread * 4 / 5);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta"), committed.load());
  EXPECT_EQ(db_.Count("SELECT count(DISTINCT folio) FROM boleta"), committed.load());
  EXPECT_EQ(db_.Scalar("SELECT min(folio) || ' ' || max(folio) FROM boleta"),
            "2026-000001 2026-" + std::string(6 - std::to_string(committed.load()).size(), '0') +
                std::to_string(committed.load()));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM (SELECT folio, lag(folio) OVER (ORDER BY id) AS prev "
                      "FROM boleta) f WHERE prev IS NOT NULL AND prev > folio"),
            0) << "later commits have later folios";
}

}  // namespace
}  // namespace sac::workflow
