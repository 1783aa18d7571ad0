#!/usr/bin/env bash
# Set up Jituan Desktop on Debian/Ubuntu and run it or its tests.
#   bash scripts/dev.sh demo [APP OPTIONS]   install, then start the app on the demo group
#   bash scripts/dev.sh test [PYTEST ARGS]   install, then run ruff and the test suite
#   bash scripts/dev.sh install              install only
# Installs the Qt runtime libraries and a CJK font with apt (as root, or through sudo),
# then a virtual environment in .venv with the pinned Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt runtime for PySide6 (offscreen and real windows)
  libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1
  # a virtual environment for Debian's own Python
  python3-venv
  # Chinese text: a TrueType CJK font (Qt, and ReportLab for printed documents)
  fonts-wqy-microhei fonts-wqy-zenhei
  # pdftoppm, pdffonts and pdfsig: the tests check printed and signed PDFs with them
  poppler-utils
)

install_system() {
  if ! command -v apt-get >/dev/null; then
    echo "Not a Debian/Ubuntu system: install the Qt runtime libraries and a CJK font yourself." >&2
    return
  fi
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
}

cmd=${1:-demo}
shift || true
case "$cmd" in
  install)
    install_system; install_python ;;
  demo)
    install_system; install_python
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ]; then
      echo "No display found: running the smoke test offscreen instead of opening a window."
      export QT_QPA_PLATFORM=offscreen
      set -- --smoke-test "$@"
    fi
    exec .venv/bin/jituan-desktop --demo "$@" ;;
  test)
    install_system; install_python
    export QT_QPA_PLATFORM=offscreen
    .venv/bin/ruff check .
    exec .venv/bin/python -m pytest "$@" ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test|install" >&2; exit 2 ;;
esac
