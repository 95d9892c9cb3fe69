"""End-to-end journeys of downloads and the job history through the real app (demo tenant).

The native save dialog is GTK's file chooser, a window WebDriver cannot see: each test answers it with
the keyboard through xdotool on the private display (native_dialog.py), as a person would.
Notifications are observed with `dbus-monitor` on the test's private D-Bus session (scripts/e2e).
"""

import csv
import json
import os
import pathlib
import re
import subprocess
import threading

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from columns import choose_columns, chosen_columns, picker
from native_dialog import RESULTS_TITLE, answer_save_dialog

TIMEOUT_S = 30


def wait(driver):
    return WebDriverWait(driver, TIMEOUT_S)


def button(driver, text):
    return wait(driver).until(
        EC.element_to_be_clickable((By.XPATH, f"//button[normalize-space()='{text}']"))
    )


def grid(driver, name):
    found = wait(driver).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, f"[role=grid][aria-label='{name}']"))
    )
    wait(driver).until(lambda d: int(found.get_attribute("aria-rowcount")) > 1)
    return found


def cell_texts(row):
    return [c.get_attribute("textContent").strip() for c in row.find_elements(By.CSS_SELECTOR, "[role=gridcell]")]


def settled(driver) -> None:
    """Waits until the page has painted its latest changes (two animation frames), for screenshots."""
    driver.execute_async_script(
        "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));"
    )


def read_csv(path: pathlib.Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def wait_for_file(driver, path: pathlib.Path) -> None:
    WebDriverWait(None, TIMEOUT_S).until(
        lambda _: path.exists(),
        message=f"{path} was not written; the window shows: {driver.find_element(By.TAG_NAME, 'body').text}",
    )


@pytest.fixture
def notifications():
    """Records the D-Bus traffic of org.freedesktop.Notifications on the test's session bus."""
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        pytest.skip("no D-Bus session: run through scripts/e2e")
    monitor = subprocess.Popen(
        ["dbus-monitor", "--session", "interface='org.freedesktop.Notifications'"],
        stdout=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(iter(monitor.stdout.readline, "")), daemon=True)
    reader.start()

    def seen(text: str) -> bool:
        return any(text in line for line in list(log))

    # dbus-monitor has subscribed once it printed its own NameAcquired signal.
    WebDriverWait(None, 10).until(lambda _: seen("NameAcquired"))
    yield seen
    monitor.terminate()
    monitor.wait(timeout=10)
    reader.join(timeout=10)


def sign_in_demo_on(driver, screen: str) -> None:
    grid(driver, "Users")
    if screen != "Users":
        driver.find_element(By.LINK_TEXT, screen).click()
        grid(driver, screen)


def open_jobs(driver):
    driver.find_element(By.LINK_TEXT, "Jobs").click()
    try:
        wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), "Jobs"))
    except TimeoutException as e:
        shown = driver.find_element(By.TAG_NAME, "body").text
        raise TimeoutException(f"the Jobs screen did not open; the window shows: {shown}") from e


def job_row_status(driver, status: str, timeout_s: float = TIMEOUT_S):
    try:
        return WebDriverWait(driver, timeout_s).until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, f"tr[data-status='{status}']"))
        )
    except TimeoutException as e:
        shown = driver.find_element(By.TAG_NAME, "main").text
        raise TimeoutException(f"no {status} job; the Jobs screen shows: {shown}") from e


def test_download_users_with_a_filter_writes_the_matching_users_and_notifies(
    launch, screenshot, tmp_path, notifications
):
    driver = launch({"ROSTER_DEMO": "1"})
    users = grid(driver, "Users")
    # The first cell is the row's checkbox.
    first_name = cell_texts(users.find_element(By.CSS_SELECTOR, ".spacer [role=row]"))[1]
    prefix = first_name.split()[0][:2]
    total = int(users.get_attribute("aria-rowcount"))
    driver.find_element(By.CSS_SELECTOR, "input[type=search]").send_keys(prefix + Keys.ENTER)
    wait(driver).until(lambda d: int(users.get_attribute("aria-rowcount")) < total)
    shown = int(users.get_attribute("aria-rowcount")) - 1

    target = tmp_path / "users.csv"
    button(driver, "Download users").click()
    selection = wait(driver).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=download-selection]"))
    )
    assert f"name or address starts with “{prefix}”" in selection.text
    settled(driver)
    screenshot(driver, "download-dialog")
    button(driver, "Choose file and download…").click()
    answer_save_dialog(target)

    wait_for_file(driver, target)
    rows = read_csv(target)
    assert len(rows) == shown
    for row in rows:
        # The list's search is Graph's $search: a word of the name, UPN or mail starts with it.
        words = re.split(r"[\s@._-]+", " ".join([row["displayName"], row["userPrincipalName"], row.get("mail") or ""]).lower())
        assert any(word.startswith(prefix.lower()) for word in words), row
    assert not target.with_name("users.csv.part").exists()

    toast = wait(driver).until(
        EC.visibility_of_element_located((By.XPATH, "//*[@data-testid='toast'][contains(., 'File is ready: users.csv')]"))
    )
    assert "Show in folder" in toast.text
    WebDriverWait(None, TIMEOUT_S).until(lambda _: notifications("File is ready: users.csv"))
    assert notifications("member=Notify")

    open_jobs(driver)
    row = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "tr[data-job-id]")))
    assert "Download users" in row.text
    job_row_status(driver, "completed")
    settled(driver)
    screenshot(driver, "jobs-list")
    row.find_element(By.TAG_NAME, "a").click()
    status = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=job-status]")))
    assert status.text.startswith("Completed")
    assert str(target) in driver.find_element(By.CSS_SELECTOR, "main").text
    settled(driver)
    screenshot(driver, "job-page")

    copy = tmp_path / "users-copy.csv"
    button(driver, "Save results…").click()
    answer_save_dialog(copy, RESULTS_TITLE)
    wait(driver).until(
        EC.visibility_of_element_located((By.XPATH, f"//*[@data-testid='toast'][contains(., 'Saved to {copy}')]"))
    )
    assert copy.read_bytes() == target.read_bytes()


def test_download_members_of_the_groups_shown_into_one_file(launch, tmp_path):
    driver = launch({"ROSTER_DEMO": "1"})
    sign_in_demo_on(driver, "Groups")
    groups = grid(driver, "Groups")
    first = cell_texts(groups.find_element(By.CSS_SELECTOR, ".spacer [role=row]"))[1]
    total = int(groups.get_attribute("aria-rowcount"))
    driver.find_element(By.CSS_SELECTOR, "input[type=search]").send_keys(first[:1] + Keys.ENTER)
    wait(driver).until(lambda d: int(groups.get_attribute("aria-rowcount")) < total)
    shown = int(groups.get_attribute("aria-rowcount")) - 1
    assert shown >= 2, f"only {shown} group(s) start with {first[:1]!r}"

    target = tmp_path / "members.csv"
    button(driver, f"Download members of the {shown} groups shown").click()
    selection = wait(driver).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=download-selection]"))
    )
    assert f"Members of {shown} groups" in selection.text
    button(driver, "Choose file and download…").click()
    answer_save_dialog(target)
    wait_for_file(driver, target)
    rows = read_csv(target)
    assert rows, "the groups have members"
    assert {"groupId", "groupName", "id"} <= set(rows[0])
    assert len({r["groupId"] for r in rows}) >= 2
    assert all(r["groupName"].lower().startswith(first[:1].lower()) for r in rows)


def test_restarting_the_app_finds_the_history(launch, tmp_path, screenshot):
    data_dir = tmp_path / "data"
    target = tmp_path / "groups.csv"
    driver = launch({"ROSTER_DEMO": "1", "ROSTER_DATA_DIR": str(data_dir)})
    sign_in_demo_on(driver, "Groups")
    button(driver, "Download groups").click()
    button(driver, "Choose file and download…").click()
    answer_save_dialog(target)
    wait_for_file(driver, target)
    open_jobs(driver)
    job_row_status(driver, "completed")
    driver.quit()

    again = launch({"ROSTER_DEMO": "1", "ROSTER_DATA_DIR": str(data_dir)})
    grid(again, "Users")
    open_jobs(again)
    row = job_row_status(again, "completed")
    assert "Download all groups" in row.text
    assert (data_dir / "demo" / "jobs.sqlite").exists()

    again.find_element(By.LINK_TEXT, "Settings").click()
    wait(again).until(EC.visibility_of_element_located((By.XPATH, "//h2[normalize-space()='Downloads']")))
    wait(again).until(EC.visibility_of_element_located((By.XPATH, "//button[normalize-space()='Save']")))
    settled(again)
    screenshot(again, "settings-downloads")


def test_cancel_then_resume_a_download_completes_the_file(launch, tmp_path):
    users = 300_000
    # A large, slowed-down demo tenant (0.1 ms per user served), so the download runs long enough to
    # be cancelled from the Jobs screen.
    driver = launch({"ROSTER_DEMO": "1", "ROSTER_DEMO_USERS": str(users), "ROSTER_DEMO_ITEM_LATENCY_US": "100"})
    WebDriverWait(driver, 90).until(
        lambda d: int(d.find_element(By.CSS_SELECTOR, "[role=grid][aria-label='Users']").get_attribute("aria-rowcount")) > 1
    )
    # The default user columns come from the settings: leave out the authentication-method columns,
    # which the demo token may not read.
    driver.find_element(By.LINK_TEXT, "Settings").click()
    defaults = picker(driver, "//*[@role='group'][@aria-label='Default user columns']")
    choose_columns(driver, defaults, ["sign-in name", "displayName", "department"])
    assert chosen_columns(defaults) == ["userPrincipalName", "displayName", "department"]
    button(driver, "Save").click()
    wait(driver).until(
        EC.visibility_of_element_located((By.XPATH, "//*[@data-testid='toast'][contains(., 'Settings saved.')]"))
    )
    driver.find_element(By.LINK_TEXT, "Users").click()
    target = tmp_path / "all-users.csv"
    button(driver, "Download users").click()
    button(driver, "Choose file and download…").click()
    answer_save_dialog(target)
    open_jobs(driver)
    running = job_row_status(driver, "running")
    running.find_element(By.XPATH, ".//button[normalize-space()='Cancel']").click()
    stopped = job_row_status(driver, "cancelled")
    assert not target.exists()
    stopped.find_element(By.XPATH, ".//button[normalize-space()='Resume']").click()
    job_row_status(driver, "completed", timeout_s=300)
    rows = read_csv(target)
    assert len(rows) == users
    assert len({r["userPrincipalName"] for r in rows}) == users
    assert list(rows[0]) == ["userPrincipalName", "displayName", "department"]


@pytest.fixture
def notification_server(tmp_path):
    """A real notification server (dunst) on the test's D-Bus session with nothing on screen. An earlier
    test's notification may have started one already (D-Bus activation); otherwise one is started here
    and stopped by PID at the end."""
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        pytest.skip("no D-Bus session: run through scripts/e2e")

    def running() -> bool:
        return subprocess.run(["dunstctl", "is-paused"], capture_output=True).returncode == 0

    server = None
    if not running():
        config = tmp_path / "dunstrc"
        config.write_text("[global]\n")
        server = subprocess.Popen(["dunst", "-config", str(config)], stderr=subprocess.DEVNULL)
        WebDriverWait(None, 10).until(lambda _: running())
    subprocess.run(["dunstctl", "close-all"], check=True)
    yield
    if server is not None:
        server.terminate()
        server.wait(timeout=10)


def test_clicking_the_notification_opens_the_file(launch, tmp_path, notification_server):
    # The desktop's "open" command, replaced by one that records what it was asked to open.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "opened.txt"
    fake = bin_dir / "xdg-open"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{opened}"\n')
    fake.chmod(0o755)
    driver = launch({"ROSTER_DEMO": "1", "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    sign_in_demo_on(driver, "Groups")
    target = tmp_path / "groups.csv"
    button(driver, "Download groups").click()
    button(driver, "Choose file and download…").click()
    answer_save_dialog(target)
    wait_for_file(driver, target)

    def shown() -> bool:
        count = subprocess.run(["dunstctl", "count", "displayed"], capture_output=True, text=True).stdout
        return count.strip() not in ("", "0")

    WebDriverWait(None, TIMEOUT_S).until(lambda _: shown())
    subprocess.run(["dunstctl", "action", "0"], check=True)
    try:
        WebDriverWait(None, TIMEOUT_S).until(lambda _: opened.exists() and str(target) in opened.read_text())
    except TimeoutException as e:
        history = json.loads(subprocess.run(["dunstctl", "history"], capture_output=True, text=True).stdout)
        shown = [(n["id"]["data"], n["appname"]["data"], n["body"]["data"]) for n in history["data"][0]]
        raise TimeoutException(f"nothing opened; dunst showed {shown}") from e
