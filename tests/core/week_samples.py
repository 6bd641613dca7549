"""Sample weeks for the week picture: the golden-image tests, scripts/make_week_goldens.py (which draws the
goldens and docs/week.png from these) and scripts/bench_week.py all use the same ones.

Each sample is (entries, zone, view, now). `difference` is the comparison the golden tests make."""
from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from assistant.core.render import Entry
from assistant.week_picture import View, calendar_colours

BERLIN = ZoneInfo("Europe/Berlin")
COLOURS = calendar_colours(["local", "work", "family", "holidays"])
Sample = tuple[list[Entry], ZoneInfo, View, datetime]


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def timed(title: str, start: datetime, end: datetime, calendar: str = "work") -> Entry:
    return Entry(title, start, end, calendar=calendar)


def all_day(title: str, first: date, days: int = 1, calendar: str = "local") -> Entry:
    return Entry(title, at(first, 0), at(first + timedelta(days=days), 0), all_day=True, calendar=calendar)


def dst_week() -> Sample:
    """Thu 26 Mar – Wed 1 Apr 2026 in Berlin (summer time starts Sun 29 Mar at 02:00): clashes side by side,
    events across midnight (one across the DST night), a three-way clash, all-day and multi-day events."""
    thu, fri, sat, sun, mon, tue, wed = (date(2026, 3, 26) + timedelta(days=i) for i in range(7))
    entries = [
        timed("Standup", at(thu, 9), at(thu, 9, 30)),
        timed("Design review with the platform team", at(thu, 9, 15), at(thu, 11)),
        timed("Coffee", at(thu, 10), at(thu, 10, 30), "family"),
        timed("Budget planning", at(thu, 14), at(thu, 15, 30)),
        timed("Release night", at(fri, 22), at(sat, 2)),
        timed("Call with Tokyo", at(sat, 0, 30), at(sat, 1, 30), "local"),
        timed("Party at Anna's", at(sat, 23), at(sun, 3, 30), "family"),           # 3.5 h: the clock jumps
        timed("Night train", at(sun, 1, 30), at(sun, 3, 30), "local"),           # 1 h real, 01:30 → 03:30
        timed("Brunch", at(sun, 11), at(sun, 12, 30), "family"),
        all_day("Conference", mon, 2, "work"),
        all_day("🎉 Birthday: Boris", mon, 1, "family"),
        Entry("Spring holiday", at(tue, 0), at(wed, 0), all_day=True, calendar="holidays"),
        timed("Flight to Lisbon", at(fri, 6), at(sat, 12), "local"),             # 30 h: in the band
        timed("Gym", at(tue, 8), at(tue, 8, 30), "local"),
        timed("Lunch with Anna", at(tue, 12), at(tue, 13), "family"),
        timed("Dentist", at(tue, 12, 30), at(tue, 13, 30), "local"),
        timed("Call with the bank", at(tue, 12, 45), at(tue, 13, 15)),
        timed("1:1 with Boris", at(wed, 14), at(wed, 15)),
        timed("Reminder: send invoice", at(wed, 9), at(wed, 9), "local"),         # no length
    ]
    quiet = frozenset(e for e in entries if e.calendar == "holidays")
    view = View(start=thu, title="Week of Thu 26 Mar 2026", colours=COLOURS, non_blocking=quiet)
    return entries, BERLIN, view, at(thu, 11, 20)


def empty_week() -> Sample:
    monday = date(2026, 3, 2)
    return [], BERLIN, View(start=monday, title="The next 7 days", colours=COLOURS), at(monday, 10, 5)


def busy_week(count: int = 80, seed: int = 16) -> Sample:
    """`count` events over Mon 9 – Sun 15 Mar 2026: mostly working hours on three calendars, some overlaps,
    a few in the evening and at the weekend, three all-day ones."""
    rng = random.Random(seed)
    monday = date(2026, 3, 9)
    words = ["Standup", "Review", "Planning", "Sync", "Interview", "Lunch", "Call", "Workshop", "Demo",
             "Retro", "1:1", "Customer call", "Budget", "Hiring", "Design", "Support", "Training"]
    people = ["Anna", "Boris", "Chen", "Dana", "Emil", "Fatima", "Gustav", "Hana"]
    entries = [all_day("Team offsite", monday + timedelta(days=2), 2, "work"),
               all_day("Mother's birthday", monday + timedelta(days=5), 1, "family"),
               all_day("Public holiday", monday + timedelta(days=4), 1, "holidays")]
    while len(entries) < count:
        day = monday + timedelta(days=rng.choices(range(7), weights=[6, 6, 6, 6, 6, 2, 1])[0])
        hour = rng.choice([8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 20])
        start = at(day, hour, rng.choice([0, 0, 15, 30, 45]))
        length = timedelta(minutes=rng.choice([15, 30, 30, 30, 45, 60, 60, 90, 120]))
        calendar = rng.choices(["work", "local", "family"], weights=[6, 2, 1])[0]
        title = f"{rng.choice(words)} with {rng.choice(people)}" if rng.random() < 0.6 else rng.choice(words)
        entries.append(timed(title, start, start + length, calendar))
    view = View(start=monday, title="The next 7 days", colours=COLOURS,
                non_blocking=frozenset(e for e in entries if e.calendar == "holidays"))
    return entries, BERLIN, view, at(monday + timedelta(days=1), 13, 40)


def sample_week() -> Sample:
    """The README's screenshot: an ordinary working week seen on Monday morning."""
    mon = date(2026, 3, 9)
    days = [mon + timedelta(days=i) for i in range(7)]
    m, t, w, th, f, sa, su = days
    entries = []
    for day in days[:5]:
        entries.append(timed("Standup", at(day, 9), at(day, 9, 15)))
    entries += [
        timed("Roadmap review", at(m, 10), at(m, 11, 30)),
        timed("Lunch with Anna", at(m, 12, 30), at(m, 13, 30), "family"),
        timed("Hiring: backend engineer", at(m, 15), at(m, 16)),
        timed("Customer call — Northwind", at(t, 10), at(t, 11)),
        timed("Design critique", at(t, 10, 30), at(t, 12)),
        timed("Dentist", at(t, 16), at(t, 17), "local"),
        timed("Sprint planning", at(w, 10), at(w, 12)),
        timed("1:1 with Boris", at(w, 14), at(w, 14, 30)),
        timed("Budget Q2", at(w, 14, 15), at(w, 15, 15)),
        timed("Yoga", at(w, 18, 30), at(w, 19, 30), "local"),
        timed("Workshop: onboarding flow", at(th, 13), at(th, 16)),
        timed("Parents' evening", at(th, 19), at(th, 20, 30), "family"),
        timed("Release", at(f, 11), at(f, 12)),
        timed("Retro", at(f, 14), at(f, 15)),
        timed("Concert", at(f, 21), at(sa, 0, 30), "family"),
        timed("Farmers' market", at(sa, 10), at(sa, 11, 30), "family"),
        timed("Call with Dana (Tokyo)", at(su, 8), at(su, 8, 45), "local"),
        all_day("Conference: PyCon DE", th, 2, "work"),
        all_day("Mother's birthday", sa, 1, "family"),
    ]
    view = View(start=mon, title="The next 7 days", colours=COLOURS)
    return entries, BERLIN, view, at(m, 10, 40)


SAMPLES = {"dst": dst_week, "empty": empty_week, "busy": busy_week}
"""The goldens: tests/core/golden/week-<name>.png."""

THRESHOLD = 48
"""A pixel counts as changed when a channel moved by more than this (0–255): font smoothing that differs a
little between FreeType builds stays under it, a block that moves or changes colour does not."""
TOLERANCE = 0.004
"""At most this share of the pixels may change (0.4 %, about 4,900 of 1,228,800)."""


def difference(expected_png: bytes, actual_png: bytes) -> tuple[float, float]:
    """(share of pixels changed by more than THRESHOLD, mean absolute difference per channel) between two
    pictures; pictures of different sizes differ entirely."""
    from PIL import Image, ImageChops, ImageStat

    expected = Image.open(io.BytesIO(expected_png)).convert("RGB")
    actual = Image.open(io.BytesIO(actual_png)).convert("RGB")
    if expected.size != actual.size:
        return 1.0, 255.0
    diff = ImageChops.difference(expected, actual)
    strongest = _max_channel(diff)
    changed = strongest.point(lambda v: 255 if v > THRESHOLD else 0).histogram()[255]
    mean = sum(ImageStat.Stat(diff).mean) / 3
    return changed / (expected.size[0] * expected.size[1]), mean


def _max_channel(image):
    from PIL import ImageChops

    red, green, blue = image.split()
    return ImageChops.lighter(ImageChops.lighter(red, green), blue)

