// An SMTP relay on a loopback port: speaks enough SMTP (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)
// for libcurl to hand it a message, records each one, and answers from a script so tests see how
// the channel reacts to a refused recipient or a full queue. Plain TCP, no TLS, no AUTH.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sac::testing {

struct ReceivedSmtpMail {
  std::string mail_from;               // the reverse-path, without <>
  std::vector<std::string> rcpt_to;    // the forward-paths, without <>
  std::string data;                    // the message, dot-unstuffed, CRLF line ends
};

class FakeSmtpServer {
 public:
  FakeSmtpServer();
  ~FakeSmtpServer();
  FakeSmtpServer(const FakeSmtpServer&) = delete;
  FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;

  std::string Url() const;  // smtp://127.0.0.1:<port>
  std::uint16_t port() const { return port_; }

  // The replies to RCPT TO and to the end of DATA (default "250 2.1.5 Ok" / "250 2.0.0 Ok").
  void ReplyToRcpt(std::string reply);
  void ReplyToData(std::string reply);

  std::vector<ReceivedSmtpMail> Mails() const;
  // Waits until at least `count` messages arrived; returns them (fewer on timeout).
  std::vector<ReceivedSmtpMail> WaitForMails(std::size_t count,
                                             std::chrono::milliseconds timeout =
                                                 std::chrono::seconds(10)) const;

 private:
  void Serve();
  void Converse(int client);

  int listener_ = -1;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::string rcpt_reply_ = "250 2.1.5 Ok";
  std::string data_reply_ = "250 2.0.0 Ok: queued";
  std::vector<ReceivedSmtpMail> mails_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sac::testing
