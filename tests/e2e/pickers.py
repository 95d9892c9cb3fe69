"""The directory screens' multi-value filter pickers, used the way an admin does: open one, tick a
value (several ticks are alternatives), close it; or empty it with its "Any" link."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT_S = 30


def picker_button(driver, name: str):
    return WebDriverWait(driver, TIMEOUT_S).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, f"button[aria-haspopup=listbox][name={name}]"))
    )


def picked(driver, name: str) -> list[str]:
    """The values ticked in picker `name`."""
    values = picker_button(driver, name).get_attribute("data-values") or ""
    return [v for v in values.split("\n") if v]


def tick(driver, name: str, *texts: str) -> None:
    """Opens picker `name` with the mouse, ticks the options showing `texts`, and closes it."""
    button = picker_button(driver, name)
    button.click()
    for text in texts:
        option = WebDriverWait(driver, TIMEOUT_S).until(
            EC.element_to_be_clickable(
                (By.XPATH, f"//ul[@role='listbox']/li[@role='option'][normalize-space(substring-after(., ' '))='{text}']")
            )
        )
        before = len(picked(driver, name))
        option.click()
        WebDriverWait(driver, TIMEOUT_S).until(lambda d: len(picked(d, name)) != before, message=f"{text} was not ticked")
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(driver, TIMEOUT_S).until(lambda _: button.get_attribute("aria-expanded") == "false")


def clear(driver, name: str) -> None:
    """Empties picker `name` (any value again)."""
    button = picker_button(driver, name)
    button.click()
    WebDriverWait(driver, TIMEOUT_S).until(
        EC.element_to_be_clickable((By.XPATH, "//div[contains(@class,'popup')]//button[contains(@class,'link')]"))
    ).click()
    WebDriverWait(driver, TIMEOUT_S).until(lambda d: picked(d, name) == [])
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(driver, TIMEOUT_S).until(lambda _: button.get_attribute("aria-expanded") == "false")
