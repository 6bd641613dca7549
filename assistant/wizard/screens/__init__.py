"""The wizard's screens, one per file, in the order the owner meets them (`STEPS`); `dashboard.py` is the
status screen (F2)."""
from __future__ import annotations

from assistant.wizard.screens.apple_notes import AppleNotesStep
from assistant.wizard.screens.caldav import CaldavStep
from assistant.wizard.screens.google import GoogleStep
from assistant.wizard.screens.hours import HoursStep
from assistant.wizard.screens.llm import LlmStep
from assistant.wizard.screens.notion import NotionStep
from assistant.wizard.screens.outlook import OutlookStep
from assistant.wizard.screens.pairing import PairingStep
from assistant.wizard.screens.review import ReviewStep
from assistant.wizard.screens.routing import RoutingStep
from assistant.wizard.screens.speech import SpeechStep
from assistant.wizard.screens.telegram import TelegramStep
from assistant.wizard.screens.timezone import ZoneStep

STEPS = [TelegramStep, PairingStep, ZoneStep, SpeechStep, LlmStep, GoogleStep, OutlookStep, CaldavStep,
         NotionStep, AppleNotesStep, RoutingStep, HoursStep, ReviewStep]

__all__ = ["STEPS", "TelegramStep", "PairingStep", "ZoneStep", "SpeechStep", "LlmStep", "GoogleStep",
           "OutlookStep", "CaldavStep", "NotionStep", "AppleNotesStep", "RoutingStep", "HoursStep", "ReviewStep"]
