"""The language model as a second reader: any OpenAI-compatible server through the `openai` package.

    reader = LlmReader(base_url="http://127.0.0.1:11434/v1", model="qwen2.5:3b", timeout=20)
    Understanding([OfflineReader(), reader])      # what `understanding.from_config` builds

Division of labour. The model extracts fields and the *phrases* of dates and times as the message words
them ("next Friday at 8", "every other Thursday until June"); `resolve()` turns each phrase into instants
with the offline parser (`core.parsing.parse`) against `now` and the owner's zone, so "next Friday" means
the same with and without a model, every time. An instant the model computed itself is only a last resort
when no phrase resolves, and one that disagrees with its own phrase is dropped.

Structured output. The answer's shape is a pydantic model (`Extraction`), sent as a strict JSON schema
(`response_format: json_schema`); a server that rejects that gets JSON mode (`json_object`, the schema in
the prompt), then a forced tool call. The form that worked is remembered per server (base URL + model) in
the database (`store.settings`, key `llm.format:<server>`), so the detection costs one or two 400s once.

Forwarded text is data. A fixed system prompt says so; the message goes as a JSON string field of the
user turn, never as instructions; the schema can only propose items of the kinds event, reminder, note,
query and find_time (there is no cancel, move or delete), and every item is a preview the owner confirms.

Failures never make the assistant less reliable: every one raises `UnderstandingError` (the pipeline then
keeps the offline answer) within `timeout_seconds` — the whole exchange shares one deadline; 429's
Retry-After is honoured once when it fits in it. A server that timed out, refused the connection, answered
5xx or refused the key is not asked again for a while (`PAUSE_*`), so a dead server costs one timeout,
not one per message. Logs carry the path taken, latency and token counts — never the text.

The modules: schema.py (the answer's pydantic models, the prompts, reading an answer), client.py (one
server: forms, deadline, pauses, metrics), phrases.py (phrases → items by the offline resolver, edits),
reader.py (`LlmReader`, and when to ask).
"""
from assistant.llm.client import FORMAT_KEY, FORMATS, Call, ChatClient, MemoryFormats
from assistant.llm.phrases import describe_item, language_of, merge_edit, resolve
from assistant.llm.reader import LlmReader, asking_reason, several_requests, untabled_language
from assistant.llm.schema import (EDIT_PROMPT, SYSTEM_PROMPT, EditAnswer, Extracted, Extraction, parse_answer,
                                  strict_schema)

__all__ = ["EDIT_PROMPT", "FORMATS", "FORMAT_KEY", "SYSTEM_PROMPT", "Call", "ChatClient", "EditAnswer", "Extracted",
           "Extraction", "LlmReader", "MemoryFormats", "asking_reason", "describe_item", "language_of", "merge_edit",
           "parse_answer", "resolve", "several_requests", "strict_schema", "untabled_language"]
