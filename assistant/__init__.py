"""assistant: a self-hosted, single-user AI business assistant that lives in your Telegram chat."""

__version__ = "0.1.0"
