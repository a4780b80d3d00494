"""Reading pages in view tests as a browser would: what a form sends when its button is pressed unchanged."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    """Collects the successful controls of the forms whose action is `action` (inputs, checked boxes, textareas,
    selected options), as a browser submits them."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
            return
        if not self.inside or "name" not in found:
            if tag == "option" and self.inside and self.select and "selected" in found:
                self.add(self.select, found.get("value", ""))
            return
        name = found["name"]
        if tag == "input":
            kind = found.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in found:
                    self.add(name, found.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.add(name, found.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            self.add(name, "")
        elif tag == "select":
            self.select = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            # Django writes a newline after <textarea>, which browsers drop.
            self.values[self.textarea][-1] += data.removeprefix("\n") if not self.values[self.textarea][-1] else data


def form_values(html: str, action: str) -> dict[str, Any]:
    """What the form posting to `action` sends as it is shown (single values as text, several as a list)."""
    reader = _FormReader(action)
    reader.feed(html)
    return {name: values[0] if len(values) == 1 else values for name, values in reader.values.items()}


def visible_text(html: str) -> str:
    """The text a person reads, whitespace collapsed (tags removed)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
