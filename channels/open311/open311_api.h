// The municipal app's door: Open311 GeoReport v2 under /open311/v2/ (discovery, services, service
// definitions, POST requests, GET requests, GET requests/{id}, tokens/{token}), in JSON and XML.
// The app is a client like any other: a POST is validated, stored in the inbox with its token and
// committed, and becomes a boleta through the same pipeline as a WhatsApp message; the answer is
// the folio (service_request_id) when the pipeline gives it in time, else the token.
// Details, choices and limits: CHANNEL.md.
#pragma once

#include <boost/json/array.hpp>

#include "channels/open311/open311_format.h"
#include "classify/classifier_holder.h"
#include "config/config.h"
#include "core/clock.h"
#include "http/request_quota.h"
#include "http/router.h"
#include "storage/database.h"

namespace sac::channels::open311 {

class Open311Api {
 public:
  // `public_base_url` is named in the discovery document.
  // `trusted_proxies`: whose X-Forwarded-For names the client (the per-address quota).
  Open311Api(Open311Config config, std::string public_base_url, storage::Database& database,
             const classify::ClassifierHolder& classifiers, const Clock& clock,
             std::vector<std::string> trusted_proxies = {});

  void AddRoutes(http::Router& router);

 private:
  HttpResponse Discovery(const HttpRequest& request) const;
  HttpResponse Services(const HttpRequest& request) const;
  HttpResponse ServiceDefinition(const HttpRequest& request) const;
  HttpResponse PostRequest(const HttpRequest& request) const;
  HttpResponse GetRequests(const HttpRequest& request) const;
  HttpResponse GetRequest(const HttpRequest& request) const;
  HttpResponse GetToken(const HttpRequest& request) const;

  // The client's requests, filtered as GET requests allows.
  Result<boost::json::array> ListRequests(const std::string& client, const std::string& ids,
                                          const std::string& codes, const std::string& start,
                                          const std::string& end, const std::string& status) const;

  // The client whose api_key this is, if any.
  std::optional<std::string> ClientOf(std::string_view api_key) const;
  // A 429 with Retry-After when the client, from this address, went over its requests per
  // minute. `client` empty: a call without a key (tokens/{token}), counted per address only.
  std::optional<HttpResponse> OverItsRate(const HttpRequest& request, const std::string& client,
                                          Format format) const;

  Open311Config config_;
  std::string public_base_url_;
  storage::Database& database_;
  const classify::ClassifierHolder& classifiers_;
  const Clock& clock_;
  std::vector<std::string> trusted_proxies_;
  mutable http::RequestQuota per_key_;  // counting; the handlers are otherwise const
  mutable http::RequestQuota per_address_;
};

}  // namespace sac::channels::open311
