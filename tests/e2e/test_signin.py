"""Signing in to a tenant with a device code: the real app started with --authority/--graph-url pointing at
an emulator process, the code read from the screen and entered on the emulator's verification page (as a
person would on another device), then the Users screen of that tenant.

The emulator binary is ROSTER_EMULATOR, or roster-emulator beside ROSTER_APP. The app keeps its account
list in a temporary data dir and the refresh token in the kernel keyring of the run (`keyctl session -`).
"""

import os
import pathlib
import subprocess
import tempfile
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT_S = 30
EMULATOR_START_S = 30


def wait(driver):
    return WebDriverWait(driver, TIMEOUT_S)


def button(driver, text):
    return wait(driver).until(EC.element_to_be_clickable((By.XPATH, f"//button[normalize-space()='{text}']")))


@pytest.fixture
def emulator():
    """An emulator process with a small tenant; yields (base URL, domain); stopped by PID at the end."""
    binary = os.environ.get("ROSTER_EMULATOR") or str(pathlib.Path(os.environ["ROSTER_APP"]).with_name("roster-emulator"))
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--users", "60", "--groups", "20", "--device-code-interval", "1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = {}
        while len(lines) < 3:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"roster-emulator exited with {process.wait(EMULATOR_START_S)}")
            key, _, value = line.strip().partition(" ")
            lines[key.rstrip(":")] = value.removeprefix("on ").strip()
        yield lines["listening"], lines["domain"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def approve(verification_uri: str, user_code: str, upn: str) -> None:
    """Enters the code on the emulator's verification page and picks `upn`, like a person on another device."""
    form = urllib.parse.urlencode({"user_code": user_code, "login": upn, "action": "approve"}).encode()
    with urllib.request.urlopen(urllib.request.Request(verification_uri, data=form), timeout=TIMEOUT_S) as page:
        assert page.status == 200


def test_device_code_sign_in_reaches_the_users_screen(launch, emulator, screenshot):
    base, domain = emulator
    with tempfile.TemporaryDirectory() as data_dir:
        driver = launch({"ROSTER_AUTHORITY": base, "ROSTER_GRAPH_URL": base, "ROSTER_DATA_DIR": data_dir})
        notice = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=custom-authority]")))
        assert base in notice.text
        button(driver, "Sign in with a device code").click()

        code = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=device-code]"))).text
        url = driver.find_element(By.CSS_SELECTOR, "[data-testid=device-url]").text
        assert len(code) == 9 and code.isalnum(), code
        assert url.startswith(base) and url.endswith("/oauth2/deviceauth"), url
        for text in ["Copy code", "Open the page", "Cancel"]:
            assert button(driver, text).is_enabled()
        screenshot(driver, "sign-in-device-code")

        approve(url, code, f"admin@{domain}")

        grid = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=grid][aria-label='Users']")))
        wait(driver).until(lambda d: int(grid.get_attribute("aria-rowcount")) > 1)
        assert int(grid.get_attribute("aria-rowcount")) == 61  # 60 users and the header row
        nav = driver.find_element(By.CSS_SELECTOR, "nav")
        assert f"Signed in as admin@{domain}" in nav.text
        assert "Demo tenant" not in nav.text

        accounts = (pathlib.Path(data_dir) / "accounts.json").read_text()
        assert f"admin@{domain}" in accounts
        assert "refresh" not in accounts.lower() and "eyJ" not in accounts
