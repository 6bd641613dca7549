"""The frame of an integration step: one `[[calendars]]` or `[[notes]]` entry of one type, switched on or
off. On: its fields (the current entry's values, or a new one's defaults); off: an entry that existed is
removed (what was routed to it goes to the built-in calendar). Other entries of the file stay as they are."""
from __future__ import annotations

from typing import Any, ClassVar, Iterable

from textual import on
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Checkbox

from assistant.wizard.step import Field, Step


class EntryStep(Step):
    KIND: ClassVar[str] = "calendars"
    TYPE: ClassVar[str] = ""
    DEFAULT_NAME: ClassVar[str] = ""
    USE_LABEL: ClassVar[str] = ""
    DEFAULT_CSS = """
    EntryStep #use { margin-bottom: 1; }
    EntryStep #entry { height: auto; }
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.entry = self.draft.first(self.KIND, self.TYPE)
        self.old_name = self.entry.get("name") if self.entry else None
        self.values: dict[str, Any] = dict(self.entry or {})

    def key(self, name: str) -> str:
        return f"{self.KIND}.{self.TYPE}.{name}"

    def current(self, name: str, default: Any = "") -> Any:
        value = self.values.get(name)
        return default if value is None else value

    def fields(self) -> Iterable[Widget]:
        yield Checkbox(self.USE_LABEL, self.entry is not None, compact=True, id="use")
        with Vertical(id="entry"):
            yield Field(self.key("name"), "Name (used in routing and previews)",
                        self.current("name", self.DEFAULT_NAME), id="name", check=self._unique)
            yield from self.entry_fields()

    def entry_fields(self) -> Iterable[Widget]:
        return []

    def mounted(self) -> None:
        super().mounted()
        self.query_one("#entry").display = self.using
        self.query_one("#use", Checkbox).focus()

    @property
    def using(self) -> bool:
        return self.query_one("#use", Checkbox).value

    @on(Checkbox.Changed, "#use")
    def _switched(self, event: Checkbox.Changed) -> None:
        self.query_one("#entry").display = event.value
        self.outcome(None)

    def _unique(self, name: str) -> str | None:
        taken = [n for n in self.draft.names() if n != self.old_name]
        if name in taken:
            return f"{name!r} is already the name of another calendar or notes entry: choose another"
        return None

    def check(self) -> bool:
        return True if not self.using else super().check()

    def entry_values(self) -> dict[str, Any]:
        """The entry as it will be written (subclasses add their keys; secrets through `secret`)."""
        return {"name": self.query_one("#name", Field).value, "type": self.TYPE}

    def secret(self, values: dict[str, Any], key: str, value: str) -> None:
        if value != (self.entry or {}).get(key, ""):
            self.draft.put_secret(self.TYPE, key, value, entry=values)

    def save(self) -> None:
        if not self.using:
            if self.old_name:
                self.draft.remove_entry(self.KIND, self.old_name)
                self.draft.notes.pop(f"connect:{self.old_name}", None)
            return
        values = {k: v for k, v in self.entry_values().items() if v != "" or k in (self.entry or {})}
        self.draft.put_entry(self.KIND, values, self.old_name)
        self.after_save(values)

    def after_save(self, values: dict[str, Any]) -> None:
        """What to tell the owner after this entry is saved (e.g. `assistant connect NAME`)."""


def connect_available(type_name: str) -> bool:
    """Whether this version's `assistant connect` can sign an entry of `type_name` in."""
    import importlib.util  # noqa: PLC0415

    try:
        if importlib.util.find_spec("assistant.connect") is None:
            return False
        from assistant import connect  # noqa: PLC0415

        module = connect.PROVIDERS.get(type_name)
        return module is not None and importlib.util.find_spec(module) is not None
    except (ImportError, AttributeError, ValueError):
        return False


class OAuthStep(EntryStep):
    """Google and Outlook: the entry's client settings here; the sign-in is `assistant connect NAME` (the
    loopback flow, or the pasted address over SSH), offered by the review step once the file is saved."""

    TEST_LABEL = "Check"

    def test(self) -> Any:
        from assistant.wizard.checks import CheckFailed  # noqa: PLC0415
        from assistant.wizard.step import good  # noqa: PLC0415

        if not self.using:
            return None
        if not self.query_one("#client_id", Field).value:
            raise CheckFailed("no client id: create the OAuth client first (README: " + self.README + ")")
        name = self.query_one("#name", Field).value
        if connect_available(self.TYPE):
            return good(f"ready: after Save, the last step signs you in (or run: assistant connect {name})")
        return good(f"saved as is; sign in later with: assistant connect {name} (once this version has it)")

    def after_save(self, values: dict[str, Any]) -> None:
        name = values["name"]
        if self.old_name and self.old_name != name:
            self.draft.notes.pop(f"connect:{self.old_name}", None)
        self.draft.notes[f"connect:{name}"] = (f"sign in to {name}: assistant connect {name} (over SSH: "
                                               f"assistant connect {name} --no-browser)")
