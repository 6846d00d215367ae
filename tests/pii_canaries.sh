#!/usr/bin/env bash
# Personal data and secrets must never reach the logs (above debug level) or the metrics. The
# tests plant canaries — the fixtures' phone numbers and names, the canary citizen, the test
# secrets and passwords — in their traffic; after the whole suite this looks for every one of
# them in everything the tests printed (ctest keeps each test's output, logs included).
#
#   tests/pii_canaries.sh <build-dir>     (deploy/dev.sh test runs it after ctest)
set -euo pipefail
log="$1/Testing/Temporary/LastTest.log"
[[ -s "$log" ]] || { echo "pii_canaries: no test output at $log" >&2; exit 2; }
canaries=(
  # citizens' phone numbers in the fixtures and tests (the national part)
  6691234501 6691234502 6691110000 6692220000
  # names and addresses
  "Lizárraga" "Zoila Canaria" "Martha Peña" "Calle Laureles" "Calle Canaria" "CANARIO"
  # secrets and passwords of the test configuration
  mzt_test_app_secret mzt-verify-2026 mzt_tg_secret_2026 ledger-secret-token
  "contraseña de prueba"
  # providers' tokens SAC sends (the Telegram bot's is in the URL path), app keys (in the query)
  AAtest-token 123456:ledger-token mzt_test_twilio_auth_token mzt-test-postmark-token
  test-page-token test-access-token llave-de-la-app
  # the secret key sealing second-factor keys, as the tests set it
  7777777777777777777777777777777777777777777777777777777777777777
)
found=0
for canary in "${canaries[@]}"; do
  if hits=$(grep -c -F -- "$canary" "$log"); then
    echo "pii_canaries: \"$canary\" appears $hits times in the tests' output" >&2
    grep -n -F -- "$canary" "$log" | head -3 >&2
    found=1
  fi
done
[[ $found -eq 0 ]] && echo "pii_canaries: none of ${#canaries[@]} canaries in $(wc -l < "$log") lines of test output"
exit $found
