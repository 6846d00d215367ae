// One citizen across channels: identities, phones as evidence, merging two records of one person.
#include "citizens/citizen_directory.h"

#include <gtest/gtest.h>

#include "tests/support/test_database.h"

namespace sac::citizens {
namespace {

using testing::TestDatabase;

InboundMessage From(std::string channel, std::string sender_id, std::string phone = "") {
  InboundMessage message;
  message.channel = std::move(channel);
  message.sender_id = std::move(sender_id);
  message.sender_phone = std::move(phone);
  message.sender_name = "Vecina";
  return message;
}

class CitizensTest : public ::testing::Test {
 protected:
  CitizensTest() : database_(db_.Settings()) {}

  ResolvedCitizen Resolve(const InboundMessage& message) {
    auto resolved = database_.Transact([&](storage::Tx& tx) { return citizens::Resolve(tx, message); });
    EXPECT_TRUE(resolved) << resolved.error().message;
    return *resolved;
  }

  TestDatabase db_;
  storage::Database database_;
};

TEST_F(CitizensTest, TheSamePhoneOnTwoChannelsIsOneCitizen) {
  const auto whatsapp = Resolve(From("whatsapp", "5216691234501", "+526691234501"));
  const auto sms = Resolve(From("twilio_sms", "+526691234501", "+526691234501"));
  EXPECT_EQ(whatsapp.id, sms.id);
  EXPECT_TRUE(sms.new_identity);
  EXPECT_EQ(Resolve(From("whatsapp", "5216691234501", "+526691234501")).id, whatsapp.id);
  EXPECT_FALSE(Resolve(From("whatsapp", "5216691234501")).new_identity);
}

TEST_F(CitizensTest, WithoutEvidenceTwoChannelsStayTwoCitizens) {
  const auto whatsapp = Resolve(From("whatsapp", "5216691234501", "+526691234501"));
  const auto telegram = Resolve(From("telegram", "512345678"));
  EXPECT_NE(whatsapp.id, telegram.id) << "same name, no shared number: never guessed";
}

TEST_F(CitizensTest, SharingTheirOwnNumberMergesTheRecordsIntoTheOneWithThePhone) {
  const auto whatsapp = Resolve(From("whatsapp", "5216691234501", "+526691234501"));
  const auto telegram = Resolve(From("telegram", "512345678"));
  db_.Execute("INSERT INTO boleta (folio, channel, citizen_id) VALUES ('2026-000001', 'telegram', " +
              std::to_string(telegram.id) + ")");
  db_.Execute("INSERT INTO outbox (channel, recipient, citizen_id, purpose, body) VALUES "
              "('telegram', '512345678', " + std::to_string(telegram.id) + ", 'acuse_boleta', 'x')");

  const auto linked = Resolve(From("telegram", "512345678", "+526691234501"));
  EXPECT_EQ(linked.id, whatsapp.id);
  EXPECT_EQ(db_.Count("SELECT count(DISTINCT citizen_id) FROM citizen_identity"), 1);
  EXPECT_EQ(db_.Scalar("SELECT citizen_id FROM boleta"), std::to_string(whatsapp.id));
  EXPECT_EQ(db_.Scalar("SELECT citizen_id FROM outbox"), std::to_string(whatsapp.id));
  EXPECT_EQ(db_.Scalar("SELECT merged_into FROM citizen WHERE id = " + std::to_string(telegram.id)),
            std::to_string(whatsapp.id));
  EXPECT_EQ(Resolve(From("telegram", "512345678")).id, whatsapp.id) << "and stays linked";
}

TEST_F(CitizensTest, APhonelessCitizenTakesTheNumberAndAKnownNumberIsNotReplaced) {
  const auto telegram = Resolve(From("telegram", "512345678"));
  EXPECT_EQ(Resolve(From("telegram", "512345678", "+526691110000")).id, telegram.id);
  EXPECT_EQ(db_.Scalar("SELECT phone FROM citizen"), "+526691110000");
  EXPECT_EQ(Resolve(From("telegram", "512345678", "+526692220000")).id, telegram.id);
  EXPECT_EQ(db_.Scalar("SELECT phone FROM citizen"), "+526691110000");
}

TEST_F(CitizensTest, ABlockLastsUntilTheCitizenWritesAgain) {
  Resolve(From("telegram", "512345678"));
  ASSERT_TRUE(database_.Transact([](storage::Tx& tx) { MarkBlocked(tx, "telegram", "512345678"); }));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen_identity WHERE blocked_at IS NOT NULL"), 1);
  Resolve(From("telegram", "512345678"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen_identity WHERE blocked_at IS NOT NULL"), 0);
}

}  // namespace
}  // namespace sac::citizens
