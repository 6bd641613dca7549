"""The `[[calendars]]` and `[[notes]]` entries: a model per provider `type`, on a base per list.

`assistant.config` re-exports every name here; import from there.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, Union

from pydantic import Field, TypeAdapter

from assistant.config_formats import HostPort, Name, NotEmpty, OptionalUrl, Seconds, Section, Url


class CalendarType(StrEnum):
    CALDAV = "caldav"
    GOOGLE = "google"
    OUTLOOK = "outlook"
    ICS = "ics"


class NotesType(StrEnum):
    NOTION = "notion"
    APPLE_NOTES = "apple_notes"


class RemindersAs(StrEnum):
    EVENT = "event"
    TODO = "todo"


class CalendarBase(Section):
    """Keys every `[[calendars]]` entry has."""
    name: Name
    """Your name for it, used in [routing] and in previews; unique, not "local"."""
    type: CalendarType = Field(strict=False)
    """caldav | google | outlook | ics."""
    read_only: bool = False
    """true = only used for conflicts and agendas."""
    refresh_minutes: int = Field(15, ge=0)
    """How often the calendar cache is synced (0 = never on a timer)."""
    timeout_seconds: Seconds = 20.0
    """How long to wait for the server."""
    busy: bool = True
    """Whether its events count for conflicts and free slots (false: shown, never blocking)."""
    alarm_minutes: int = Field(-1, ge=-1)
    """A default alarm this many minutes before each new event; -1 = none."""


class CaldavCalendar(CalendarBase):
    type: Literal[CalendarType.CALDAV] = CalendarType.CALDAV
    """caldav."""
    url: Url
    """CalDAV base URL (the account's own host is discovered)."""
    username: str = ""
    """The account's user name."""
    password: str = ""
    """The password (iCloud: an app-specific one), or stored in the vault by the wizard."""
    calendar: str = ""
    """Which of the account's calendars to write to; empty = the first writable one."""
    reminders_as: RemindersAs = Field(RemindersAs.EVENT, strict=False)
    """How reminders are written: "event" (VEVENT with an alarm) or "todo" (VTODO)."""


class GoogleCalendar(CalendarBase):
    type: Literal[CalendarType.GOOGLE] = CalendarType.GOOGLE
    """google."""
    client_id: str = ""
    """The owner's own OAuth client (Desktop app)."""
    client_secret: str = ""
    """That client's secret."""
    calendar: str = ""
    """A calendar id; "" = primary."""
    base_url: Url = "https://www.googleapis.com/calendar/v3"
    """Calendar API address."""
    auth_uri: Url = "https://accounts.google.com/o/oauth2/auth"
    """OAuth authorisation endpoint."""
    token_uri: Url = "https://oauth2.googleapis.com/token"
    """OAuth token endpoint."""


class OutlookCalendar(CalendarBase):
    type: Literal[CalendarType.OUTLOOK] = CalendarType.OUTLOOK
    """outlook."""
    client_id: str = ""
    """An Entra ID app registration (public client)."""
    tenant: str = "common"
    """The tenant; the authority is authority_host/tenant."""
    authority_host: Url = "https://login.microsoftonline.com"
    """Microsoft identity platform address."""
    base_url: Url = "https://graph.microsoft.com/v1.0"
    """Microsoft Graph address."""
    calendar: str = ""
    """A calendar name; "" = the default calendar."""


class IcsCalendar(CalendarBase):
    type: Literal[CalendarType.ICS] = CalendarType.ICS
    """ics (a read-only subscription)."""
    url: NotEmpty
    """http(s)://, webcal://, file:///path or a path relative to the configuration file."""


class NotesBase(Section):
    """Keys every `[[notes]]` entry has."""
    name: Name
    """Your name for it, used in [routing]; unique across calendars and notes, not "local"."""
    type: NotesType = Field(strict=False)
    """notion | apple_notes."""
    timeout_seconds: Seconds = 20.0
    """How long to wait for the service."""


class NotionNotes(NotesBase):
    type: Literal[NotesType.NOTION] = NotesType.NOTION
    """notion."""
    token: str = ""
    """An internal integration secret; or empty and `assistant connect NAME`."""
    database: str = ""
    """The database id pages are created in."""
    base_url: Url = "https://api.notion.com/v1"
    """Notion API address."""
    client_id: str = ""
    """A public integration's OAuth client id (only for `assistant connect`)."""
    client_secret: str = ""
    """That integration's secret."""


class AppleNotes(NotesBase):
    type: Literal[NotesType.APPLE_NOTES] = NotesType.APPLE_NOTES
    """apple_notes (a pull bridge for an iOS Shortcut)."""
    listen: HostPort = "127.0.0.1:8765"
    """host:port the bridge serves on."""
    token: str = ""
    """The Shortcut sends it as `Authorization: Bearer …`."""
    webhook_url: OptionalUrl = ""
    """An address told about each new note; "" = none."""


Calendar = Annotated[Union[CaldavCalendar, GoogleCalendar, OutlookCalendar, IcsCalendar], Field(discriminator="type")]
Notes = Annotated[Union[NotionNotes, AppleNotes], Field(discriminator="type")]
_CALENDAR = TypeAdapter(Calendar)
_NOTES = TypeAdapter(Notes)


def CalendarSection(**values: Any) -> CalendarBase:  # noqa: N802 (reads like the class it builds)
    """Build the `[[calendars]]` model its `type` names: `CalendarSection(type="caldav", name=…, url=…)`
    is a `CaldavCalendar`. Raises pydantic's `ValidationError` on bad values. (For type hints, too.)"""
    return _CALENDAR.validate_python(values)


def NotesSection(**values: Any) -> NotesBase:  # noqa: N802
    """Build the `[[notes]]` model its `type` names (see `CalendarSection`)."""
    return _NOTES.validate_python(values)

