"""Answers the app's native save dialog the way a person does, with the keyboard.

tauri-plugin-dialog opens GTK's file chooser (through rfd) as a window of its own, which WebDriver cannot
see; `xdotool` can, on the test's private Xvfb display (scripts/e2e sets DISPLAY). The app titles its
save dialogs (`downloads.saveTitle`, `jobs.saveTitle` in ui/src/lib/i18n/en.ts) and its open dialogs
(src-tauri/commands/review.rs, membership.rs), so the dialog is found by its title, focused, given the
full path in its name field (GTK's name entry takes a whole path; an open dialog's location field opens
with Ctrl+L) and accepted with Return. Every file the app reads or writes is chosen this way (or
dropped on the window): a path typed into the app only opens the picker on that file, to confirm.
"""

import pathlib
import re
import shutil
import subprocess
import time

DIALOG_DEADLINE_S = 30
POLL_S = 0.1

DOWNLOAD_TITLE = "Save the download as"
RESULTS_TITLE = "Save a copy of the results as"
REVIEW_OPEN_TITLE = "Open a CSV file to review"
MEMBER_OPEN_TITLE = "Choose a file of members"
REVIEW_EXPORT_TITLE = "Export the view as"
DIFF_EXPORT_TITLE = "Export the differences as"


def xdotool(*args: str) -> str:
    if shutil.which("xdotool") is None:
        raise RuntimeError("xdotool not found: run scripts/setup (Debian package xdotool)")
    done = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=DIALOG_DEADLINE_S)
    if done.returncode != 0 and done.stderr.strip():
        raise RuntimeError(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def windows(title: str) -> list[str]:
    """The visible windows titled exactly `title` (xdotool exits 1 when there are none)."""
    done = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^{re.escape(title)}$"],
        capture_output=True,
        text=True,
        timeout=DIALOG_DEADLINE_S,
    )
    return done.stdout.split()


def window_titles() -> list[str]:
    """Every visible window's title, for failure messages."""
    ids = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "."], capture_output=True, text=True
    ).stdout.split()
    return [xdotool("getwindowname", wid).strip() for wid in ids]


def wait_for_window(title: str, deadline_s: float = DIALOG_DEADLINE_S) -> str:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        found = windows(title)
        if found:
            return found[-1]
        time.sleep(POLL_S)
    raise TimeoutError(f"no window titled {title!r} within {deadline_s} s; windows shown: {window_titles()}")


def wait_until_closed(window: str, title: str, deadline_s: float = DIALOG_DEADLINE_S) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if window not in windows(title):
            return
        time.sleep(POLL_S)
    raise TimeoutError(f"the {title!r} dialog is still open {deadline_s} s after Return")


def answer_save_dialog(path: pathlib.Path, title: str = DOWNLOAD_TITLE) -> None:
    """Waits for the save dialog titled `title`, types `path` into its name field and accepts it."""
    window = wait_for_window(title)
    # No window manager runs on the test display, so give the dialog the keyboard focus ourselves.
    xdotool("windowfocus", "--sync", window)
    # The name field has the focus with the suggested name in it: replace all of it with the path.
    xdotool("key", "--clearmodifiers", "ctrl+a")
    xdotool("type", "--clearmodifiers", "--delay", "2", str(path))
    xdotool("key", "--clearmodifiers", "Return")
    wait_until_closed(window, title)


def answer_open_dialog(path: pathlib.Path, title: str = REVIEW_OPEN_TITLE) -> None:
    """Waits for the open dialog titled `title`, types `path` into its location field and opens it."""
    window = wait_for_window(title)
    xdotool("windowfocus", "--sync", window)
    xdotool("key", "--clearmodifiers", "ctrl+l")
    # The location field may hold the name of a file the dialog opened on: replace all of it.
    xdotool("key", "--clearmodifiers", "ctrl+a")
    xdotool("type", "--clearmodifiers", "--delay", "2", str(path))
    # GTK loads each folder named in the location field as it is typed and does not act on Return
    # while one is loading: press it again until the dialog closes (or the deadline passes).
    deadline = time.monotonic() + DIALOG_DEADLINE_S
    while True:
        xdotool("key", "--clearmodifiers", "Return")
        try:
            wait_until_closed(window, title, deadline_s=2)
            return
        except TimeoutError:
            if time.monotonic() > deadline:
                raise
