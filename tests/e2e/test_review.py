"""End-to-end journeys of the Review screen: open a large users CSV without signing in, scroll, sort,
filter, see the summary charts, export the view; compare two snapshots; open a download from its job;
try a dynamic membership rule in the rule lab and, signed in to the demo tenant, save it to a dynamic
group.

The files are made by the tests (50,000 users, seeded). The native open and save dialogs are GTK's
file chooser, answered with the keyboard through xdotool (native_dialog.py).
"""

import csv
import datetime
import pathlib
import random
import re

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from native_dialog import (
    DIFF_EXPORT_TITLE,
    REVIEW_EXPORT_TITLE,
    answer_open_dialog,
    answer_save_dialog,
)

TIMEOUT_S = 60
USERS = 50_000
HEADER = [
    "id",
    "displayName",
    "userPrincipalName",
    "userType",
    "accountEnabled",
    "department",
    "country",
    "lastSignInDateTime",
]
DEPARTMENTS = ["Sales", "HR", "IT", "Finance", "Legal", "Marketing", ""]
COUNTRIES = ["NL", "BE", "DE", "US", "GB", ""]
FIRST = ["Adele", "Bram", "Chen", "Daan", "Eva", "Femke", "Gijs", "Hana", "Ivo", "Jade"]
LAST = ["Vance", "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder"]


def wait(driver, timeout_s: float = TIMEOUT_S):
    # The grid is drawn again when the view changes: an element found a moment ago may be gone.
    return WebDriverWait(driver, timeout_s, ignored_exceptions=(StaleElementReferenceException,))


def button(driver, text):
    return wait(driver).until(EC.element_to_be_clickable((By.XPATH, f"//button[normalize-space()='{text}']")))


def settled(driver) -> None:
    """Waits until the page has painted its latest changes (two animation frames), for screenshots."""
    driver.execute_async_script(
        "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));"
    )


def text_of(element) -> str:
    # textContent: WebDriver's visible-text rules drop the text of the virtualised (transformed) rows.
    return element.get_attribute("textContent").strip()


def user(i: int, rng: random.Random, now: datetime.datetime) -> list[str]:
    first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
    guest = i % 9 == 0
    days = rng.choice([1, 3, 12, 45, 120, 200, 400, 800, None])
    signed_in = "" if days is None else (now - datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        f"{i:08x}-0000-4000-8000-{i:012x}",
        f"{first} {last} {i}",
        f"{first.lower()}.{i}@contoso.example" if not guest else f"{first.lower()}_{i}#EXT#@contoso.example",
        "Guest" if guest else "Member",
        "false" if i % 13 == 0 else "true",
        DEPARTMENTS[rng.randrange(len(DEPARTMENTS))],
        COUNTRIES[rng.randrange(len(COUNTRIES))],
        signed_in,
    ]


def write_users(path: pathlib.Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)


def snapshots(folder: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path, list[list[str]]]:
    """An older users file of 50,000 users and a newer one: 300 left, 500 joined, departments changed."""
    rng = random.Random(12)
    now = datetime.datetime.now(datetime.timezone.utc)
    older = [user(i, rng, now) for i in range(USERS)]
    newer = [list(row) for row in older[300:]]
    for i, row in enumerate(newer):
        if i % 97 == 0:
            row[5] = "Support" if row[5] != "Support" else "Sales"
    newer += [user(USERS + i, rng, now) for i in range(500)]
    old_path, new_path = folder / "users-monday.csv", folder / "users-friday.csv"
    write_users(old_path, older)
    write_users(new_path, newer)
    return old_path, new_path, older


def open_review_signed_out(driver) -> None:
    wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=review-link]"))).click()
    wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), "Review"))


def open_by_path(driver, path: pathlib.Path):
    """Types the file's path and confirms it in the file picker that opens on it (the app reads only
    files chosen in a native dialog or dropped on the window)."""
    field = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=reviewPath]")))
    field.send_keys(str(path) + Keys.ENTER)
    answer_open_dialog(path)
    return review_grid(driver, path.name)


def review_grid(driver, name: str):
    grid = wait(driver).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, f"[role=grid][aria-label='Rows of {name}']"))
    )
    wait(driver).until(lambda d: int(grid.get_attribute("aria-rowcount")) > 1)
    return grid


def loaded_rows(grid) -> list[list[str]]:
    """The cells of the rendered rows that have arrived (the checkbox cell first)."""
    rows = []
    for row in grid.find_elements(By.CSS_SELECTOR, ".spacer [role=row]"):
        cells = [text_of(c) for c in row.find_elements(By.CSS_SELECTOR, "[role=gridcell]")]
        if len(cells) > 1:
            rows.append(cells)
    return rows


def compare_button(driver):
    return wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "form button[type=submit].primary")))


def sort_state(driver, column: str) -> str:
    header = driver.find_element(By.XPATH, f"//*[@role='columnheader'][.//button[@title='Sort by {column}']]")
    return header.get_attribute("aria-sort")


def count_text(driver) -> str:
    return text_of(driver.find_element(By.CSS_SELECTOR, "[data-testid=review-count]"))


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def test_a_large_users_file_scrolls_sorts_filters_and_shows_its_figures_without_signing_in(
    launch, screenshot, tmp_path
):
    old_path, _, users = snapshots(tmp_path)
    driver = launch()
    open_review_signed_out(driver)
    grid = open_by_path(driver, old_path)
    assert int(grid.get_attribute("aria-rowcount")) == USERS + 1
    facts = driver.find_element(By.CSS_SELECTOR, "[data-testid=review-facts]").text
    assert "Users" in facts and "50,000" in facts and "UTF-8" in facts and "Comma" in facts
    wait(driver).until(lambda d: loaded_rows(grid))
    first = loaded_rows(grid)[0]
    assert first[1:4] == ["1", users[0][0], users[0][1]]

    viewport = grid.find_element(By.CSS_SELECTOR, ".viewport")
    for row in (25_000, 49_990, 10):
        driver.execute_script("arguments[0].scrollTop = arguments[1];", viewport, row * 36)
        wait(driver).until(lambda d: any(number(cells[1]) in range(row, row + 40) for cells in loaded_rows(grid)))

    driver.find_element(By.CSS_SELECTOR, "button[title='Sort by displayName']").click()
    wait(driver).until(lambda d: sort_state(d, "displayName") == "ascending")
    grid = review_grid(driver, old_path.name)
    wait(driver).until(lambda d: loaded_rows(grid))
    names = [cells[3] for cells in loaded_rows(grid)[:10]]
    expected = sorted((u[1] for u in users), key=lambda n: (n.lower(), n))[:10]
    assert names == expected

    grid.find_element(By.CSS_SELECTOR, "button[aria-label='Filter department']").click()
    dialog = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=column-filter]")))
    for value in ("Sales", "HR"):
        wait(driver).until(
            EC.element_to_be_clickable((By.XPATH, f"//dialog//label[.//span[normalize-space()='{value}']]//input"))
        ).click()
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Apply']").click()
    matching = sum(1 for u in users if u[5] in ("Sales", "HR"))
    wait(driver).until(lambda d: count_text(d) == f"{matching:,} of 50,000 rows")
    grid = review_grid(driver, old_path.name)
    wait(driver).until(lambda d: loaded_rows(grid))
    assert {cells[7] for cells in loaded_rows(grid)} == {"Sales", "HR"}

    search = driver.find_element(By.CSS_SELECTOR, "input[type=search]")
    search.send_keys("adele")
    adeles = sum(1 for u in users if u[5] in ("Sales", "HR") and "adele" in ",".join(u).lower())
    wait(driver).until(lambda d: count_text(d) == f"{adeles:,} of 50,000 rows")
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.BACKSPACE)
    wait(driver).until(lambda d: count_text(d) == f"{matching:,} of 50,000 rows")
    grid = review_grid(driver, old_path.name)
    wait(driver).until(lambda d: loaded_rows(grid))
    boxes = grid.find_elements(By.CSS_SELECTOR, ".spacer [role=row] input[type=checkbox]")
    boxes[0].click()
    ActionChains(driver).key_down(Keys.SHIFT).click(boxes[2]).key_up(Keys.SHIFT).perform()
    assert "3 selected" in driver.find_element(By.CSS_SELECTOR, "main").text
    assert [box.is_selected() for box in boxes[:4]] == [True, True, True, False]
    settled(driver)
    screenshot(driver, "review-grid")
    button(driver, "Copy rows").click()
    wait(driver).until(
        EC.visibility_of_element_located((By.XPATH, "//*[@data-testid='toast'][contains(., '3 rows copied')]")),
        message=f"no toast for the copy; the window shows: {driver.find_element(By.TAG_NAME, 'body').text}",
    )

    exported = tmp_path / "sales-and-hr.csv"
    button(driver, "Export view…").click()
    answer_save_dialog(exported, REVIEW_EXPORT_TITLE)
    wait(driver).until(EC.visibility_of_element_located((By.XPATH, "//*[@data-testid='toast'][contains(., 'rows saved to')]")))
    with exported.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER
    assert len(rows) == matching + 1
    assert [r[1] for r in rows[1:6]] == sorted((u[1] for u in users if u[5] in ("Sales", "HR")), key=lambda n: (n.lower(), n))[:5]

    driver.find_element(By.XPATH, "//label[normalize-space()='Summary']").click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=review-summary]")))
    for chart in ("userType", "accountEnabled", "department", "country", "signInAge"):
        driver.find_element(By.CSS_SELECTOR, f"figure[data-chart={chart}]")
    types = text_of(driver.find_element(By.CSS_SELECTOR, "figure[data-chart=userType]"))
    guests = sum(1 for u in users if u[3] == "Guest")
    assert "Members and guests" in types and f"{guests:,}" in types
    ages = text_of(driver.find_element(By.CSS_SELECTOR, "figure[data-chart=signInAge]"))
    assert "In the last 7 days" in ages and "Never" in ages
    for close in driver.find_elements(By.CSS_SELECTOR, "[data-testid=toast] button"):
        close.click()
    settled(driver)
    screenshot(driver, "review-summary")

    driver.find_element(By.XPATH, "//button[@role='tab'][normalize-space()='Open a file']").click()
    recent = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=review-recent]")))
    assert old_path.name in recent.text

    driver.find_element(By.XPATH, f"//button[@role='tab'][normalize-space()='{old_path.name}']").click()
    driver.set_window_size(900, 600)
    driver.find_element(By.XPATH, "//label[normalize-space()='Rows']").click()
    grid = review_grid(driver, old_path.name)
    assert button(driver, "Export view…").is_displayed()
    assert grid.size["height"] > 100


def test_two_snapshots_compare_with_counts_fields_and_a_paged_list_of_differences(launch, screenshot, tmp_path):
    old_path, new_path, _ = snapshots(tmp_path)
    driver = launch()
    open_review_signed_out(driver)
    open_by_path(driver, old_path)
    driver.find_element(By.XPATH, "//button[@role='tab'][normalize-space()='Compare']").click()
    new_field = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "select[name=new]")))
    new_field.find_element(By.XPATH, "following::button[normalize-space()='Open another file…'][1]").click()
    answer_open_dialog(new_path)
    wait(driver).until(lambda d: new_path.name in d.find_element(By.CSS_SELECTOR, "select[name=new]").text)
    compare_button(driver).click()

    found = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=comparison]")))
    figures = {kind: number(text_of(found.find_element(By.CSS_SELECTOR, f"[data-testid=diff-{kind}]"))) for kind in ("added", "removed", "changed", "unchanged")}
    changed = len(range(0, USERS - 300, 97))
    assert figures == {"added": 500, "removed": 300, "changed": changed, "unchanged": USERS - 300 - changed}
    assert "Matched on id" in found.text
    assert "Changes per field" in found.text
    wait(driver).until(lambda d: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=diff-total]")) == f"{500 + 300 + changed:,} lines")

    found.find_element(By.CSS_SELECTOR, "button.card.removed").click()
    wait(driver).until(lambda d: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=diff-total]")) == "300 lines")
    found.find_element(By.CSS_SELECTOR, "button.card.removed").click()
    found.find_element(By.XPATH, ".//button[normalize-space()='department']").click()
    wait(driver).until(lambda d: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=diff-total]")) == f"{changed:,} lines")
    lines = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=grid][aria-label='Differences']")))
    wait(driver).until(lambda d: any(len(r.find_elements(By.CSS_SELECTOR, "[role=gridcell]")) > 1 for r in lines.find_elements(By.CSS_SELECTOR, ".spacer [role=row]")))
    first = [text_of(c) for c in lines.find_element(By.CSS_SELECTOR, ".spacer [role=row]").find_elements(By.CSS_SELECTOR, "[role=gridcell]")]
    assert first[0] == "Changed" and first[3] == "department"
    settled(driver)
    screenshot(driver, "review-diff")

    target = tmp_path / "differences.csv"
    button(driver, "Export differences…").click()
    answer_save_dialog(target, DIFF_EXPORT_TITLE)
    wait(driver).until(EC.visibility_of_element_located((By.XPATH, "//*[@data-testid='toast'][contains(., 'lines saved to')]")))
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["change", "id", "field", "old", "new"]
    assert len(rows) == 1 + 500 + 300 + changed


def test_comparing_files_of_different_kinds_says_so(launch, tmp_path):
    users = tmp_path / "users.csv"
    write_users(users, [user(i, random.Random(i), datetime.datetime.now(datetime.timezone.utc)) for i in range(20)])
    groups = tmp_path / "groups.csv"
    groups.write_text("id,displayName,groupType,membershipType\ng1,Sales,Security,Assigned\n", encoding="utf-8")
    driver = launch()
    open_review_signed_out(driver)
    open_by_path(driver, users)
    driver.find_element(By.XPATH, "//button[@role='tab'][normalize-space()='Open a file']").click()
    open_by_path(driver, groups)
    driver.find_element(By.XPATH, "//button[@role='tab'][normalize-space()='Compare']").click()
    compare_button(driver).click()
    alert = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
    assert "The files hold different things (users and groups)" in alert.text


def test_a_finished_download_opens_in_review_from_its_job_page(launch, tmp_path):
    driver = launch({"ROSTER_DEMO": "1"})
    wait(driver).until(EC.element_to_be_clickable((By.LINK_TEXT, "Groups"))).click()
    target = tmp_path / "groups.csv"
    button(driver, "Download groups").click()
    button(driver, "Choose file and download…").click()
    answer_save_dialog(target)
    wait(driver).until(lambda d: target.exists())
    driver.find_element(By.LINK_TEXT, "Jobs").click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "tr[data-status='completed'] a"))).click()
    button(driver, "Open in Roster").click()
    grid = review_grid(driver, "groups.csv")
    with target.open(encoding="utf-8-sig", newline="") as f:
        assert int(grid.get_attribute("aria-rowcount")) == sum(1 for _ in csv.reader(f))
    assert text_of(driver.find_element(By.CSS_SELECTOR, "[data-testid=review-kind]")) == "Groups"
    assert driver.find_element(By.CSS_SELECTOR, "nav a[aria-current=page]").text == "Review"


def test_the_rule_lab_checks_a_rule_as_typed_and_counts_who_joins_leaves_and_stays(launch, screenshot, tmp_path):
    rng, now = random.Random(7), datetime.datetime.now(datetime.timezone.utc)
    users = [user(i, rng, now) for i in range(2_000)]
    users_path = tmp_path / "users.csv"
    write_users(users_path, users)
    current = {u[0] for u in users[:300]} | {"00000000-dead-4000-8000-000000000000"}
    members_path = tmp_path / "sales-team-members.csv"
    with members_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["groupId", "groupName", "id", "displayName"])
        writer.writerows([["g1", "Sales team", member, ""] for member in sorted(current)])
    matched = {u[0] for u in users if u[5] == "Sales" and u[4] == "true"}

    driver = launch()
    open_review_signed_out(driver)
    open_by_path(driver, users_path)
    driver.find_element(By.XPATH, "//button[@role='tab'][normalize-space()='Open a file']").click()
    open_by_path(driver, members_path)
    driver.find_element(By.XPATH, "//button[@role='tab'][normalize-space()='Rule lab']").click()
    Select(wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "select[name=rule-members]")))).select_by_index(1)

    editor = driver.find_element(By.CSS_SELECTOR, "#rule-text")
    editor.send_keys('user.department -eq Sales')
    status = driver.find_element(By.CSS_SELECTOR, "[data-testid=rule-status]")
    wait(driver).until(lambda d: "At character 21:" in status.text)
    assert "double quotes" in status.text
    assert driver.find_element(By.CSS_SELECTOR, ".overlay .problem").get_attribute("textContent") == "S"

    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys('user.department -eq "Sales" -and user.accountEnabled -eq true')
    wait(driver).until(lambda d: "The rule is valid" in status.text)
    figure = lambda name: number(text_of(driver.find_element(By.CSS_SELECTOR, f"[data-testid=rule-{name}]")))
    wait(driver).until(lambda d: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=rule-matched]")) == f"{len(matched):,}")
    assert figure("evaluated") == 2_000
    assert (figure("join"), figure("leave"), figure("stay")) == (
        len(matched - current),
        len(current - matched),
        len(matched & current),
    )
    assert driver.find_element(By.CSS_SELECTOR, ".overlay .property").get_attribute("textContent") == "user.department"
    people = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=grid][aria-label='People']")))
    wait(driver).until(lambda d: int(people.get_attribute("aria-rowcount")) == len(matched | current) + 1)
    driver.find_element(By.CSS_SELECTOR, "button.card.leave").click()
    wait(driver).until(
        lambda d: int(d.find_element(By.CSS_SELECTOR, "[role=grid][aria-label='People']").get_attribute("aria-rowcount"))
        == len(current - matched) + 1
    )
    driver.find_element(By.CSS_SELECTOR, "button.card.leave").click()
    settled(driver)
    screenshot(driver, "review-rule-lab")

    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys('user.employeeId -eq "42"')
    missing = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=rule-missing]")))
    assert "lacks columns this rule reads: employeeId" in missing.text
    assert "Sign in to download users with these columns" in missing.text


def test_a_rule_from_the_rule_lab_is_saved_to_a_dynamic_group_of_the_demo_tenant(launch, screenshot, tmp_path):
    driver = launch({"ROSTER_DEMO": "1"})
    wait(driver).until(EC.element_to_be_clickable((By.LINK_TEXT, "Users")))
    target = tmp_path / "demo-users.csv"
    button(driver, "Download users").click()
    button(driver, "Choose file and download…").click()
    answer_save_dialog(target)
    wait(driver).until(lambda d: target.exists())
    with target.open(encoding="utf-8-sig", newline="") as f:
        departments = [row["department"] for row in csv.DictReader(f)]
    marketing = sum(1 for d in departments if d.lower() == "marketing")
    sales = sum(1 for d in departments if d.lower() == "sales")
    assert marketing and sales

    driver.find_element(By.LINK_TEXT, "Review").click()
    wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), "Review"))
    open_by_path(driver, target)
    driver.find_element(By.XPATH, "//button[@role='tab'][normalize-space()='Rule lab']").click()
    editor = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#rule-text")))
    editor.send_keys('user.department -eq "Marketing"')
    wait(driver).until(lambda d: text_of(d.find_element(By.CSS_SELECTOR, "[data-testid=rule-matched]")) == f"{marketing:,}")
    button(driver, "Use this rule for a dynamic group…").click()
    dialog = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=rule-to-group]")))
    dialog.find_element(By.CSS_SELECTOR, "input[name=rule-target-group]").send_keys("Sales (dynamic)")
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Preview']").click()
    proposal = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=rule-proposal]")))
    assert 'Its rule now: user.department -eq "Sales"' in proposal.text
    assert f"Would join: {marketing:,}" in proposal.text
    assert f"Would leave: {sales:,}" in proposal.text
    assert "Would stay: 0" in proposal.text
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Save rule']").click()
    confirm = dialog.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert "Entra will then add and remove members" in confirm.text
    assert "emails its new members" in confirm.text
    settled(driver)
    screenshot(driver, "review-rule-to-group")
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Yes, save the rule']").click()
    wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "The rule is saved to Sales (dynamic)."))
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "[data-testid=rule-to-group]")))

    button(driver, "Use this rule for a dynamic group…").click()
    dialog = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=rule-to-group]")))
    dialog.find_element(By.CSS_SELECTOR, "input[name=rule-target-group]").send_keys("Sales (dynamic)")
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Preview']").click()
    proposal = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=rule-proposal]")))
    assert f"Would stay: {marketing:,}" in proposal.text and "Would join: 0" in proposal.text
    dialog.find_element(By.CSS_SELECTOR, "input[name=rule-target-group]").send_keys(Keys.CONTROL, "a")
    dialog.find_element(By.CSS_SELECTOR, "input[name=rule-target-group]").send_keys("Empty Group")
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Preview']").click()
    alert = wait(driver).until(lambda d: dialog.find_element(By.CSS_SELECTOR, "[role=alert]"))
    wait(driver).until(lambda d: "choose a dynamic group" in alert.text)
