// The e-mail routes (EmailReader lists them). Unlike the generic webhook handler, these store
// the attachments a mail carries before answering and check Mailgun's replay tokens in the same
// transaction as the inbox row, like Open311 records its tokens:
//
//   wrong Content-Type → 415      missing or wrong secret or signature, stale or reused token → 401
//   another SNS topic → 403       malformed → 400      over 25 MiB → 413
//   stored or redelivered → 200   disk or database unavailable → 503 (the provider retries)
//   over the MIME limits (depth, parts) → kept in email_quarantine, 200
// Nothing is written for any refusal.
#pragma once

#include "channels/email/email_intake.h"
#include "channels/email/email_reader.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "http/router.h"
#include "media/media_store.h"
#include "storage/database.h"

namespace sac {
class Metrics;
}

namespace sac::channels::email {

class EmailWebhooks {
 public:
  // `http` fetches SNS certificates and visits SubscribeURLs; everything must outlive this.
  EmailWebhooks(EmailConfig config, storage::Database& database, const media::MediaStore& media,
                HttpClient& http, const Clock& clock, Metrics& metrics);

  void AddRoutes(http::Router& router);

  HttpResponse Handle(const HttpRequest& request) const;

 private:
  HttpResponse ConfirmSubscription(const SnsEnvelope& envelope) const;
  // Keeps an authenticated mail over the MIME limits in email_quarantine and acknowledges it.
  HttpResponse Quarantine(const HttpRequest& request, std::string_view provider,
                          std::string_view reason) const;

  EmailReader reader_;
  EmailIntake intake_;
  HttpClient& http_;
  Metrics& metrics_;
};

}  // namespace sac::channels::email
