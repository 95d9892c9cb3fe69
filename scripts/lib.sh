# Shared by scripts/setup, scripts/test and scripts/demo: paths, logging, privilege escalation.
# Source it; do not run it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROSTER_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/roster"
# The cargo target dir lives outside the clone so that later runs (and fresh clones) are incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROSTER_CACHE/target}"
E2E_VENV="$ROSTER_CACHE/e2e-venv"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root for: $* (run as root or install sudo)"
  fi
}

# True when a display server is reachable (X11 or Wayland).
have_display() {
  [ -n "${WAYLAND_DISPLAY:-}" ] && return 0
  [ -n "${DISPLAY:-}" ] && command -v xdpyinfo >/dev/null && xdpyinfo >/dev/null 2>&1 && return 0
  [ -n "${DISPLAY:-}" ] && ! command -v xdpyinfo >/dev/null && return 0
  return 1
}
