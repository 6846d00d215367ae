#!/bin/bash
# The checklists that say which test proves what (tests/reliability/BAD_INPUTS.md, the 39 bad
# inputs; tests/reliability/ASVS.md, the security requirements) stay true: every row has a status
# and names a test or gives a verification note, and every test a row names as
# `path.cc:Suite.Name` exists in that file. A renamed or deleted test fails here, not silently in
# a document. Run by ctest (label unit).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
failures=0
fail() { printf 'checklists: %s\n' "$*" >&2; failures=$((failures + 1)); }

# check_list FILE EXPECTED_IDS...: also fails when an expected item has no row.
check_list() {
  local list=$1 rows=0 line id cells ref path name suite test
  shift
  local -A seen=()
  [ -f "$list" ] || { fail "$list is missing"; return; }
  while IFS= read -r line; do
    # Table rows whose first cell is an item id: "| 12 |" or "| 6.3.3 |".
    [[ $line =~ ^\|\ *([0-9]+(\.[0-9]+)*)\ *\| ]] || continue
    id=${BASH_REMATCH[1]}
    rows=$((rows + 1))
    seen[$id]=1
    IFS='|' read -r -a cells <<<"$line"
    local evidence=${cells[${#cells[@]}-2]:-} status=${cells[${#cells[@]}-1]:-}
    [ -n "${status// /}" ] || fail "$list: item $id has no status"
    [ -n "${evidence// /}" ] || fail "$list: item $id names no test and no verification"
    while IFS= read -r ref; do
      path=${ref%%:*}
      name=${ref#*:}
      suite=${name%%.*}
      test=${name#*.}
      if [ ! -f "$root/$path" ]; then
        fail "$list: item $id names $path, which does not exist"
      elif ! grep -Eq "TEST(_F|_P)?\\($suite, *$test\\)" "$root/$path"; then
        fail "$list: item $id names $suite.$test, which is not in $path"
      fi
    done < <(grep -oE '[A-Za-z0-9_./-]+\.cc:[A-Za-z0-9_]+\.[A-Za-z0-9_]+' <<<"$line")
  done < "$list"
  for id in "$@"; do
    [ -n "${seen[$id]:-}" ] || fail "$list: item $id has no row"
  done
  printf 'checklists: %s: %d rows\n' "${list#"$root"/}" "$rows"
}

# §7 of the reliability anchors: 39 bad inputs and faults.
check_list "$root/tests/reliability/BAD_INPUTS.md" $(seq 1 39)
# §3.1 of the reliability anchors: the ASVS 5.0 level 1 and 2 items that apply to SAC.
check_list "$root/tests/reliability/ASVS.md" \
  1.2.1 1.2.3 1.2.4 1.3.6 1.3.10 1.3.11 1.4.1 1.4.2 1.4.3 1.5.1 1.5.2 \
  2.1.1 2.1.2 2.1.3 2.2.1 2.2.2 2.2.3 2.3.3 2.3.4 2.4.1 \
  3.2.1 3.2.2 3.3.1 3.3.2 3.3.3 3.3.4 3.4.1 3.4.2 3.4.3 3.4.4 3.4.5 3.4.6 3.5.1 3.5.2 3.5.3 3.7.2 \
  4.1.1 4.1.2 4.1.3 4.2.1 \
  5.1.1 5.2.1 5.2.2 5.2.3 5.3.1 5.3.2 5.4.1 5.4.2 5.4.3 \
  6.1.1 6.2.1 6.2.4 6.2.9 6.2.12 6.3.1 6.3.2 6.3.3 6.4.1 6.4.3 \
  7.2.1 7.2.2 7.2.3 7.2.4 7.3.1 7.3.2 7.4.1 7.4.2 7.4.5 \
  8.1.1 8.2.1 8.2.2 8.2.3 8.3.1 \
  11.2.4 11.4.2 11.5.1 \
  12.1.1 12.2.1 12.3.1 12.3.2 \
  13.2.4 13.2.5 13.3.1 13.4.2 13.4.5 \
  14.1.1 14.2.1 14.2.4 14.3.2 \
  15.1.3 15.2.2 15.3.1 15.3.2 15.3.3 15.3.4 15.3.7 \
  16.2.1 16.2.5 16.3.1 16.3.2 16.3.3 16.3.4 16.4.1 16.4.2 16.5.1 16.5.3
[ "$failures" -eq 0 ] || { printf 'checklists: %d problems\n' "$failures" >&2; exit 1; }
