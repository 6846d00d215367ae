// One message to one recipient through an SMTP relay, with libcurl (smtp:// with STARTTLS when
// offered or required, smtps://). The relay — the municipality's Postfix or a provider's
// submission port — delivers it and sends bounces back to our From address.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace sac::channels::email {

struct SmtpSettings {
  std::string url;       // smtp://host:port[/ehlo-name] or smtps://…
  std::string username;  // "" for a relay that needs no AUTH (the local Postfix)
  std::string password;
  bool require_tls = false;  // refuse to send over smtp:// unless STARTTLS succeeds
  std::chrono::milliseconds timeout{30000};
};

struct SmtpOutcome {
  enum class Kind {
    kAccepted,           // the relay took it (250 after DATA)
    kRetryable,          // no connection, a timeout, a 4xx, or our own configuration refused
    kRejected,           // a 5xx for the message itself: sending it again cannot help
    kRecipientRejected,  // a 5xx for the recipient's address (550/551/553 at RCPT TO)
  };
  Kind kind = Kind::kAccepted;
  long reply_code = 0;  // the relay's last reply code, 0 when it never answered
  std::string error;    // short, free of addresses: it is logged and stored
};

// Blocking; `from` and `to` must be checked addresses (IsMailAddress), `message` RFC 5322 bytes
// with CRLF line ends (libcurl dot-stuffs it).
SmtpOutcome SendSmtp(const SmtpSettings& settings, std::string_view from, std::string_view to,
                     std::string_view message);

}  // namespace sac::channels::email
