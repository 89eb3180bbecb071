"""The batch upload as a paralegal does it, in a real Chromium: signs in,
uploads the workbook `puente template-sheet` made (cases typed under its
example row) through the page's file field, reads the report, generates,
downloads the ZIP. The workbook also carries a hostile case id and a
hostile column header: the report shows them as text and no script runs."""

from __future__ import annotations

import copy
import io
import uuid
import zipfile

import pytest
import yaml

from tests.batch_files import filled_template

from . import browser as br
from .conftest import require_interview

pytestmark = pytest.mark.skipif(br.available() is not None, reason=str(br.available()))

BATCH = "docassemble.puente:data/questions/batch.yml"
HOSTILE_ID = "<img src=x onerror=\"document.title='pwned';window.puentePwned=1\">"
HOSTILE_HEADER = "<script>window.puentePwned=2</script>[clic](javascript:window.puentePwned=3)"


def test_paralegal_uploads_the_template_and_downloads_the_zip(server, chromium, tmp_path):
    require_interview("batch.yml")
    from pathlib import Path
    example = Path(__file__).resolve().parents[2] / "examples" / "ana-asylum.yaml"
    ana = yaml.safe_load(example.read_text(encoding="utf-8"))
    hostile = dict(copy.deepcopy(ana), case_id=HOSTILE_ID)
    workbook = filled_template(tmp_path / "cases.xlsx", [dict(copy.deepcopy(ana), case_id="T-0001"), hostile],
                               header_extra=HOSTILE_HEADER)
    email, password = server.user(f"paralegal-{uuid.uuid4().hex[:6]}@example.org", ["advocate"])
    b = chromium
    b.sign_in(server.base, email, password)
    b.open(f"{server.base}/interview?i={BATCH}")
    b.shot("intro")
    b.next_screen()
    assert b.question().startswith("Suba el archivo"), b.question()
    assert "Ninguna de las anteriores" not in b.text()
    b.driver.find_element("css selector", "input[type=file]").send_keys(str(workbook))
    b.shot("upload-chosen")
    b.click_button()
    b.wait_for_question(lambda q: q.startswith("Informe"), limit=180)
    b.wait_ready()
    b.shot("report")
    text = b.text()
    # The browser accepted the workbook (no "formato válido" refusal) and the
    # server read it: one valid case, the hostile one reported as text.
    assert "Informe: 1 de 2" in b.question(), b.question()
    assert HOSTILE_ID in text, text[-2000:]
    assert "<script>window.puentePwned=2</script>" in text
    assert b.driver.execute_script("return window.puentePwned || 0") == 0
    assert b.driver.title != "pwned"
    assert not b.driver.find_elements("css selector", "#daquestion img[src='x'], #daquestion a[href^='javascript']")
    assert "Se omitió la fila de ejemplo de la plantilla (EX-0001" in text
    assert "hoja cases, fila 3" in text and "sheet cases" not in text
    b.next_screen()
    b.wait_for_question(lambda q: q.startswith("Listo"), limit=600)
    b.shot("done")
    assert b.driver.execute_script("return window.puentePwned || 0") == 0
    link = b.link("Descargar todo en un ZIP")
    b.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
    b._click(link)
    zipped = b.wait_download(".zip")
    with zipfile.ZipFile(io.BytesIO(zipped.read_bytes())) as zf:
        names = zf.namelist()
        manifest = zf.read("manifest.json").decode()
    assert "T-0001/es/asylum.docx" in names, names
    assert not any(n.startswith("EX-0001/") for n in names), "the template's example was generated"
    assert all(not n.startswith("/") and ".." not in n.split("/") for n in names)
    assert '"T-0001"' in manifest
