#include "http/router.h"

#include <gtest/gtest.h>

namespace sac::http {
namespace {

Handler Answer(int status) {
  return [status](const HttpRequest&) { return HttpResponse::Text(status, ""); };
}

TEST(RouterTest, FindsRoutesByMethodAndPath) {
  Router router;
  router.Add({"GET", "/webhooks/whatsapp", "get", 0, Answer(200)});
  router.Add({"POST", "/webhooks/whatsapp", "post", 100, Answer(201)});
  const RouteLookup post = router.Find("POST", "/webhooks/whatsapp");
  ASSERT_NE(post.route, nullptr);
  EXPECT_EQ(post.route->label, "post");
  EXPECT_EQ(post.route->max_body_bytes, 100u);
}

TEST(RouterTest, KnownPathWithOtherMethodIs405) {
  Router router;
  router.Add({"GET", "/healthz", "healthz", 0, Answer(200)});
  const RouteLookup lookup = router.Find("DELETE", "/healthz");
  EXPECT_EQ(lookup.route, nullptr);
  EXPECT_EQ(lookup.status, 405);
}

TEST(RouterTest, UnknownPathIs404) {
  Router router;
  router.Add({"GET", "/healthz", "healthz", 0, Answer(200)});
  EXPECT_EQ(router.Find("GET", "/healthz/").status, 404);
  EXPECT_EQ(router.Find("GET", "/nope").status, 404);
}

TEST(RouterTest, CapturesNamedSegments) {
  Router router;
  router.Add({"GET", "/api/v1/boletas", "list", 0, Answer(200)});
  router.Add({"GET", "/api/v1/boletas/{folio}", "one", 0, Answer(200)});
  router.Add({"POST", "/api/v1/boletas/{folio}/notas", "note", 0, Answer(201)});
  const RouteLookup one = router.Find("GET", "/api/v1/boletas/2026-000123");
  ASSERT_NE(one.route, nullptr);
  EXPECT_EQ(one.route->label, "one");
  EXPECT_EQ(one.params.at("folio"), "2026-000123");
  const RouteLookup note = router.Find("POST", "/api/v1/boletas/2026-000123/notas");
  ASSERT_NE(note.route, nullptr);
  EXPECT_EQ(note.params.at("folio"), "2026-000123");
  EXPECT_EQ(router.Find("GET", "/api/v1/boletas/").status, 404) << "an empty segment is no folio";
  EXPECT_EQ(router.Find("GET", "/api/v1/boletas/a/b").status, 404);
  EXPECT_EQ(router.Find("DELETE", "/api/v1/boletas/x").status, 405);
  EXPECT_EQ(router.Find("GET", "/api/v1/boletas").route->label, "list");
}

}  // namespace
}  // namespace sac::http
