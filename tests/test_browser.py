"""The published site in a real headless browser: Debian's chromium, driven by selenium through Debian's chromedriver
(`apt-get install -y chromium chromium-driver`; `.ci/run` installs them). Nothing is downloaded: the driver and the
browser are given by path, and the pages need no network.

A reader opens the home page served by `kg serve --site`, follows links city → plan → policy and finds the quote
highlighted; a screenshot of the plan page is kept in `test-artifacts/` (gitignored). A hostile document — `<script>`
and `"><img src=x onerror=…>` in its title, a section, an initiative, a target and policy titles — is published and
opened straight from disk (no server, no Content-Security-Policy): no script runs and the text shows as text.

Without chromium these tests skip, except in CI (`CI=true`), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from kg.publish.publisher import publish

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(os.environ.get("KG_TEST_ARTIFACTS", ROOT / "test-artifacts"))
HOSTILE = ROOT / "tests" / "data" / "hostile"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--window-size=1280,1200",
)


def _browser_or_skip() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[dev]')")
    if missing:
        message = f"headless browser tests need {', '.join(missing)} (apt-get install -y chromium chromium-driver)"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"CI must run the browser tests: {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def served(seed_build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed site and store behind kg serve; yields the site's root URL."""
    from kg.serve import make_server
    from kg.store import open_built_store

    site = tmp_path_factory.mktemp("browser") / "site"
    publish(seed_build[0], site)
    server = make_server(open_built_store(seed_build[0]).oxigraph, site=site)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.root_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_reader_follows_city_plan_policy_and_finds_the_highlighted_quote(browser, served):
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(served)
    assert "edu-policy-kg" in driver.title
    assert driver.find_elements(By.CSS_SELECTOR, "figure svg a.policy")  # the citation network is drawn

    driver.find_element(By.PARTIAL_LINK_TEXT, "Governments").click()
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Governments by province")
    driver.find_element(By.LINK_TEXT, "长沙市").click()  # the city

    assert driver.find_element(By.TAG_NAME, "h1").text == "长沙市"
    driver.find_element(By.CSS_SELECTOR, "table.plans a").click()  # its plan

    assert driver.find_element(By.TAG_NAME, "h1").text == "长沙市教育局2019年工作计划"
    # in the original text, every target and every citation of the plan is marked and linked to its own page
    targets = driver.find_elements(By.CSS_SELECTOR, ".initiative div.text:not(.simp) :is(mark.target a, a.also.target)")
    citations = driver.find_elements(By.CSS_SELECTOR, ".initiative div.text:not(.simp) mark.cite a")
    assert len({a.get_attribute("href") for a in targets}) == 19
    assert len({a.get_attribute("href") for a in citations}) == 33
    assert all(a.is_displayed() for a in targets)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = min(int(driver.execute_script("return document.documentElement.scrollHeight")), 6000)
    driver.set_window_size(1280, height)
    shot = ARTIFACTS / "plan-page.png"
    assert driver.save_screenshot(str(shot))
    driver.set_window_size(1280, 1200)
    assert shot.stat().st_size > 50_000

    policy_link = next(
        a
        for a in driver.find_elements(By.CSS_SELECTOR, "ul.citations a.policy")
        if a.text == "中国共产党支部工作条例(试行)"
    )
    policy_link.click()  # the policy it cites

    assert driver.find_element(By.TAG_NAME, "h1").text == "中国共产党支部工作条例(试行)"
    rows = driver.find_elements(By.CSS_SELECTOR, "table.cited-by tr")[1:]
    row = next(r for r in rows if "长沙市" in r.text)
    quote = row.find_element(By.CSS_SELECTOR, "mark.cite")
    assert quote.text == "《中国共产党支部工作条例(试行)》"
    assert quote.is_displayed()
    assert quote.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "implements" in row.text and "2019" in row.text
    quote.find_element(By.TAG_NAME, "a").click()  # the highlight links to its resource
    assert driver.find_element(By.CSS_SELECTOR, ".kind").text.startswith("POLICY REFERENCE")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.build import BuildOptions, build

    root = tmp_path_factory.mktemp("hostile-browser")
    build([HOSTILE], BuildOptions(out_dir=root / "out", write_store=False))
    publish(root / "out", root / "site")
    return root / "site"


def _policy_page(site: Path, needle: str) -> Path:
    pages = sorted((site / "id/policy").glob("*.html"))
    return next(p for p in pages if needle in re.search(r"<h1[^>]*>(.*?)</h1>", p.read_text("utf-8")).group(1))


def test_a_hostile_document_runs_no_script_and_shows_its_text(browser, hostile_site):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    driver = browser
    pages = {
        "plan": hostile_site / "id/plan/hostile_2021.html",
        "initiative": hostile_site / "id/plan/hostile_2021/initiative/1.html",
        "target": next((hostile_site / "id/plan/hostile_2021/initiative/2/target").glob("*.html")),
        "script policy": _policy_page(hostile_site, "&lt;script&gt;"),
        "img policy": _policy_page(hostile_site, "onerror"),
        "source": hostile_site / "id/source/hostile_2021.html",
        "policies": hostile_site / "policies.html",
        "home": hostile_site / "index.html",
    }
    for name, page in pages.items():
        driver.get(page.as_uri())
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018 — an alert() would be open now
        assert driver.title.endswith(" · edu-policy-kg"), name  # an onerror or script would have set it to pwned-…
        assert driver.execute_script("return document.querySelectorAll('script, img, iframe, object').length") == 0, (
            name
        )
        handlers = driver.execute_script(
            "return [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length"
        )
        assert handlers == 0, name
        text = driver.find_element(By.TAG_NAME, "body").text
        if name in ("plan", "initiative", "source"):
            assert "<script>alert(1)</script>教育督导条例" in text, name
            assert '"><img src=x onerror="document.title=\'pwned-img\'">' in text, name
        if name == "plan":
            assert (
                driver.find_element(By.TAG_NAME, "h1").text
                == '清远市2021年教育工作要点<script>document.title="pwned-title"</script>'
            )
        if name == "target":
            assert "95%以上<script>alert(2)</script>" in text
        if name == "script policy":
            assert driver.find_element(By.TAG_NAME, "h1").text == "<script>alert(1)</script>教育督导条例"
        if name == "img policy":
            assert "onerror=alert(3)>" in text
    assert driver.title.endswith(" · edu-policy-kg")
