"""Run Puente's docassemble interviews in-process, with no server.

docassemble.base (the interview engine) can parse and assemble interviews on
its own once it has a configuration and a plugin that answers the hooks a
server would answer (docassemble 1.10 routes them through
``docassemble.base.plugin_manager.pm``). This module supplies both, then
drives an interview the way a browser would: assemble, look at the question,
answer its fields with scripted values, assemble again.

What the server does and this harness imitates:

* files: ``save_numbered_file`` and friends store uploaded and generated
  files in a temporary folder, so DAFile objects work;
* translations: the ``words`` files of the configuration (docassemble's own
  Spanish phrases and Puente's) are loaded as the server loads them;
* background tasks: ``background_action`` is queued and the harness runs it
  as the Celery worker would, including ``background_response_action``;
* the package layout: in a source checkout the interviews live in
  ``interviews/`` rather than ``docassemble/puente/data/questions``, so
  package paths are mapped with ``docassemble.puente.resources``.

What it does not do: HTML, JavaScript, sessions in a database. Those are the
server end-to-end tests' job.
"""

from __future__ import annotations

import copy
import datetime as _dt
import importlib.util
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "docassemble.puente"
INTERVIEWS = ROOT / "interviews"
STATE = Path(tempfile.gettempdir()) / f"puente-da-harness-{os.getuid()}"

# The same words files a server lists under `words:` in its configuration
# (see interviews/README.md): docassemble's own Spanish phrases, then Puente's
# corrections and additions, which win.
WORDS_FILES = (
    "docassemble.base:data/sources/es-words.xlf",
    "docassemble.puente:data/sources/system-words-es.xlsx",
)


def docassemble_available() -> bool:
    return importlib.util.find_spec("docassemble.base") is not None


# --------------------------------------------------------------------------
# Boot


_BOOTED = False
_FILES: dict[int, dict[str, Any]] = {}
_TASKS: list["FakeTask"] = []


def nltk_data_dir() -> Path:
    """The NLTK data docassemble needs, built once from Debian's WordNet."""
    target = Path(os.environ.get("PUENTE_NLTK_DATA", ROOT / ".venv" / "nltk_data"))
    if not (target / "corpora" / "wordnet" / "lexnames").exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build-nltk-data.py"), str(target)],
                       check=True, stdout=subprocess.DEVNULL)
    return target


def boot(extra_config: dict | None = None) -> None:
    """Configure docassemble.base for in-process use (once per process)."""
    global _BOOTED
    if _BOOTED:
        return
    STATE.mkdir(parents=True, exist_ok=True)
    config_file = STATE / "config.yml"
    import yaml

    config = {
        "secretkey": "puente-in-process-tests-0123456789",
        "debug": True,
        "language": "es",
        "locale": "es_MX.utf8",
        "country": "MX",
        "timezone": "America/Mexico_City",
        "words": list(WORDS_FILES),
        # Tests produce DOCX; the PDF test turns this on for itself.
        "puente": {"pdf": False},
    }
    config.update(extra_config or {})
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    os.environ["DA_CONFIG_FILE"] = str(config_file)
    os.environ["NLTK_DATA"] = str(nltk_data_dir())

    import docassemble.base.config as da_config

    da_config.load(arguments=[])
    from docassemble.base.plugin_manager import pm

    pm.register(_ServerStandIn(da_config.daconfig), name="puente-harness")
    import docassemble.base.functions as functions

    _map_package_data(functions)
    import docassemble.base.parse  # noqa: F401 - loads the engine and docassemble.base.util
    import docassemble.base.util  # noqa: F401

    load_words(da_config.daconfig.get("words", []))
    _BOOTED = True


def _map_package_data(functions) -> None:
    """Resolve ``docassemble.puente:data/<kind>/...`` in a source checkout."""
    from docassemble.puente.resources import data_dir

    original = functions.package_data_path

    def package_data_path(package, relative_path):
        if package == PACKAGE:
            parts = Path(relative_path).parts
            if len(parts) >= 2 and parts[0] == "data" and parts[1] in ("questions", "templates", "sources", "law"):
                return Path(data_dir(parts[1]), *parts[2:])
        return original(package, relative_path)

    functions.package_data_path = package_data_path


def load_words(references: list[str]) -> None:
    """Load `words` files (YAML, XLSX or XLIFF) as the server does at start."""
    from docassemble.base.functions import package_data_filename
    from docassemble.base.language.words import update_word_collection

    for ref in references:
        path = package_data_filename(ref)
        if path is None or not os.path.isfile(path):
            raise FileNotFoundError(f"words file {ref} not found")
        for lang, table in read_words_file(Path(path)).items():
            update_word_collection(lang, table)


def read_words_file(path: Path) -> dict[str, dict[str, str]]:
    """{language: {phrase: translation}} from a docassemble words file."""
    out: dict[str, dict[str, str]] = {}
    if path.suffix in (".yml", ".yaml"):
        import yaml

        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            for lang, table in (doc or {}).items():
                out.setdefault(lang, {}).update({str(k): str(v) for k, v in table.items() if v is not None})
    elif path.suffix == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True).worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        for row in rows:
            rec = dict(zip(header, row))
            if rec.get("orig_text") and rec.get("tr_text"):
                out.setdefault(rec["tr_lang"], {})[str(rec["orig_text"])] = str(rec["tr_text"])
    elif path.suffix in (".xlf", ".xliff"):
        import xml.etree.ElementTree as ET

        ns = "{urn:oasis:names:tc:xliff:document:1.2}"
        for file_el in ET.parse(path).getroot().iter(f"{ns}file"):
            lang = file_el.attrib.get("target-language", "en")
            for unit in file_el.iter(f"{ns}trans-unit"):
                src = "".join(unit.find(f"{ns}source").itertext())
                tgt_el = unit.find(f"{ns}target")
                tgt = "".join(tgt_el.itertext()) if tgt_el is not None else ""
                if src and tgt:
                    out.setdefault(lang, {})[src] = tgt
    return out


class FakeTask:
    """What the Celery app hands back: the harness runs the task later."""

    def __init__(self, args: list[Any]):
        self.args = args
        self.done = False
        self.value = None
        self.id = f"task-{len(_TASKS)}"

    def ready(self) -> bool:
        return self.done

    def get(self):
        from types import SimpleNamespace

        return SimpleNamespace(value=self.value, error_type=None, error_trace=None, error_message=None, variables=None)

    status = state = property(lambda self: "SUCCESS" if self.done else "PENDING")


class _CeleryStandIn:
    def signature(self, name, args=None, kwargs=None):
        task = FakeTask(args or [])

        class _Sig:
            def delay(self_inner):
                _TASKS.append(task)
                return task

        return _Sig()


class _ServerStandIn:
    """The hooks a docassemble server would answer, for one local process."""

    import pluggy as _pluggy

    hookimpl = _pluggy.HookimplMarker("docassemble")

    def __init__(self, daconfig):
        self.daconfig = daconfig

    @hookimpl
    def get_configuration(self):
        return self.daconfig

    @hookimpl
    def get_default_language(self):
        return "es"

    @hookimpl
    def get_default_dialect(self):
        return None

    @hookimpl
    def get_default_locale(self):
        return "es_MX.utf8"

    @hookimpl
    def get_default_voice(self):
        return None

    @hookimpl
    def get_default_timezone(self):
        return "America/Mexico_City"

    @hookimpl
    def get_default_country(self):
        return "MX"

    @hookimpl
    def get_debug_status(self):
        return True

    @hookimpl
    def get_hostname(self):
        return "localhost"

    @hookimpl
    def get_main_page_parts(self):
        return {}

    @hookimpl
    def get_default_table_class(self):
        return "table table-striped"

    @hookimpl
    def get_default_thead_class(self):
        return "table-light"

    @hookimpl
    def get_button_class_prefix(self):
        return "btn-"

    @hookimpl
    def url_finder(self, file_reference, kwargs):
        return f"/files/{file_reference}"

    @hookimpl
    def url_for(self, endpoint, kwargs):
        return f"/{endpoint}"

    @hookimpl
    def get_url(self, *args, **kwargs):
        return "/"

    @hookimpl
    def absolute_filename(self, the_file):
        return None

    @hookimpl
    def get_new_file_number(self, user_code, file_name, yaml_file_name):
        number = len(_FILES) + 1
        _FILES[number] = {"filename": file_name, "path": None}
        return number

    @hookimpl
    def get_ext_and_mimetype(self, filename):
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return Path(filename).suffix.lstrip("."), mimetype

    @hookimpl
    def save_numbered_file(self, filename, orig_path, yaml_file_name, uid):
        number = len(_FILES) + 1
        dest = STATE / "files" / f"{number}{Path(filename).suffix}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(orig_path, dest)
        ext, mimetype = self.get_ext_and_mimetype(filename)
        _FILES[number] = {"filename": filename, "path": str(dest), "extension": ext, "mimetype": mimetype}
        return number, ext, mimetype

    @hookimpl
    def file_number_finder(self, file_number, filename, uids, privileged):
        info = _FILES.get(int(file_number))
        if info is None or info.get("path") is None:
            return None
        return {"fullpath": info["path"], "path": info["path"], "filename": info["filename"],
                "extension": info.get("extension"), "mimetype": info.get("mimetype"), "persistent": False,
                "private": True}

    @hookimpl
    def get_saved_file_class(self):
        return _SavedFile

    @hookimpl
    def get_celery_app(self):
        return _CeleryStandIn()

    @hookimpl
    def get_task(self, obj):
        return obj

    @hookimpl
    def get_server_redis(self):
        return _NullRedis()

    @hookimpl
    def get_server_redis_user(self):
        return _NullRedis()

    @hookimpl
    def server_sql_get(self, key, secret):
        return None

    @hookimpl
    def server_sql_defined(self, key):
        return False

    @hookimpl
    def server_sql_set(self, key, val, encrypted, secret, the_user_id):
        return None

    @hookimpl
    def server_sql_keys(self, prefix):
        return set()


class _NullRedis:
    def __getattr__(self, name):
        return lambda *a, **k: None


class _SavedFile:
    """The file store behind DAFile: one folder per file number."""

    def __init__(self, file_number, extension=None, fix=False, should_not_exist=False, filename=None, **kwargs):
        self.file_number = file_number
        self.extension = extension
        self.fixed = False
        self.directory = STATE / "files" / str(file_number)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.filename = filename or (_FILES.get(file_number) or {}).get("filename") or "file"
        self.path = str(self.directory / self.filename)
        self.modtimes = {}
        self.keydict = {}
        self.subdir = None

    def fix(self):
        self.fixed = True

    def copy_from(self, orig_path, filename=None, **kwargs):
        if filename:
            self.filename = filename
            self.path = str(self.directory / filename)
        shutil.copyfile(orig_path, self.path)
        info = _FILES.setdefault(self.file_number, {})
        info.update(filename=self.filename, path=self.path)

    def save(self, finalize=False):
        info = _FILES.setdefault(self.file_number, {})
        info.update(filename=self.filename, path=self.path)

    def finalize(self):
        self.save()

    def url_for(self, **kwargs):
        return f"/files/{self.file_number}/{self.filename}"

    def size_in_bytes(self, filename=None):
        return os.path.getsize(self.path)

    def list_of_files(self):
        return [p.name for p in self.directory.iterdir()]

    def temp_url_for(self, **kwargs):
        return self.url_for()

    def cloud_path(self, filename=None):
        return None

    def get_modtime(self, filename=None):
        return os.path.getmtime(self.path)

    def delete(self):
        shutil.rmtree(self.directory, ignore_errors=True)
