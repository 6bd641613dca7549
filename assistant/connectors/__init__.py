"""Calendar and notes providers, one module each, and the factory that builds them from the config.

A provider module exposes `connector_from_config(section, config, store) -> Connector`; add its
`[[calendars]]` / `[[notes]]` type here. Modules are imported only when a calendar of their type is configured, so
an optional provider's missing dependency breaks nothing else.
"""
from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from assistant.connectors.base import Connector, ConnectorError
from assistant.errors import StoreError
from assistant.connectors.local import LocalConnector

if TYPE_CHECKING:
    from assistant.config import Config
    from assistant.store import Store

log = logging.getLogger(__name__)

REGISTRY: dict[str, str] = {
    "caldav": "assistant.connectors.caldav",
    "ics": "assistant.connectors.ics",
    "google": "assistant.connectors.google",
    "outlook": "assistant.connectors.outlook",
    "notion": "assistant.connectors.notion",
    "apple_notes": "assistant.connectors.apple_notes",
}


def register(type_name: str, module: str) -> None:
    """Add (or replace) the module that builds `[[calendars]]` / `[[notes]]` entries of `type_name`."""
    REGISTRY[type_name] = module


def build_connector(section, config: "Config", store: "Store") -> Connector:
    module_name = REGISTRY.get(section.type)
    if module_name is None:
        raise ConnectorError(f"calendar {section.name!r}: unknown type {section.type!r}", retryable=False)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConnectorError(f"calendar {section.name!r}: the {section.type} provider is not available "
                             f"({exc.name or exc})", retryable=False) from None
    factory = getattr(module, "connector_from_config", None)
    if factory is None:
        raise ConnectorError(f"calendar {section.name!r}: the {section.type} provider cannot be configured yet",
                             retryable=False)
    return factory(section, config, store)


def build_connectors(config: "Config", store: "Store") -> dict[str, Connector]:
    """"local" first, then every `[[calendars]]` and `[[notes]]` entry that can be built (others are logged
    and skipped, so one broken provider does not take the assistant down)."""
    connectors: dict[str, Connector] = {"local": LocalConnector(store, config.zone)}
    for section in [*config.calendars, *config.notes]:
        try:
            connectors[section.name] = build_connector(section, config, store)
        except (ConnectorError, StoreError) as exc:   # StoreError: its secret cannot be read from the vault
            log.warning("calendar left out", extra={"calendar": section.name, "error": type(exc).__name__})
    return connectors


__all__ = ["REGISTRY", "build_connector", "build_connectors", "register"]
