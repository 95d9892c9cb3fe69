"""Runs the end-to-end tests in a private X display and D-Bus session, and leaves nothing behind.

Starts Xvfb (a free display number, reported through -displayfd), then pytest inside
`dbus-run-session` with NO_AT_BRIDGE=1. This process makes itself a child subreaper, so every process
the run spawns (the app, WebKit's helpers, services the bus activates) becomes its child when orphaned;
at the end it stops Xvfb by PID and reaps or stops every remaining descendant by PID.
Usage: python run.py [pytest arguments]; exit status is pytest's.
"""

import ctypes
import os
import pathlib
import signal
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
PR_SET_CHILD_SUBREAPER = 36
GRACE_S = 5.0


def become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def children() -> list[int]:
    pids: list[int] = []
    for task in pathlib.Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return pids


def reap_all(keep: int | None = None) -> None:
    """Waits for every child but `keep` (orphans included); after a grace period stops the rest by PID."""
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None:
            for pid in children():
                if pid != keep:
                    try:
                        os.kill(pid, sig)
                    except ProcessLookupError:
                        pass
        deadline = time.monotonic() + GRACE_S
        while time.monotonic() < deadline:
            while True:
                try:
                    pid, _ = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    return
                if pid == 0 or pid == keep:
                    break
            if not [pid for pid in children() if pid != keep]:
                return
            time.sleep(0.05)


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = pipe.readline().strip()
    if not display:
        raise RuntimeError(f"Xvfb did not report a display (exit status {xvfb.poll()})")
    return xvfb, f":{display}"


def main() -> int:
    become_subreaper()
    xvfb, display = start_xvfb()
    try:
        env = {**os.environ, "DISPLAY": display, "NO_AT_BRIDGE": "1"}
        command = ["dbus-run-session", "--", sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
        return subprocess.run(command + sys.argv[1:], cwd=HERE, env=env, check=False).returncode
    finally:
        reap_all(keep=xvfb.pid)  # first whatever still talks to the display, then the display
        xvfb.terminate()
        try:
            xvfb.wait(timeout=GRACE_S)
        except subprocess.TimeoutExpired:
            xvfb.kill()
            xvfb.wait()
        reap_all()


if __name__ == "__main__":
    sys.exit(main())
