"""Routing: where each kind of item goes by default, and the rules tried before the defaults (the first
that matches wins). Test reads a sample request offline and says where it would go."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from rich.text import Text
from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from assistant.wizard.dialogs import RuleDialog
from assistant.wizard.step import Step, good, plain

KINDS = (("event", "Events go to"), ("reminder", "Reminders go to"), ("note", "Notes go to"))


def rule_text(rule: dict[str, Any]) -> str:
    kind = {"event": "events", "reminder": "reminders", "note": "notes"}.get(rule.get("kind") or "", "anything")
    parts = [kind]
    if rule.get("keywords"):
        parts.append("with " + " or ".join(f"“{k}”" for k in rule["keywords"]))
    if rule.get("attendees"):
        parts.append("with " + " or ".join(rule["attendees"]))
    return f"{' '.join(parts)} → {rule.get('target')}"


class RoutingStep(Step):
    TITLE = "Routing"
    HELP = "Where new items go. Rules are tried first, in order; the first that matches decides."
    TEST_LABEL = "Try it"
    OWN_ENTER = frozenset({"sample"})
    DEFAULT_CSS = """
    RoutingStep .kind-row { height: 1; }
    RoutingStep .kind-row Label { width: 18; }
    RoutingStep .kind-row Select { width: 30; }
    RoutingStep #rules { height: auto; max-height: 6; margin-top: 1; }
    RoutingStep #rule-buttons { height: 1; }
    RoutingStep #rule-buttons Button { margin-right: 2; }
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.targets = self.draft.targets()
        self.rules = [r for r in self.draft.rules() if r.get("target") in self.targets]

    def fields(self) -> Iterable[Widget]:
        for kind, label in KINDS:
            current = self.draft.get(f"routing.{kind}")
            with Horizontal(classes="kind-row"):
                yield Label(label)
                yield Select([(t, t) for t in self.targets], value=current if current in self.targets else "local",
                             allow_blank=False, compact=True, id=f"default-{kind}")
        yield OptionList(*self._rule_options(), id="rules", compact=True)
        with Horizontal(id="rule-buttons"):
            yield Button("Add rule", id="add", compact=True)
            yield Button("Edit", id="edit", compact=True)
            yield Button("Remove", id="remove", compact=True)
        yield Label("Try a request")
        yield Input("Meeting with the client tomorrow at 10", compact=True, id="sample")

    def _rule_options(self) -> list[Option]:
        if not self.rules:
            return [Option("(no rules: the defaults above apply)", id="none", disabled=True)]
        return [Option(Text(f"{i}. {rule_text(r)}"), id=str(i - 1)) for i, r in enumerate(self.rules, 1)]

    def _refresh_rules(self) -> None:
        rules = self.query_one("#rules", OptionList)
        rules.clear_options()
        rules.add_options(self._rule_options())

    def _selected_rule(self) -> int | None:
        rules = self.query_one("#rules", OptionList)
        if not self.rules or rules.highlighted is None:
            return None
        return rules.highlighted

    @on(Button.Pressed, "#add")
    def _add(self) -> None:
        def added(rule: dict | None) -> None:
            if rule:
                self.rules.append(rule)
                self._refresh_rules()
        self.app.push_screen(RuleDialog(self.targets), added)

    @on(Button.Pressed, "#edit")
    @on(OptionList.OptionSelected, "#rules")
    def _edit(self) -> None:
        index = self._selected_rule()
        if index is None:
            return

        def edited(rule: dict | None) -> None:
            if rule:
                self.rules[index] = rule
                self._refresh_rules()
        self.app.push_screen(RuleDialog(self.targets, self.rules[index]), edited)

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        index = self._selected_rule()
        if index is not None:
            del self.rules[index]
            self._refresh_rules()

    @on(Input.Submitted, "#sample")
    def _try(self) -> None:
        self.action_test()

    def _section(self) -> Any:
        from assistant.config import RoutingSection  # noqa: PLC0415

        values = {kind: self.query_one(f"#default-{kind}", Select).value for kind, _ in KINDS}
        return RoutingSection.model_validate({**values, "rules": self.rules})

    def save(self) -> None:
        for kind, _ in KINDS:
            self.draft.set(f"routing.{kind}", self.query_one(f"#default-{kind}", Select).value)
        self.draft.set_rules(self.rules)

    def test(self) -> Any:
        from assistant.core.parsing import parse  # noqa: PLC0415
        from assistant.core.routing import route  # noqa: PLC0415

        text = self.query_one("#sample", Input).value.strip()
        if not text:
            return plain("type a request to try, e.g. “Invoice for the client on Friday”")
        zone = self.draft.config_or_defaults().zone
        item = parse(text, datetime.now(zone), zone)
        if item.kind.value not in ("event", "reminder", "note"):
            return plain(f"that reads as a {item.kind.value}, which is not written anywhere")
        target = route(item, self._section(), set(self.targets))
        return good(f"a {item.kind.value} “{item.title}” → {target}")
