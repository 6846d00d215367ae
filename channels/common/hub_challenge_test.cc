#include "channels/common/hub_challenge.h"

#include <gtest/gtest.h>

namespace sac::channels {
namespace {

constexpr std::string_view kToken = "mzt-verify-2026";

HttpResponse Answer(std::string query, std::string_view token = kToken) {
  HttpRequest request;
  request.method = "GET";
  request.query = std::move(query);
  return AnswerHubChallenge(request, token);
}

TEST(HubChallengeTest, EchoesTheChallengeToWhoeverKnowsTheToken) {
  const HttpResponse answer =
      Answer("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=mzt-verify-2026");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "1158201444");
}

TEST(HubChallengeTest, RefusesEverythingElse) {
  for (const char* query : {
           "hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong",
           "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=mzt-verify-2026",
           "hub.mode=subscribe&hub.verify_token=mzt-verify-2026",  // no challenge
           "hub.challenge=1&hub.verify_token=mzt-verify-2026",     // no mode
           "hub.mode=subscribe&hub.challenge=1",                   // no token
       }) {
    SCOPED_TRACE(query);
    EXPECT_EQ(Answer(query).status, 403);
  }
  EXPECT_EQ(Answer("hub.mode=subscribe&hub.challenge=" + std::string(257, '1') +
                   "&hub.verify_token=mzt-verify-2026")
                .status,
            403);
  EXPECT_EQ(Answer("hub.mode=%ZZ").status, 400);
}

TEST(HubChallengeTest, AnUnsetTokenMatchesNothing) {
  EXPECT_EQ(Answer("hub.mode=subscribe&hub.challenge=1&hub.verify_token=", "").status, 403);
}

}  // namespace
}  // namespace sac::channels
