# Shared by scripts/run and scripts/test: installs what a fresh Debian 12 / Ubuntu machine
# lacks, and nothing twice. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

# Each step says how far into the script it starts and how much disk is left, so a slow
# step or a filling disk shows in CI's log.
say() {
  printf '\n\033[1m== %s\033[0m  (at %dm%02ds, %s free)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)) \
    "$(df -h --output=avail "$ROOT" 2>/dev/null | tail -n 1 | tr -d ' ')"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt packages, installed only when one is missing.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing system packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

# What building and running the desktop app needs (Tauri 2 on WebKitGTK 4.1).
APP_PACKAGES=(
  build-essential pkg-config curl file libssl-dev libdbus-1-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
)
# What the tests add: a virtual display, the WebDriver for WebKitGTK, a Secret Service, and
# Chromium for the web console served at /ui.
TEST_PACKAGES=(
  xvfb xauth webkit2gtk-driver dbus dbus-daemon gnome-keyring libsecret-tools python3 python3-venv
  chromium
)

# Vite 8 needs Node 20.19 or later; Debian 12's own nodejs (18) is too old.
need_node() {
  local version
  version="$(node --version 2>/dev/null || true)"
  if ! printf '%s\n' "$version" | grep -qE '^v(2[1-9]|[3-9][0-9]|20\.(19|[2-9][0-9]))'; then
    echo "Node.js 20.19 or later is needed (found: ${version:-none}); see https://nodejs.org" >&2
    exit 1
  fi
}

ui_install() {
  need_node
  cd "$ROOT/ui"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing UI packages (npm ci)"
    npm ci --no-audit --no-fund
  fi
  cd "$ROOT"
}

ui_build() {
  say "building the UI"
  npm --prefix "$ROOT/ui" run build
}
