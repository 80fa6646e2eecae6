"""The review screen in a real browser: Debian's Chromium driven by Playwright.

The server is started exactly as an officer would: `woo-anon review PLANDIR samples --no-browser
--port N`, on plans made by `woo-anon plan samples`. Every check reads the plan JSON on disk or
the output PDF, never the page alone.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest

from conftest import ROOT, write_text_pdf
from woo_anon.plan import plan_from_json
from woo_anon.review import apply_review_pdf

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = "review-app browser tests need Debian chromium at /usr/bin/chromium and playwright (run scripts/setup.sh)"
SAMPLES = ROOT / "samples"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - setup.sh installs it
    sync_playwright = None

pytestmark = pytest.mark.skipif(sync_playwright is None or not CHROMIUM.exists(), reason=SKIP_REASON)


def woo_anon(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "woo_anon", *args], capture_output=True, text=True,
                          timeout=600, **kwargs)


@pytest.fixture(scope="module")
def pristine_plans(tmp_path_factory) -> Path:
    """`woo-anon plan samples -o R`, once; each test reviews its own copy."""
    plans = tmp_path_factory.mktemp("plans") / "R"
    result = woo_anon("plan", str(SAMPLES), "-o", str(plans))
    assert result.returncode in (0, 6), result.stderr
    assert list(plans.glob("*.plan.json")), result.stderr
    return plans


class Review:
    """One `woo-anon review` process and where its files are."""

    def __init__(self, plans: Path, out: Path, inputs: tuple[str, ...] = (str(SAMPLES),)) -> None:
        self.plans, self.out = plans, out
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "woo_anon", "review", str(plans), *inputs, "--no-browser",
             "--port", str(self.port), "-o", str(out), "--reviewer", "T. Ester"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert "http://127.0.0.1:" in line, (line, self.proc.stderr.read() if self.proc.poll() is not None else "")
        self.url = line.split()[-1]

    def plan(self, name: str) -> dict:
        return json.loads((self.plans / f"{name}.plan.json").read_text(encoding="utf-8"))

    def entry(self, name: str, rid: str) -> dict:
        return next(r for r in self.plan(name)["redactions"] if r["id"] == rid)

    def wait_for(self, name: str, check, seconds: float = 10.0) -> dict:
        """The plan JSON on disk satisfies `check` within `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            data = self.plan(name)
            if check(data):
                return data
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}.plan.json did not change in {seconds} s")
            time.sleep(0.05)

    def assert_review_pdf_in_step(self, name: str) -> None:
        """`apply` folds the review PDF into the plan: after screen edits that must change nothing."""
        plan = plan_from_json(json.dumps(self.plan(name)))
        assert apply_review_pdf(plan, self.plans / f"{name}.review.pdf").redactions == plan.redactions

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.proc.stdout.close()
        self.proc.stderr.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def review(pristine_plans, tmp_path):
    plans = tmp_path / "R"
    shutil.copytree(pristine_plans, plans)
    server = Review(plans, tmp_path / "out")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, review):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.goto(review.url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator(".box").first).to_be_visible()
    yield page
    context.close()


def open_doc(page, name: str) -> None:
    page.get_by_role("button", name=f"{name} openen").click()
    expect(page.locator("#doc-title")).to_have_text(name)
    expect(page.locator(".box").first).to_be_visible()


def first_box(page, status: str, entity: str | None = None):
    selector = f'.box[data-status="{status}"]'
    boxes = page.locator(selector)
    for i in range(boxes.count()):
        if entity is None or entity in (boxes.nth(i).get_attribute("aria-label") or ""):
            return boxes.nth(i)
    raise AssertionError(f"no {status} box for {entity}")


def test_list_shows_every_sample_document(page, review):
    shown = page.locator("#doclist tbody tr td:first-child button").all_inner_texts()
    planned = sorted(p.name[: -len(".plan.json")] for p in review.plans.rglob("*.plan.json"))
    assert sorted(shown) == planned
    assert {p.name for p in SAMPLES.glob("*.pdf")} <= set(shown)
    # the first document's boxes follow the contract the tests and the acceptance rely on
    box = page.locator("[data-redaction-id]").first
    assert box.get_attribute("data-status") in ("redact", "keep")


def test_toggle_reaches_the_plan_json(page, review):
    name = page.locator("#doc-title").inner_text()
    box = first_box(page, "redact", "PERSON")
    rid = box.get_attribute("data-redaction-id")
    box.click()
    expect(page.locator(f'[data-redaction-id="{rid}"]').first).to_have_attribute("data-status", "keep")
    # the acceptance: on disk within two seconds of the click
    data = review.wait_for(name, lambda d: any(r["id"] == rid and r["status"] == "keep" for r in d["redactions"]),
                           seconds=2.0)
    entry = next(r for r in data["redactions"] if r["id"] == rid)
    assert entry["proposed"]["status"] == "redact" and entry["reviewer"] == "T. Ester" and entry["reviewed_at"]
    assert next(r for r in plan_from_json(json.dumps(data)).redactions if r.id == rid).origin == "reviewed"
    review.assert_review_pdf_in_step(name)
    # keyboard: the focused proposal flips back with Enter, and keeps the focus to flip again
    page.locator(f'[data-redaction-id="{rid}"]').first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f'[data-redaction-id="{rid}"]').first).to_have_attribute("data-status", "redact")
    review.wait_for(name, lambda d: review.entry(name, rid)["status"] == "redact")
    expect(page.locator(f'[data-redaction-id="{rid}"]').first).to_be_focused()
    page.keyboard.press("Enter")
    review.wait_for(name, lambda d: review.entry(name, rid)["status"] == "keep")


def test_ground_change_only_from_the_table(page, review):
    name = page.locator("#doc-title").inner_text()
    page.keyboard.press("n")  # first proposal in reading order
    rid = page.evaluate("document.activeElement.dataset.redactionId")
    if review.entry(name, rid)["status"] == "keep":
        page.keyboard.press("t")
        review.wait_for(name, lambda d: review.entry(name, rid)["status"] == "redact")
    page.get_by_label("Weigeringsgrond").select_option("5.1.1d")
    review.wait_for(name, lambda d: review.entry(name, rid)["ground"] == "5.1.1d")
    expect(page.locator(f'[data-redaction-id="{rid}"]').first).to_have_attribute("data-ground", "5.1.1d")
    # the server refuses anything else, whatever the page sends
    index = page.evaluate("Number(document.querySelector('#doclist tr[aria-current]').dataset.docIndex)")
    response = page.request.post(f"{review.url.split('/?')[0]}/api/documents/{index}/redactions/{rid}",
                                 data={"ground": "5.1.2x"})
    assert response.status == 400
    assert review.entry(name, rid)["ground"] == "5.1.1d"


def test_drawn_box_becomes_a_manual_redaction(page, review):
    name = page.locator("#doc-title").inner_text()
    before = len(review.plan(name)["redactions"])
    page.get_by_role("button", name="Vak tekenen").click()
    sheet = page.locator('.page[data-page="1"]').bounding_box()
    x, y = sheet["x"] + 300, sheet["y"] + 600
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 40, steps=5)
    page.mouse.up()
    data = review.wait_for(name, lambda d: len(d["redactions"]) == before + 1)
    new = data["redactions"][-1]
    assert new["entity"] == "MANUAL" and new["status"] == "redact" and new["reviewer"] == "T. Ester"
    assert "proposed" not in new and new["origin"] == "manual"
    zoom = page.evaluate("parseFloat(document.querySelector('.page').style.width)") / (
        pymupdf.open(review.plans / f"{name}.review.pdf")[0].rect.width)
    assert new["boxes"][0] == pytest.approx([300 / zoom, 600 / zoom, 420 / zoom, 640 / zoom], abs=1.5)
    expect(page.locator(f'[data-redaction-id="{new["id"]}"]')).to_have_attribute("data-status", "redact")
    review.assert_review_pdf_in_step(name)


def test_selected_text_is_redacted(page, review):
    name = page.locator("#doc-title").inner_text()
    before = {r["id"] for r in review.plan(name)["redactions"]}
    expect(page.locator('.page[data-page="1"] .textlayer span').first).to_be_attached()
    # select the page's first word the way a mouse would, then press l
    word = page.evaluate("""() => {
        const span = document.querySelector('.page[data-page="1"] .textlayer span');
        const range = document.createRange(); range.selectNodeContents(span);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        span.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        return span.textContent; }""")
    page.locator("#pages").focus()
    page.keyboard.press("l")
    data = review.wait_for(name, lambda d: {r["id"] for r in d["redactions"]} - before)
    new = next(r for r in data["redactions"] if r["id"] not in before)
    assert new["text"] == word and new["status"] == "redact" and new["origin"] == "manual"


def test_search_redacts_every_occurrence_in_the_request_and_undo(page, review):
    term = "Diemen"
    hits = {p.name[: -len(".review.pdf")]: sum(len(pg.search_for(term)) for pg in pymupdf.open(p))
            for p in review.plans.glob("*.review.pdf")}
    assert sum(hits.values()) >= 2
    before = {name: review.plan(name) for name in hits}
    page.get_by_label("Zoekterm").fill(term)
    page.get_by_label("Bereik").select_option("alle")
    page.get_by_role("button", name="Alle vindplaatsen lakken").click()
    expect(page.locator("#status")).to_contain_text("gevonden")
    assert any(review.plan(name) != before[name] for name in hits)
    for name, count in hits.items():
        if not count:
            continue
        data = review.plan(name)  # written before the page got its answer
        redacted = [r for r in data["redactions"] if r["status"] == "redact"]
        with pymupdf.open(review.plans / f"{name}.review.pdf") as doc:
            for pg in doc:
                for rect in pg.search_for(term):  # every occurrence lies under a redact box
                    assert any(r["page"] == pg.number + 1 and any(
                        pymupdf.Rect(b).intersect(rect).get_area() >= 0.5 * rect.get_area()
                        for b in r["boxes"]) for r in redacted), (name, pg.number, rect)
        review.assert_review_pdf_in_step(name)
    # what the search made can be applied: redacted, labelled and verified
    applied = woo_anon("apply", str(SAMPLES), "--plan", str(review.plans), "-o", str(review.out / "check"))
    assert applied.returncode == 0, applied.stderr
    page.get_by_role("button", name="Ongedaan maken").click()
    for name in hits:
        review.wait_for(name, lambda d: plan_from_json(json.dumps(d)).redactions ==
                        plan_from_json(json.dumps(before[name])).redactions)
        review.assert_review_pdf_in_step(name)


def test_refused_without_token_or_with_another_host(review):
    token = review.url.split("token=")[1]

    def get(path: str, host: str | None = None) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", review.port, timeout=10)
        conn.request("GET", path, headers={"Host": host or f"127.0.0.1:{review.port}"})
        status = conn.getresponse().status
        conn.close()
        return status

    assert get("/") == 403
    assert get("/api/documents") == 403
    assert get(f"/?token={token}x") == 403
    assert get(f"/?token={token}", host=f"evil.example:{review.port}") == 403
    assert get(f"/?token={token}", host=f"127.0.0.1:{review.port + 1}") == 403
    assert get(f"/?token={token}") == 303
    assert get(f"/?token={token}", host=f"localhost:{review.port}") == 303


@pytest.fixture()
def review_without_inputs(pristine_plans, tmp_path):
    """The acceptance's command: `woo-anon review R --no-browser --port N`, no INPUT."""
    plans = tmp_path / "R"
    shutil.copytree(pristine_plans, plans)
    server = Review(plans, tmp_path / "out", inputs=())
    yield server
    server.stop()


def test_apply_from_the_screen_equals_woo_anon_apply(browser, review_without_inputs, tmp_path):
    review = review_without_inputs
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(review.url)
    expect(page.locator(".box").first).to_be_visible()
    name = page.locator("#doc-title").inner_text()
    box = first_box(page, "redact", "PERSON")
    rid = box.get_attribute("data-redaction-id")
    kept_text = review.entry(name, rid)["text"]
    box.click()
    review.wait_for(name, lambda d: review.entry(name, rid)["status"] == "keep")
    page.get_by_role("button", name="Toepassen…").click()
    page.get_by_role("button", name="Start toepassen").click()  # refused: where are the originals?
    expect(page.locator("#apply-state")).to_contain_text("originele documenten")
    page.get_by_label("Map (of bestanden").fill(str(SAMPLES))
    page.get_by_role("button", name="Start toepassen").click()
    expect(page.locator("#apply-state")).to_contain_text("Klaar", timeout=120_000)
    rows = page.locator("#apply-results tbody tr")
    planned = sorted(p.name[: -len(".plan.json")] for p in review.plans.glob("*.plan.json"))
    assert rows.count() == len(planned)
    for i in range(rows.count()):
        assert rows.nth(i).get_attribute("data-status") == "verified", rows.nth(i).inner_text()

    cli_out = tmp_path / "cli-out"
    result = woo_anon("apply", str(SAMPLES), "--plan", str(review.plans), "-o", str(cli_out))
    assert result.returncode == 0, result.stderr
    for doc in planned:
        assert (review.out / doc).read_bytes() == (cli_out / doc).read_bytes(), doc
    with pymupdf.open(review.out / name) as out:
        text = " ".join(" ".join(pg.get_text().split()) for pg in out)
        assert " ".join(kept_text.split()) in text  # the officer's "keep" reached the output
        still = [r for r in review.plan(name)["redactions"] if r["status"] == "redact" and r["text"].strip()]
        assert still
        for r in still:  # and what is still to be redacted cannot be read under its boxes
            under = " ".join(" ".join(out[r["page"] - 1].get_textbox(pymupdf.Rect(b)).split()) for b in r["boxes"])
            assert " ".join(r["text"].split()) not in under, r["id"]


def test_every_control_is_labelled_and_the_boxes_are_reachable_by_keyboard(page):
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('button, select, input, a[href]')]
        .filter((el) => !((el.labels && el.labels.length) || el.getAttribute('aria-label') || el.textContent.trim()))
        .map((el) => el.outerHTML.slice(0, 100))""")
    assert unlabelled == []
    page.locator("body").focus()
    for _ in range(80):  # Tab alone gets from the top of the page to the first proposal
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.redactionId"):
            break
    rid = page.evaluate("document.activeElement.dataset.redactionId")
    assert rid
    status = page.evaluate("document.activeElement.dataset.status")
    page.keyboard.press("Space")
    flipped = {"redact": "keep", "keep": "redact", "review": "redact"}[status]
    expect(page.locator(f'[data-redaction-id="{rid}"]').first).to_have_attribute("data-status", flipped)


def test_bad_plan_folder_and_busy_port_are_one_line_errors(pristine_plans, tmp_path):
    missing = woo_anon("review", str(tmp_path / "nowhere"), "--no-browser")
    assert missing.returncode == 3 and "nowhere: no such folder" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr
    empty = woo_anon("review", str(tmp_path), "--no-browser")
    assert empty.returncode == 3 and "no *.plan.json" in empty.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        taken = woo_anon("review", str(pristine_plans), "--no-browser", "--port", str(busy.getsockname()[1]))
    assert taken.returncode == 2 and "choose another --port" in taken.stderr
    assert len(taken.stderr.strip().splitlines()) == 1


def test_list_flags_duplicates_from_the_grouping(browser, pristine_plans, tmp_path):
    plans = tmp_path / "R"
    shutil.copytree(pristine_plans, plans)
    names = sorted(p.name[: -len(".plan.json")] for p in plans.glob("*.plan.json"))
    (plans / "duplicates.csv").write_text(
        f"document,original,kind,similarity,thread\n{names[1]},{names[0]},exact,1.0,\n", encoding="utf-8")
    server = Review(plans, tmp_path / "out")
    try:
        page = browser.new_page()
        page.goto(server.url)
        row = page.locator(f'#doclist tr:has(button:text-is("{names[1]}"))')
        expect(row).to_contain_text(f"dubbel van {names[0]}")
        page.close()
    finally:
        server.stop()


def test_boxes_sit_on_their_text_on_a_rotated_page(browser, tmp_path):
    source = write_text_pdf(tmp_path / "in" / "gedraaid.pdf",
                            "Stuur uw reactie naar j.de.vries@example.nl of bel 06-12345678.",
                            rotate={0: 90})
    plans = tmp_path / "R"
    assert woo_anon("plan", str(source.parent), "-o", str(plans), "--model", "blank").returncode == 0
    server = Review(plans, tmp_path / "out", inputs=(str(source.parent),))
    try:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.goto(server.url)
        box = page.locator('.box[data-status="redact"]').first
        expect(box).to_be_visible()
        item = server.entry("gedraaid.pdf", box.get_attribute("data-redaction-id"))
        sheet = page.locator('.page[data-page="1"]').bounding_box()
        shown = box.bounding_box()
        with pymupdf.open(source) as doc:
            pdf_page = doc[0]
            zoom = sheet["width"] / pdf_page.rect.width
            where = pymupdf.Rect(*(pymupdf.Rect(item["boxes"][0]) * pdf_page.rotation_matrix))
            on_screen = pymupdf.Rect(shown["x"] - sheet["x"], shown["y"] - sheet["y"],
                                     shown["x"] - sheet["x"] + shown["width"],
                                     shown["y"] - sheet["y"] + shown["height"]) / zoom
            assert on_screen.contains(where) and on_screen.get_area() < 3 * where.get_area()
            # and MuPDF's own rendering has the text's ink there
            pix = pdf_page.get_pixmap(clip=where)
            dark = sum(1 for i in range(0, len(pix.samples), pix.n) if pix.samples[i] < 128)
            assert dark > 0.05 * pix.width * pix.height
        page.close()
    finally:
        server.stop()


def test_selection_over_a_redaction_extends_it_but_never_doubles_it(pristine_plans, tmp_path):
    from woo_anon.review_app.session import ReviewSession
    from woo_anon.review_app.store import EditError

    plans = tmp_path / "R"
    shutil.copytree(pristine_plans, plans)
    session = ReviewSession(plans, [str(SAMPLES)], tmp_path / "out", "T. Ester")
    try:
        doc = next(d for d in session.store.docs if d.name == "brief_besluit_bezwaar.pdf")
        target = next(r for r in doc.raw["redactions"] if r["status"] == "redact" and r["entity"] == "PERSON")
        words = session.words(doc.index, target["page"])
        inside = [i for i, w in enumerate(words) if pymupdf.Rect(w["b"]).intersects(pymupdf.Rect(target["boxes"][0]))]
        first, last = words[inside[0]], words[inside[-1]]
        with pytest.raises(EditError, match="al gelakt"):
            session.add_selection(doc.index, target["page"], first["s"], last["e"], "5.1.2e")
        before = words[inside[0] - 1]
        added = session.add_selection(doc.index, target["page"], before["s"], last["e"], "5.1.2e")
        assert added["text"].startswith(before["t"]) and added["origin"] == "manual"
    finally:
        session.close()
    applied = woo_anon("apply", str(SAMPLES), "--plan", str(plans), "-o", str(tmp_path / "out"))
    assert applied.returncode == 0, applied.stderr
