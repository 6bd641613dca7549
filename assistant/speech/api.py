"""The API engine: OpenAI's /v1/audio/transcriptions (or any server that speaks it)."""
from __future__ import annotations

import logging
from typing import Any

from assistant.speech.audio import Probe, upload
from assistant.speech.prompt import prompt_for
from assistant.speech.result import EngineError, Heard

log = logging.getLogger(__name__)

_LANGUAGE_CODES = {
    "english": "en", "german": "de", "russian": "ru", "french": "fr", "spanish": "es", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "polish": "pl", "ukrainian": "uk", "turkish": "tr", "swedish": "sv",
    "czech": "cs", "danish": "da", "finnish": "fi", "norwegian": "no", "greek": "el", "hebrew": "he",
    "arabic": "ar", "chinese": "zh", "japanese": "ja", "korean": "ko", "hindi": "hi",
}
"""verbose_json names the language ("english"); the rest of the project uses ISO 639-1 codes."""


class ApiEngine:
    name = "api"

    def __init__(self, *, api_key: str, base_url: str = "", model: str = "whisper-1", prompt: str | None = None,
                 timeout: float = 120.0) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/") or None
        self.model = model or "whisper-1"
        self.prompt = prompt or None
        self.timeout = timeout
        self._client: Any = None

    def unavailable(self) -> str | None:
        if not self.api_key:
            return ("no speech API key is set for the fallback "
                    "([speech] api_key or the ASSISTANT_SPEECH_API_KEY environment variable)")
        return None

    def client(self) -> Any:
        if self._client is None:
            import openai

            # No retries: in engine = "auto" the local model is the retry, and the caller keeps the file.
            self._client = openai.OpenAI(api_key=self.api_key, base_url=self.base_url, timeout=self.timeout,
                                         max_retries=0)
        return self._client

    def transcribe(self, info: Probe, language: str | None) -> Heard:
        reason = self.unavailable()
        if reason:
            raise EngineError(reason)
        import openai

        name, data, mime = upload(info)
        verbose = self.model.startswith("whisper")  # gpt-4o-*-transcribe only answer json or text
        extra: dict[str, Any] = {}
        if language:
            extra["language"] = language
        prompt = prompt_for(language, self.prompt)
        if prompt:
            extra["prompt"] = prompt
        log.info("speech: API upload of %d bytes (%s) to model %s", len(data), mime, self.model)
        try:
            answer = self.client().audio.transcriptions.create(
                file=(name, data, mime), model=self.model,
                response_format="verbose_json" if verbose else "json", **extra)
        except openai.AuthenticationError:
            raise EngineError("the speech API refused the key (check [speech] api_key)") from None
        except openai.RateLimitError as exc:
            wait = exc.response.headers.get("retry-after") if exc.response is not None else None
            raise EngineError("the speech API is rate-limited" + (f" (retry in {wait} s)" if wait else "")) from None
        except openai.APIStatusError as exc:
            raise EngineError(f"the speech API answered {exc.status_code} ({_message(exc)})") from None
        except openai.APITimeoutError:
            raise EngineError("the speech API did not answer in time") from None
        except openai.APIConnectionError:
            raise EngineError(f"the speech API at {self.base_url or 'api.openai.com'} is unreachable") from None
        except openai.OpenAIError as exc:
            raise EngineError(f"the speech API failed ({type(exc).__name__})") from None
        return _heard(answer, language)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _heard(answer: Any, language: str | None) -> Heard:
    text = answer if isinstance(answer, str) else getattr(answer, "text", "") or ""
    raw_language = getattr(answer, "language", None)
    duration = getattr(answer, "duration", None)
    if raw_language:
        raw = str(raw_language).lower()
        language = _LANGUAGE_CODES.get(raw, raw)
    return Heard([text], language, float(duration) if duration else None)


def _message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:160]
    return type(exc).__name__
