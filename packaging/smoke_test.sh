#!/usr/bin/env bash
# Smoke-test the frozen Linux bundle (default: packaging/dist/JituanDesktop).
#  1. GUI: --demo --smoke-test offscreen in a fresh data folder: starts Qt, creates the demo
#     database (alembic migrations from the bundled files), loads the policy profiles and the
#     catalogs, shows the main window and exits 0.
#  2. Headless: export-json on that demo database; the JSON must parse and hold schools.
#  3. The same in English (--lang en), which reads the other catalog and babel locale.
#  4. The GUI again on the now existing database (the at-head path, no migration).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIST="${1:-$HERE/dist/JituanDesktop}"
EXE="$DIST/JituanDesktop"
[ -x "$EXE" ] || { echo "FAIL: $EXE not found (run packaging/build.sh)" >&2; exit 1; }

DATA="$(mktemp -d)"
trap 'rm -rf "$DATA"' EXIT
export QT_QPA_PLATFORM=offscreen
fail() { echo "FAIL: $*" >&2; exit 1; }
now_ms() { echo $(( ${EPOCHREALTIME/[.,]/} / 1000 )); }
secs() { printf '%d.%01d' $(( $1 / 1000 )) $(( $1 % 1000 / 100 )); }

t0=$(now_ms)
"$EXE" --demo --data-dir "$DATA" --smoke-test 2> "$DATA/gui.err"
rc=$?
t1=$(now_ms)
if [ -s "$DATA/gui.err" ]; then echo "  stderr:"; sed 's/^/    /' "$DATA/gui.err"; fi
[ $rc -eq 0 ] || fail "GUI smoke test exited $rc"
[ -s "$DATA/demo/jituan-demo.db" ] || fail "no demo database was created"
echo "PASS gui smoke test, new demo database ($(secs $((t1 - t0))) s)"

out=$("$EXE" --demo --data-dir "$DATA" export-json --out "$DATA/export.json") \
    || fail "export-json exited $?"
echo "  $out"
[ -s "$DATA/export.json" ] || fail "export-json wrote nothing"
python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' \
    "$DATA/export.json" || fail "export.json is not valid JSON"
echo "PASS export-json ($(stat -c %s "$DATA/export.json") bytes, valid JSON)"

out=$("$EXE" --demo --data-dir "$DATA" --lang en export-json --out "$DATA/export-en.json") \
    || fail "export-json --lang en exited $?"
echo "  $out"
echo "PASS export-json --lang en"

t0=$(now_ms)
"$EXE" --demo --data-dir "$DATA" --smoke-test || fail "second GUI start exited $?"
t1=$(now_ms)
echo "PASS gui smoke test, existing database ($(secs $((t1 - t0))) s)"
echo "smoke test OK: $DIST"
