"""Step 4: speech — the local Whisper model (found, or fetched with scripts/fetch-whisper-model and a
progress bar) and, optionally, an OpenAI-compatible transcription API as the fallback."""
from __future__ import annotations

from typing import Any, Iterable

from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static
from textual.worker import Worker, WorkerState

from assistant.wizard import checks
from assistant.wizard.step import Field, Step, bad, good, plain

ENGINES = [("auto: the local model, the API when it cannot", "auto"), ("local model only", "local"),
           ("API only", "api")]


class SpeechStep(Step):
    TITLE = "Speech"
    HELP = ("Voice notes are transcribed on this machine by Whisper base (about 145 MB). An OpenAI-compatible "
            "API key is optional: it is used when the local model cannot (audio then leaves this machine).")
    TEST_LABEL = "Test"
    DEFAULT_CSS = """
    SpeechStep #fetch-row { height: 1; }
    SpeechStep #fetch-row Button { margin-right: 2; }
    SpeechStep ProgressBar { width: 1fr; }
    """

    def fields(self) -> Iterable[Widget]:
        yield Label("Engine")
        yield Select(ENGINES, value=str(self.draft.get("speech.engine")), allow_blank=False, compact=True,
                     id="engine")
        yield Field("speech.model", "Model (a folder, or a size name: tiny, base, small)",
                    self.draft.get("speech.model"), id="model")
        yield Static("", id="model-state", markup=False)
        with Horizontal(id="fetch-row"):
            yield Button("Fetch model", id="fetch", compact=True)
            yield ProgressBar(total=100, show_eta=False, id="progress")
        yield Field("speech.api_key", "API key (optional)", self.draft.get("speech.api_key"), password=True,
                    placeholder="sk-…", id="api_key")
        yield Field("speech.api_base_url", "API address (empty = OpenAI)", self.draft.get("speech.api_base_url"),
                    placeholder="https://api.openai.com/v1", id="api_base_url")

    def mounted(self) -> None:
        super().mounted()
        self.query_one("#fetch-row").display = False
        self._show_model()

    def _model_config(self) -> Any:
        config = self.draft.config_or_defaults()
        config.speech.model = self.query_one("#model", Field).value or config.speech.model
        return config

    def _show_model(self) -> bool:
        folder, size = checks.model_folder(self._model_config())
        state = self.query_one("#model-state", Static)
        row = self.query_one("#fetch-row")
        if folder is None:
            state.update(plain("a size name: faster-whisper downloads it on first use (needs the internet)"))
            row.display = False
            return True
        if size is not None:
            state.update(good(f"model found: {folder} ({size:.0f} MB)"))
            row.display = False
            return True
        state.update(bad(f"no model in {folder}: Fetch model gets it (scripts/fetch-whisper-model)"))
        row.display = True
        return False

    @on(Input.Changed, "#model-input")
    def _model_changed(self) -> None:
        self._show_model()

    @on(Button.Pressed, "#fetch")
    def _fetch(self) -> None:
        folder, _ = checks.model_folder(self._model_config())
        if folder is None:
            return
        self.query_one("#fetch", Button).disabled = True
        self.query_one("#model-state", Static).update(plain("fetching the model…", "italic"))
        bar = self.query_one("#progress", ProgressBar)

        def progress(share: float) -> None:
            self.app.call_from_thread(bar.update, progress=round(100 * share))

        self.run_worker(lambda: checks.fetch_model(folder, progress), thread=True, exclusive=True, group="fetch",
                        name="fetch")

    def worker_done(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "fetch":
            return
        if event.state == WorkerState.SUCCESS:
            self.query_one("#fetch", Button).disabled = False
            self._show_model()
        elif event.state == WorkerState.ERROR:
            self.query_one("#fetch", Button).disabled = False
            error = event.worker.error
            message = str(error) if isinstance(error, checks.CheckFailed) else f"fetching failed: {error}"
            self.query_one("#model-state", Static).update(bad(message))

    def save(self) -> None:
        self.draft.set("speech.engine", self.query_one("#engine", Select).value)
        self.draft.set("speech.model", self.query_one("#model", Field).value)
        self.draft.set("speech.api_base_url", self.query_one("#api_base_url", Field).value)
        key = self.query_one("#api_key", Field).value
        if key != self.draft.get("speech.api_key"):
            self.draft.put_secret("speech", "api_key", key)

    def check(self) -> bool:
        if not super().check():
            return False
        if self.query_one("#engine", Select).value == "api" and not self.query_one("#api_key", Field).value:
            self.query_one("#api_key", Field).show_error("engine “API only” needs an API key (or choose auto)")
            return False
        return True

    def test(self) -> Any:
        key = self.query_one("#api_key", Field).value
        if not key:
            self.app.call_from_thread(self._show_model)
            folder, size = checks.model_folder(self._model_config())
            if folder is not None and size is None:
                raise checks.CheckFailed(f"no model in {folder}: press Fetch model")
            return good("the local model is ready (no API key: voice stays on this machine)")
        base = self.query_one("#api_base_url", Field).value
        seconds = checks.speech_api(base, key, str(self.draft.get("speech.api_model") or "whisper-1"))
        return good(f"the API transcribed a test clip in {seconds:.1f} s")

    def test_failed(self, message: str) -> None:
        if self.query_one("#api_key", Field).value:
            self.query_one("#api_key", Field).show_error(message)
            self.outcome(None)
        else:
            self.outcome(bad(message))
