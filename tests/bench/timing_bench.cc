// Benchmark: what someone could learn from how long SAC takes to say no (bad inputs #2 and #30).
// Prints figures.
//
//   1. Webhook signatures: channels/common VerifyHubSignature on a signed WhatsApp body, with a
//      signature wrong in its first hex digit and one wrong in its last, interleaved in batches.
//      A comparison that stopped at the first difference would refuse the first sooner.
//   2. Sign-in: the staff web's POST /login through its router, as `sac serve` calls it (CSRF,
//      throttle, user lookup, argon2id), for a known user with a wrong password and for an
//      unknown username, interleaved. An unknown user is checked against a decoy hash so that
//      both cost one argon2id verification; the answer must be the same too.
//
//   SAC_TEST_DATABASE_URL=... build/release/tests/sac_timing_bench [sign-ins per kind]
//
// The figure to read is the ratio of the medians (1.00 = nothing to learn), next to the spread of
// each kind: a difference smaller than the spread cannot be told apart by someone who sees one
// answer at a time. Exits 1 only when the two sign-ins were not both refused with the same 401
// page (then the timing would compare different things).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "channels/common/hub_signature.h"
#include "classify/classifier_holder.h"
#include "crypto/digest.h"
#include "observability/log.h"
#include "storage/database.h"
#include "tests/bench/percentile.h"
#include "tests/support/sac_process.h"
#include "tests/support/staff_web_stack.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"
#include "web/staff_accounts.h"

namespace {

using namespace sac;
using Stopwatch = std::chrono::steady_clock;

using bench::Percentile;

void PrintKind(const char* name, const std::vector<double>& samples, const char* unit) {
  std::printf("  %-38s p10 %8.3f  p50 %8.3f  p90 %8.3f %s (%zu samples)\n", name,
              Percentile(samples, 0.1), Percentile(samples, 0.5), Percentile(samples, 0.9), unit,
              samples.size());
}

// 1. Signatures: each sample is the mean of a batch of verifications, so that the clock's
// resolution does not hide a difference of a few nanoseconds.
void Signatures() {
  constexpr const char* kSecret = "timing_app_secret";
  constexpr int kBatches = 2000;
  constexpr int kPerBatch = 200;
  const std::string body = testing::WhatsAppTextWebhook(
      "wamid.timing", "5216691234501", "hay una fuga de agua enorme en la calle Río Piaxtla");
  const std::string right = crypto::HmacSha256Hex(kSecret, body);
  const auto request_with = [&](std::string hex) {
    HttpRequest request;
    request.method = "POST";
    request.body = body;
    request.headers.Add("X-Hub-Signature-256", "sha256=" + hex);
    return request;
  };
  const auto flip = [](std::string hex, std::size_t at) {
    hex[at] = hex[at] == '0' ? '1' : '0';
    return hex;
  };
  const HttpRequest first_wrong = request_with(flip(right, 0));
  const HttpRequest last_wrong = request_with(flip(right, right.size() - 1));
  std::vector<double> first_ns, last_ns;
  int refused = 0;
  for (int batch = 0; batch < kBatches; ++batch) {
    // Alternate which kind goes first, so that neither always runs on a warmer cache.
    for (int turn = 0; turn < 2; ++turn) {
      const bool first = (batch + turn) % 2 == 0;
      const HttpRequest& request = first ? first_wrong : last_wrong;
      const auto start = Stopwatch::now();
      for (int i = 0; i < kPerBatch; ++i) refused += channels::VerifyHubSignature(request, kSecret) ? 0 : 1;
      const double ns = std::chrono::duration<double, std::nano>(Stopwatch::now() - start).count() / kPerBatch;
      (first ? first_ns : last_ns).push_back(ns);
    }
  }
  std::printf("Webhook signatures (VerifyHubSignature, %zu-byte body; %d of %d refused):\n",
              body.size(), refused, 2 * kBatches * kPerBatch);
  PrintKind("wrong in the first hex digit", first_ns, "ns");
  PrintKind("wrong in the last hex digit", last_ns, "ns");
  std::printf("  ratio of the medians (first / last): %.3f\n\n",
              Percentile(first_ns, 0.5) / Percentile(last_ns, 0.5));
}

// 2. Sign-in through the staff web's router.
int SignIns(int per_kind) {
  log::SetLevel(log::Level::kWarn);
  testing::TestDatabase db;
  storage::Database database(db.Settings(2));
  db.SeedDependencias();
  // Each known user is tried at most four times: the fifth failure would make the throttle
  // answer 429 without checking any password, which is not what is measured here.
  constexpr int kTriesPerUser = 4;
  const int users = (per_kind + kTriesPerUser - 1) / kTriesPerUser;
  for (int i = 0; i < users; ++i) {
    bool created = false;
    const auto done = database.Transact([&](storage::Tx& tx) {
      created = web::CreateStaffUser(tx, {"enlace" + std::to_string(i), "Enlace", "atencion_ciudadana",
                                          "la contraseña correcta " + std::to_string(i)});
    });
    if (!done || !created) {
      std::fprintf(stderr, "could not create the staff users\n");
      return 1;
    }
  }
  auto classifiers = classify::ClassifierHolder::Load(testing::SourceDir() / "rules");
  if (!classifiers) return 1;
  testing::StaffWebStack stack(database, **classifiers,
                             std::filesystem::temp_directory_path() / "sac-timing-bench-media");
  const auto found = stack.router.Find("POST", "/login");

  const auto sign_in = [&](const std::string& username, HttpResponse& answer) {
    HttpRequest request;
    request.method = "POST";
    request.path = "/login";
    request.headers.Add("Host", "127.0.0.1:8080");
    request.headers.Add("Origin", "http://127.0.0.1:8080");
    request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
    request.headers.Add("Cookie", "sac_acceso=t0k3n");
    request.body = "usuario=" + username + "&contrasena=una%20contrase%C3%B1a%20equivocada&csrf=t0k3n";
    const auto start = Stopwatch::now();
    answer = found.route->handler(request);
    return std::chrono::duration<double, std::milli>(Stopwatch::now() - start).count();
  };
  HttpResponse answer;
  sign_in("calentamiento", answer);  // prepares statements and computes the decoy hash
  std::vector<double> known_ms, unknown_ms;
  std::string known_body, unknown_body;
  int known_status = 0, unknown_status = 0;
  int not_401 = 0;
  for (int i = 0; i < per_kind; ++i) {
    for (int turn = 0; turn < 2; ++turn) {
      const bool known = (i + turn) % 2 == 0;
      const std::string username =
          known ? "enlace" + std::to_string(i % users) : "nadie" + std::to_string(i);
      const double ms = sign_in(username, answer);
      (known ? known_ms : unknown_ms).push_back(ms);
      // The page echoes the username typed and carries a fresh form token; everything else must
      // be the same.
      std::string body = answer.body;
      for (auto at = body.find(username); at != std::string::npos; at = body.find(username)) {
        body.replace(at, username.size(), "USUARIO");
      }
      constexpr std::string_view kToken = "name=\"csrf\" value=\"";
      if (const auto at = body.find(kToken); at != std::string::npos) {
        const auto start = at + kToken.size();
        body.replace(start, body.find('"', start) - start, "TOKEN");
      }
      if (answer.status != 401) ++not_401;
      const std::string& first = known ? known_body : unknown_body;
      if (!first.empty() && first != body) ++not_401;  // every answer of a kind is the same page
      (known ? known_body : unknown_body) = body;
      (known ? known_status : unknown_status) = answer.status;
    }
  }
  std::printf("Sign-in with a wrong password (POST /login through the router, argon2id):\n");
  PrintKind("known user", known_ms, "ms");
  PrintKind("unknown user", unknown_ms, "ms");
  std::printf("  ratio of the medians (unknown / known): %.3f\n",
              Percentile(unknown_ms, 0.5) / Percentile(known_ms, 0.5));
  std::printf("  answers: %d and %d, %s pages; %d answers not the usual 401 page\n", known_status,
              unknown_status, known_body == unknown_body ? "identical" : "DIFFERENT", not_401);
  return not_401 == 0 && known_body == unknown_body ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int per_kind = argc > 1 ? std::atoi(argv[1]) : 200;
  if (per_kind <= 0) {
    std::fprintf(stderr, "usage: sac_timing_bench [sign-ins per kind, > 0]\n");
    return 2;
  }
  Signatures();
  return SignIns(per_kind);
}
