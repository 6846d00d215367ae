#include "workflow/transitions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

namespace sac::workflow {
namespace {

using ::testing::HasSubstr;
using S = BoletaStatus;

// The expected table, written out pair by pair: every one of the 121 (from, to) pairs is checked
// against it, so adding or removing a transition must change this test too.
const std::map<S, std::set<S>>& Allowed() {
  static const std::map<S, std::set<S>> allowed = {
      {S::kPorClasificar, {S::kCanalizada, S::kNoProcede, S::kDuplicada}},
      {S::kCanalizada,
       {S::kLeida, S::kPorClasificar, S::kCanalizada, S::kNoProcede, S::kDuplicada}},
      {S::kLeida,
       {S::kProgramada, S::kEnSeguimiento, S::kAtendida, S::kPorClasificar, S::kCanalizada,
        S::kNoProcede, S::kDuplicada}},
      {S::kProgramada,
       {S::kProgramada, S::kEnSeguimiento, S::kAtendida, S::kPorClasificar, S::kCanalizada,
        S::kNoProcede}},
      {S::kEnSeguimiento,
       {S::kProgramada, S::kAtendida, S::kPorClasificar, S::kCanalizada, S::kNoProcede}},
      {S::kAtendida, {S::kValidada, S::kInconformidad, S::kCerrada}},
      {S::kValidada, {S::kCerrada}},
      {S::kInconformidad, {S::kProgramada, S::kEnSeguimiento, S::kAtendida, S::kCanalizada}},
      {S::kCerrada, {S::kInconformidad}},
      {S::kNoProcede, {S::kPorClasificar}},
      {S::kDuplicada, {S::kPorClasificar}},
  };
  return allowed;
}

TEST(TransitionsTest, EveryPairIsAllowedOrRefusedAsTheManualSays) {
  int checked = 0;
  for (S from : kAllStatuses) {
    for (S to : kAllStatuses) {
      SCOPED_TRACE(std::string(StatusName(from)) + " -> " + std::string(StatusName(to)));
      const bool expected = Allowed().at(from).contains(to);
      auto found = FindTransition(from, to);
      EXPECT_EQ(static_cast<bool>(found), expected);
      if (found) {
        EXPECT_FALSE(found->action.empty());
      } else {
        EXPECT_EQ(found.error().code, Errc::kConflict);
        EXPECT_THAT(found.error().message, HasSubstr(std::string(StatusName(from))));
        EXPECT_THAT(found.error().message, HasSubstr(std::string(StatusName(to))));
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 121);
}

TEST(TransitionsTest, TheTableHasNoDuplicatePairs) {
  std::set<std::pair<S, S>> seen;
  for (const Transition& t : AllTransitions()) {
    EXPECT_TRUE(seen.emplace(t.from, t.to).second) << StatusName(t.from) << " -> " << StatusName(t.to);
  }
}

TEST(TransitionsTest, ActionsNameWhatHappens) {
  EXPECT_EQ(FindTransition(S::kPorClasificar, S::kCanalizada)->action, "canalizar");
  EXPECT_EQ(FindTransition(S::kLeida, S::kCanalizada)->action, "reasignar");
  EXPECT_EQ(FindTransition(S::kLeida, S::kPorClasificar)->action, "devolver");
  EXPECT_EQ(FindTransition(S::kAtendida, S::kInconformidad)->action, "inconformar");
}

TEST(TransitionsTest, OpenAndAwaitingTheDependencia) {
  EXPECT_TRUE(IsOpen(S::kPorClasificar));
  EXPECT_TRUE(IsOpen(S::kAtendida));
  EXPECT_FALSE(IsOpen(S::kCerrada));
  EXPECT_FALSE(IsOpen(S::kDuplicada));
  EXPECT_TRUE(AwaitsDependencia(S::kInconformidad));
  EXPECT_FALSE(AwaitsDependencia(S::kPorClasificar));
  EXPECT_FALSE(AwaitsDependencia(S::kAtendida));
}

TEST(BoletaStatusTest, NamesRoundTrip) {
  for (S status : kAllStatuses) {
    EXPECT_EQ(StatusFromName(StatusName(status)), status);
  }
  EXPECT_FALSE(StatusFromName("resuelta"));
}

}  // namespace
}  // namespace sac::workflow
