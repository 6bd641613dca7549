"""Typed modal dialogs: pick one of a list (a calendar, a Notion database), edit a routing rule.

Each is a `ModalScreen[T]`: it is dismissed with its answer (None when Esc cancels it), and the step that
pushed it gets that answer in its callback.
"""
from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 70; max-width: 96%; height: auto; max-height: 90%; border: round $primary;
                    background: $surface; padding: 0 1; }}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} OptionList {{ height: auto; max-height: 12; }}
{name} .buttons {{ height: 1; margin-top: 1; }}
{name} .buttons Button {{ margin-right: 2; }}
"""


class ChoiceDialog(ModalScreen[str | None]):
    """Choose one of `options` ((value, label) pairs); Enter picks the highlighted one, Esc cancels."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str | None = None):
        super().__init__()
        self.heading = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, classes="title", markup=False)
            yield OptionList(*[Option(Text(label), id=value) for value, label in self.options], id="choices")
            with Horizontal(classes="buttons"):
                yield Button("Choose", id="choose", compact=True, variant="primary")
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        values = [value for value, _ in self.options]
        choices.highlighted = values.index(self.current) if self.current in values else 0
        choices.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#choose")
    def _choose(self) -> None:
        choices = self.query_one(OptionList)
        if choices.highlighted is not None:
            self.dismiss(choices.get_option_at_index(choices.highlighted).id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class RuleDialog(ModalScreen[dict | None]):
    """A `[[routing.rules]]` entry: kind, keywords, attendees, target. Dismissed with the rule, or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="RuleDialog") + """
    RuleDialog Input, RuleDialog Select { margin-bottom: 1; }
    RuleDialog .error { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, targets: list[str], rule: dict[str, Any] | None = None):
        super().__init__()
        self.targets = targets
        self.rule = rule or {}

    def compose(self) -> ComposeResult:
        rule = self.rule
        with Vertical():
            yield Static("Routing rule: the first rule that matches sends a request to its target", classes="title",
                         markup=False)
            yield Label("Kind")
            yield Select([("any", "any"), ("events", "event"), ("reminders", "reminder"), ("notes", "note")],
                         value=rule.get("kind") or "any", allow_blank=False, compact=True, id="kind")
            yield Label("Keywords (any of them in the request; commas between)")
            yield Input(", ".join(rule.get("keywords", [])), compact=True, id="keywords", placeholder="client, invoice")
            yield Label("Attendees (any of them; commas between)")
            yield Input(", ".join(rule.get("attendees", [])), compact=True, id="attendees", placeholder="Boris")
            yield Label("Target")
            yield Select([(t, t) for t in self.targets], value=rule.get("target") or self.targets[0],
                         allow_blank=False, compact=True, id="target")
            yield Static("", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save rule", id="save", compact=True, variant="primary")
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#kind").focus()

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        kind = self.query_one("#kind", Select).value
        rule = {"kind": None if kind == "any" else kind,
                "keywords": _words(self.query_one("#keywords", Input).value),
                "attendees": _words(self.query_one("#attendees", Input).value),
                "target": self.query_one("#target", Select).value}
        if not rule["keywords"] and not rule["attendees"] and not rule["kind"]:
            self.query_one(".error", Static).update("✗ a rule needs a kind, a keyword or an attendee (else it "
                                                    "matches everything: set the default instead)")
            return
        self.dismiss({k: v for k, v in rule.items() if v})

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.split(",") if w.strip()]
