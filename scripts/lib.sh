# Shared by scripts/setup, scripts/test and scripts/demo: paths, logging, privilege escalation.
# Source it; do not run it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROSTER_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/roster"
# The cargo target dir lives outside the clone so that later runs (and fresh clones) are incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROSTER_CACHE/target}"
E2E_VENV="$ROSTER_CACHE/e2e-venv"
# Tools installed by scripts/setup (cargo-deny) and scripts/fuzz (cargo-fuzz), kept with the cache.
TOOLS="$ROSTER_CACHE/tools"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"
# The local RustSec advisory database (deny.toml's db-path, and the folder cargo-deny 0.20 names for
# its db-urls entry); scripts/advisories lays it out.
ADVISORY_DB="$HOME/.cache/roster/advisory-dbs/advisory-db-3157b0e258782691"

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
