#!/usr/bin/env bash
# Builds the libFuzzer targets with the `fuzz` preset (clang, ASan + UBSan) and runs each for N
# seconds (default 60), as many at once as there are cores. Each run first replays its corpus
# (the seeds below plus whatever earlier runs found interesting), then fuzzes. Any crash, leak or
# sanitizer report fails the run; the input that caused it is left in build/fuzz/artifacts/ and
# the end of that target's log is printed. `deploy/dev.sh test` runs this with 30 s per target.
#
#   tests/fuzz/run.sh [seconds] [target...]      e.g. tests/fuzz/run.sh 60 telegram
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(whatsapp telegram meta twilio_sms open311 email multipart form config normalizer rules http_request)
JOBS=$(nproc)

mkdir -p build/fuzz/artifacts build/fuzz/logs
cmake --preset fuzz >/dev/null
# Quiet when it builds; the compiler's words when it does not.
if ! cmake --build --preset fuzz >build/fuzz/logs/build.log 2>&1; then
  tail -n 60 build/fuzz/logs/build.log >&2
  exit 1
fi

seed() {
  local target=$1 corpus=build/fuzz/corpus/$1
  mkdir -p "$corpus"
  # Seeds: a channel's fixtures (Meta keeps Messenger's and Instagram's in subfolders); for the
  # parsers of src/, tests/fuzz/seeds/<target>, the configuration files, or citizens' texts.
  case "$target" in
    multipart|form|http_request) cp -n tests/fuzz/seeds/"$target"/* "$corpus"/ ;;
    config) cp -n deploy/config/*.toml "$corpus"/ ;;
    rules) cp -n rules/categorias/*.toml "$corpus"/ ;;
    normalizer) cut -f1 rules/cases/*.tsv | grep -v '^#' | head -500 |
                  split -l 1 - "$corpus"/caso- 2>/dev/null || true ;;
    *) find "channels/$target/testdata" -type f ! -name '*.md' ! -name 'signatures.txt' \
         -exec cp -n {} "$corpus"/ \; 2>/dev/null || true ;;
  esac
}

fuzz() {
  local target=$1 log=build/fuzz/logs/$1.log
  if build/fuzz/tests/fuzz/fuzz_"$target" -max_total_time="$SECONDS_EACH" -max_len=1048576 \
       -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/"$target"- \
       build/fuzz/corpus/"$target" >"$log" 2>&1; then
    printf 'fuzz_%-11s %8s runs, corpus %s inputs, no finding\n' "$target" \
      "$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")" \
      "$(find build/fuzz/corpus/"$target" -type f | wc -l)"
  else
    echo "fuzz_$target FOUND A PROBLEM (input kept in build/fuzz/artifacts/):" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
}

failed=0
running=0
for target in "${TARGETS[@]}"; do
  seed "$target"
  fuzz "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
