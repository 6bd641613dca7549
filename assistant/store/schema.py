"""Numbered migrations. Append a new entry to add a change; never edit a released one."""
from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema", """
CREATE TABLE items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,            -- proposed | confirmed | delivered | failed | dropped
    data TEXT NOT NULL,              -- Item JSON
    target TEXT,
    chat_id INTEGER,
    message_id INTEGER,
    link TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    confirmed_at TEXT,
    delivered_at TEXT
);
CREATE INDEX items_status ON items(status);

CREATE TABLE events (                -- the built-in local calendar
    uid TEXT PRIMARY KEY,
    item_id TEXT,
    title TEXT NOT NULL,
    start TEXT NOT NULL,             -- ISO with offset, or YYYY-MM-DD when all_day
    end TEXT,
    start_utc TEXT NOT NULL,         -- for range queries
    end_utc TEXT NOT NULL,
    all_day INTEGER NOT NULL DEFAULT 0,
    tz TEXT,
    location TEXT,
    attendees TEXT NOT NULL DEFAULT '[]',
    recurrence TEXT,
    description TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX events_range ON events(start_utc, end_utc);

CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    item_id TEXT,
    title TEXT NOT NULL,
    body TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE reminders (
    id TEXT PRIMARY KEY,
    item_id TEXT,
    title TEXT NOT NULL,
    fire_at TEXT NOT NULL,           -- ISO with offset of the next firing
    recurrence TEXT,
    tz TEXT,
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | done
    last_sent_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX reminders_due ON reminders(status, fire_at);

CREATE TABLE integrations (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE conversations (
    chat_id INTEGER PRIMARY KEY,
    state TEXT NOT NULL DEFAULT 'idle',  -- idle | awaiting_confirmation | editing_event | selecting_calendar
    item_id TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);

CREATE TABLE callbacks (             -- short opaque Telegram callback_data → action
    token TEXT PRIMARY KEY,
    chat_id INTEGER,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL,
    target TEXT NOT NULL,
    action TEXT NOT NULL,            -- create | update | delete
    payload TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | done | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    result TEXT,
    created_at TEXT NOT NULL,
    done_at TEXT,
    UNIQUE (item_id, target, action)
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

CREATE TABLE calendar_cache (        -- events of connected calendars, refreshed by sync
    calendar TEXT NOT NULL,
    uid TEXT NOT NULL,
    recurrence_id TEXT NOT NULL DEFAULT '',
    title TEXT,
    start_utc TEXT NOT NULL,
    end_utc TEXT NOT NULL,
    all_day INTEGER NOT NULL DEFAULT 0,
    transparent INTEGER NOT NULL DEFAULT 0,
    status TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    synced_at TEXT NOT NULL,
    PRIMARY KEY (calendar, uid, recurrence_id)
);
CREATE INDEX calendar_cache_range ON calendar_cache(start_utc, end_utc);

CREATE TABLE sync_state (
    calendar TEXT PRIMARY KEY,
    token TEXT,
    synced_at TEXT
);

CREATE TABLE contacts (
    email TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'learned',   -- learned | owner
    updated_at TEXT NOT NULL
);
CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);

CREATE TABLE voice_files (           -- voice notes kept until transcribed
    id TEXT PRIMARY KEY,
    chat_id INTEGER,
    path TEXT NOT NULL,
    size INTEGER,
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | done
    error TEXT,
    created_at TEXT NOT NULL
);
"""),
    (2, "calendar cache: resource keys and sync windows", """
ALTER TABLE calendar_cache ADD COLUMN href TEXT NOT NULL DEFAULT '';   -- the provider object it came from
CREATE INDEX calendar_cache_href ON calendar_cache(calendar, href);
ALTER TABLE sync_state ADD COLUMN full_at TEXT;        -- last full poll (the window moves on with it)
ALTER TABLE sync_state ADD COLUMN window_start TEXT;
ALTER TABLE sync_state ADD COLUMN window_end TEXT;
ALTER TABLE sync_state ADD COLUMN error TEXT;           -- the last sync failure, worded for the owner
"""),
    (3, "items remember the message they were read from; the unused integrations table goes", """
ALTER TABLE items ADD COLUMN source_message_id INTEGER;   -- the owner's message (an edit re-reads it)
DROP TABLE integrations;
"""),
    (4, "the vault: secrets encrypted with AES-256-GCM, one row per integration", """
CREATE TABLE vault (
    name TEXT PRIMARY KEY,           -- the integration ([[calendars]] / [[notes]] name, or "llm", …)
    blob BLOB NOT NULL,              -- format byte, 12-byte nonce, ciphertext with its tag
    updated_at TEXT NOT NULL
);
"""),
    (5, "notes targets: the Apple Notes bridge's queue, provider ids of written items, notes shown in a chat", """
CREATE TABLE bridge_notes (          -- notes waiting for the phone (Apple Notes pull bridge)
    target TEXT NOT NULL,            -- the [[notes]] name
    id TEXT NOT NULL,                -- the item id; the phone acknowledges it
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,           -- ISO UTC, when it was queued (oldest first)
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | acked | deleted
    acked_at TEXT,
    PRIMARY KEY (target, id)
);
CREATE INDEX bridge_notes_pending ON bridge_notes(target, status, created);

CREATE TABLE remote_ids (            -- item id -> the provider's id (a Notion page), per target
    target TEXT NOT NULL,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'note',
    remote_id TEXT,                  -- NULL while a create is under way (its answer not seen yet)
    attempted_at TEXT NOT NULL,      -- when the first create was sent (finds it again after a lost answer)
    updated_at TEXT NOT NULL,
    PRIMARY KEY (target, item_id)
);

CREATE TABLE shown_notes (           -- chat messages that show one note (a reply to one edits that note)
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
"""),
    (6, "metrics: a rolling window of timings and counts (assistant status)", """
CREATE TABLE metrics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,                -- ISO UTC, seconds
    name TEXT NOT NULL,              -- request_ms | transcribe_s | llm_ms | llm_tokens | delivery | error | …
    value REAL NOT NULL,
    tags TEXT NOT NULL DEFAULT '{}'  -- JSON: engine, target, ok, type, … (never message text)
);
CREATE INDEX metrics_name_at ON metrics(name, at);
CREATE INDEX metrics_at ON metrics(at);
"""),
    (7, "reminders being sent: a firing whose message did not go out before a crash is sent again", """
CREATE TABLE reminder_sends (
    reminder_id TEXT PRIMARY KEY,
    previous TEXT NOT NULL,          -- the reminder's row before this firing (JSON), to put it back
    holder TEXT NOT NULL,            -- the process sending it (pid and a token of the run)
    created_at TEXT NOT NULL
);
"""),
]
