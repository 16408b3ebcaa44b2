"""A form as a browser submits it: read from the page's HTML, so that a test
posts back exactly what a person would (hidden fields included) without
spelling out every field of a large form such as the admin's."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.multiple = False
        self.options: list[tuple[str, bool]] = []
        self.option_value: str | None = None
        self.option_selected = False
        self.option_text = ""
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.fields.append((name, a.get("value", default)))
        elif tag == "select" and name:
            self.select, self.multiple, self.options = name, "multiple" in a, []
        elif tag == "option" and self.select is not None:
            self._option_end()
            self.option_value = a.get("value")
            self.option_selected = "selected" in a
            self.option_text = ""
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def _option_end(self) -> None:
        if self.option_value is not None or self.option_text:
            value = self.option_value
            self.options.append(
                (
                    value if value is not None else self.option_text.strip(),
                    self.option_selected,
                )
            )
        self.option_value, self.option_selected, self.option_text = None, False, ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data
        elif self.select is not None:
            self.option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self.select is not None:
            self._option_end()
        elif tag == "select" and self.select is not None:
            self._option_end()
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not self.multiple and self.options:
                chosen = [self.options[0][0]]
            self.fields.extend((self.select, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one line break that follows <textarea>.
            text = self.text[1:] if self.text.startswith("\n") else self.text
            self.fields.append((self.textarea, text.replace("\r\n", "\n")))
            self.textarea = None


def form_data(html: str, form_id: str) -> dict[str, list[str]]:
    """The fields of the form with ``form_id`` as a browser would post
    them, name -> values, ready for ``Client.post``."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data
