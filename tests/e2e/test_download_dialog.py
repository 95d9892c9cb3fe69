"""The download dialog as an admin meets it: one kind of download after another in the same session,
the cost of expensive columns before starting, and a small window (900x600)."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from selenium.webdriver.common.keys import Keys

from columns import choose_columns, chosen_columns, picker, search_box
from native_dialog import answer_save_dialog
from test_jobs import button, grid, settled, sign_in_demo_on, wait, wait_for_file


def within_viewport(driver, element) -> bool:
    """The whole element is inside the window's viewport (not cut off, not below the fold)."""
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;",
        element,
    )


def test_a_members_download_after_the_users_dialog_was_cancelled(launch, tmp_path):
    driver = launch({"ROSTER_DEMO": "1"})
    grid(driver, "Users")
    button(driver, "Download users").click()
    button(driver, "Cancel").click()
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "[data-testid=download-selection]")))

    driver.find_element(By.LINK_TEXT, "Groups").click()
    groups = grid(driver, "Groups")
    groups.find_element(By.CSS_SELECTOR, ".spacer [role=row] input[type=checkbox]").click()
    wait(driver).until(
        EC.element_to_be_clickable((By.XPATH, "//button[starts-with(normalize-space(), 'Download members of the')]"))
    ).click()
    target = tmp_path / "members.csv"
    button(driver, "Choose file and download…").click()
    answer_save_dialog(target)
    wait_for_file(driver, target)
    header = target.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["groupId", "groupName", "memberType"], header


def test_the_cost_of_authentication_columns_shows_before_starting_and_not_by_default(launch):
    driver = launch({"ROSTER_DEMO": "1"})
    grid(driver, "Users")
    button(driver, "Download users").click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=download-selection]")))
    button(driver, "Choose file and download…")
    assert not driver.find_elements(By.CSS_SELECTOR, "dialog [role=note]"), "the default columns cost nothing extra"
    button(driver, "Every column").click()
    note = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "dialog [role=note]")))
    assert "extra" in note.text


def test_at_900x600_the_dialog_and_the_jobs_cancel_button_fit(launch, screenshot, tmp_path):
    # A large, slowed-down demo tenant, so the download is still running on the Jobs screen.
    driver = launch({"ROSTER_DEMO": "1", "ROSTER_DEMO_USERS": "100000", "ROSTER_DEMO_ITEM_LATENCY_US": "200"})
    driver.set_window_size(900, 600)
    sign_in_demo_on(driver, "Users")
    button(driver, "Download users").click()
    start = button(driver, "Choose file and download…")
    cancel = button(driver, "Cancel")
    # The longest the dialog gets: every column chosen, beside the list to choose from.
    button(driver, "Every column").click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "dialog [role=group][aria-label='Columns to choose from']")))
    settled(driver)
    screenshot(driver, "download-dialog-900x600")
    assert within_viewport(driver, start) and within_viewport(driver, cancel)

    button(driver, "The default columns").click()
    start.click()
    answer_save_dialog(tmp_path / "users.csv")
    driver.find_element(By.LINK_TEXT, "Jobs").click()
    running = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "tr[data-status='running']")))
    stop = running.find_element(By.XPATH, ".//button[normalize-space()='Cancel']")
    name = running.find_element(By.CSS_SELECTOR, "a")
    settled(driver)
    screenshot(driver, "jobs-900x600")
    assert within_viewport(driver, stop)
    assert within_viewport(driver, name)
    # Names are readable: at least 12 characters wide on a line, not a word per line.
    assert name.size["width"] >= 120, name.size

    # While it runs, Rows and Duration count on with the progress bar.
    rows_then = running.find_element(By.CSS_SELECTOR, "[data-testid=job-rows]").text
    duration_then = running.find_element(By.CSS_SELECTOR, "[data-testid=job-duration]").text
    wait(driver).until(lambda d: running.find_element(By.CSS_SELECTOR, "[data-testid=job-rows]").text != rows_then)
    wait(driver).until(lambda d: running.find_element(By.CSS_SELECTOR, "[data-testid=job-duration]").text != duration_then)
    stop.click()
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "tr[data-status='cancelled']")))


def test_columns_picked_by_typing_and_reordered_are_the_file_s_columns_in_that_order(launch, screenshot, tmp_path):
    driver = launch({"ROSTER_DEMO": "1"})
    grid(driver, "Users")
    button(driver, "Download users").click()
    columns = picker(driver)
    choose_columns(driver, columns, ["department", "sign-in name", "manager"])
    # The keyboard alone: type, go down into the list, tick with Space.
    search = search_box(columns)
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys("city", Keys.ARROW_DOWN)
    driver.switch_to.active_element.send_keys(Keys.SPACE)
    wait(driver).until(lambda _: chosen_columns(columns) == ["department", "userPrincipalName", "manager/displayName", "city"])
    columns.find_element(By.XPATH, ".//button[@aria-label='Move Sign-in name up']").click()
    wait(driver).until(lambda _: chosen_columns(columns)[:2] == ["userPrincipalName", "department"])
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys("sign")
    settled(driver)
    screenshot(driver, "column-picker")

    target = tmp_path / "users.csv"
    button(driver, "Choose file and download…").click()
    answer_save_dialog(target)
    wait_for_file(driver, target)
    header = target.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header == ["userPrincipalName", "department", "manager/displayName", "city"], header

    # The next users download starts from this choice.
    wait(driver).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "[data-testid=download-selection]")))
    button(driver, "Download users").click()
    again = picker(driver)
    wait(driver).until(lambda _: chosen_columns(again) == ["userPrincipalName", "department", "manager/displayName", "city"])
