"""The column picker, driven as an admin does with the keyboard: clear the chosen list, then type a
column's name in the search and press Enter to tick its first match."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def chosen_columns(scope) -> list[str]:
    """The Graph names of the chosen columns, in file order."""
    return [li.get_attribute("data-header") for li in scope.find_elements(By.CSS_SELECTOR, "ol li[data-header]")]


def search_box(scope):
    return scope.find_element(By.CSS_SELECTOR, "input[type=search]")


def choose_columns(driver, scope, queries: list[str]) -> None:
    """Empties the chosen list of the picker inside `scope`, then ticks the first match of each query."""
    scope.find_element(By.XPATH, ".//button[normalize-space()='Remove all']").click()
    WebDriverWait(driver, 10).until(lambda _: chosen_columns(scope) == [])
    search = search_box(scope)
    for count, query in enumerate(queries, start=1):
        search.send_keys(Keys.CONTROL, "a")
        search.send_keys(query, Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda _: len(chosen_columns(scope)) == count, message=f"{query} was not ticked")


def picker(driver, within: str = "//dialog"):
    """The column picker inside `within` (the download dialog unless told)."""
    return WebDriverWait(driver, 30).until(
        EC.visibility_of_element_located((By.XPATH, f"{within}//fieldset[contains(@class, 'picker')]"))
    )
