"""Headless Chromium for browser tests: console errors, outgoing requests and axe-core."""

import json
from pathlib import Path
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1"}


def chromium(*, javascript: bool = True) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    if not javascript:  # pages must work for people who browse without scripts
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    # every Content-Security-Policy violation the page causes, as the browser reports it
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
    return driver


CSP_LISTENER = """
window.pcrmCspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.pcrmCspViolations.push(
    `CSP ${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`
  );
});
"""


def log_in(driver, live_server, client, user) -> None:
    """The browser signed in as ``user`` (a User or a Staff), through the test client's
    session: the cookie is set on the live server's site."""
    client.force_login(getattr(user, "user", user))
    driver.get(f"{live_server.url}/robots.txt")
    driver.delete_all_cookies()
    driver.add_cookie(
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "path": "/"}
    )


def csp_violations(driver) -> list[str]:
    """The violations reported since the page loaded (or since the last call)."""
    return driver.execute_script("return (window.pcrmCspViolations || []).splice(0)") or []


def console_errors(driver) -> list[str]:
    """Console errors and Content-Security-Policy violations of the page."""
    held = driver.__dict__.pop("pcrm_held_errors", [])  # read while axe ran
    return held + csp_violations(driver) + _logged_errors(driver)


def _logged_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def foreign_requests(urls) -> list[str]:
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in {"data", "blob", "about"}
        and urlsplit(url).hostname not in LOCAL_HOSTS
    ]


def axe_violations(driver, impacts=("serious", "critical")) -> list[dict]:
    page_violations = csp_violations(driver)  # the page's own, before axe adds its style
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(done, e => done({error: String(e)}));"
    )
    assert "error" not in result, result
    # axe adds a style element of its own, which the page's Content-Security-Policy
    # refuses: those refusals are the tool's; the page's own errors wait for the test
    csp_violations(driver)
    logged = [m for m in _logged_errors(driver) if "Content Security Policy" not in m]
    held = driver.__dict__.pop("pcrm_held_errors", [])
    driver.__dict__["pcrm_held_errors"] = held + page_violations + logged
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def click(driver, css: str, *, navigates: bool = False) -> None:
    """Scroll the element to the middle and click it. KRDS scrolls smoothly, which leaves
    Selenium's own scrolling unfinished when it clicks; an instant scroll does not.
    With ``navigates``, wait until the next page has replaced this one."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    for attempt in range(3):
        # KRDS's script may still be rearranging the page it just loaded: look again
        try:
            element = driver.find_element(By.CSS_SELECTOR, css)
            driver.execute_script(
                "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
            )
            element.click()
            break
        except (StaleElementReferenceException, WebDriverException) as exc:
            if attempt == 2 or (
                "does not belong to the document" not in str(exc)
                and not (isinstance(exc, StaleElementReferenceException))
            ):
                raise
    if navigates:
        WebDriverWait(driver, 15).until(replaced(page))
        WebDriverWait(driver, 15).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )


def replaced(element):
    """Wait condition: ``element``'s page has been replaced. Chromium reports a node of
    the old document either as stale or, while the new one loads, as "does not belong to
    the document"; both mean the navigation happened."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def check(_driver) -> bool:
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    return check
