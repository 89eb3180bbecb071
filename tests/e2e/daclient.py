"""A small client for docassemble's REST API, and a driver that answers an
interview question by question from a table of answers keyed by variable
name, the way a person would go through it: it asks the server which
question comes next, answers exactly the fields that question shows, and
stops at the screen the test waits for. Every call has a timeout and every
loop a bound."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import requests

TIMEOUT = 180  # seconds for one request: assembling documents can take a while


class InterviewError(AssertionError):
    pass


@dataclass
class Session:
    client: "DAClient"
    i: str
    session: str
    secret: str
    history: list[str] = field(default_factory=list)

    @property
    def params(self) -> dict[str, str]:
        return {"i": self.i, "session": self.session, "secret": self.secret, "key": self.client.key}

    def question(self) -> dict:
        r = self.client.http.get(self.client.base + "/api/session/question", params=self.params, timeout=TIMEOUT)
        self.client.check(r, "GET /api/session/question")
        return r.json()

    def post(self, variables: dict, *, question_name: str | None = None, event_list: list | None = None) -> dict:
        body = {"key": self.client.key, "i": self.i, "session": self.session, "secret": self.secret,
                "variables": variables, "question": True}
        if question_name:
            body["question_name"] = question_name
        if event_list:
            body["event_list"] = event_list
        r = self.client.http.post(self.client.base + "/api/session", json=body, timeout=TIMEOUT)
        self.client.check(r, "POST /api/session")
        return r.json() if r.content else {}

    def post_file(self, variable: str, path, *, question_name: str | None = None, extra: dict | None = None) -> dict:
        data = {"key": self.client.key, "i": self.i, "session": self.session, "secret": self.secret,
                "question": "1", "variables": json.dumps(extra or {}),
                "file_variables": json.dumps({"upload": variable})}
        if question_name:
            data["question_name"] = question_name
        with open(path, "rb") as fh:
            r = self.client.http.post(self.client.base + "/api/session", data=data,
                                      files={"upload": (path.name, fh)}, timeout=TIMEOUT)
        self.client.check(r, "POST /api/session (file)")
        return r.json() if r.content else {}

    def action(self, action: str, **arguments: Any) -> None:
        """Run an interview action (what an action button does) in the session."""
        body = {"key": self.client.key, "i": self.i, "session": self.session, "secret": self.secret,
                "action": action, "arguments": arguments}
        r = self.client.http.post(self.client.base + "/api/session/action", json=body, timeout=TIMEOUT)
        self.client.check(r, f"POST /api/session/action {action}")

    def variables(self) -> dict:
        r = self.client.http.get(self.client.base + "/api/session", params=self.params, timeout=TIMEOUT)
        self.client.check(r, "GET /api/session")
        return r.json()

    def file(self, number: int | str, extension: str | None = None) -> requests.Response:
        params = dict(self.params)
        if extension:
            params["extension"] = extension
        r = self.client.http.get(f"{self.client.base}/api/file/{number}", params=params, timeout=TIMEOUT)
        self.client.check(r, f"GET /api/file/{number}")
        return r

    def wait_for(self, predicate: Callable[[dict], bool], *, limit: float = 300, every: float = 1.0) -> dict:
        """Poll the current question until ``predicate`` holds (background tasks)."""
        end = time.monotonic() + limit
        while True:
            q = self.question()
            if predicate(q):
                return q
            if time.monotonic() > end:
                raise InterviewError(f"waited {limit} s; still at {describe(q)}")
            time.sleep(every)


class DAClient:
    def __init__(self, base: str, key: str):
        self.base = base.rstrip("/")
        self.key = key
        self.http = requests.Session()

    @staticmethod
    def check(r: requests.Response, what: str) -> None:
        if r.status_code >= 400:
            raise InterviewError(f"{what}: HTTP {r.status_code}: {r.text[:2000]}")

    def new_session(self, i: str, **url_args: str) -> Session:
        r = self.http.get(self.base + "/api/session/new", params={"i": i, "key": self.key, **url_args}, timeout=TIMEOUT)
        self.check(r, "GET /api/session/new")
        data = r.json()
        # docassemble answers with the secret only when it made one; a secret
        # given (a user's own, see secret_for) stays the session's.
        return Session(self, i, data["session"], data.get("secret") or url_args.get("secret", ""))

    def secret_for(self, username: str, password: str) -> str:
        """A user's own encryption secret (/api/secret): a session started with
        it is the one that user's browser sign-in can open and decrypt."""
        r = self.http.get(self.base + "/api/secret", params={"key": self.key, "username": username,
                                                             "password": password}, timeout=TIMEOUT)
        self.check(r, "GET /api/secret")
        return str(r.json())


def describe(q: dict) -> str:
    fields = [f.get("variable_name") for f in q.get("fields", []) if f.get("variable_name")]
    return f"question {q.get('questionName') or q.get('id')!r} ({q.get('questionType')}) " \
           f"{strip_html(q.get('questionText', ''))[:120]!r} fields={fields}"


def strip_html(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text or "")).strip()


def question_text(q: dict) -> str:
    """Everything a person reads on the screen, as plain text."""
    parts = [q.get("questionText", ""), q.get("subquestionText", ""), q.get("underText", "")]
    for f in q.get("fields", []):
        parts.append(str(f.get("label", "")))
    return strip_html(" ".join(str(p) for p in parts if p))


def file_numbers(q: dict) -> list[tuple[int, str]]:
    """(number, filename) of every file linked from the screen (/uploadedfile/N/name.ext)."""
    html = " ".join(str(q.get(k, "")) for k in ("questionText", "subquestionText", "underText"))
    found = []
    for number, name in re.findall(r"/uploadedfile(?:download)?/(\d+)/([^\"'?#\s)<]+)", html):
        item = (int(number), requests.utils.unquote(name))
        if item not in found:
            found.append(item)
    for att in q.get("attachments", []):
        for ext, number in (att.get("number") or {}).items():
            found.append((int(number), att["filename_with_extension"][ext]))
    return found


Answers = dict[str, Any]


def checkbox_keys(f: dict) -> list[str]:
    """The keys of a checkboxes field (``x['key']``), without "none of the above"."""
    keys = []
    for c in f.get("choices", []):
        m = re.search(r"\[['\"](.*)['\"]\]$", c.get("variable_name", ""))
        if m:
            keys.append(m.group(1))
    return keys


class Answerer:
    """Answers by variable name. ``answers`` maps variable names (``[i]`` for
    any index) to values; ``lists`` maps a list variable (``case.family``) to
    its items (dicts), which answer ``case.family[n].x.y``, ``there_are_any``
    and ``there_is_another``."""

    def __init__(self, answers: Answers, lists: dict[str, list[dict]] | None = None):
        self.answers = answers
        self.lists = lists or {}
        self.gathered: dict[str, int] = {}

    def lookup(self, var: str) -> tuple[bool, Any]:
        if var in self.answers:
            return True, self.answers[var]
        m = re.match(r"^(.+)\[(\d+)\]\.(.+)$", var)
        if m and m.group(1) in self.lists:
            items, n = self.lists[m.group(1)], int(m.group(2))
            self.gathered[m.group(1)] = max(self.gathered.get(m.group(1), 0), n + 1)
            value: Any = items[n] if n < len(items) else {}
            for part in m.group(3).split("."):
                if not isinstance(value, dict) or part not in value:
                    value = None
                    break
                value = value[part]
            if value is not None:
                return True, value
        m = re.match(r"^(.+)\.(there_are_any|there_is_another)$", var)
        if m and m.group(1) in self.lists:
            items = self.lists[m.group(1)]
            if m.group(2) == "there_are_any":
                return True, bool(items)
            return True, self.gathered.get(m.group(1), 0) < len(items)
        generic = re.sub(r"\[\d+\]", "[i]", var)
        if generic in self.answers:
            return True, self.answers[generic]
        return False, None


def checkboxes(var: str, elements: dict[str, bool]) -> dict:
    """Checkbox answers as the web form stores them: a gathered DADict."""
    return {"_class": "docassemble.base.util.DADict", "instanceName": var, "elements": elements,
            "auto_gather": False, "gathered": True}


def convert(value: Any, f: dict, var: str) -> Any:
    """A value from an answer table, in the form the field takes."""
    import datetime
    if callable(value):
        value = value(f)
    datatype = f.get("datatype")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if datatype == "checkboxes":
        chosen = set(value) if isinstance(value, (list, tuple, set)) else {value}
        return checkboxes(var, {key: key in chosen for key in checkbox_keys(f)})
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    return value


ITERATOR = re.compile(r"\[([ijklmn])\]")


def iterator_values(q: dict) -> dict[str, str]:
    """The values of i, j, ... on a screen about a list item: the API shows
    fields as ``x[i].y`` and names the concrete variable sought in
    ``event_list`` (``x[0].z``)."""
    for f in q.get("fields", []) + [{"variable_name": q.get("question_variable_name")}]:
        var = f.get("variable_name") or ""
        letters = ITERATOR.findall(var)
        if not letters:
            continue
        head = var[:var.rindex("]") + 1]  # up to the last index: x[i] of x[i].y
        parts = [re.escape(p) for p in ITERATOR.split(head)[::2]]
        pattern = re.compile("^" + r"\[(\d+)\]".join(parts))
        for sought in q.get("event_list", []):
            m = pattern.match(sought)
            if m:
                return dict(zip(letters, m.groups(), strict=False))
    return {}


def concrete(var: str, values: dict[str, str]) -> str:
    return ITERATOR.sub(lambda m: f"[{values[m.group(1)]}]" if m.group(1) in values else m.group(0), var)


def shown(f: dict, sent: dict, answerer: Answerer, values: dict[str, str]) -> bool:
    """Whether a field with ``show if`` is visible given the other answers."""
    var = f.get("show_if_var")
    if not var:
        return True
    var = concrete(var, values)
    if var in sent:
        current = sent[var]
    else:
        current = answerer.lookup(var)[1]
    equal = str(current) == str(f.get("show_if_val"))
    return equal if f.get("show_if_sign", 1) else not equal


def drive(session: Session, answerer: Answerer, *, until: Callable[[dict], bool], max_steps: int = 150,
          on_question: Callable[[dict], None] | None = None) -> dict:
    """Answer questions until the question satisfies ``until``. A field
    whose variable has no answer and is not required is left empty, as a
    person would leave it; a required one stops the test, naming the
    question. A screen's continue button (``question_variable_name``) is
    pressed."""
    q = session.question()
    for _ in range(max_steps):
        if on_question:
            on_question(q)
        if until(q):
            return q
        qtype = q.get("questionType")
        name = q.get("questionName")
        session.history.append(str(name))
        if session.history[-3:] == [str(name)] * 3:
            raise InterviewError(f"the same question came back three times: {describe(q)}; "
                                 f"errors: {q.get('errors') or q.get('message_log')}; "
                                 f"the screen says: {question_text(q)[:1500]}")
        if qtype in ("deadend", "response", "sendfile", "redirect", "exit", "leave", "restart", "new_session"):
            raise InterviewError(f"the interview ended at {describe(q)}")
        variables: dict[str, Any] = {}
        missing = []
        values = iterator_values(q)
        for f in q.get("fields", []):
            var = f.get("variable_name")
            if not var or f.get("active", True) is False:
                continue
            var = concrete(var, values)
            if ITERATOR.search(var):
                raise InterviewError(f"cannot tell which item {var} is about at {describe(q)}")
            if qtype == "settrue" or f["variable_name"] == q.get("question_variable_name"):
                variables[var] = True
                continue
            if f.get("datatype") in ("note", "html", "raw html") or not shown(f, variables, answerer, values):
                continue
            found, value = answerer.lookup(var)
            if found:
                variables[var] = convert(value, f, var)
            elif f.get("datatype") == "checkboxes":
                variables[var] = checkboxes(var, {key: False for key in checkbox_keys(f)})  # none ticked
            elif f.get("required", True):
                missing.append(var)
        if q.get("question_variable_name"):
            variables.setdefault(concrete(q["question_variable_name"], values), True)
        if missing:
            raise InterviewError(f"no answer for {missing} at {describe(q)}")
        if not variables:
            raise InterviewError(f"nothing to answer at {describe(q)}")
        q = session.post(variables, question_name=name)
    raise InterviewError(f"not there after {max_steps} questions; history: {session.history}")
