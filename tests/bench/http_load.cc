#include "tests/bench/http_load.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace sac::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
  int fd = -1;
  std::string out;       // the request being sent
  std::size_t sent = 0;
  std::string in;        // what has arrived of the answer
  bool in_flight = false;
  Clock::time_point start;  // latency counts from here
  Clock::time_point due;    // paced: when the next request is to go
};

int Connect(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("connect: " + why);
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// The status and the whole length of a complete answer at the start of `in`, or nothing yet.
struct Answer {
  int status = 0;
  std::size_t length = 0;
  bool close = false;
};

std::optional<Answer> CompleteAnswer(const std::string& in, bool& unreadable) {
  const auto header_end = in.find("\r\n\r\n");
  if (header_end == std::string::npos) return std::nullopt;
  std::string header = in.substr(0, header_end + 2);
  std::transform(header.begin(), header.end(), header.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  Answer answer;
  if (header.rfind("http/1.", 0) != 0 || header.size() < 12) {
    unreadable = true;
    return std::nullopt;
  }
  answer.status = std::atoi(header.c_str() + 9);
  const auto length_at = header.find("\r\ncontent-length:");
  if (length_at == std::string::npos) {
    unreadable = true;  // every answer of `sac serve` has a length
    return std::nullopt;
  }
  const auto body_length = std::strtoull(header.c_str() + length_at + 17, nullptr, 10);
  answer.length = header_end + 4 + body_length;
  answer.close = header.find("\r\nconnection: close\r\n") != std::string::npos;
  if (in.size() < answer.length) return std::nullopt;
  return answer;
}

class Driver {
 public:
  Driver(const LoadPlan& plan, const RequestMaker& make_request)
      : plan_(plan), make_request_(make_request), epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_ < 0) throw std::runtime_error("epoll_create1");
    if (plan.rate > 0) interval_ = std::chrono::duration<double>(plan.connections / plan.rate);
  }
  ~Driver() {
    for (Connection& connection : connections_) {
      if (connection.fd >= 0) ::close(connection.fd);
    }
    ::close(epoll_);
  }

  LoadResult Run() {
    connections_.resize(static_cast<std::size_t>(plan_.connections));
    const auto begin = Clock::now();
    end_ = begin + plan_.duration;
    for (std::size_t c = 0; c < connections_.size(); ++c) {
      Open(c);
      // Paced clients are spread over one interval so they do not all send at once.
      connections_[c].due = begin + std::chrono::duration_cast<Clock::duration>(
                                        interval_ * static_cast<double>(c) /
                                        static_cast<double>(plan_.connections));
      if (!Paced()) Send(c, Clock::now());
    }
    std::vector<epoll_event> events(connections_.size());
    while (Clock::now() < end_) {
      if (Paced()) SendWhatIsDue();
      const auto wait = std::min(end_, NextDue()) - Clock::now();
      const timespec timeout{
          .tv_sec = 0,
          .tv_nsec = std::clamp<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count(),
                                      0, 100'000'000)};
      const int ready = ::epoll_pwait2(epoll_, events.data(), static_cast<int>(events.size()),
                                       &timeout, nullptr);
      if (ready < 0 && errno != EINTR) throw std::runtime_error("epoll_pwait2");
      for (int i = 0; i < ready; ++i) {
        const auto c = static_cast<std::size_t>(events[static_cast<std::size_t>(i)].data.u64);
        const auto what = events[static_cast<std::size_t>(i)].events;
        if (what & EPOLLOUT) Flush(c);
        if (what & (EPOLLIN | EPOLLERR | EPOLLHUP)) Receive(c);
      }
    }
    return std::move(result_);
  }

 private:
  bool Paced() const { return plan_.rate > 0; }

  void Open(std::size_t c) {
    Connection& connection = connections_[c];
    connection.fd = Connect(plan_.port);
    connection.in.clear();
    connection.in_flight = false;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = c;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, connection.fd, &event);
  }

  void Reopen(std::size_t c, bool broken = true) {
    if (broken) ++result_.broken;
    ::close(connections_[c].fd);
    Open(c);
    if (!Paced()) Send(c, Clock::now());
  }

  void Send(std::size_t c, Clock::time_point start) {
    Connection& connection = connections_[c];
    connection.out = make_request_(next_++);
    connection.sent = 0;
    connection.start = start;
    connection.in_flight = true;
    Flush(c);
  }

  void Flush(std::size_t c) {
    Connection& connection = connections_[c];
    while (connection.sent < connection.out.size()) {
      const ssize_t n = ::send(connection.fd, connection.out.data() + connection.sent,
                               connection.out.size() - connection.sent, MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        Watch(c, EPOLLIN | EPOLLOUT);  // the rest when the socket has room
        return;
      }
      if (n <= 0) {
        Reopen(c);
        return;
      }
      connection.sent += static_cast<std::size_t>(n);
    }
    Watch(c, EPOLLIN);
  }

  void Watch(std::size_t c, std::uint32_t what) {
    epoll_event event{};
    event.events = what;
    event.data.u64 = c;
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, connections_[c].fd, &event);
  }

  void Receive(std::size_t c) {
    Connection& connection = connections_[c];
    char chunk[16384];
    bool closed = false;  // by the server, or an error: what came before it is still read
    for (;;) {
      const ssize_t n = ::recv(connection.fd, chunk, sizeof chunk, 0);
      if (n > 0) {
        connection.in.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      closed = !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
      break;
    }
    bool unreadable = false;
    const std::optional<Answer> answer = CompleteAnswer(connection.in, unreadable);
    if (unreadable || (answer && !connection.in_flight) || (!answer && closed)) {
      Reopen(c);
      return;
    }
    if (!answer) return;
    const auto now = Clock::now();
    if (answer->status >= 200 && answer->status < 300) {
      ++result_.acked;
      result_.latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - connection.start).count());
    } else {
      ++result_.refused;
    }
    connection.in.erase(0, answer->length);
    connection.in_flight = false;
    if (answer->close || closed) {
      Reopen(c, !answer->close);
      return;
    }
    if (Paced()) {
      connection.due += std::chrono::duration_cast<Clock::duration>(interval_);
    } else if (now < end_) {
      Send(c, now);
    }
  }

  void SendWhatIsDue() {
    const auto now = Clock::now();
    for (std::size_t c = 0; c < connections_.size(); ++c) {
      if (!connections_[c].in_flight && connections_[c].due <= now) Send(c, connections_[c].due);
    }
  }

  Clock::time_point NextDue() const {
    if (!Paced()) return end_;
    Clock::time_point next = end_;
    for (const Connection& connection : connections_) {
      if (!connection.in_flight) next = std::min(next, connection.due);
    }
    return next;
  }

  const LoadPlan& plan_;
  const RequestMaker& make_request_;
  int epoll_;
  std::chrono::duration<double> interval_{0};
  Clock::time_point end_;
  std::vector<Connection> connections_;
  long next_ = 0;
  LoadResult result_;
};

}  // namespace

LoadResult RunLoad(const LoadPlan& plan, const RequestMaker& make_request) {
  return Driver(plan, make_request).Run();
}

}  // namespace sac::bench
