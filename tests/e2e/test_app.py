"""End-to-end journeys through the real debug app under Xvfb."""

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


def test_sign_in_errors_from_rust_reach_the_screen(launch):
    driver = launch()
    button(driver, "Sign in with a device code").click()
    alert = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
    assert alert.get_attribute("data-code") == "notAvailable"
    assert "not part of this build" in alert.text
