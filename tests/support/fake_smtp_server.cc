#include "tests/support/fake_smtp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>

namespace sac::testing {
namespace {

bool SendLine(int client, const std::string& line) {
  const std::string wire = line + "\r\n";
  std::size_t sent = 0;
  while (sent < wire.size()) {
    const ssize_t n = ::send(client, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one CRLF-terminated line (without it) into `line`; false when the peer is gone or silent.
bool ReadLine(int client, std::string& buffer, std::string& line) {
  while (true) {
    const std::size_t end = buffer.find("\r\n");
    if (end != std::string::npos) {
      line = buffer.substr(0, end);
      buffer.erase(0, end + 2);
      return true;
    }
    pollfd ready{client, POLLIN, 0};
    if (::poll(&ready, 1, 10000) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "MAIL FROM:<a@b> SIZE=12" → "a@b".
std::string PathOf(const std::string& command) {
  const std::size_t open = command.find('<');
  const std::size_t close = command.find('>', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  return command.substr(open + 1, close - open - 1);
}

}  // namespace

FakeSmtpServer::FakeSmtpServer() {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  const int yes = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 8) != 0) {
    throw std::runtime_error("fake SMTP server cannot listen");
  }
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

FakeSmtpServer::~FakeSmtpServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  thread_.join();
}

std::string FakeSmtpServer::Url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

void FakeSmtpServer::ReplyToRcpt(std::string reply) {
  std::lock_guard lock(mutex_);
  rcpt_reply_ = std::move(reply);
}

void FakeSmtpServer::ReplyToData(std::string reply) {
  std::lock_guard lock(mutex_);
  data_reply_ = std::move(reply);
}

std::vector<ReceivedSmtpMail> FakeSmtpServer::Mails() const {
  std::lock_guard lock(mutex_);
  return mails_;
}

std::vector<ReceivedSmtpMail> FakeSmtpServer::WaitForMails(std::size_t count,
                                                           std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, timeout, [&] { return mails_.size() >= count; });
  return mails_;
}

void FakeSmtpServer::Serve() {
  while (true) {
    pollfd ready{listener_, POLLIN, 0};
    const int polled = ::poll(&ready, 1, 100);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (polled <= 0) continue;
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) continue;
    Converse(client);  // one client at a time: the outbox sends one message per connection
    ::close(client);
  }
}

void FakeSmtpServer::Converse(int client) {
  std::string buffer;
  std::string line;
  ReceivedSmtpMail mail;
  if (!SendLine(client, "220 fake.smtp.example ESMTP")) return;
  while (ReadLine(client, buffer, line)) {
    const std::string verb = Upper(line.substr(0, 4));
    std::string rcpt_reply;
    std::string data_reply;
    {
      std::lock_guard lock(mutex_);
      rcpt_reply = rcpt_reply_;
      data_reply = data_reply_;
    }
    if (verb == "EHLO") {
      SendLine(client, "250-fake.smtp.example");
      SendLine(client, "250 8BITMIME");
    } else if (verb == "HELO") {
      SendLine(client, "250 fake.smtp.example");
    } else if (verb == "MAIL") {
      mail = ReceivedSmtpMail{PathOf(line), {}, {}};
      SendLine(client, "250 2.1.0 Ok");
    } else if (verb == "RCPT") {
      if (rcpt_reply.starts_with('2')) mail.rcpt_to.push_back(PathOf(line));
      SendLine(client, rcpt_reply);
    } else if (verb == "DATA") {
      SendLine(client, "354 End data with <CR><LF>.<CR><LF>");
      std::string data;
      while (ReadLine(client, buffer, line) && line != ".") {
        if (line.starts_with('.')) line.erase(0, 1);  // dot-unstuffing
        data += line + "\r\n";
      }
      mail.data = std::move(data);
      if (data_reply.starts_with('2')) {
        std::lock_guard lock(mutex_);
        mails_.push_back(mail);
        arrived_.notify_all();
      }
      SendLine(client, data_reply);
    } else if (verb == "RSET") {
      mail = {};
      SendLine(client, "250 2.0.0 Ok");
    } else if (verb == "NOOP") {
      SendLine(client, "250 2.0.0 Ok");
    } else if (verb == "QUIT") {
      SendLine(client, "221 2.0.0 Bye");
      return;
    } else {
      SendLine(client, "502 5.5.2 Error: command not recognized");
    }
  }
}

}  // namespace sac::testing
