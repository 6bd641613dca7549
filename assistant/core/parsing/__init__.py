"""The offline parser: a typed, dictated or forwarded request -> an `Item`, no network, no model.

    from assistant.core.parsing import parse, parse_all, apply_edit
    item = parse("Lunch with Anna tomorrow at 1pm", now, "Europe/Berlin")
    item = apply_edit(item, "make it 2pm", now, "Europe/Berlin")      # None: not an edit
    items = parse_all("Dentist Friday at 9 and remind me an hour before", now, "Europe/Berlin")

Start reading at `parser.py`; the date/time grammar is the `grammar` package (its `__init__`
says in which order to read it); the word tables are in `lexicon_*.py`. Neither raises for any
text: dates and amounts beyond `limits.HORIZON_YEARS` (100 years) from now become a question.
"""
from .edit import apply_edit
from .parser import parse
from .several import parse_all

__all__ = ["parse", "parse_all", "apply_edit"]
