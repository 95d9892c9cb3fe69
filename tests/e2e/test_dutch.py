"""The app in Dutch, walked screen by screen at 1280x800 and 900x600: no English left on any screen.

The language is chosen in Settings, as an admin would (this machine has no Dutch system locale
to start the app in). On every screen the visible text and the text people hear or see on hover (aria-label,
title, placeholder) are scanned against the English catalogue (ui/src/lib/i18n/en.ts and
columns.en.ts): any sentence fragment that is English-only (differs from its Dutch entry) fails the
test, with the screen and the fragment. A job made with the CLI beforehand gives the job list and a
job page something to show. Screenshots: docs/screenshots/nl-<screen>[-900x600].png.
"""

import os
import re
import subprocess
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "ui" / "src" / "lib" / "i18n"
TIMEOUT_S = 30

ENTRY = re.compile(r"""^\s*'([^']+)':\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"),?\s*$""")


def catalogue(name: str) -> dict[str, str]:
    """The `'key': 'value'` entries of a catalogue file."""
    entries = {}
    for line in (I18N / name).read_text(encoding="utf-8").splitlines():
        match = ENTRY.match(line)
        if match:
            value = match.group(2) if match.group(2) is not None else match.group(3)
            entries[match.group(1)] = value.replace("\\'", "'").replace('\\"', '"')
    return entries


def english_only_fragments() -> list[tuple[str, str]]:
    """(key, fragment) for every English text that is not also Dutch: its parts between
    placeholders that are at least two words long."""
    english = {**catalogue("en.ts"), **catalogue("columns.en.ts")}
    dutch = {**catalogue("nl.ts"), **catalogue("columns.nl.ts")}
    assert len(english) > 500 and len(dutch) > 500, "the catalogues were not read"
    fragments = []
    for key, text in english.items():
        if dutch.get(key) == text:
            continue
        for part in re.split(r"\{\w+\}", text):
            part = part.strip(" .,:;…()'\"·—-")
            if len(part) >= 10 and " " in part and part not in dutch.get(key, ""):
                fragments.append((key, part))
    return fragments


FRAGMENTS = english_only_fragments()

SCREEN_TEXT = """
const texts = [document.body.innerText];
for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
  for (const name of ['aria-label', 'title', 'placeholder']) {
    const value = el.getAttribute(name);
    if (value) texts.push(value);
  }
}
return texts.join('\\n');
"""


def english_on_screen(driver) -> list[str]:
    text = driver.execute_script(SCREEN_TEXT)
    return sorted({f"{fragment!r} ({key})" for key, fragment in FRAGMENTS if fragment in text})


def wait(driver):
    return WebDriverWait(driver, TIMEOUT_S)


def nav(driver, label):
    wait(driver).until(EC.element_to_be_clickable((By.XPATH, f"//nav//a[normalize-space()='{label}']"))).click()


def heading(driver, text):
    wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), text))


def grid_loaded(driver, name):
    grid = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, f"[role=grid][aria-label='{name}']")))
    wait(driver).until(lambda d: int(grid.get_attribute("aria-rowcount")) > 1)
    return grid


def make_a_job(data_dir: Path) -> None:
    """A finished users download in the demo tenant's job history, made by the CLI."""
    cli = Path(os.environ["ROSTER_APP"]).with_name("roster")
    subprocess.run(
        [str(cli), "--demo", "--data-dir", str(data_dir), "download", "users", "--out", str(data_dir / "users.csv")],
        check=True,
        capture_output=True,
        timeout=120,
    )


def walk(driver, size: str, screenshot) -> dict[str, list[str]]:
    """Visits every screen; answers the English found on each."""
    nl = catalogue("nl.ts")
    found: dict[str, list[str]] = {}

    def scan(screen: str) -> None:
        found[screen] = english_on_screen(driver)
        screenshot(driver, f"nl-{screen}{size}")

    grid_loaded(driver, nl["users.title"])
    scan("users")
    wait(driver).until(
        EC.element_to_be_clickable((By.XPATH, f"//main//button[normalize-space()='{nl['users.download']}']"))
    ).click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "dialog[open]")))
    scan("download-dialog")
    driver.find_element(By.XPATH, f"//dialog//button[normalize-space()='{nl['downloads.cancel']}']").click()

    nav(driver, nl["nav.groups"])
    groups = grid_loaded(driver, nl["groups.title"])
    scan("groups")
    groups.find_element(By.CSS_SELECTOR, "[role=gridcell] a").click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "main h1")))
    grid_loaded(driver, nl["group.members"])
    scan("group")

    # A group Roster cannot change says why, and where to change it instead.
    nav(driver, nl["nav.groups"])
    search = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input[type=search]")))
    search.send_keys(Keys.CONTROL + "a", "Sales (dynamic)" + Keys.ENTER)
    wait(driver).until(EC.element_to_be_clickable((By.LINK_TEXT, "Sales (dynamic)"))).click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#group-refusal")))
    scan("group-refused")

    nav(driver, nl["nav.jobs"])
    heading(driver, nl["jobs.title"])
    job = wait(driver).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, f"table[aria-label='{nl['jobs.title']}'] a"))
    )
    scan("jobs")
    job.click()
    wait(driver).until(EC.url_contains("/jobs/view"))
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "main dl")))
    scan("job")

    nav(driver, nl["nav.review"])
    heading(driver, nl["review.title"])
    scan("review")

    nav(driver, nl["nav.settings"])
    heading(driver, nl["settings.title"])
    scan("settings")
    return found


def test_every_screen_in_dutch_has_no_english(launch, screenshot, tmp_path):
    make_a_job(tmp_path)
    driver = launch({"ROSTER_DEMO": "1", "ROSTER_DATA_DIR": str(tmp_path)})
    nav(driver, "Settings")
    language = wait(driver).until(EC.element_to_be_clickable((By.XPATH, "//label[span='Language']/select")))
    Select(language).select_by_value("nl")
    wait(driver).until(lambda d: d.execute_script("return document.documentElement.lang") == "nl")
    nav(driver, catalogue("nl.ts")["nav.users"])
    found = walk(driver, "", screenshot)
    driver.set_window_size(900, 600)
    nav(driver, catalogue("nl.ts")["nav.users"])
    small = walk(driver, "-900x600", screenshot)
    english = {screen: items for screen, items in {**found, **{f"{k} 900x600": v for k, v in small.items()}}.items() if items}
    assert not english, "English on Dutch screens:\n" + "\n".join(f"{s}: {', '.join(i)}" for s, i in english.items())
