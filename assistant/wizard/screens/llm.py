"""Step 5: the language model — none (the offline parser only), OpenAI, Ollama or any OpenAI-compatible
server; Test sends one tiny request with the `openai` package and a short timeout."""
from __future__ import annotations

from typing import Any, Iterable

from textual import on
from textual.widget import Widget
from textual.widgets import Label, Select

from assistant.wizard import checks
from assistant.wizard.step import Field, Step, good

CHOICES = [("none: the offline parser only (nothing leaves this machine)", "none"), ("OpenAI", "openai"),
           ("Ollama on this machine or the network", "ollama"), ("another OpenAI-compatible server", "custom")]
MODES = [("fallback: only when the offline parser is unsure", "fallback"), ("always", "always")]


def provider_of(base_url: str) -> str:
    if not base_url.strip():
        return "none"
    for name, (url, _) in checks.LLM_PRESETS.items():
        if base_url.rstrip("/") == url:
            return name
    return "ollama" if ":11434" in base_url else "custom"


class LlmStep(Step):
    TITLE = "Language model"
    HELP = ("Optional. The offline parser reads most requests on its own; a language model helps with long "
            "dictations, forwarded e-mails and unusual wording. Requests then go to that server.")

    def fields(self) -> Iterable[Widget]:
        base_url = str(self.draft.get("llm.base_url") or "")
        yield Label("Provider")
        yield Select(CHOICES, value=provider_of(base_url), allow_blank=False, compact=True, id="provider")
        yield Field("llm.base_url", "Server address (…/v1)", base_url, id="base_url",
                    placeholder="https://api.openai.com/v1 · http://127.0.0.1:11434/v1")
        yield Field("llm.model", "Model", self.draft.get("llm.model"), placeholder="gpt-4o-mini", id="model")
        yield Field("llm.api_key", "API key (OpenAI; most local servers need none)", self.draft.get("llm.api_key"),
                    password=True, placeholder="sk-… (empty for most local servers)", id="api_key")
        mode = str(self.draft.get("llm.mode"))
        yield Label("When to ask it", id="mode-label")
        yield Select(MODES, value=mode if mode in ("fallback", "always") else "fallback", allow_blank=False,
                     compact=True, id="mode")

    def mounted(self) -> None:
        super().mounted()
        self._show(self.query_one("#provider", Select).value)

    @on(Select.Changed, "#provider")
    def _provider(self, event: Select.Changed) -> None:
        choice = event.value
        base, model = self.query_one("#base_url", Field), self.query_one("#model", Field)
        preset = checks.LLM_PRESETS.get(choice)
        presets = {url for url, _ in checks.LLM_PRESETS.values()}
        if preset and (not base.value or base.value.rstrip("/") in presets):
            base.value = preset[0]
            if not model.value or model.value in {m for _, m in checks.LLM_PRESETS.values()}:
                model.value = preset[1]
        self._show(choice)

    def _show(self, choice: Any) -> None:
        on_ = choice != "none"
        for selector in ("#base_url", "#model", "#api_key", "#mode", "#mode-label"):
            self.query_one(selector).display = on_

    def save(self) -> None:
        if self.query_one("#provider", Select).value == "none":
            self.draft.set("llm.base_url", "")
            self.draft.set("llm.model", "")
            return
        self.draft.set("llm.base_url", self.query_one("#base_url", Field).value)
        self.draft.set("llm.model", self.query_one("#model", Field).value)
        self.draft.set("llm.mode", self.query_one("#mode", Select).value)
        key = self.query_one("#api_key", Field).value
        if key != self.draft.get("llm.api_key"):
            self.draft.put_secret("llm", "api_key", key)

    def check(self) -> bool:
        if self.query_one("#provider", Select).value == "none":
            return True
        if not super().check():
            return False
        for selector, what in (("#base_url", "the server's address"), ("#model", "a model name")):
            if not self.query_one(selector, Field).value:
                self.query_one(selector, Field).show_error(f"needs {what} (or choose “none”)")
                return False
        return True

    def test(self) -> Any:
        if self.query_one("#provider", Select).value == "none":
            return good("no language model: requests never leave this machine")
        model = self.query_one("#model", Field).value
        answer, seconds = checks.llm(self.query_one("#base_url", Field).value, model,
                                     self.query_one("#api_key", Field).value,
                                     timeout=min(15.0, float(self.draft.get("llm.timeout_seconds") or 15)))
        return good(f"{model} answered in {seconds:.1f} s" + (f": “{answer[:20]}”" if answer else ""))
