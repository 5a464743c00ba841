"""A document type's JSON Schema as an HTML form, and the form's fields back as an input document.

Each schema property becomes a field named by its path («pairs.0.mentor.name»):
objects are fieldsets, arrays of objects repeatable groups (their template
uses the placeholder ``__N<depth>__`` for the row index), arrays of texts a
text area of one line each, dates date inputs, closed lists and «м/ж»
drop-downs, the type's spreadsheet choices a list to pick from. Left out:
the fixed «type», organisation overrides and hand-made case forms (the
grammar makes them), and a single-item property when its plural list exists
(«mentee» beside «mentees»). ``document_from_form`` rebuilds the nested
document, dropping what was left empty, so validation gives the same Russian
messages as for a file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..doctypes import DocumentType

SKIPPED = {"type", "organization", "cases"}
LAST = ("number", "signer", "executor")  # common fields a secretary seldom fills: after the type's own
INDEX_RE = re.compile(r"^\d+$")


@dataclass
class FormField:
    """One node of the form tree."""

    kind: str  # group | repeat | text | date | select | lines | number
    name: str  # dotted path; repeat rows use __N<depth>__
    title: str
    required: bool = False
    children: list["FormField"] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    closed: bool = False
    depth: int = 0
    min_items: int = 0

    @property
    def placeholder(self) -> str:
        return f"__N{self.depth}__"


def sheet_choices(doc_type: DocumentType, closed_lists: dict[str, list[str]]) -> dict[str, tuple[list[str], bool]]:
    """Choices the type's spreadsheet offers, by the field's key relative to its row or document."""
    found: dict[str, tuple[list[str], bool]] = {}
    spec = doc_type.sheet
    if spec is None:
        return found
    for item in (*spec.fields, *spec.columns):
        values = list(item.choices)
        for extra in closed_lists.get(item.choice_list, []) if item.choice_list else []:
            if extra not in values:
                values.append(extra)
        if values:
            found[item.key] = (values, item.closed)
    return found


def is_gender(schema: dict) -> bool:
    return "м или ж" in str(schema.get("title", "")) and schema.get("type") == "string"


def build_form(doc_type: DocumentType, closed_lists: dict[str, list[str]]) -> list[FormField]:
    choices = sheet_choices(doc_type, closed_lists)
    schema = doc_type.schema
    fields = fields_of(schema, "", 0, choices, "", True)
    return sorted(fields, key=lambda f: f.name in LAST)


def fields_of(schema: dict, prefix: str, depth: int, choices: dict, relative: str, chain: bool) -> list[FormField]:
    """The fields of an object; ``chain``: the object itself must be there, so its required fields are."""
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    result = []
    for key, sub in properties.items():
        if key in SKIPPED or (f"{key}s" in properties and properties[f"{key}s"].get("type") == "array"):
            continue
        name = f"{prefix}{key}"
        rel = f"{relative}{key}"
        result.append(field_of(sub, name, chain and key in required, depth, choices, rel, key))
    return result


def field_of(schema: dict, name: str, required: bool, depth: int, choices: dict, relative: str, key: str) -> FormField:
    title = str(schema.get("title") or key)
    kind = schema.get("type")
    if kind == "object":
        return FormField("group", name, title, required,
                         children=fields_of(schema, f"{name}.", depth, choices, f"{relative}.", required), depth=depth)
    if kind == "array":
        items = schema.get("items", {})
        if items.get("type") == "object":
            placeholder = f"__N{depth}__"
            children = fields_of(items, f"{name}.{placeholder}.", depth + 1, choices, "", True)
            minimum = int(schema.get("minItems", 0))
            return FormField("repeat", name, title, required or minimum > 0, children=children, depth=depth,
                             min_items=max(minimum, 1 if required else 0))
        return FormField("lines", name, title, required)
    if schema.get("enum"):
        return FormField("select", name, title, required, choices=[str(v) for v in schema["enum"]], closed=True)
    if is_gender(schema):
        return FormField("select", name, title, required, choices=["м", "ж"], closed=True)
    if schema.get("format") == "date":
        return FormField("date", name, title, required)
    if relative in choices:
        values, closed = choices[relative]
        return FormField("select" if closed else "text", name, title, required, choices=values, closed=closed)
    if kind == "integer" or kind == "number":
        return FormField("number", name, title, required)
    return FormField("text", name, title, required)


def document_from_form(type_id: str, items: list[tuple[str, str]], lines_fields: set[str]) -> dict:
    """The nested document from form fields (name, value); empty values are left out."""
    root: dict = {}
    for name, value in items:
        if name == "csrf" or name.startswith("_") or "__N" in name:
            continue
        value = value.strip()
        if not value:
            continue
        parts = name.split(".")
        if is_lines_field(name, lines_fields):
            put(root, parts, [line.strip() for line in value.splitlines() if line.strip()])
        else:
            put(root, parts, value)
    document = compact(root)
    document["type"] = type_id
    return document


def put(node: dict, parts: list[str], value) -> None:
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def compact(node):
    """Dicts keyed by row numbers become lists in row order; empty branches go."""
    if isinstance(node, dict):
        cleaned = {k: compact(v) for k, v in node.items()}
        cleaned = {k: v for k, v in cleaned.items() if v not in ({}, [], "", None)}
        if cleaned and all(INDEX_RE.match(k) for k in cleaned):
            return [cleaned[k] for k in sorted(cleaned, key=int)]
        return cleaned
    return node


def lines_names(fields: list[FormField]) -> set[str]:
    """Names (with row placeholders as regexes) of the one-line-per-item fields."""
    found = set()
    for f in fields:
        if f.kind == "lines":
            found.add(f.name)
        found |= lines_names(f.children)
    return found


def is_lines_field(name: str, patterns: set[str]) -> bool:
    generic = re.sub(r"\.\d+\.", lambda m: ".#.", f".{name}.").strip(".")
    return any(re.sub(r"__N\d+__", "#", p) == generic for p in patterns)


def values_from_document(document: dict, prefix: str = "") -> dict[str, str]:
    """Form values (by field name) from a document, e.g. to show what was entered again."""
    values: dict[str, str] = {}
    for key, value in (document.items() if isinstance(document, dict) else enumerate(document)):
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            values.update(values_from_document(value, f"{name}."))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            values.update(values_from_document(value, f"{name}."))
        elif isinstance(value, list):
            values[name] = "\n".join(str(v) for v in value)
        else:
            values[name] = str(value)
    return values
