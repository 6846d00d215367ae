#!/usr/bin/env bash
# The two commands of README.md, on a fresh Debian 12 machine (as root, or a user with sudo):
#
#   deploy/dev.sh run    install packages, build, start a private PostgreSQL under var/pg,
#                        migrate, seed, and serve on 127.0.0.1:8080 (Ctrl-C stops it all)
#   deploy/dev.sh test   the same set-up with a throwaway cluster under var/test-pg, then every
#                        test through ctest (SAC_SANITIZE=1: also every test under ASan/UBSan)
#
# Environment: SAC_DATABASE_URL (run: use that database, start no cluster), SAC_HTTP_PORT, and
# each channel's secrets (SAC_WHATSAPP_*, SAC_TELEGRAM_*, ...; run: default to the fixtures' test
# values so signed fixtures can be replayed at once; the environment always wins).
set -euo pipefail
shopt -s inherit_errexit  # a failure inside $(...) stops the script too

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PRESET=release
BUILD_DIR=$ROOT/build/$PRESET
SAC=$BUILD_DIR/sac
CONFIG=$ROOT/deploy/config/sac.dev.toml
PG_BIN=/usr/lib/postgresql/15/bin

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'deploy/dev.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "needs root or sudo to run: $*"; fi
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres "$@"; fi
}

# --- packages ------------------------------------------------------------------------------------
install_packages() {
  local wanted missing=() package
  mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$ROOT/deploy/packages.txt")
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${#missing[@]} Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# --- promtool, to test the alert rules (tests/alert_rules.sh) -------------------------------------
# Only the tool, taken out of Debian's prometheus package: installing the package would also
# install (and start) a Prometheus server nobody asked for.
install_promtool() {
  local tool=$ROOT/build/tools/promtool scratch
  [ -x "$tool" ] && return 0
  say "fetching promtool from Debian's prometheus package"
  scratch=$(mktemp -d)
  chmod 755 "$scratch"  # apt downloads as its own _apt user
  if ! (cd "$scratch" && apt-get download prometheus >/dev/null 2>"$scratch/apt.log"); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    if ! (cd "$scratch" && apt-get download prometheus >/dev/null 2>"$scratch/apt.log"); then
      cat "$scratch/apt.log" >&2
      rm -rf "$scratch"
      die "apt-get download prometheus failed"
    fi
  fi
  mkdir -p "$(dirname "$tool")"
  if ! dpkg-deb --fsys-tarfile "$scratch"/prometheus_*.deb | tar -xO ./usr/bin/promtool > "$tool.part"; then
    rm -rf "$scratch" "$tool.part"
    die "no usr/bin/promtool in Debian's prometheus package"
  fi
  chmod +x "$tool.part" && mv "$tool.part" "$tool"
  rm -rf "$scratch"
}

# --- front-end files and the browser tests' driver (web/package-lock.json) ------------------------
install_web_modules() {
  local lock=$ROOT/web/package-lock.json stamp=$ROOT/web/node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ ! "$lock" -nt "$stamp" ]; then return 0; fi
  command -v npm >/dev/null || die "npm is missing (Node 20 and npm come with the machine)"
  say "installing web/node_modules from web/package-lock.json"
  npm ci --prefix "$ROOT/web" --no-audit --no-fund --loglevel=error >/dev/null ||
    die "npm ci failed in web/"
}

# --- build ---------------------------------------------------------------------------------------
build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    say "configuring ($PRESET)"
    cmake --preset "$PRESET" >/dev/null
  fi
  say "building ($PRESET)"
  cmake --build --preset "$PRESET" -j "$(nproc)" || die "the build failed"
  [ -x "$SAC" ] || die "the build produced no $SAC"
}

# --- a private PostgreSQL 15 cluster -------------------------------------------------------------
# $1: the cluster's directory. Prints the libpq connection string of its `postgres` database.
# Extra server settings can follow as -c options.
start_cluster() {
  local dir=$1; shift
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 server binaries not found in $PG_BIN"
  mkdir -p "$dir"
  chown postgres:postgres "$dir" 2>/dev/null || as_root chown postgres:postgres "$dir"
  as_postgres test -x "$dir" ||
    die "the postgres user cannot reach $dir (a parent directory is private); move the checkout"
  # A unix socket path is limited to 107 bytes: deep checkouts keep the socket under /tmp.
  local socket_dir=$dir
  if [ ${#dir} -gt 80 ]; then
    socket_dir=$(mktemp -d /tmp/sac-pg.XXXXXX)
    chown postgres:postgres "$socket_dir" 2>/dev/null || as_root chown postgres:postgres "$socket_dir"
  fi
  chmod 0711 "$dir" "$socket_dir" 2>/dev/null || as_root chmod 0711 "$dir" "$socket_dir"
  # The data directory is the postgres user's (mode 0700): look inside it as that user.
  if ! as_postgres test -f "$dir/data/PG_VERSION"; then
    say "creating a PostgreSQL cluster in $dir/data"
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
      >/dev/null
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    say "starting PostgreSQL (unix socket only, in $socket_dir)"
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$socket_dir' $*" start >/dev/null ||
      die "PostgreSQL did not start; see $dir/server.log"
  fi
  # The socket directory the running server really uses (it may come from an earlier run).
  socket_dir=$(as_postgres sed -n 5p "$dir/data/postmaster.pid")
  [ -n "$socket_dir" ] || die "cannot read the socket directory of the cluster in $dir"
  # Quoted for libpq: a checkout path may contain spaces.
  local quoted=${socket_dir//\\/\\\\}
  quoted=${quoted//\'/\\\'}
  echo "host='$quoted' user=postgres"
}

stop_cluster() {
  local dir=$1
  as_postgres test -f "$dir/data/postmaster.pid" || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

ensure_database() {  # $1 admin connection string, $2 database name
  local exists
  exists=$(psql "$1 dbname=postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$2'")
  [ "$exists" = 1 ] || psql "$1 dbname=postgres" -qc "CREATE DATABASE \"$2\"" >/dev/null
}

dev_secrets() {
  # The test values of ../shared/fixtures/channels/whatsapp (signatures.txt, verify_get_request.http).
  export SAC_WHATSAPP_APP_SECRET=${SAC_WHATSAPP_APP_SECRET:-mzt_test_app_secret}
  export SAC_WHATSAPP_VERIFY_TOKEN=${SAC_WHATSAPP_VERIFY_TOKEN:-mzt-verify-2026}
  export SAC_WHATSAPP_ACCESS_TOKEN=${SAC_WHATSAPP_ACCESS_TOKEN:-dev-access-token}
  # ../shared/fixtures/channels/telegram: the secret token the fixtures are sent with.
  export SAC_TELEGRAM_SECRET_TOKEN=${SAC_TELEGRAM_SECRET_TOKEN:-mzt_tg_secret_2026}
  export SAC_TELEGRAM_BOT_TOKEN=${SAC_TELEGRAM_BOT_TOKEN:-7012345678:dev-bot-token}
  # ../shared/fixtures/channels/{messenger,instagram}: one Meta app for both (signatures.txt; the
  # handshake token is WhatsApp's verify_get_request.http one).
  export SAC_META_APP_SECRET=${SAC_META_APP_SECRET:-mzt_test_app_secret}
  export SAC_META_VERIFY_TOKEN=${SAC_META_VERIFY_TOKEN:-mzt-verify-2026}
  export SAC_META_PAGE_TOKEN=${SAC_META_PAGE_TOKEN:-dev-page-token}
  # ../shared/fixtures/channels/twilio_sms: signed with this token over this public URL.
  export SAC_TWILIO_AUTH_TOKEN=${SAC_TWILIO_AUTH_TOKEN:-mzt_test_twilio_auth_token}
  export SAC_PUBLIC_BASE_URL=${SAC_PUBLIC_BASE_URL:-https://atencion.municipio.example}
  # The municipal app's Open311 key in development (client "app_mazatlan").
  export SAC_OPEN311_API_KEYS=${SAC_OPEN311_API_KEYS:-app_mazatlan:dev-open311-key}
  # ../shared/fixtures/channels/email: Mailgun's signing key (signatures.txt); the other e-mail
  # doors take tokens of our own choosing.
  export SAC_MAILGUN_SIGNING_KEY=${SAC_MAILGUN_SIGNING_KEY:-mzt-test-mailgun-signing-key}
  export SAC_EMAIL_WEBHOOK_TOKEN=${SAC_EMAIL_WEBHOOK_TOKEN:-mzt-test-email-webhook-token}
  export SAC_POSTMARK_TOKEN=${SAC_POSTMARK_TOKEN:-mzt-test-postmark-token}
  export SAC_SENDGRID_TOKEN=${SAC_SENDGRID_TOKEN:-mzt-test-sendgrid-token}
  # Seals the staff's second-factor keys (deploy/runbook.md "Secrets"); a development value.
  export SAC_SECRET_KEY=${SAC_SECRET_KEY:-de5a11adde5a11adde5a11adde5a11adde5a11adde5a11adde5a11adde5a11ad}
}

# --- commands ------------------------------------------------------------------------------------
cmd_run() {
  install_packages
  install_web_modules
  build
  dev_secrets
  CLUSTER=$ROOT/var/pg
  local owner_url app_url
  if [ -z "${SAC_DATABASE_URL:-}" ]; then
    trap 'stop_cluster "$CLUSTER"' EXIT
    local admin
    admin=$(start_cluster "$CLUSTER")
    ensure_database "$admin" sac
    owner_url="$admin dbname=sac"
    app_url="$admin dbname=sac user=sac_app"  # libpq: the last user= wins
    echo "$owner_url" > "$ROOT/var/database_url"  # for psql "$(cat var/database_url)"
  else
    owner_url=$SAC_DATABASE_URL
    app_url=$SAC_DATABASE_URL
  fi
  SAC_DATABASE_URL=$owner_url "$SAC" --config "$CONFIG" migrate
  SAC_DATABASE_URL=$owner_url "$SAC" --config "$CONFIG" seed --demo
  if [ "$app_url" != "$owner_url" ]; then
    # The server runs as the least-privileged role the migrations define (no bitácora rewrites).
    psql "$owner_url" -qc "ALTER ROLE sac_app LOGIN" >/dev/null
  fi
  say "serving on http://127.0.0.1:${SAC_HTTP_PORT:-8080} (Ctrl-C stops)"
  # Not exec: when the server stops, the EXIT trap stops the private PostgreSQL.
  SAC_DATABASE_URL=$app_url "$SAC" --config "$CONFIG" serve
}

cmd_test() {
  install_packages
  install_web_modules
  build
  install_promtool
  CLUSTER=$ROOT/var/test-pg
  stop_cluster "$CLUSTER"
  as_root rm -rf "$CLUSTER"
  trap 'stop_cluster "$CLUSTER"; as_root rm -rf "$CLUSTER"' EXIT
  # Throwaway cluster: fsync off makes creating a database per test cheap. Commits still wait
  # for the server (synchronous_commit stays on), which is what crash tests rely on.
  local admin
  admin=$(start_cluster "$CLUSTER" -c fsync=off -c full_page_writes=off -c max_connections=300)
  export SAC_TEST_DATABASE_URL="$admin dbname=postgres"

  say "checking the CLI set-up path (migrate twice, seed) on a scratch database"
  ensure_database "$admin" sac
  # The first with run's development secrets, so that a malformed one fails here, not in `run`.
  (dev_secrets && SAC_DATABASE_URL="$admin dbname=sac" "$SAC" --config "$CONFIG" migrate >/dev/null)
  SAC_DATABASE_URL="$admin dbname=sac" "$SAC" --config "$CONFIG" migrate | grep -q "up to date" ||
    die "a second migrate was not a no-op"
  SAC_DATABASE_URL="$admin dbname=sac" "$SAC" --config "$CONFIG" seed >/dev/null

  say "running the test suite"
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" --timeout 300

  say "looking for personal data and secrets in everything the tests printed"
  "$ROOT/tests/pii_canaries.sh" "$BUILD_DIR"

  # Every parser of outside input under ASan/UBSan: its corpus replayed, then fuzzed a while.
  say "fuzzing each parser for ${SAC_FUZZ_SECONDS:-30} s (libFuzzer; SAC_FUZZ_SECONDS changes it)"
  "$ROOT/tests/fuzz/run.sh" "${SAC_FUZZ_SECONDS:-30}"

  # The whole suite once more with AddressSanitizer and UndefinedBehaviorSanitizer: a second
  # build and a suite twice as slow, so only when asked (SAC_SANITIZE=1); CI runs the fuzzers.
  if [ "${SAC_SANITIZE:-0}" = 1 ]; then
    say "building the asan preset and running every test under ASan/UBSan"
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j "$(nproc)" || die "the asan build failed"
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir "$ROOT/build/asan" --output-on-failure -j "$(nproc)" --timeout 600 \
      -E 'alert_rules|fuzz'
  fi
}

case "${1:-}" in
  run) cmd_run ;;
  test) cmd_test ;;
  *) echo "usage: deploy/dev.sh run|test" >&2; exit 2 ;;
esac
