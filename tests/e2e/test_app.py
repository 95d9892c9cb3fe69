"""End-to-end journeys through the real debug app under Xvfb."""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT_S = 20


def wait(driver):
    return WebDriverWait(driver, TIMEOUT_S)


def button(driver, text):
    return wait(driver).until(
        EC.element_to_be_clickable((By.XPATH, f"//button[normalize-space()='{text}']"))
    )


def test_first_screen_offers_every_way_to_sign_in(launch, screenshot):
    driver = launch()
    heading = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "h1#sign-in-title")))
    assert heading.text == "Sign in to your tenant"
    for text in ["Sign in with browser", "Sign in with a device code", "Try the demo tenant"]:
        assert button(driver, text).is_enabled()
    cloud = driver.find_element(By.CSS_SELECTOR, "select[name=cloud]")
    assert [o.get_attribute("value") for o in cloud.find_elements(By.TAG_NAME, "option")] == [
        "global",
        "usGov",
        "china",
    ]
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=account-picker]").is_displayed()

    # Keyboard: Tab from the page reaches the cloud choice and the sign-in buttons in order.
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = [driver.switch_to.active_element.get_attribute("name") or driver.switch_to.active_element.text]
    for _ in range(3):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        focused.append(driver.switch_to.active_element.text)
    assert focused == ["cloud", "Sign in with browser", "Sign in with a device code", "Try the demo tenant"]
    screenshot(driver, "sign-in")


def test_sign_in_errors_from_rust_reach_the_screen(launch, tmp_path):
    # An authority where nothing listens (the discard port): the device code request cannot connect.
    driver = launch({"ROSTER_AUTHORITY": "http://127.0.0.1:9", "ROSTER_DATA_DIR": str(tmp_path)})
    button(driver, "Sign in with a device code").click()
    alert = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
    assert alert.get_attribute("data-code") == "network"
    assert "Could not reach the identity platform" in alert.text


def grid_rows(driver, name):
    grid = wait(driver).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, f"[role=grid][aria-label='{name}']"))
    )
    wait(driver).until(lambda d: int(grid.get_attribute("aria-rowcount")) > 1)
    return grid


def cell_texts(row):
    # textContent, not .text: WebDriver's visible-text rules drop the virtualised rows' text (they are
    # positioned with transforms).
    return [c.get_attribute("textContent").strip() for c in row.find_elements(By.CSS_SELECTOR, "[role=gridcell]")]


def test_demo_mode_opens_signed_in_on_the_users_screen(launch, screenshot):
    driver = launch({"ROSTER_DEMO": "1"})
    grid = grid_rows(driver, "Users")
    assert int(grid.get_attribute("aria-rowcount")) > 100
    # The first cell is the row's checkbox.
    first_row = cell_texts(grid.find_element(By.CSS_SELECTOR, ".spacer [role=row]"))
    assert first_row[1] and first_row[2].count("@") == 1, first_row
    nav = driver.find_element(By.CSS_SELECTOR, "nav")
    assert "Demo tenant" in nav.text
    assert "Signed in as admin@" in nav.text
    screenshot(driver, "users")

    driver.find_element(By.LINK_TEXT, "Groups").click()
    grid_rows(driver, "Groups")
    screenshot(driver, "groups")

    driver.find_element(By.LINK_TEXT, "Jobs").click()
    wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), "Jobs"))
    screenshot(driver, "jobs")

    driver.find_element(By.LINK_TEXT, "Settings").click()
    wait(driver).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), "Settings"))
    screenshot(driver, "settings")


def test_demo_search_narrows_the_users(launch):
    driver = launch({"ROSTER_DEMO": "1"})
    grid = grid_rows(driver, "Users")
    total = int(grid.get_attribute("aria-rowcount"))
    first_name = cell_texts(grid.find_element(By.CSS_SELECTOR, ".spacer [role=row]"))[1]
    assert len(first_name) >= 4, first_name
    search = driver.find_element(By.CSS_SELECTOR, "input[type=search]")
    search.send_keys(first_name[:4] + Keys.ENTER)
    wait(driver).until(lambda d: int(grid.get_attribute("aria-rowcount")) < total)
    prefix = first_name[:4].strip().lower()
    rows = grid.find_elements(By.CSS_SELECTOR, ".spacer [role=row]")
    assert rows
    for row in rows:
        # Graph's $search matches word prefixes in the name, user principal name and mail.
        name, upn = [text.lower() for text in cell_texts(row)][1:3]
        words = re.split(r"[\s@._-]+", f"{name} {upn}")
        assert any(word.startswith(prefix) for word in words) or upn.startswith(prefix), (name, upn)


def test_signing_out_of_the_demo_returns_to_the_first_screen(launch):
    driver = launch({"ROSTER_DEMO": "1"})
    grid_rows(driver, "Users")
    button(driver, "Sign out").click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "h1#sign-in-title")))
    button(driver, "Try the demo tenant").click()
    grid_rows(driver, "Users")
