"""Fixtures for the desktop app's end-to-end tests.

Each test gets its own app process: a `tauri-driver` on free ports (it starts WebKitWebDriver, which
starts the app) and a Selenium session. Both are stopped by PID when the test ends.
Run through scripts/e2e, which provides the Xvfb display and the D-Bus session.
"""

import os
import pathlib
import socket
import subprocess
import time

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.options import ArgOptions

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
DRIVER_START_DEADLINE_S = 30


class TauriOptions(ArgOptions):
    """Capabilities that make tauri-driver launch our binary."""

    def __init__(self, application: str) -> None:
        super().__init__()
        self.application = application

    def to_capabilities(self) -> dict:
        return {"browserName": "wry", "tauri:options": {"application": self.application}}

    @property
    def default_capabilities(self) -> dict:
        return {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    """Waits until something listens on `port`, failing fast if the process died."""
    deadline = time.monotonic() + DRIVER_START_DEADLINE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tauri-driver exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"tauri-driver did not listen on port {port} within {DRIVER_START_DEADLINE_S} s")


@pytest.fixture
def launch(tmp_path_factory):
    """Starts the app with extra environment variables; returns the Selenium driver.

    Unless the test names one, the app gets its own empty ROSTER_DATA_DIR (job history, settings), so
    tests never touch the real data folder or each other's jobs."""
    started: list[tuple[subprocess.Popen, webdriver.Remote | None]] = []

    def start(env: dict[str, str] | None = None) -> webdriver.Remote:
        application = os.environ["ROSTER_APP"]
        port, native_port = free_port(), free_port()
        process_env = {**os.environ, "LANG": "en_US.UTF-8", "LANGUAGE": "en", **(env or {})}
        process_env.setdefault("ROSTER_DATA_DIR", str(tmp_path_factory.mktemp("roster-data")))
        driver_process = subprocess.Popen(
            ["tauri-driver", "--port", str(port), "--native-port", str(native_port)],
            env=process_env,
            stdout=subprocess.DEVNULL,
        )
        started.append((driver_process, None))
        # tauri-driver listens at once but starts WebKitWebDriver (on the native port) in the background;
        # a session request before that one listens is dropped, so wait for both.
        wait_for_port(port, driver_process)
        wait_for_port(native_port, driver_process)
        driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=TauriOptions(application))
        started[-1] = (driver_process, driver)
        driver.set_window_size(1280, 800)
        return driver

    yield start

    for driver_process, driver in started:
        if driver is not None:
            try:
                driver.quit()
            except WebDriverException:
                pass  # the test already ended this session (e.g. to restart the app)
        driver_process.terminate()
        try:
            driver_process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            driver_process.kill()
            driver_process.wait()


@pytest.fixture
def screenshot():
    """Saves the webview as docs/screenshots/<name>.png (README shows them)."""

    def save(driver: webdriver.Remote, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        assert driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))

    return save
