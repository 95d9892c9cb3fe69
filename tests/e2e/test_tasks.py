"""The common tasks walked as an admin does them, in English and in Dutch, at 1280x800 and at 900x600,
with a screenshot of every step (docs/screenshots/task-<task>-<lang>-<size>-<n>-<step>.png).

- Keyboard only: "find the Sales guests and download them with manager and last sign-in", counted
  keystroke by keystroke (a chord such as Ctrl+D is one) against a budget of 30, the native save
  dialog included (Return accepts the suggested name in the downloads folder).
- Import (mouse): the member file template saved and filled in with a guest, a typo in a domain and
  a value with spaces around it; the preview marks the guest, shows the whole typo on hover and in the
  row's details, and marks the spaces.
- Mouse: two departments at once (OR within a picker, AND with the user type), saved as a view,
  the filter emptied, and the view chosen again, which gives back exactly those users.
"""

import csv
import pathlib
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import Select

from native_dialog import (
    DOWNLOAD_TITLE,
    MEMBER_OPEN_TITLE,
    answer_open_dialog,
    answer_save_dialog,
    wait_for_window,
    wait_until_closed,
    xdotool,
)
from pickers import clear, picked, picker_button, tick
from test_dutch import catalogue
from test_jobs import grid, notifications, settled, wait, wait_for_file  # noqa: F401 (a fixture)

KEYSTROKE_BUDGET = 30
EN = catalogue("en.ts")
NL = catalogue("nl.ts")
LANGUAGES = [
    pytest.param(language, size, id=f"{language}-{size[0]}x{size[1]}")
    for language in ("en", "nl")
    for size in ((1280, 800), (900, 600))
]


def count_of(driver) -> int | None:
    """The number at the start of the list's status, in either language ("2,000 users", "2.000 gebruikers")."""
    status = driver.find_element(By.CSS_SELECTOR, "[data-testid=list-count]").get_attribute("textContent").strip()
    match = re.match(r"(\d[\d.,\u00a0\u202f]*)", status)
    return int(re.sub(r"\D", "", match.group(1))) if match else None


class Keyboard:
    """Presses keys on whatever has the focus, and counts them."""

    def __init__(self, driver) -> None:
        self.driver = driver
        self.count = 0

    def press(self, *keys: str) -> None:
        """One keystroke: a key, or modifiers held with a key (released at the end)."""
        self.driver.switch_to.active_element.send_keys(*keys)
        self.count += 1

    def type(self, text: str) -> None:
        for key in text:
            self.press(key)

    def focused_name(self) -> str:
        return self.driver.switch_to.active_element.get_attribute("name") or ""


def start(launch, tmp_path: pathlib.Path, language: str, size: tuple[int, int]):
    """The demo tenant's app with its downloads folder in `tmp_path`, in `language`, at `size`."""
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    config = tmp_path / "xdg-config"
    config.mkdir()
    (config / "user-dirs.dirs").write_text(f'XDG_DOWNLOAD_DIR="{downloads}"\n', encoding="utf-8")
    driver = launch({"ROSTER_DEMO": "1", "XDG_CONFIG_HOME": str(config)})
    driver.set_window_size(*size)
    words = EN
    if language == "nl":
        wait(driver).until(EC.element_to_be_clickable((By.XPATH, f"//nav//a[normalize-space()='{EN['nav.settings']}']"))).click()
        field = wait(driver).until(EC.element_to_be_clickable((By.XPATH, f"//label[span='{EN['settings.language']}']/select")))
        Select(field).select_by_value("nl")
        wait(driver).until(lambda d: d.execute_script("return document.documentElement.lang") == "nl")
        words = NL
        wait(driver).until(EC.element_to_be_clickable((By.XPATH, f"//nav//a[normalize-space()='{NL['nav.users']}']"))).click()
    grid(driver, words["users.title"])
    wait(driver).until(lambda d: (count_of(d) or 0) > 1000)
    return driver, downloads, words


class Steps:
    """Numbered screenshots of one walk."""

    def __init__(self, driver, screenshot, task: str, language: str) -> None:
        width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
        self.driver, self.screenshot, self.n = driver, screenshot, 0
        self.prefix = f"task-{task}-{language}-{width}x{height}"

    def shot(self, step: str) -> None:
        self.n += 1
        settled(self.driver)
        self.screenshot(self.driver, f"{self.prefix}-{self.n}-{step}")


def read_csv(path: pathlib.Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(("language", "size"), LANGUAGES)
def test_sales_guests_with_manager_and_last_sign_in_by_keyboard_alone(
    launch, screenshot, tmp_path, notifications, language, size  # noqa: F811 (the fixture)
):
    driver, downloads, words = start(launch, tmp_path, language, size)
    steps = Steps(driver, screenshot, "keyboard", language)
    everyone = count_of(driver)
    keys = Keyboard(driver)

    keys.press(Keys.CONTROL, "f")
    assert keys.focused_name() == "search"
    keys.press(Keys.TAB)
    assert keys.focused_name() == "userType"
    keys.type(words["users.type.guest"][:1].lower())
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=listbox] [role=option]")))
    steps.shot("type-picker-typed")
    keys.press(Keys.ENTER)
    wait(driver).until(lambda d: picked(d, "userType") == ["guest"])
    wait(driver).until(lambda d: (count_of(d) or everyone) < everyone)
    guests = count_of(driver)
    keys.press(Keys.TAB)
    assert keys.focused_name() == "accountEnabled"
    keys.press(Keys.TAB)
    assert keys.focused_name() == "department"
    keys.type("sal")
    wait(driver).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[role=listbox] [role=option]"), "Sales")
    )
    steps.shot("department-typed")
    keys.press(Keys.ENTER)
    wait(driver).until(lambda d: picked(d, "department") == ["Sales"])
    wait(driver).until(lambda d: (count_of(d) or guests) < guests)
    sales_guests = count_of(driver)
    assert sales_guests > 0
    steps.shot("filtered")

    keys.press(Keys.CONTROL, "d")
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "dialog[open] [aria-pressed]")))
    wait(driver).until(lambda d: d.switch_to.active_element.get_attribute("aria-pressed") is not None)
    preset = words["columns.preset.portalManagerSignIn"]
    while driver.switch_to.active_element.text.strip() != preset:
        keys.press(Keys.TAB)
        assert keys.count < KEYSTROKE_BUDGET, "the preset was not reached"
    keys.press(Keys.ENTER)
    wait(driver).until(lambda d: d.switch_to.active_element.get_attribute("aria-pressed") == "true")
    steps.shot("dialog-preset")
    keys.press(Keys.CONTROL, Keys.ENTER)

    # The native save dialog opens on the downloads folder with the suggested name: Return accepts it.
    window = wait_for_window(DOWNLOAD_TITLE if language == "en" else NL["downloads.saveTitle"])
    xdotool("windowfocus", "--sync", window)
    xdotool("key", "--clearmodifiers", "Return")
    keys.count += 1
    wait_until_closed(window, DOWNLOAD_TITLE if language == "en" else NL["downloads.saveTitle"])

    assert keys.count < KEYSTROKE_BUDGET, f"{keys.count} keystrokes"
    target = downloads / "users.csv"
    wait_for_file(driver, target)
    steps.shot("started")
    rows = read_csv(target)
    header = list(rows[0].keys()) if rows else []
    assert "manager/displayName" in header and "signInActivity/lastSignInDateTime" in header, header
    assert len(rows) == sales_guests
    department = next(h for h in header if h.lower() == "department")
    assert {r[department] for r in rows} == {"Sales"}
    kind = next(h for h in header if h.lower() == "usertype")
    assert {r[kind] for r in rows} == {"Guest"}
    # The "file is ready" notification is in the language shown.
    ready = words["notify.fileReady"].replace("{file}", "users.csv")
    wait(driver).until(lambda _: notifications(ready), message=f"no notification {ready!r}")
    print(f"{language}: {keys.count} keystrokes for {sales_guests} Sales guests")


@pytest.mark.parametrize(("language", "size"), LANGUAGES)
def test_two_departments_saved_as_a_view_and_chosen_again_by_mouse(launch, screenshot, tmp_path, language, size):
    driver, _downloads, words = start(launch, tmp_path, language, size)
    steps = Steps(driver, screenshot, "saved-view", language)
    everyone = count_of(driver)

    tick(driver, "department", "Sales", "Legal")
    wait(driver).until(lambda d: picked(d, "department") == ["Sales", "Legal"])
    wait(driver).until(lambda d: (count_of(d) or everyone) < everyone)
    both = count_of(driver)
    steps.shot("two-departments")
    clear(driver, "department")
    wait(driver).until(lambda d: count_of(d) == everyone)
    tick(driver, "department", "Sales")
    wait(driver).until(lambda d: (count_of(d) or everyone) < everyone)
    sales = count_of(driver)
    tick(driver, "department", "Legal")
    wait(driver).until(lambda d: count_of(d) == both)
    assert sales < both, "a second department adds users (OR within a picker)"
    tick(driver, "userType", words["users.type.member"])
    wait(driver).until(lambda d: (count_of(d) or both) < both)
    members = count_of(driver)
    steps.shot("and-members")

    wait(driver).until(EC.element_to_be_clickable((By.XPATH, f"//button[normalize-space()='{words['views.saveAs']}']"))).click()
    name = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input[name=viewName]")))
    name.send_keys("Sales & Legal")
    steps.shot("name-the-view")
    name.send_keys(Keys.ENTER)
    views = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "select[name=view]")))
    wait(driver).until(lambda _: Select(views).first_selected_option.text == "Sales & Legal")

    clear(driver, "department")
    clear(driver, "userType")
    wait(driver).until(lambda d: count_of(d) == everyone)
    steps.shot("filters-cleared")
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=view]")).select_by_visible_text("Sales & Legal")
    wait(driver).until(lambda d: count_of(d) == members)
    assert picked(driver, "department") == ["Sales", "Legal"]
    assert picked(driver, "userType") == ["member"]
    assert picker_button(driver, "department").text.startswith("Sales")
    steps.shot("view-chosen")


def upns_of(driver, words, user_type: str, n: int) -> list[str]:
    """The sign-in names of the first `n` users of one type, read from the Users screen."""
    tick(driver, "userType", words[f"users.type.{user_type}"])
    wait(driver).until(lambda d: picked(d, "userType") == [user_type])
    table = grid(driver, words["users.title"])
    wait(driver).until(
        lambda _: all(
            r.find_elements(By.CSS_SELECTOR, "[role=gridcell]")[3].get_attribute("textContent").strip()
            == words[f"users.type.{user_type}"]
            for r in table.find_elements(By.CSS_SELECTOR, ".spacer [role=row]")[:3]
        )
    )
    found = [
        r.find_elements(By.CSS_SELECTOR, "[role=gridcell]")[2].get_attribute("textContent").strip()
        for r in table.find_elements(By.CSS_SELECTOR, ".spacer [role=row]")[:n]
    ]
    clear(driver, "userType")
    return found


@pytest.mark.parametrize(("language", "size"), LANGUAGES)
def test_import_with_a_template_a_typo_a_stray_space_and_a_guest(launch, screenshot, tmp_path, language, size):
    driver, _downloads, words = start(launch, tmp_path, language, size)
    steps = Steps(driver, screenshot, "import", language)
    guest = upns_of(driver, words, "guest", 1)[0]
    member, spaced = upns_of(driver, words, "member", 2)
    typo = member.rsplit(".", 1)[0] + ".con"

    wait(driver).until(EC.element_to_be_clickable((By.XPATH, f"//nav//a[normalize-space()='{words['nav.groups']}']"))).click()
    grid(driver, words["groups.title"])
    driver.find_element(By.CSS_SELECTOR, "input[type=search]").send_keys("Empty Group" + Keys.ENTER)
    wait(driver).until(EC.element_to_be_clickable((By.LINK_TEXT, "Empty Group"))).click()
    wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), "Empty Group"))
    driver.find_element(By.XPATH, f"//button[starts-with(normalize-space(), '{words['group.bulk']}')]").click()
    driver.find_element(By.XPATH, f"//button[normalize-space()='{words['group.bulk.import']}']").click()
    steps.shot("import-panel")

    # The template: saved where the admin says, then filled in.
    template = tmp_path / "members-template.csv"
    wait(driver).until(
        EC.element_to_be_clickable((By.XPATH, f"//button[normalize-space()='{words['membership.template.download']}']"))
    ).click()
    answer_save_dialog(template, words["membership.template.saveTitle"])
    wait_for_file(driver, template)
    lines = template.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) >= 2, lines
    steps.shot("template-saved")
    members = tmp_path / "members.csv"
    members.write_text("\n".join([lines[0], guest, typo, f" {spaced} ", member, ""]), encoding="utf-8")

    path = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=file]")))
    driver.file_detector = UselessFileDetector()
    path.send_keys(str(members))
    driver.find_element(By.XPATH, f"//button[normalize-space()='{words['membership.preview']}']").click()
    answer_open_dialog(members, MEMBER_OPEN_TITLE if language == "en" else NL["membership.pickTitle"])
    counts = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=preview-counts]")))

    def count(state):
        found = counts.find_elements(By.CSS_SELECTOR, f"[data-state={state}] strong")
        return int(found[0].text) if found else 0

    assert count("will-add") == 3 and count("not-found") == 1, counts.text
    table = grid(driver, words["membership.rows"])
    wait(driver).until(lambda _: len(table.find_elements(By.CSS_SELECTOR, ".spacer [role=row]")) == 4)
    rows = table.find_elements(By.CSS_SELECTOR, ".spacer [role=row]")
    assert words["membership.guest"] in rows[0].text, rows[0].text
    steps.shot("preview-guest-marked")

    # The typo: its full value on hover and in the details.
    typed = rows[1].find_elements(By.CSS_SELECTOR, "[role=gridcell]")[1]
    assert typed.get_attribute("title") == typo
    rows[1].click()
    details = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=row-details]")))
    assert details.find_element(By.CSS_SELECTOR, "[data-testid=row-typed]").text == typo
    assert words["membership.details.nothing"] in details.text
    steps.shot("details-typo")

    # The stray spaces: marked in the details, and what was read from them.
    rows[2].click()
    wait(driver).until(lambda _: details.find_element(By.CSS_SELECTOR, "[data-testid=row-read]").text == spaced)
    assert details.find_elements(By.CSS_SELECTOR, "mark.hidden-char"), details.text
    steps.shot("details-spaces")
