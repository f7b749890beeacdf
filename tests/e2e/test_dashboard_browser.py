"""The operators' dashboard in a real headless Chromium: statuses, keyboard focus, axe-core.

Needs Debian `chromium` + `chromium-driver`, the `selenium` package and the npm `axe-core`
package (scripts/install_browser.sh). Skipped with the reason when absent, except under CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server_process import start

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1280,1600",
)


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed"
    for binary in ("chromium", "chromedriver"):
        if not shutil.which(binary):
            return f"{binary} is not installed (Debian packages chromium, chromium-driver)"
    if not _axe_path().is_file():
        return f"axe-core is not installed at {_axe_path()} (npm install axe-core)"
    return None


def _axe_path() -> Path:
    return Path(os.environ.get("AXE_CORE_JS", ROOT / "node_modules/axe-core/axe.min.js"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI: {reason}")
        pytest.skip(reason)
    server = start(tmp_path_factory.mktemp("dashboard-data"), {"POWERTOOLS_LOG_LEVEL": "INFO"})
    base = server.base
    proc = server.proc
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    # An explicit driver path keeps Selenium Manager from trying to download one.
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def _load(browser, server: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{server}/dashboard")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.body.dataset.loaded === 'true'")
    )


def test_given_the_dashboard_when_opened_then_component_statuses_show(browser, server):
    _load(browser, server)
    from selenium.webdriver.common.by import By

    cards = browser.find_elements(By.CSS_SELECTOR, "[data-component-id]")
    ids = {c.get_attribute("data-component-id"): c.get_attribute("data-status") for c in cards}
    assert set(ids) == {"api", "database", "blob-store", "rating-pipeline", "upstream-sources"}
    assert ids["database"] == "ok"
    assert browser.find_element(By.ID, "updated").get_attribute("aria-live") == "polite"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#charts figure svg[role=img]")) == 5


def test_given_the_dashboard_when_tabbing_then_focus_reaches_every_control(browser, server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _load(browser, server)
    browser.execute_script("document.activeElement && document.activeElement.blur()")
    seen = []
    for _ in range(8):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        seen.append(
            browser.execute_script(
                "return document.activeElement.id || document.activeElement.className"
            )
        )
    controls = [s for s in seen if s in ("window", "refresh", "pause")]
    assert controls[:3] == ["window", "refresh", "pause"], seen


def test_given_the_dashboard_when_axe_runs_then_no_serious_or_critical_violations(browser, server):
    _load(browser, server)
    browser.execute_script(_axe_path().read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map(v => "
        "({id: v.id, impact: v.impact, nodes: v.nodes.length}))), e => done([{id: String(e)}]));"
    )
    bad = [v for v in result if v.get("impact") in ("serious", "critical", None)]
    assert not bad, bad
