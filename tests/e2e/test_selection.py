"""Ticking rows with the mouse on the Users screen, as a person does: real clicks at screen positions."""

import pytest
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from test_directory import count_of, grid, rows, wait
from pickers import clear, tick


def checkbox(row):
    return row.find_element(By.CSS_SELECTOR, "input[type=checkbox]")


def centre(driver, element) -> tuple[int, int]:
    """The element's centre in viewport pixels, where a person would aim the mouse."""
    rect = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2];", element)
    return round(rect[0]), round(rect[1])


def beside(driver, element) -> tuple[int, int]:
    """A point in the element's table cell, 8 pixels right of the element."""
    rect = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.right + 8, r.y + r.height / 2];", element)
    return round(rect[0]), round(rect[1])


def top(driver, element) -> float:
    return driver.execute_script("return arguments[0].getBoundingClientRect().top;", element)


def click_at(driver, x: int, y: int) -> None:
    """A real mouse click at a viewport position (not on an element: wherever the pointer lands)."""
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(x, y).click()
    actions.perform()


@pytest.mark.parametrize("screen", ["Users", "Groups"])
@pytest.mark.parametrize("size", [(1280, 800), (900, 600)])
def test_a_mouse_tick_shows_and_the_next_click_lands_on_the_row_aimed_at(launch, screen, size):
    driver = launch({"ROSTER_DEMO": "1"})
    driver.set_window_size(*size)
    grid(driver, "Users")
    if screen != "Users":
        driver.find_element(By.LINK_TEXT, screen).click()
    users = grid(driver, screen)
    first, second = rows(users)[:2]
    aim_first = centre(driver, checkbox(first))
    # A person aims at the tick's cell, not exactly at the 13-pixel box: a little to its right.
    aim_second = beside(driver, checkbox(second))
    table_top = top(driver, users)

    click_at(driver, *aim_first)
    wait(driver).until(lambda d: checkbox(rows(users)[0]).is_selected())
    assert rows(users)[0].get_attribute("aria-selected") == "true"
    wait(driver).until(EC.visibility_of_element_located((By.XPATH, "//*[normalize-space()='1 selected']")))
    # The selection bar reserved its height: nothing below it moved.
    assert top(driver, users) == table_top

    # The second click, aimed beside the second row's box where it was before the first tick, ticks that row.
    click_at(driver, *aim_second)
    wait(driver).until(lambda d: checkbox(rows(users)[1]).is_selected())
    assert not checkbox(rows(users)[2]).is_selected()
    wait(driver).until(EC.visibility_of_element_located((By.XPATH, "//*[normalize-space()='2 selected']")))


def test_ticks_survive_a_filter_change_and_the_bar_says_how_many_are_hidden(launch):
    driver = launch({"ROSTER_DEMO": "1"})
    users = grid(driver, "Users")
    wait(driver).until(lambda d: count_of(d) is not None and count_of(d) > 1000)
    members = [r for r in rows(users)[:10] if r.find_elements(By.CSS_SELECTOR, "[role=gridcell]")[3].get_attribute("textContent").strip() == "Member"]
    name = members[0].find_elements(By.CSS_SELECTOR, "[role=gridcell]")[1].get_attribute("textContent").strip()
    checkbox(members[0]).click()
    wait(driver).until(EC.visibility_of_element_located((By.XPATH, "//*[normalize-space()='1 selected']")))
    everyone = count_of(driver)

    tick(driver, "userType", "Guest")
    wait(driver).until(lambda d: count_of(d) is not None and count_of(d) < everyone)
    notice = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=selection-status]")))
    assert notice.text == "1 selected, 1 of them not among the rows shown", notice.text

    clear(driver, "userType")
    wait(driver).until(lambda d: count_of(d) == everyone)
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=selection-status]").text == "1 selected")
    assert driver.find_element(By.CSS_SELECTOR, f"input[aria-label='Select {name}']").is_selected()
