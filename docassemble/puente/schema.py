"""The flat field list of the case record, read off ``model.py``.

Spreadsheets flatten nested fields with dots (``child.given_names``); the
``family`` and ``evidence`` lists get sheets of their own. This module gives the
readers, the validator and the template workbook one list of those columns with
their kinds, choices and Spanish/English labels.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .model import Case, EvidenceItem, Relative


@dataclass(frozen=True)
class Field:
    path: str
    kind: str
    label_es: str
    label_en: str
    choices: tuple[str, ...] = ()
    required: bool = False

    @property
    def header(self) -> str:
        """Column header of the template workbook: field name and both labels."""
        return f"{self.path} | {self.label_es} | {self.label_en}"


def object_class(fld: dataclasses.Field) -> type:
    """The record class of an ``object`` field: model.py gives the class itself
    as the field's default factory."""
    factory = fld.default_factory
    if not callable(factory):
        raise TypeError(f"{fld.name}: an object field needs its class as default")
    return factory().__class__


def fields_of(cls: type, prefix: str = "", *, flatten_lists: bool = False) -> list[Field]:
    """Every leaf field of a record class, nested objects flattened with dots.

    Lists of objects (family, evidence, events) are left out: they are not
    columns of the ``cases`` sheet.
    """
    out: list[Field] = []
    for fld in dataclasses.fields(cls):
        meta = fld.metadata
        path = f"{prefix}{fld.name}"
        if meta["kind"] == "object":
            out.extend(fields_of(object_class(fld), path + "."))
        elif meta["kind"] in ("object_list", "raw"):
            continue
        else:
            out.append(Field(path, meta["kind"], meta["es"], meta["en"], meta["choices"], meta["required"]))
    return out


@lru_cache(maxsize=None)
def sheet_fields(sheet: str) -> tuple[Field, ...]:
    """Columns of one sheet of the batch workbook (``cases``, ``family``, ``evidence``)."""
    if sheet == "cases":
        return tuple(fields_of(Case))
    cls = {"family": Relative, "evidence": EvidenceItem}[sheet]
    return (Field("case_id", "text", "Clave del caso", "Case id", required=True), *fields_of(cls))


def header_aliases(sheet: str) -> dict[str, str]:
    """Every accepted spelling of a column header -> field path.

    A header may be the field name, its Spanish or English label, or the
    combined header the template workbook writes; matching ignores case and
    surrounding spaces.
    """
    aliases: dict[str, str] = {}
    for field in sheet_fields(sheet):
        for spelling in (field.path, field.label_es, field.label_en, field.header):
            aliases[normalize_header(spelling)] = field.path
    return aliases


def normalize_header(text: str) -> str:
    return " ".join(str(text).strip().lower().split())


_INDEX = re.compile(r"\[(\d+)\]")


def field_label(path: str, lang: str) -> str:
    """'family[0].refugee_status.resolution_number' -> the labels of the
    model, in ``lang``, joined: 'Familia 1 › Condición de refugiado › Número…'."""
    cls: Any = Case
    labels = []
    for part in path.split("."):
        m = _INDEX.search(part)
        name = _INDEX.sub("", part)
        fields = {f.name: f for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else {}
        fld = fields.get(name)
        if fld is None:
            break
        label = fld.metadata[lang]
        if m:
            label = f"{label} {int(m.group(1)) + 1}"
        labels.append(label)
        hint = typing.get_type_hints(cls).get(name)
        args = typing.get_args(hint)
        cls = args[0] if args else hint
    return " › ".join(labels) or path
