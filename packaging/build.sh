#!/usr/bin/env bash
# Build the Linux one-folder bundle into packaging/dist/JituanDesktop/.
#
#   packaging/build.sh            # venv in packaging/build/venv, then PyInstaller
#   VENV=/path/to/venv packaging/build.sh   # use an existing venv instead
#   SKIP_SMOKE=1 packaging/build.sh         # do not run smoke_test.sh afterwards
#
# Needs python3.11 (with its shared library, e.g. Debian's libpython3.11) and binutils
# (objdump); PyInstaller cannot cross-compile, so the Windows build is build-windows.ps1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
PYTHON="${PYTHON:-python3.11}"
VENV="${VENV:-$HERE/build/venv}"

if ! command -v objdump >/dev/null 2>&1; then
    echo "objdump not found: install binutils (apt-get install -y binutils)" >&2
    exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating venv $VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
STAMP="$VENV/.jituan-installed"
if [ ! -f "$STAMP" ] || [ "$REPO/pyproject.toml" -nt "$STAMP" ] \
        || [ "$HERE/requirements.txt" -nt "$STAMP" ]; then
    echo "== installing the app and PyInstaller into $VENV"
    "$VENV/bin/python" -m pip install --quiet -e "$REPO" -r "$HERE/requirements.txt"
    touch "$STAMP"
fi

echo "== PyInstaller"
start=$(date +%s)
"$VENV/bin/python" -m PyInstaller --noconfirm --clean \
    --distpath "$HERE/dist" --workpath "$HERE/build/pyinstaller" \
    "$HERE/jituan-desktop.spec"
end=$(date +%s)

DIST="$HERE/dist/JituanDesktop"
echo "== built $DIST in $((end - start)) s, $(du -sh "$DIST" | cut -f1)"

if [ "${SKIP_SMOKE:-0}" != "1" ]; then
    "$HERE/smoke_test.sh" "$DIST"
fi
