"""A real browser: Debian's chromium driven by Selenium through Debian's
chromedriver (nothing is downloaded; Selenium Manager is not used).
Screenshots go to artifacts/e2e/<test>/NN-name.png."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from .daclient import concrete, iterator_values

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def available() -> str | None:
    """None when a browser test can run, else the reason it cannot."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is missing (apt-get install chromium chromium-driver; scripts/server/install.sh does)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (scripts/server/install.sh installs it)"
    return None


class Browser:
    def __init__(self, shots: Path, *, lang: str = "es-MX"):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager reach out
        self.shots = shots
        shutil.rmtree(shots, ignore_errors=True)
        shots.mkdir(parents=True)
        self.downloads = shots / "downloads"
        self.downloads.mkdir()
        self.profile = tempfile.mkdtemp(prefix="puente-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-default-apps", "--disable-extensions",
                    f"--user-data-dir={self.profile}", "--window-size=1280,1400", f"--lang={lang}"):
            opts.add_argument(arg)
        opts.add_experimental_option("prefs", {
            "download.default_directory": str(self.downloads),
            "download.prompt_for_download": False,
            "plugins.always_open_pdf_externally": True,
            "intl.accept_languages": lang,
        })
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
        self.driver.set_page_load_timeout(180)
        self.driver.set_script_timeout(60)
        self.count = 0

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    # ---- looking ------------------------------------------------------------
    def shot(self, name: str) -> Path:
        """A full-page screenshot (the window grows to the page's height)."""
        self.count += 1
        height = self.driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
        self.driver.set_window_size(1280, min(max(int(height) + 120, 800), 6000))
        path = self.shots / f"{self.count:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '-', name)}.png"
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(1280, 1400)
        return path

    def text(self) -> str:
        return self.driver.find_element("tag name", "body").text

    def question(self) -> str:
        els = self.driver.find_elements("css selector", "#daquestion h1, h1#daMainQuestion, .da-page-header h1")
        return els[0].text.strip() if els else ""

    # ---- acting ---------------------------------------------------------------
    def sign_in(self, base: str, email: str, password: str) -> None:
        """Sign in on docassemble's page, as staff do before any interview."""
        self.driver.get(f"{base}/user/sign-in")
        self.driver.find_element("id", "email").send_keys(email)
        self.driver.find_element("id", "password").send_keys(password)
        self._click(self.driver.find_element("css selector", "form button[type=submit], form input[type=submit]"))
        end = time.monotonic() + 60
        while "/user/sign-in" in self.driver.current_url and time.monotonic() < end:
            time.sleep(0.3)
        if "/user/sign-in" in self.driver.current_url:
            raise AssertionError(f"sign-in as {email} failed: {self.text()[:300]}")

    def open(self, url: str) -> None:
        self.driver.get(url)
        self.wait_ready()

    def wait_ready(self, limit: float = 120) -> None:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            try:
                state = self.driver.execute_script(
                    "return document.readyState + '|' + (window.daSpinnerTimeout ? 'busy' : '') + '|' + "
                    "(document.querySelector('#daquestion, .da-page-header, form') ? 'q' : '')")
                if state.startswith("complete") and "busy" not in state and state.endswith("q"):
                    time.sleep(0.3)
                    return
            except Exception:  # page replaced while asking
                pass
            time.sleep(0.25)
        raise TimeoutError(f"page not ready after {limit} s: {self.driver.current_url}")

    def wait_for_question(self, predicate, limit: float = 180) -> str:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            try:
                q = self.question()
                if predicate(q):
                    return q
            except Exception:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"question never matched; at {self.question()!r}")

    def field(self, variable: str):
        """The input for a docassemble variable (name attributes are base64 of the variable name)."""
        import base64
        encoded = base64.b64encode(variable.encode()).decode().rstrip("=")
        for el in self.driver.find_elements("css selector", "input, select, textarea"):
            name = (el.get_attribute("name") or "").rstrip("=")
            if name == encoded:
                return el
        raise LookupError(f"no field for {variable} on {self.question()!r}")

    def fill(self, variable: str, value: str) -> None:
        el = self.field(variable)
        tag = el.tag_name.lower()
        if tag == "select":
            from selenium.webdriver.support.ui import Select
            Select(el).select_by_value(value)
            return
        kind = (el.get_attribute("type") or "").lower()
        if kind in ("radio", "checkbox"):
            raise ValueError("use choose() for radio buttons and checkboxes")
        if kind == "date":
            # Chrome's date input takes the digits in the locale's order; set it directly.
            self.driver.execute_script(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                el, value)
            return
        el.clear()
        el.send_keys(value)

    def choose(self, variable: str, value: str) -> None:
        """Click the radio button (or checkbox) with ``value`` of ``variable``."""
        import base64
        encoded = base64.b64encode(variable.encode()).decode().rstrip("=")
        for el in self.driver.find_elements("css selector", "input[type=radio], input[type=checkbox]"):
            if (el.get_attribute("name") or "").rstrip("=") == encoded and el.get_attribute("value") == value:
                self._click_label_of(el)
                return
        raise LookupError(f"no choice {value!r} for {variable} on {self.question()!r}")

    def _click_label_of(self, el) -> None:
        ident = el.get_attribute("id")
        labels = self.driver.find_elements("css selector", f"label[for='{ident}']") if ident else []
        target = labels[0] if labels else el
        self._click(target)

    def _click(self, target) -> None:
        """Click like a person; if a fixed bar covers the element, click it by script."""
        from selenium.common.exceptions import ElementClickInterceptedException
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", target)
        try:
            target.click()
        except ElementClickInterceptedException:
            self.driver.execute_script("arguments[0].click();", target)

    def click_button(self, text: str | None = None) -> None:
        """Click the screen's continue button (or the button with ``text``)."""
        buttons = self.driver.find_elements("css selector", "#daform button[type=submit].btn-primary")
        buttons += self.driver.find_elements("css selector", "#daform button[type=submit], form button[type=submit]")
        if text is not None:
            buttons = [b for b in buttons if text.lower() in b.text.lower()]
        if not buttons:
            raise LookupError(f"no button {text!r} on {self.question()!r}")
        self._click(buttons[0])

    def next_screen(self, text: str | None = None, limit: float = 180) -> str:
        before = self.question()
        old = self.driver.find_element("tag name", "body")
        self.click_button(text)
        start = time.monotonic()
        end = start + limit
        clicked_again = False
        while time.monotonic() < end:
            time.sleep(0.4)
            if not clicked_again and time.monotonic() - start > 30:
                # A click that reached nothing (the page still moving under a
                # loaded machine) leaves the screen as it was, its button
                # enabled: a person would press it again. Keep a picture of
                # the screen first, so a real hang can still be told apart.
                clicked_again = True
                try:
                    if self.question() == before and self._submit_enabled(text):
                        self.shot(f"pressed-again-{before[:30]}")
                        self.click_button(text)
                except Exception:  # noqa: BLE001 - the page changed meanwhile: the loop sees it
                    pass
            try:
                q = self.question()
                # .puente-flag: the case's flags on the documents screen, not errors
                errors = self.driver.find_elements(
                    "css selector", ".da-has-error, .invalid-feedback:not(:empty), .alert-danger:not(.puente-flag)")
                visible_errors = [e for e in errors if e.is_displayed() and e.text.strip()]
                if visible_errors and q == before:
                    raise AssertionError(f"validation error on {before!r}: {[e.text for e in visible_errors]}")
                if q and q != before:
                    self.wait_ready()
                    return q
                if not old.is_enabled():  # stale: new page with the same title
                    pass
            except AssertionError:
                raise
            except Exception:
                continue
        raise TimeoutError(f"still at {before!r} after {limit} s")

    def _submit_enabled(self, text: str | None) -> bool:
        buttons = self.driver.find_elements("css selector", "#daform button[type=submit], form button[type=submit]")
        if text is not None:
            buttons = [b for b in buttons if text.lower() in b.text.lower()]
        return bool(buttons) and buttons[0].is_displayed() and buttons[0].is_enabled()

    def errors(self) -> list[str]:
        els = self.driver.find_elements(
            "css selector", ".da-has-error, .invalid-feedback, .alert-danger:not(.puente-flag), label.da-has-error")
        return [e.text.strip() for e in els if e.is_displayed() and e.text.strip()]

    def wait_for_error(self, limit: float = 30) -> list[str]:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            found = self.errors()
            if found:
                return found
            time.sleep(0.25)
        raise TimeoutError(f"no validation message on {self.question()!r}")

    # ---- answering a screen from an answer table -------------------------------
    def inputs(self) -> list[tuple[str, object]]:
        """(variable name, element) of every visible input of the form."""
        import base64
        import json

        def b64(text: str) -> str:
            return base64.b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")

        # Fields with "show if" are named _field_N; _varnames maps them to variables.
        aliases: dict[str, str] = {}
        for hidden in self.driver.find_elements("css selector", "#daform input[name=_varnames]"):
            try:
                aliases = {b64(k): b64(v) for k, v in json.loads(b64(hidden.get_attribute("value"))).items()}
            except Exception:
                aliases = {}
        # A screen about a list item names its fields x[i].y; _event holds the
        # concrete variable sought (x[0].z), which tells what i is.
        events: list[str] = []
        for hidden in self.driver.find_elements("css selector", "#daform input[name=_event]"):
            try:
                events = json.loads(b64(hidden.get_attribute("value")))
            except Exception:
                events = []
        found = []
        for el in self.driver.find_elements("css selector", "#daform input, #daform select, #daform textarea"):
            name = el.get_attribute("name") or ""
            if el.get_attribute("role") == "combobox":  # typed into; a hidden input carries the name
                name = el.get_attribute("id") or ""
            if not name or name.startswith("_") or (el.get_attribute("type") or "") in ("hidden", "submit", "button"):
                continue
            if el.tag_name.lower() == "select" and not el.is_displayed():
                continue  # the list behind a combobox
            try:
                var = b64(name)
            except Exception:
                continue
            var = aliases.get(var, var)
            if not re.match(r"^[A-Za-z_][\w.\[\]'\"]*$", var):
                continue
            visible = self.driver.execute_script(
                "const g = arguments[0].closest('.da-form-group, .form-group, .da-field-container') || arguments[0];"
                "return !!(g.offsetWidth || g.offsetHeight || g.getClientRects().length);", el)
            if visible:
                found.append((var, el))
        values = iterator_values({"fields": [{"variable_name": v} for v, _ in found], "event_list": events})
        return [(concrete(v, values), el) for v, el in found]

    def answer_screen(self, answerer) -> list[str]:
        """Fill every visible field whose variable the answer table knows; returns them."""
        done: list[str] = []
        for _ in range(3):  # a choice can show more fields ("show if"): look again
            new = self._answer_visible(answerer, set(done))
            if not new:
                break
            done += new
        return done

    def _answer_visible(self, answerer, skip: set[str]) -> list[str]:
        import datetime
        done: list[str] = []
        for var, el in self.inputs():
            if var in skip:
                continue
            # A checkbox of a checkboxes field: x['key'], or x[B'base64 of key'].
            m = re.match(r"""^(.+)\[(B?)['"](.+)['"]\]$""", var)
            kind = (el.get_attribute("type") or el.tag_name).lower()
            if kind == "checkbox" and m:
                found, value = answerer.lookup(m.group(1))
                if not found:
                    continue
                key = m.group(3)
                if m.group(2):
                    import base64
                    key = base64.b64decode(key + "=" * (-len(key) % 4)).decode("utf-8")
                want = key in (value if isinstance(value, (list, tuple, set)) else [value])
                if el.is_selected() != want:
                    self._click_label_of(el)
                done.append(var)
                continue
            found, value = answerer.lookup(var)
            if not found or value is None:
                continue
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = value.isoformat()[:10]
            if kind == "radio":
                want = str(value)
                if el.get_attribute("value") == want and not el.is_selected():
                    self._click_label_of(el)
                done.append(var)
            elif kind == "checkbox":  # a single yes/no checkbox
                if el.is_selected() != bool(value):
                    self._click_label_of(el)
                done.append(var)
            elif el.tag_name.lower() == "select":
                from selenium.webdriver.support.ui import Select
                try:
                    Select(el).select_by_value(str(value))
                except Exception:
                    Select(el).select_by_visible_text(str(value))
                done.append(var)
            else:
                text = "\n".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
                if kind == "date":
                    self.driver.execute_script(
                        "arguments[0].value = arguments[1];"
                        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", el, text)
                else:
                    el.clear()
                    el.send_keys(text)
                    if el.get_attribute("role") == "combobox":
                        from selenium.webdriver.common.keys import Keys
                        el.send_keys(Keys.TAB)
                done.append(var)
        return done

    def click_action(self, label: str, limit: float = 120) -> None:
        """Click an action button of the screen (docassemble draws them as
        links or buttons) and wait for the page it leads to."""
        def plain(text: str) -> str:  # docassemble prints typographic apostrophes
            return text.replace("\u2019", "'").lower()

        candidates = self.driver.find_elements("css selector", "a.btn, button.btn, a")
        target = next((el for el in candidates if plain(label) in plain(el.text or "") and el.is_displayed()), None)
        if target is None:
            raise LookupError(f"no action {label!r} on {self.question()!r}")
        self._click(target)
        time.sleep(0.5)
        self.wait_ready(limit)

    def wait_for_text(self, text: str, limit: float = 180) -> None:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            try:
                if text in self.text():
                    return
            except Exception:  # the page is being replaced
                pass
            time.sleep(1)
        raise TimeoutError(f"{text!r} never appeared on {self.question()!r}")

    def link(self, text: str):
        for el in self.driver.find_elements("css selector", "a"):
            if text.lower() in (el.text or "").lower() and el.is_displayed():
                return el
        raise LookupError(f"no link {text!r} on {self.question()!r}")

    def wait_download(self, suffix: str, limit: float = 120) -> Path:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            done = [p for p in self.downloads.iterdir() if p.name.endswith(suffix)]
            if done and not any(p.name.endswith(".crdownload") for p in self.downloads.iterdir()):
                return done[0]
            time.sleep(0.5)
        raise TimeoutError(f"no {suffix} downloaded in {limit} s: {list(self.downloads.iterdir())}")

    # ---- a person's way through an interview, and the files it gives ----------
    def walk(self, answerer, until: tuple[str, ...], limit: int = 70) -> list[str]:
        """Answer screen after screen, a screenshot of each, until a heading
        starts with ``until``; returns the headings seen."""
        seen: list[str] = []
        for step in range(limit):
            heading = self.question()
            seen.append(heading)
            self.shot(heading[:40] or f"screen-{step}")
            if heading.startswith(until):
                return seen
            self.answer_screen(answerer)
            self.next_screen()
        raise AssertionError(f"never reached {until}: {seen}")

    def download_document(self, case_id: str, kind: str, lang: str, ext: str = "docx") -> Path:
        """Click the documents screen's link for one document and wait for the file."""
        name = f"{case_id}-{kind}-{lang}.{ext}"
        link = next((a for a in self.driver.find_elements("css selector", "a")
                     if (a.get_attribute("href") or "").split("?")[0].endswith(name)), None)
        assert link is not None, f"no link to {name} on {self.question()!r}"
        self._click(link)
        target = self.downloads / name
        end = time.monotonic() + 120
        while time.monotonic() < end:
            if target.exists() and not (self.downloads / (name + ".crdownload")).exists() and target.stat().st_size:
                return target
            time.sleep(0.5)
        raise TimeoutError(f"{name} not downloaded: {sorted(p.name for p in self.downloads.iterdir())}")


def docx_words(path: Path) -> str:
    """A downloaded DOCX's body text, its whitespace collapsed (what the tests search)."""
    from docassemble.puente.documents.docx_text import paragraphs

    return " ".join(" ".join(paragraphs(path, headers=False)).split())
