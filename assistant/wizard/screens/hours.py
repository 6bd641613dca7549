"""Working hours (for conflicts, alternatives and "find time"), buffers around meetings, and the time of
the daily agenda."""
from __future__ import annotations

from typing import Any, Iterable

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Label

from assistant.config import WEEKDAYS
from assistant.wizard.step import Field, Step, bad, good

DAY_NAMES = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"}


class HoursStep(Step):
    TITLE = "Working hours and the daily agenda"
    HELP = "Free slots are proposed inside working hours, with the buffer kept free around meetings."
    TEST_LABEL = "Check"
    DEFAULT_CSS = """
    HoursStep #days { height: 1; margin-bottom: 1; }
    HoursStep #days Checkbox { width: auto; margin-right: 1; }
    HoursStep .pair { height: auto; }
    HoursStep .pair Field { width: 1fr; margin-right: 2; }
    """

    def fields(self) -> Iterable[Widget]:
        days = set(self.draft.get("availability.work_days") or [])
        yield Label("Working days")
        with Horizontal(id="days"):
            for day in WEEKDAYS:
                yield Checkbox(DAY_NAMES.get(day, day), day in days, compact=True, id=f"day-{day}")
        with Horizontal(classes="pair"):
            yield Field("availability.work_start", "Day starts (HH:MM)", self.draft.get("availability.work_start"),
                        id="work_start")
            yield Field("availability.work_end", "Day ends (HH:MM)", self.draft.get("availability.work_end"),
                        id="work_end")
        with Horizontal(classes="pair"):
            yield Field("availability.buffer_minutes", "Buffer around meetings (minutes)",
                        self.draft.get("availability.buffer_minutes"), id="buffer_minutes")
            yield Field("agenda.time", "Daily agenda at (HH:MM, empty = none)", self.draft.get("agenda.time"),
                        placeholder="07:30", id="agenda_time")

    def _values(self) -> dict[str, Any]:
        buffer = self.query_one("#buffer_minutes", Field).value
        return {"work_days": [d for d in WEEKDAYS if self.query_one(f"#day-{d}", Checkbox).value],
                "work_start": self.query_one("#work_start", Field).value,
                "work_end": self.query_one("#work_end", Field).value,
                "buffer_minutes": int(buffer) if buffer.lstrip("-").isdigit() else buffer}

    def check(self) -> bool:
        values = self._values()
        fields = {"work_start": "#work_start", "work_end": "#work_end", "buffer_minutes": "#buffer_minutes"}
        ok = True
        for key, selector in fields.items():
            ok &= self.query_one(selector, Field).validate(values[key]) is None
        ok &= self.query_one("#agenda_time", Field).validate() is None
        if not values["work_days"]:
            self.outcome(bad("choose at least one working day"))
            return False
        if ok:
            from pydantic import ValidationError  # noqa: PLC0415

            from assistant.config import AvailabilitySection  # noqa: PLC0415

            try:
                AvailabilitySection.model_validate(values)
            except ValidationError as exc:
                message = exc.errors(include_url=False)[0]
                text = str((message.get("ctx") or {}).get("must") or message["msg"])
                self.query_one("#work_end", Field).show_error(f"must be {text}" if not text.startswith("must")
                                                               else text)
                return False
        return ok

    def save(self) -> None:
        for key, value in self._values().items():
            self.draft.set(f"availability.{key}", value)
        self.draft.set("agenda.time", self.query_one("#agenda_time", Field).value)

    def test(self) -> Any:
        values = self._values()
        chosen = values["work_days"]
        order = [WEEKDAYS.index(d) for d in chosen]
        contiguous = len(chosen) > 2 and order == list(range(order[0], order[0] + len(order)))
        span = (f"{DAY_NAMES[chosen[0]]}–{DAY_NAMES[chosen[-1]]}" if contiguous
                else ", ".join(DAY_NAMES[d] for d in chosen) or "no days")
        agenda = self.query_one("#agenda_time", Field).value
        return good(f"working {span} {values['work_start']}–{values['work_end']}, buffers of "
                    f"{values['buffer_minutes']} min; " + (f"agenda at {agenda}" if agenda else "no daily agenda"))

    def tested(self, result: Any) -> None:
        self.check()
