#!/usr/bin/env bash
# Builds the libFuzzer targets with the `fuzz` preset and runs each for N seconds (default 60),
# seeded with its channel's testdata. Any crash, leak or sanitizer report fails the run; the
# input that caused it is left in build/fuzz/artifacts/.
#
#   tests/fuzz/run.sh [seconds] [target...]      e.g. tests/fuzz/run.sh 60 telegram
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(whatsapp telegram meta twilio_sms open311 email multipart form config normalizer)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mkdir -p build/fuzz/artifacts
for target in "${TARGETS[@]}"; do
  corpus=build/fuzz/corpus/$target
  mkdir -p "$corpus"
  # Seeds: a channel's fixtures (Meta keeps Messenger's and Instagram's in subfolders); for the
  # parsers of src/, tests/fuzz/seeds/<target>, the configuration files, or citizens' texts.
  case "$target" in
    multipart|form) cp -n tests/fuzz/seeds/"$target"/* "$corpus"/ ;;
    config) cp -n deploy/config/*.toml "$corpus"/ ;;
    normalizer) cut -f1 rules/cases/*.tsv | grep -v '^#' | head -500 |
                  split -l 1 - "$corpus"/caso- 2>/dev/null || true ;;
    *) find "channels/$target/testdata" -type f ! -name '*.md' ! -name 'signatures.txt' \
         -exec cp -n {} "$corpus"/ \; 2>/dev/null || true ;;
  esac
  echo "==> fuzz_$target for ${SECONDS_EACH}s"
  build/fuzz/tests/fuzz/fuzz_$target -max_total_time="$SECONDS_EACH" -max_len=1048576 \
    -rss_limit_mb=2048 -artifact_prefix=build/fuzz/artifacts/"$target"- "$corpus"
done
