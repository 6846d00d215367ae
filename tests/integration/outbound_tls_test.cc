// SAC's outbound HTTPS (libcurl: providers' APIs, media downloads; SMTP uses the same library and
// defaults) against a real TLS server whose certificate nobody vouches for: `openssl s_server`
// with a self-signed certificate made for the test. ASVS 12.3.2: the connection is refused, and
// it is told apart from a request that may have reached the provider (it never left: retried,
// never "unknown").
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "channels/email/smtp_client.h"
#include "http/curl_client.h"

extern char** environ;

namespace sac::http {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

// openssl s_server on 127.0.0.1 with a fresh self-signed certificate for CN 127.0.0.1.
class UntrustedTlsServer {
 public:
  UntrustedTlsServer()
      : dir_(std::filesystem::temp_directory_path() /
             ("sac_tls_" + std::to_string(::getpid()))),
        port_(FreePort()) {
    std::filesystem::create_directories(dir_);
    const std::string make_certificate =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout '" + (dir_ / "key.pem").string() +
        "' -out '" + (dir_ / "cert.pem").string() + "' 2>/dev/null";
    if (std::system(make_certificate.c_str()) != 0) return;
    const std::string accept = "127.0.0.1:" + std::to_string(port_);
    const std::string cert = (dir_ / "cert.pem").string();
    const std::string key = (dir_ / "key.pem").string();
    const char* argv[] = {"openssl", "s_server", "-quiet", "-www", "-accept", accept.c_str(),
                          "-cert",   cert.c_str(), "-key", key.c_str(), nullptr};
    if (::posix_spawnp(&pid_, "openssl", nullptr, nullptr, const_cast<char* const*>(argv),
                       environ) != 0) {
      pid_ = 0;
      return;
    }
    for (int i = 0; i < 100 && !Accepts(port_); ++i) std::this_thread::sleep_for(50ms);
  }
  ~UntrustedTlsServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  bool running() const { return pid_ > 0 && Accepts(port_); }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  std::filesystem::path dir_;
  int port_;
  pid_t pid_ = 0;
};

TEST(OutboundTlsTest, AServerWhoseCertificateNobodyVouchesForIsRefusedBeforeAnythingLeaves) {
  UntrustedTlsServer server;
  ASSERT_TRUE(server.running()) << "openssl s_server did not start";
  CurlHttpClient client;
  ClientRequest request;
  request.method = "POST";
  request.url = server.url();
  request.body = "{\"to\":\"canario\"}";
  const auto answer = client.Execute(request);
  ASSERT_FALSE(answer) << "answered " << answer->status;
  EXPECT_THAT(answer.error().message, HasSubstr("certificate"));
  EXPECT_EQ(answer.error().code, Errc::kUnavailable)
      << "the handshake failed before the request was sent: safe to retry, never 'unknown'";
}

TEST(OutboundTlsTest, TheMailRelayOverTlsIsRefusedTooAndTheReplyWaits) {
  UntrustedTlsServer server;
  ASSERT_TRUE(server.running()) << "openssl s_server did not start";
  channels::email::SmtpSettings settings;
  settings.url = "smtps" + server.url().substr(std::string("https").size());
  settings.username = "sac";
  settings.password = "canario-smtp-password";
  settings.timeout = 5000ms;
  const auto outcome = channels::email::SendSmtp(settings, "atencion@municipio.example",
                                                 "ciudadana@correo.example",
                                                 "Subject: prueba\r\n\r\nhola\r\n");
  EXPECT_EQ(outcome.kind, channels::email::SmtpOutcome::Kind::kRetryable);
  EXPECT_THAT(outcome.error, HasSubstr("certificate"));
  EXPECT_THAT(outcome.error, ::testing::Not(HasSubstr("canario")));
}

}  // namespace
}  // namespace sac::http
