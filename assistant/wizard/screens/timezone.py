"""Step 3: the time zone — the machine's own is detected; type to search, Enter (or Next) picks."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from textual import on
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from assistant.config import system_timezone
from assistant.wizard import checks
from assistant.wizard.step import Step, good, plain


class ZoneStep(Step):
    TITLE = "Time zone"
    HELP = "All times are understood and shown in your time zone. Type part of a city or region to search."
    TEST_LABEL = "Show time"
    OWN_ENTER = frozenset({"search"})
    DEFAULT_CSS = """
    ZoneStep #zones { height: 9; }
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.detected = system_timezone()
        self.chosen = str(self.draft.get("assistant.timezone") or self.detected)

    def fields(self) -> Iterable[Widget]:
        yield Static(plain(f"Now: {self.chosen}   (this machine: {self.detected})"), id="chosen")
        yield Label("Search")
        yield Input("", placeholder="berlin, new york, tokyo…", compact=True, id="search")
        yield OptionList(*self._options(""), id="zones", compact=True)

    def mounted(self) -> None:
        super().mounted()
        self._highlight(self.chosen)

    def _options(self, query: str) -> list[Option]:
        return [Option(name, id=name) for name in checks.zones(query)]

    def _highlight(self, name: str) -> None:
        zones = self.query_one("#zones", OptionList)
        for index in range(zones.option_count):
            if zones.get_option_at_index(index).id == name:
                zones.highlighted = index
                return

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        zones = self.query_one("#zones", OptionList)
        zones.clear_options()
        zones.add_options(self._options(event.value))
        if zones.option_count:
            zones.highlighted = 0

    @on(Input.Submitted, "#search")
    def _to_list(self, event: Input.Submitted) -> None:
        zones = self.query_one("#zones", OptionList)
        if zones.option_count == 1:
            self._choose(zones.get_option_at_index(0).id)
        zones.focus()

    @on(OptionList.OptionSelected, "#zones")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, name: str | None) -> None:
        if not name:
            return
        self.chosen = name
        now = datetime.now(ZoneInfo(name))
        self.query_one("#chosen", Static).update(good(f"Chosen: {name} (it is {now:%H:%M} there now)"))

    def check(self) -> bool:
        zones = self.query_one("#zones", OptionList)
        if self.focused is zones and zones.highlighted is not None:   # Next from the list takes what is lit
            self._choose(zones.get_option_at_index(zones.highlighted).id)
        problem = self.draft.check("assistant.timezone", self.chosen)
        if problem:
            self.outcome(plain("✗ " + problem, "bold red"))
        return problem is None

    def save(self) -> None:
        self.draft.set("assistant.timezone", self.chosen)

    def test(self) -> Any:
        now = datetime.now(ZoneInfo(self.chosen))
        return good(f"{self.chosen}: it is {now:%a %H:%M} there now")
