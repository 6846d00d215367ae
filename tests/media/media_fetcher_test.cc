// The SSRF-safe fetcher against fake media servers on loopback.
#include "media/media_fetcher.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "tests/support/fake_provider.h"

namespace sac::media {
namespace {

FetchLimits TestLimits() {
  FetchLimits limits;
  limits.allow_private_addresses = true;  // the fake servers are on 127.0.0.1
  limits.timeout = std::chrono::milliseconds(5000);
  return limits;
}

HttpResponse Jpeg(std::string bytes) {
  HttpResponse response;
  response.content_type = "image/jpeg";
  response.body = std::move(bytes);
  return response;
}

TEST(MediaFetcherTest, DownloadsWithTheProvidersCredentials) {
  testing::FakeProvider cdn("GET", "/media/{id}", Jpeg("\xFF\xD8\xFF fake jpeg"));
  const auto fetched = FetchMedia({cdn.BaseUrl() + "/media/1", {{"Authorization", "Bearer t"}}, {"127.0.0.1"}},
                                  TestLimits());
  ASSERT_TRUE(fetched) << fetched.error().message;
  EXPECT_EQ(fetched->bytes, "\xFF\xD8\xFF fake jpeg");
  EXPECT_EQ(fetched->content_type, "image/jpeg");
  EXPECT_EQ(cdn.Requests().at(0).headers.Get("Authorization"), "Bearer t");
}

TEST(MediaFetcherTest, RefusesLoopbackAndPlainHttpInProduction) {
  testing::FakeProvider cdn("GET", "/media/{id}", Jpeg("x"));
  FetchLimits production;
  auto http = FetchMedia({cdn.BaseUrl() + "/media/1", {}, {"127.0.0.1"}}, production);
  ASSERT_FALSE(http);
  EXPECT_EQ(http.error().code, Errc::kPermissionDenied);
  // https to a name that resolves to loopback: refused at connect, before any byte is sent.
  auto loopback = FetchMedia({"https://localhost:1/media/1", {}, {"localhost"}}, production);
  ASSERT_FALSE(loopback);
  EXPECT_EQ(loopback.error().code, Errc::kPermissionDenied);
  auto metadata =
      FetchMedia({"https://169.254.169.254/latest/meta-data/", {}, {"169.254.169.254"}}, production);
  ASSERT_FALSE(metadata);
  EXPECT_EQ(metadata.error().code, Errc::kPermissionDenied);
  // Loopback spelled every other way a URL parser or resolver accepts. The check is on the
  // address the socket is about to connect to (CURLOPT_OPENSOCKETFUNCTION), whatever name led
  // there — which is also why a name that resolves to a public address first and to an internal
  // one later (DNS rebinding) gains nothing.
  // Each host is allowed, so that what refuses it is the address, not the host list.
  const std::vector<std::string> spellings{"0x7f000001", "2130706433", "127.1", "0177.0.0.1",
                                           "[::ffff:127.0.0.1]", "[::1]", "[::ffff:7f00:1]"};
  for (const std::string& host : spellings) {
    const std::string url = "https://" + host + ":1/m";
    SCOPED_TRACE(url);
    auto spelled = FetchMedia({url, {}, spellings}, production);
    ASSERT_FALSE(spelled);
    EXPECT_EQ(spelled.error().code, Errc::kPermissionDenied) << spelled.error().message;
  }
  EXPECT_TRUE(cdn.Requests().empty());
}

TEST(MediaFetcherTest, OnlyTheProvidersHostsAreAllowed) {
  testing::FakeProvider cdn("GET", "/media/{id}", Jpeg("x"));
  auto other = FetchMedia({cdn.BaseUrl() + "/media/1", {}, {"lookaside.fbsbx.com", ".fbcdn.net"}},
                          TestLimits());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::kPermissionDenied);
  auto none = FetchMedia({cdn.BaseUrl() + "/media/1", {}, {}}, TestLimits());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kPermissionDenied) << "an empty list allows nothing";
  EXPECT_TRUE(cdn.Requests().empty());
}

TEST(MediaFetcherTest, RedirectsAreCheckedAgainAndCredentialsStayBehind) {
  testing::FakeProvider cdn("GET", "/real/{id}", Jpeg("photo"));
  HttpResponse to_cdn;
  to_cdn.status = 302;
  to_cdn.headers.Add("Location", "http://localhost:" + cdn.BaseUrl().substr(cdn.BaseUrl().rfind(':') + 1) + "/real/1");
  testing::FakeProvider api("GET", "/media/{id}", to_cdn);
  auto fetched = FetchMedia({api.BaseUrl() + "/media/1", {{"Authorization", "Basic secreto"}},
                             {"127.0.0.1", "localhost"}},
                            TestLimits());
  ASSERT_TRUE(fetched) << fetched.error().message;
  EXPECT_EQ(fetched->bytes, "photo");
  EXPECT_FALSE(cdn.Requests().at(0).headers.Get("Authorization")) << "another host: no credentials";

  // A redirect to a host the provider does not serve from is refused.
  auto refused = FetchMedia({api.BaseUrl() + "/media/1", {}, {"127.0.0.1"}}, TestLimits());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kPermissionDenied);

  HttpResponse loop;
  loop.status = 302;
  loop.headers.Add("Location", "/media/again");
  testing::FakeProvider looping("GET", "/media/{id}", loop);
  auto endless = FetchMedia({looping.BaseUrl() + "/media/1", {}, {"127.0.0.1"}}, TestLimits());
  ASSERT_FALSE(endless);
  EXPECT_EQ(endless.error().code, Errc::kPermissionDenied);
}

TEST(MediaFetcherTest, StopsAtTheSizeCap) {
  testing::FakeProvider cdn("GET", "/media/{id}", Jpeg(std::string(2 * 1024 * 1024, 'x')));
  FetchLimits limits = TestLimits();
  limits.max_bytes = 1024 * 1024;
  auto fetched = FetchMedia({cdn.BaseUrl() + "/media/1", {}, {"127.0.0.1"}}, limits);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code, Errc::kInvalidArgument);
}

// A media server that announces 2 GB is refused at once by the size cap; one that answers its
// headers and then one byte every 50 ms (a slow trickle) is cut at the fetch's deadline, not
// waited out.
TEST(MediaFetcherTest, AHugeOrTricklingDownloadIsCutAtTheCapOrTheDeadline) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::listen(listener, 2), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/m/1";
  std::atomic<int> trickled{0};
  std::thread server([&] {
    for (const char* length_header : {"Content-Length: 2000000000\r\n", "Connection: close\r\n"}) {
      const int client = ::accept(listener, nullptr, nullptr);
      char request[4096];
      (void)::recv(client, request, sizeof request, 0);
      const std::string head = std::string("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n") +
                               length_header + "\r\n";
      (void)::send(client, head.data(), head.size(), MSG_NOSIGNAL);
      while (trickled < 200 && ::send(client, "x", 1, MSG_NOSIGNAL) == 1) {
        ++trickled;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      ::close(client);
      trickled = 0;
    }
  });
  FetchLimits limits = TestLimits();
  limits.timeout = std::chrono::milliseconds(600);
  auto huge = FetchMedia({url, {}, {"127.0.0.1"}}, limits);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, Errc::kInvalidArgument) << "over the cap: " << huge.error().message;
  const auto started = std::chrono::steady_clock::now();
  auto slow = FetchMedia({url, {}, {"127.0.0.1"}}, limits);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, Errc::kTimeout)
      << "the downloader tries again later: " << slow.error().message;
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_LT(trickled.load(), 100) << "cut while it was still trickling";
  server.join();
  ::close(listener);
}

TEST(MediaFetcherTest, SaysWhichFailuresAreWorthRetrying) {
  const auto code_for = [](int status) {
    testing::FakeProvider cdn("GET", "/media/{id}", HttpResponse::Text(status, "no"));
    auto fetched = FetchMedia({cdn.BaseUrl() + "/media/1", {}, {"127.0.0.1"}}, TestLimits());
    return fetched ? Errc::kInternal : fetched.error().code;
  };
  EXPECT_EQ(code_for(404), Errc::kNotFound);
  EXPECT_EQ(code_for(410), Errc::kNotFound);
  EXPECT_EQ(code_for(401), Errc::kNotFound);
  EXPECT_EQ(code_for(503), Errc::kUnavailable);
  EXPECT_EQ(code_for(429), Errc::kUnavailable);
  auto refused = FetchMedia({"http://127.0.0.1:9/media/1", {}, {"127.0.0.1"}}, TestLimits());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kUnavailable);
  EXPECT_FALSE(FetchMedia({"no es una url", {}, {"127.0.0.1"}}, TestLimits()));
}

}  // namespace
}  // namespace sac::media
