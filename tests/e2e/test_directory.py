"""End-to-end journeys through the Users and Groups screens, a group's page and a member import preview."""

import csv
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from native_dialog import MEMBER_OPEN_TITLE, answer_open_dialog
from pickers import tick

TIMEOUT_S = 30


def wait(driver):
    return WebDriverWait(driver, TIMEOUT_S)


def grid(driver, name):
    found = wait(driver).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, f"[role=grid][aria-label='{name}']"))
    )
    wait(driver).until(lambda d: int(found.get_attribute("aria-rowcount")) > 1)
    return found


def rows(grid_element):
    return grid_element.find_elements(By.CSS_SELECTOR, ".spacer [role=row]")


def cells(row):
    # textContent: WebDriver's visible-text rules drop the text of the virtualised (transformed) rows.
    return [c.get_attribute("textContent").strip() for c in row.find_elements(By.CSS_SELECTOR, "[role=gridcell]")]


def count_of(driver):
    """The number at the start of the list's status ("2,000 users · 999 of 2,000 loaded")."""
    status = driver.find_element(By.CSS_SELECTOR, "[data-testid=list-count]")
    match = re.match(r"(\d[\d,]*)", status.get_attribute("textContent").strip())
    return int(match.group(1).replace(",", "")) if match else None


def open_groups(driver):
    wait(driver).until(EC.element_to_be_clickable((By.LINK_TEXT, "Groups"))).click()


def open_group(driver, name):
    open_groups(driver)
    grid(driver, "Groups")
    search = driver.find_element(By.CSS_SELECTOR, "input[type=search]")
    search.send_keys(name + Keys.ENTER)
    link = wait(driver).until(EC.element_to_be_clickable((By.LINK_TEXT, name)))
    link.click()
    wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), name))


def test_user_filters_change_the_count_and_select_all_matching(launch, screenshot):
    driver = launch({"ROSTER_DEMO": "1"})
    users = grid(driver, "Users")
    wait(driver).until(lambda d: count_of(d) is not None and count_of(d) > 1000)
    everyone = count_of(driver)
    assert int(users.get_attribute("aria-rowcount")) == everyone + 1

    tick(driver, "userType", "Guest")
    wait(driver).until(lambda d: count_of(d) is not None and count_of(d) < everyone)
    guests = count_of(driver)
    assert guests > 0
    wait(driver).until(lambda d: int(users.get_attribute("aria-rowcount")) == guests + 1)
    assert all(cells(row)[3] == "Guest" for row in rows(users)), [cells(r) for r in rows(users)]

    Select(driver.find_element(By.CSS_SELECTOR, "select[name=accountEnabled]")).select_by_value("true")
    wait(driver).until(lambda d: count_of(d) is not None and count_of(d) <= guests)
    assert all(cells(row)[6] == "Yes" for row in rows(users))

    # Select all matching: the filter stands for the selection.
    matching = count_of(driver)
    driver.find_element(By.XPATH, f"//button[normalize-space()='Select all {matching:,} matching']").click()
    assert driver.find_element(By.XPATH, f"//*[normalize-space()='All {matching:,} matching are selected']")
    screenshot(driver, "users-filtered")


def test_user_list_reads_further_pages_while_scrolling(launch):
    driver = launch({"ROSTER_DEMO": "1"})
    users = grid(driver, "Users")
    wait(driver).until(lambda d: count_of(d) is not None and count_of(d) > 1000)
    total = count_of(driver)
    status = driver.find_element(By.CSS_SELECTOR, "[data-testid=list-count]")
    assert f"999 of {total:,} loaded" in status.get_attribute("textContent")
    users.click()
    users.send_keys(Keys.END)
    wait(driver).until(lambda d: "loaded" not in status.get_attribute("textContent") or
                       f"1,998 of {total:,}" in status.get_attribute("textContent"))
    for _ in range(5):
        if "loaded" not in status.get_attribute("textContent"):
            break
        users.send_keys(Keys.END)
        wait(driver).until(lambda d: not d.find_elements(By.XPATH, "//*[normalize-space()='Loading more…']"))
    assert status.get_attribute("textContent").strip() == f"{total:,} users"


def test_group_page_shows_details_and_transitive_members_with_their_path(launch, screenshot):
    driver = launch({"ROSTER_DEMO": "1"})
    open_group(driver, "Nested Level 1")
    members = grid(driver, "Members")
    direct_count = int(driver.find_element(By.CSS_SELECTOR, "[data-testid=members-count]").text)
    wait(driver).until(lambda d: count_of(d) == direct_count)
    assert driver.find_element(By.XPATH, "//dt[normalize-space()='Type']/following-sibling::dd").text

    driver.find_element(By.CSS_SELECTOR, "input[name=scope][value=transitive]").click()
    wait(driver).until(lambda d: count_of(d) is not None and count_of(d) > direct_count)
    headers = [h.get_attribute("textContent").strip() for h in members.find_elements(By.CSS_SELECTOR, "[role=columnheader]")]
    assert "Member through" in headers
    wait(driver).until(lambda d: any(cells(r)[-1].startswith("Nested Level 2") for r in rows(members)))
    screenshot(driver, "group-page")


def test_groups_filters_narrow_by_kind(launch, screenshot):
    driver = launch({"ROSTER_DEMO": "1"})
    open_groups(driver)
    groups = grid(driver, "Groups")
    wait(driver).until(lambda d: count_of(d) is not None)
    everyone = count_of(driver)
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=membership]")).select_by_value("dynamic")
    wait(driver).until(lambda d: count_of(d) is not None and count_of(d) < everyone)
    assert all(cells(row)[3] == "Dynamic" for row in rows(groups))
    screenshot(driver, "groups-filtered")


def test_a_refused_group_says_why_before_any_file_is_picked(launch):
    driver = launch({"ROSTER_DEMO": "1"})
    open_group(driver, "Owner Dynamic Sales")
    note = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#group-refusal")))
    assert "dynamic membership" in note.text
    driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Bulk operations')]").click()
    assert not driver.find_element(By.XPATH, "//button[normalize-space()='Import members']").is_enabled()


def test_import_file_with_good_and_bad_rows_shows_the_preview(launch, screenshot, tmp_path):
    driver = launch({"ROSTER_DEMO": "1"})
    users = grid(driver, "Users")
    upns = [cells(row)[2] for row in rows(users)[:6] if cells(row)[3] == "Member"][:2]
    assert len(upns) == 2, upns
    domain = upns[0].split("@")[1]
    members = tmp_path / "members.csv"
    members.write_text(f"{upns[0]}\n{upns[1]}\nnobody-here@{domain}\nnot an id\n\n{upns[0]}\n")

    open_group(driver, "Empty Group")
    driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Bulk operations')]").click()
    driver.find_element(By.XPATH, "//button[normalize-space()='Import members']").click()
    path = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=file]")))
    # The path is typed as text: Selenium would otherwise upload a local file it recognises.
    driver.file_detector = UselessFileDetector()
    path.send_keys(str(members))
    driver.find_element(By.XPATH, "//button[normalize-space()='Preview']").click()
    # The typed path opens the file picker on that file; the preview reads the file confirmed there.
    answer_open_dialog(members, MEMBER_OPEN_TITLE)
    counts = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=preview-counts]")))

    def count(state):
        found = counts.find_elements(By.CSS_SELECTOR, f"[data-state={state}] strong")
        return int(found[0].text) if found else 0

    assert count("will-add") == 2
    assert count("not-found") == 1
    assert count("invalid") == 1
    assert count("duplicate") == 1
    preview_rows = grid(driver, "Rows of the file")
    assert int(preview_rows.get_attribute("aria-rowcount")) == 5 + 1
    screenshot(driver, "import-preview")

    # Confirm: the job applies the preview and its page opens; its results file has a row per input row.
    driver.find_element(By.XPATH, "//button[normalize-space()='Add 2 members']").click()
    status = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=job-status]")))
    wait(driver).until(lambda d: status.text.startswith("Completed"))
    assert "error" in status.text.lower(), status.text
    screenshot(driver, "import-job")
    results = tmp_path / "members.add-results.csv"
    deadline = time.monotonic() + TIMEOUT_S
    while not results.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert results.exists(), sorted(p.name for p in tmp_path.iterdir())
    with results.open(newline="", encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    assert len(table) == 1 + 5, table
    inputs = [row for row in table[1:]]
    assert any("nobody-here@" + domain in cell for row in inputs for cell in row)
