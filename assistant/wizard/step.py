"""What every step of the wizard shares: the frame (title, help, fields, an inline problem line, Back · Test ·
Next), the keys, and a `Field` that knows its configuration key and shows its own error under itself.

A step reads its current values from the draft in `compose`, checks its fields with
`assistant.config.validate` on Next (an error stays on the screen, under the field, naming the fix),
and puts them into the draft in `save`. Its Test runs `test()` on a worker thread; what it returns is
shown in green, a `CheckFailed` in red.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Label, Static
from textual.worker import Worker, WorkerState

from assistant.wizard.checks import CheckFailed

if TYPE_CHECKING:
    from assistant.wizard.app import SetupApp
    from assistant.wizard.draft import Draft


def good(message: str) -> Text:
    return Text("✓ " + message, style="bold green")


def bad(message: str) -> Text:
    return Text("✗ " + message, style="bold red")


def plain(message: str, style: str = "") -> Text:
    return Text(message, style=style)


class Field(Vertical):
    """A labelled input bound to a configuration key (`section.key`, or `calendars.caldav.url` for an
    entry's key), with its error line underneath."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 0 0; }
    Field > Label { color: $text-muted; }
    Field > .error { color: $error; height: auto; }
    Field > .error.-empty { display: none; }
    """

    def __init__(self, key: str | None, label: str, value: Any = "", *, password: bool = False,
                 placeholder: str = "", id: str | None = None, check: Callable[[str], str | None] | None = None):
        super().__init__(id=id)
        self.key = key
        self.label = label
        self.password = password
        self.placeholder = placeholder
        self.initial = "" if value is None else str(value)
        self.extra_check = check

    def compose(self) -> ComposeResult:
        yield Label(self.label, markup=False)
        yield Input(self.initial, placeholder=self.placeholder, password=self.password, compact=True,
                    id=f"{self.id}-input" if self.id else None)
        yield Static("", classes="error -empty", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value.strip()

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    def show_error(self, message: str | None) -> None:
        line = self.query_one(".error", Static)
        line.update(Text("✗ " + message) if message else "")
        line.set_class(not message, "-empty")

    def validate(self, value: Any | None = None) -> str | None:
        """The field's problem (config.validate, then its own check), shown under it; None when fine."""
        value = self.value if value is None else value
        problem = None
        if self.key is not None:
            from assistant.config import validate  # noqa: PLC0415

            problem = validate(self.key, value)
            if problem:
                problem = problem.split("' ", 1)[-1] if problem.startswith("'") else problem
        if problem is None and self.extra_check is not None:
            problem = self.extra_check(self.value)
        self.show_error(problem)
        return problem


class Step(Screen):
    """One step: subclasses set TITLE and HELP, yield their widgets from `fields()`, and override `save()`
    (and `test()`, `skip()`, `check()` where they need to)."""

    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    TEST_LABEL: ClassVar[str] = "Test"
    HAS_TEST: ClassVar[bool] = True
    OWN_ENTER: ClassVar[frozenset[str]] = frozenset()
    """Ids of inputs whose Enter the step handles itself."""

    BINDINGS = [
        Binding("escape", "app.leave", "Quit, nothing saved"),
        Binding("ctrl+t", "test", "Test"),
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+p", "back", "Back"),
        Binding("f2", "app.dashboard", "Status"),
    ]
    DEFAULT_CSS = """
    Step #body { padding: 0 1; }
    Step .help { color: $text-muted; margin-bottom: 1; }
    Step #outcome { height: auto; margin-top: 1; }
    Step #actions { height: 1; dock: bottom; margin: 0 1 1 1; }
    Step #actions Button { margin-right: 2; min-width: 10; }
    Step .row { height: auto; }
    Step .row > * { width: 1fr; margin-right: 1; }
    Step .note { color: $text-muted; }
    """

    def __init__(self, draft: "Draft", index: int = 0, total: int = 0):
        super().__init__()
        self.draft = draft
        self.index = index
        self.total = total

    @property
    def wizard(self) -> "SetupApp":
        return self.app  # type: ignore[return-value]

    # ── to override ─────────────────────────────────────────────────────────────────────────
    @classmethod
    def skip(cls, draft: "Draft") -> bool:
        """True when this step does not apply (pairing without a bot token)."""
        return False

    def fields(self) -> Iterable[Widget]:
        return []

    def check(self) -> bool:
        """Validate every Field; False (errors shown) when one is wrong."""
        problems = [f.validate() for f in self.query(Field) if f.display]
        return not any(problems)

    def save(self) -> None:
        """Put the fields into the draft (called after `check` passed)."""

    def test(self) -> Text | str | None:
        """The Test button's work, on a worker thread: a line to show, or raise CheckFailed."""
        return None

    def tested(self, result: Any) -> None:
        """On the UI thread after a successful test (e.g. to offer a list)."""

    # ── the frame ───────────────────────────────────────────────────────────────────────────
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            if self.HELP:
                yield Static(self.HELP, classes="help", markup=False)
            yield from self.fields()
            yield Static("", id="outcome", markup=False)
        with Horizontal(id="actions"):
            yield Button("‹ Back", id="back", compact=True, disabled=self.index == 0)
            if self.HAS_TEST:
                yield Button(self.TEST_LABEL, id="test", compact=True, variant="primary")
            yield Button("Next ›", id="next", compact=True, variant="success")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "assistant setup"
        self.sub_title = f"{self.index + 1}/{self.total} · {self.TITLE}" if self.total else self.TITLE
        first = next((w for w in self.query("Input, Select, Checkbox, OptionList") if w.focusable), None)
        if first is not None:
            first.focus()
        self.mounted()

    def mounted(self) -> None:
        """After the frame is mounted (a step's own set-up; Textual calls every class's on_mount, so steps
        use this hook instead)."""

    def outcome(self, message: Text | str | None) -> None:
        self.query_one("#outcome", Static).update(message if message is not None else "")

    # ── keys and buttons ────────────────────────────────────────────────────────────────────
    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#test")
    def _test_pressed(self) -> None:
        self.action_test()

    def action_back(self) -> None:
        self.wizard.back()

    def action_next(self) -> None:
        if self.check():
            self.save()
            self.wizard.forward()

    def action_test(self) -> None:
        if not self.HAS_TEST:
            return
        self.outcome(plain("testing…", "italic"))
        self.run_worker(self._run_test, thread=True, exclusive=True, group="test", name="test")

    def _run_test(self) -> tuple[bool, Any]:
        try:
            return True, self.test()
        except CheckFailed as exc:
            return False, str(exc)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "test":
            self.worker_done(event)
            return
        if event.state == WorkerState.SUCCESS:
            ok, result = event.worker.result
            if ok:
                self.outcome(result if isinstance(result, Text) else good(str(result)) if result else None)
                self.tested(result)
            else:
                self.test_failed(result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self.test_failed(f"the test failed unexpectedly ({type(error).__name__}: {error})")

    def worker_done(self, event: Worker.StateChanged) -> None:
        """Another worker of the step changed state (a step's own long job, such as fetching the model)."""

    def test_failed(self, message: str) -> None:
        """Where a failed test's message goes: the outcome line (a step may put it under a field)."""
        self.outcome(bad(message))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves on to the next one (Tab does too), unless the step handles it."""
        if event.input.id not in self.OWN_ENTER:
            self.focus_next()
