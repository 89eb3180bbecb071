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

Screens can be rendered to HTML with docassemble's own formatter
(``render_html``), which also shows which docassemble phrases each screen
asks the words table for. What it does not do: JavaScript, the page around the
form, sessions in a database. Those are the server end-to-end tests' job.
"""

from __future__ import annotations

import copy
import importlib.util
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "docassemble.puente"
INTERVIEWS = ROOT / "interviews"
# One folder per test process: file numbers start at 1 in every process, so
# two test runs at once (a developer's and an editor's) must not share files.
STATE = Path(tempfile.gettempdir()) / f"puente-da-harness-{os.getuid()}-{os.getpid()}"

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

    import gc
    import warnings

    # docassemble's own imports leave files open and use deprecated calls;
    # that is docassemble's business, not a failure of these tests.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import docassemble.base.config as da_config

        da_config.load(arguments=[])
        from docassemble.base.plugin_manager import pm

        pm.register(_ServerStandIn(da_config.daconfig), name="puente-harness")
        import docassemble.base.functions as functions

        _map_package_data(functions)
        import docassemble.base.parse  # noqa: F401 - loads the engine and docassemble.base.util
        import docassemble.base.util  # noqa: F401

        load_words(da_config.daconfig.get("words", []))
        gc.collect()
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

        wb = load_workbook(path, read_only=True)
        try:
            rows = wb.worksheets[0].iter_rows(values_only=True)
            header = [str(h) for h in next(rows)]
            for row in rows:
                rec = dict(zip(header, row, strict=False))
                if rec.get("orig_text") and rec.get("tr_text"):
                    out.setdefault(rec["tr_lang"], {})[str(rec["orig_text"])] = str(rec["tr_text"])
        finally:
            wb.close()
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
        self.error_type: str | None = None  # the worker's report of an exception in the task
        self.id = f"task-{len(_TASKS)}"

    def ready(self) -> bool:
        return self.done

    def get(self):
        from types import SimpleNamespace

        return SimpleNamespace(value=self.value, error_type=self.error_type, error_trace=None,
                               error_message=None, variables=None)

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
        number = getattr(file_reference, "number", file_reference)
        info = _FILES.get(int(number)) if str(number).isdigit() else None
        return f"/uploadedfile/{number}/{info['filename'] if info else ''}"

    @hookimpl
    def url_for(self, endpoint, kwargs):
        return f"/{endpoint}"

    @hookimpl
    def get_url(self, *args, **kwargs):
        return "/"

    @hookimpl
    def absolute_filename(self, the_file):
        return None

    # -- files: one folder per file number under STATE/files -----------------
    @hookimpl
    def get_new_file_number(self, user_code, file_name, yaml_file_name):
        number = len(_FILES) + 1
        _FILES[number] = {"filename": _safe_name(file_name) or "file.txt"}
        return number

    @hookimpl
    def get_ext_and_mimetype(self, filename):
        filename = str(filename or "file.txt")
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return Path(filename).suffix.lstrip(".").lower(), mimetype

    @hookimpl
    def save_numbered_file(self, filename, orig_path, yaml_file_name, uid):
        number = self.get_new_file_number(uid, filename, yaml_file_name)
        info = _file_info(number)
        shutil.copyfile(orig_path, info["fullpath"])
        return number, info["extension"], info["mimetype"]

    @hookimpl
    def file_number_finder(self, file_number, filename, uids, privileged):
        if int(file_number) not in _FILES:
            return None
        if filename:
            _FILES[int(file_number)]["filename"] = _safe_name(filename)
        return _file_info(int(file_number))

    @hookimpl
    def file_finder(self, file_reference, question, folder, package, filename, return_nonexistent, uids):
        if isinstance(file_reference, int) or str(file_reference).isdigit():
            return _file_info(int(file_reference)) if int(file_reference) in _FILES else {}
        return {}

    @hookimpl
    def file_set_attributes(self, file_number, **kwargs):
        return None

    @hookimpl
    def get_saved_file_class(self):
        return _SavedFile

    @hookimpl
    def secure_filename(self, filename):
        return _safe_name(filename, ascii_only=True)

    @hookimpl
    def secure_filename_spaces_ok(self, filename):
        return _safe_name(filename)

    @hookimpl
    def secure_filename_unicode_ok(self, the_filename):
        return _safe_name(the_filename)

    @hookimpl
    def get_celery_app(self):
        return _CeleryStandIn()

    @hookimpl
    def get_task(self, obj):
        return obj

    @hookimpl
    def get_server_redis(self):
        return _REDIS

    @hookimpl
    def get_server_redis_user(self):
        return _REDIS

    # DAStore: one dict for the test process (the board's global summaries);
    # ``encrypted`` is kept so a test can see how a value would be stored.
    @hookimpl
    def server_sql_get(self, key, secret):
        return copy.deepcopy(SQL_STORE[key][0]) if key in SQL_STORE else None

    @hookimpl
    def server_sql_defined(self, key):
        return key in SQL_STORE

    @hookimpl
    def server_sql_set(self, key, val, encrypted, secret, the_user_id):
        SQL_STORE[key] = (copy.deepcopy(val), bool(encrypted))

    @hookimpl
    def server_sql_delete(self, key):
        SQL_STORE.pop(key, None)

    @hookimpl
    def server_sql_keys(self, prefix):
        return {k[len(prefix):] for k in SQL_STORE if k.startswith(prefix)}


class _NullRedis:
    """Redis for one test process: the few calls Puente makes (the batch
    slot) keep their values; everything else does nothing."""

    def __init__(self):
        self.values: dict[str, Any] = {}

    def set(self, key, value, nx=False, ex=None, **kwargs):
        if nx and key in self.values:
            return None
        self.values[key] = value.encode() if isinstance(value, str) else value
        return True

    def get(self, key):
        return self.values.get(key)

    def delete(self, *keys):
        for key in keys:
            self.values.pop(key, None)

    def __getattr__(self, name):
        return lambda *a, **k: None


_REDIS = _NullRedis()
SQL_STORE: dict[str, tuple[Any, bool]] = {}


def _safe_name(name, ascii_only: bool = False) -> str:
    name = Path(str(name or "")).name
    if ascii_only:
        import unicodedata

        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^\w.\- ]", "_", name).strip()


def _file_info(number: int) -> dict[str, Any]:
    info = _FILES[number]
    folder = STATE / "files" / str(number)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / info["filename"]
    ext = Path(info["filename"]).suffix.lstrip(".").lower()
    return {"fullpath": str(path), "path": str(path), "filename": info["filename"], "extension": ext,
            "mimetype": mimetypes.guess_type(str(path))[0] or "application/octet-stream",
            "persistent": False, "private": True}


class _SavedFile:
    """The file store behind DAFile (the server keeps it on disk or in the cloud)."""

    def __init__(self, file_number, extension=None, fix=False, should_not_exist=False, filename=None, **kwargs):
        self.file_number = int(file_number)
        _FILES.setdefault(self.file_number, {"filename": filename or "file.txt"})
        self.extension = extension
        info = _file_info(self.file_number)
        self.path = info["fullpath"]
        self.directory = str(Path(self.path).parent)
        self.filename = info["filename"]

    def save(self, finalize=False):
        return None

    def finalize(self):
        return None

    def fix(self):
        return None

    def delete(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    def url_for(self, **kwargs):
        return f"/files/{self.file_number}/{self.filename}"

    def temp_url_for(self, **kwargs):
        return self.url_for()


# --------------------------------------------------------------------------
# Loading interviews


def interview_path(name: str) -> str:
    return f"{PACKAGE}:data/questions/{name}"


def load_interview(name: str, *, translating: bool = False):
    """Parse one interview file of the package (with everything it includes)."""
    boot()
    from docassemble.base.interview_source import interview_source_from_string
    from docassemble.base.parse import Interview
    from docassemble.base.thread_context import empty_globals, global_context

    with global_context(empty_globals()):
        source = interview_source_from_string(interview_path(name))
        source.update()
        source.translating = translating
        return Interview(source=source)


def interview_phrases(name: str) -> list[tuple[str, str, str]]:
    """(interview file, question id, phrase) for every translatable phrase,
    found the way docassemble's own "download translation file" finds them."""
    interview = load_interview(name, translating=True)
    out, seen = [], set()
    for question in interview.all_questions:
        for phrase in getattr(question, "translations", []):
            if phrase in seen:
                continue
            seen.add(phrase)
            qid = getattr(question, "id", None) or question.name
            out.append((question.from_source.get_name(), qid, phrase))
    return out


TRANSLATION_COLUMNS = ("interview", "question_id", "index_num", "hash", "orig_lang", "tr_lang", "orig_text", "tr_text")


def read_translation_file(path: Path) -> dict[str, str]:
    """orig_text -> tr_text of a docassemble interview translation XLSX."""
    from openpyxl import load_workbook

    out: dict[str, str] = {}
    if not path.exists():
        return out
    wb = load_workbook(path, read_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = list(next(rows))
        if tuple(header[:8]) != TRANSLATION_COLUMNS:
            raise ValueError(f"{path.name}: columns must be {TRANSLATION_COLUMNS}")
        for row in rows:
            rec = dict(zip(header, row, strict=False))
            if rec.get("orig_text") is not None:
                out[str(rec["orig_text"])] = "" if rec.get("tr_text") is None else str(rec["tr_text"])
    finally:
        wb.close()
    return out


def write_translation_file(path: Path, rows: list[tuple[str, str, str]], translations: dict[str, str],
                           orig_lang: str = "es", tr_lang: str = "en") -> None:
    """Write the XLSX docassemble reads in a `translations:` block, keeping
    every translation already made; new phrases get an empty tr_text."""
    import hashlib

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "translations"
    ws.append(list(TRANSLATION_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    index: dict[tuple[str, str], int] = {}
    for interview, qid, phrase in rows:
        n = index.get((interview, qid), 0)
        index[(interview, qid)] = n + 1
        ws.append([interview, qid, n, hashlib.md5(phrase.encode("utf-8")).hexdigest(), orig_lang, tr_lang,
                   phrase, translations.get(phrase, "")])
    for col, width in zip("ABCDEFGH", (34, 24, 10, 10, 9, 8, 70, 70), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row[6:8]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "G2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def entry_interviews() -> list[str]:
    """The interviews a user starts: every file that is not a library."""
    return sorted(p.name for p in INTERVIEWS.glob("*.yml")
                  if not p.name.startswith(("ql_", "logic_", "documents_")))


def all_phrases() -> list[tuple[str, str, str]]:
    """Every translatable phrase of every entry interview, once."""
    out, seen = [], set()
    for name in entry_interviews():
        for row in interview_phrases(name):
            if row[2] not in seen:
                seen.add(row[2])
                out.append(row)
    return out


# --------------------------------------------------------------------------
# Driving an interview


class ScriptError(AssertionError):
    """The scripted answers do not fit the screen the interview showed."""


class Screen:
    """What the interview shows after one assembly."""

    def __init__(self, status, user_dict):
        from docassemble.base.parse import from_safeid

        self.status = status
        q = status.question
        self.question = q
        self.id = getattr(q, "id", None) or q.name
        self.type = q.question_type
        self.title = status.question_text or ""
        self.subquestion = status.subquestion_text or ""
        self.fields = []
        for field in q.fields:
            if not getattr(field, "saveas", None):
                continue
            self.fields.append({"variable": _concrete(from_safeid(field.saveas), user_dict), "field": field,
                                "datatype": getattr(field, "datatype", None),
                                "required": status.extras.get("required", {}).get(field.number, True)})

    @property
    def text(self) -> str:
        """Everything written on the screen (title, body, labels, help, choices)."""
        st = self.status
        parts = [self.title, self.subquestion]
        parts += [str(v) for v in getattr(st, "labels", {}).values()]
        parts += [str(v) for v in getattr(st, "helptexts", {}).values()]
        parts += [str(v) for v in getattr(st, "hints", {}).values()]
        for choices in getattr(st, "selectcompute", {}).values():
            for item in choices or []:
                parts.append(str(item.get("label", "")))
        return "\n".join(p for p in parts if p)

    def __repr__(self) -> str:
        return f"<Screen {self.id} ({self.type}) {[f['variable'] for f in self.fields]}>"


def _concrete(name: str, user_dict: dict) -> str:
    """'case.family[i].given_names' -> 'case.family[0].given_names'."""
    for it in ("i", "j", "k", "l", "m", "n"):
        if f"[{it}]" in name and it in user_dict:
            name = name.replace(f"[{it}]", f"[{user_dict[it]!r}]")
    return name


def current_info(name: str, lang: str, url_args: dict | None, action: dict | None = None) -> dict:
    info = {
        "user": {"is_anonymous": True, "is_authenticated": False, "theid": None, "the_user_id": "t1",
                 "roles": ["user"], "firstname": None, "lastname": None, "email": None, "country": "MX",
                 "subdivisionfirst": None, "subdivisionsecond": None, "subdivisionthird": None,
                 "organization": None, "timezone": "America/Mexico_City", "language": lang,
                 "session_uid": "harness", "device_id": "harness"},
        "session": "harness-session", "secret": None, "yaml_filename": interview_path(name),
        "url": "http://localhost/interview", "url_root": "http://localhost/", "encrypted": False,
        "interface": "web", "arguments": dict(url_args or {}), "headers": {}, "clientip": "127.0.0.1",
        "method": "GET",
    }
    if action:
        info["action"] = action["action"]
        info["arguments"] = action.get("arguments", {})
    return info


class Session:
    """One user's way through one interview, in-process."""

    def __init__(self, name: str, *, url_args: dict | None = None):
        boot()
        from docassemble.base.parse import get_initial_dict
        from docassemble.base.thread_context import empty_globals, global_context

        self.name = name
        self.url_args = dict(url_args or {})
        # Background tasks belong to the session that queued them; a new
        # session (a new user) must not run an earlier one's on its answers.
        _TASKS.clear()
        self._ctx = global_context(empty_globals())
        self._ctx.__enter__()
        self.interview = load_interview(name)
        self.user_dict = get_initial_dict()
        self.user_dict["url_args"] = self.url_args
        self.user_dict["_harness_choices"] = self._choices_of
        self.user_dict["_harness_file"] = _upload
        self.history: list[Screen] = []
        self._asked: dict[str, int] = {}

    def close(self) -> None:
        self._ctx.__exit__(None, None, None)

    @property
    def language(self) -> str:
        return self.user_dict.get("puente_language", "es")

    def _assemble(self, user_dict: dict, action: dict | None):
        from docassemble.base.parse import InterviewStatus
        from docassemble.base.thread_context import user_dict_context

        status = InterviewStatus(current_info=current_info(self.name, self.language, self.url_args, action))
        with user_dict_context(user_dict):
            self.interview.assemble(user_dict, status)
        return status

    def assemble(self, action: dict | None = None) -> Screen:
        screen = Screen(self._assemble(self.user_dict, action), self.user_dict)
        self.history.append(screen)
        return screen

    def action(self, name: str, **arguments) -> Screen:
        return self.assemble({"action": name, "arguments": arguments})

    def exec(self, code: str) -> None:
        from docassemble.base.thread_context import user_dict_context

        with user_dict_context(self.user_dict):
            exec(code, self.user_dict)

    def eval(self, expr: str) -> Any:
        return eval(expr, self.user_dict)

    def answer(self, screen: Screen, answers: dict[str, Any]) -> None:
        """Fill the fields of ``screen`` as a browser would post them."""
        q = screen.question
        for info in screen.fields:
            var, field = info["variable"], info["field"]
            datatype = getattr(field, "datatype", None)
            if screen.status.extras.get("ok", {}).get(field.number) is False:
                continue  # `show if: code:` was false: the field is not on the page
            if q.question_type in ("yesno", "noyes", "yesnomaybe", "noyesmaybe"):
                value = answers.get(var, True)
                if isinstance(value, list):  # the same question asked again: answers in turn
                    n = self._asked.get(var, 0)
                    self._asked[var] = n + 1
                    value = value[min(n, len(value) - 1)]
            elif var in answers:
                value = answers[var]
                if isinstance(value, list) and datatype != "checkboxes":
                    n = self._asked.get(var, 0)  # the same question asked again: answers in turn
                    self._asked[var] = n + 1
                    value = value[min(n, len(value) - 1)]
            elif q.question_type == "settrue":
                value = True
            elif self._hidden(screen, info, answers):
                continue
            elif self._defined(var):
                continue  # shown with its current value, posted back unchanged (e.g. a loaded case)
            elif not info["required"]:
                # an optional radio left unchosen: the server posts the word "None"
                value = "None" if getattr(field, "inputtype", None) == "radio" else _empty(datatype)
            else:
                raise ScriptError(f"screen {screen.id}: no scripted answer for {var}")
            self._assign(var, datatype, value)
        for attr in ("fields_saveas", "review_saveas"):
            if getattr(q, attr, None):
                self.exec(f"{_concrete(getattr(q, attr), self.user_dict)} = True")
        if getattr(q, "validation_code", None):
            from docassemble.base.error import DAValidationError

            try:
                self.exec(q.validation_code)
            except DAValidationError as err:
                raise ScriptError(f"screen {screen.id}: validation failed: {err}") from None

    def _defined(self, var: str) -> bool:
        try:
            self.eval(var)
            return True
        except Exception:
            return False

    def _hidden(self, screen: Screen, info: dict, answers: dict) -> bool:
        """Whether a `show if` / `hide if` on another field of the screen hides this one."""
        from docassemble.base.parse import from_safeid

        field, extras = info["field"], screen.status.extras
        if "show_if_var" not in getattr(field, "extras", {}):
            return False
        var = _concrete(from_safeid(field.extras["show_if_var"]), self.user_dict)
        target = extras.get("show_if_val", {}).get(field.number)
        try:
            current = answers[var] if var in answers else self.eval(var)
        except (NameError, AttributeError):
            current = None  # the controlling field is not on the page either
        shown = str(current) == str(target)
        return not shown if field.extras.get("show_if_sign", 1) else shown

    def _assign(self, var: str, datatype: str | None, value: Any) -> None:
        self.user_dict["_harness_value"] = value
        if datatype == "date" and isinstance(value, str) and value:
            self.exec(f"{var} = as_datetime(_harness_value)")
        elif datatype == "checkboxes":
            self.exec(f"{var} = DADict({var!r}, auto_gather=False, gathered=True)\n"
                      f"{var}.elements.update({{k: k in _harness_value for k in _harness_choices({var!r})}})")
        elif datatype in ("file", "files"):
            self.exec(f"{var} = _harness_file(_harness_value, {var!r})")
        else:
            self.exec(f"{var} = _harness_value")
        del self.user_dict["_harness_value"]

    def run(self, answers: dict[str, Any], until: str, *, max_steps: int = 150) -> Screen:
        """Answer screens from ``answers`` until the screen with id ``until``."""
        screen = self.assemble()
        for _ in range(max_steps):
            if screen.id == until:
                return screen
            if any(not t.done for t in _TASKS):
                self.run_tasks()
                screen = self.assemble()
                continue
            if screen.type == "deadend" and not screen.fields:
                raise ScriptError(f"stuck on screen {screen.id} ({screen.title!r})")
            self.answer(screen, answers)
            screen = self.assemble()
        raise ScriptError(f"did not reach {until} in {max_steps} screens; last {screen!r}")

    def _choices_of(self, var: str) -> list[str]:
        screen = self.history[-1]
        for info in screen.fields:
            if info["variable"] == var:
                choices = getattr(screen.status, "selectcompute", {}).get(info["field"].number)
                return [str(c["key"]) for c in choices or []]
        return []

    def run_tasks(self) -> None:
        """Run queued background tasks as the Celery worker would: on a copy
        of the answers; ``background_response_action`` comes back to the
        session as an action; an exception in the task makes it "failed"
        (``task.failed()``), as docassemble's worker reports it."""
        for task in [t for t in _TASKS if not t.done]:
            action = task.args[6]
            # The worker works on its own copy of the saved answers.
            from docassemble.base.functions import pickleable_objects

            saved = {k: v for k, v in self.user_dict.items() if not k.startswith("_harness")}
            worker_dict = copy.deepcopy(pickleable_objects(saved))
            try:
                status = self._assemble(worker_dict, action)
            except Exception as exc:  # noqa: BLE001 - as the worker: the task ends "failed"
                task.error_type = type(exc).__name__
                task.done = True
                continue
            q = status.question
            if q.question_type == "backgroundresponseaction":
                self._assemble(self.user_dict, q.action)
            elif q.question_type == "backgroundresponse":
                task.value = getattr(q, "backgroundresponse", None)
            else:
                raise ScriptError(f"background action {action['action']} ended on screen {q.name}")
            task.done = True


def _empty(datatype: str | None) -> Any:
    """What the browser posts for an optional field left empty."""
    if datatype in ("yesnoradio", "noyesradio", "yesno", "noyes", "integer", "number", "currency", "range"):
        return None
    if datatype == "checkboxes":
        return []
    return ""


def _upload(path: str, var: str):
    """A DAFileList holding one uploaded file, as the server makes it."""
    from docassemble.base.util import DAFile, DAFileList

    src = Path(path)
    f = DAFile(f"{var}[0]")
    f.initialize(filename=src.name)
    f.copy_into(str(src))
    f.commit()
    return DAFileList(var, elements=[f], auto_gather=False, gathered=True)


def render_html(session: Session, screen: Screen) -> str:
    """The body of the page docassemble would send for ``screen``: the same
    formatter the server uses (docassemble.base.standardformatter.as_html),
    given the screen parts the server's view would set. No JavaScript runs."""
    from docassemble.base.functions import word
    from docassemble.base.standardformatter import as_html
    from docassemble.base.thread_context import user_dict_context

    st = screen.status
    with user_dict_context(session.user_dict):
        info = session.interview.get_title(session.user_dict, status=st, converter=lambda content, part: content)
        st.using_navigation = False
        st.exit_url, st.exit_link = info.get("exit url"), info.get("exit link", "leave")
        st.exit_label = info.get("exit label", word("Exit"))
        st.title = info.get("full", "")
        st.display_title = st.tabtitle = st.short_title = st.display_short_title = st.title
        st.title_url, st.title_url_opens_in_other_window = None, True
        st.nav_item = info.get("navigation bar html", "")
        st.pre, st.post = info.get("pre", ""), info.get("post", "")
        st.footer, st.submit = info.get("footer", ""), info.get("submit", "")
        st.back = info.get("back button label") or st.question.back()
        st.cornerback = info.get("corner back button label") or st.question.cornerback()
        rules = {"rules": {}, "messages": {}, "errorClass": "da-has-error", "debug": False}
        return as_html(st, False, "/interview", rules, None, None, 2)


class WordRecorder(dict):
    """docassemble's word table for one language, noting every phrase asked
    for (and which had no translation) while screens are rendered."""

    def __init__(self, table: dict):
        super().__init__(table)
        self.asked: set[str] = set()
        self.missing: set[str] = set()

    def __getitem__(self, key):
        self.asked.add(key)
        if not dict.__contains__(self, key):
            self.missing.add(key)
        return dict.__getitem__(self, key)


def record_words(lang: str) -> WordRecorder:
    from docassemble.base.language import words

    table = words.word_collection.get(lang, {})
    recorder = table if isinstance(table, WordRecorder) else WordRecorder(table)
    words.word_collection[lang] = recorder
    return recorder


def run_rendering(name: str, answers: dict, until: str, *, lang: str = "es") -> tuple[Session, list[str]]:
    """Run an interview to ``until``, rendering every screen to HTML on the way
    (as the server would send it). Returns the session and the pages."""
    session = Session(name, url_args={"lang": lang})
    pages = []
    screen = session.assemble()
    for _ in range(200):
        pages.append(render_html(session, screen))
        if screen.id == until:
            return session, pages
        if any(not t.done for t in _TASKS):
            session.run_tasks()
        else:
            session.answer(screen, answers)
        screen = session.assemble()
    raise ScriptError(f"did not reach {until}")
