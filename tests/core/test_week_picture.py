"""The week as a picture: the layout by value (columns, hours, blocks side by side, conflicts, the all-day
band, free time, "now", midnight and daylight saving) and the drawing against golden images with a
tolerance (regenerate them with scripts/make_week_goldens.py after an intended change)."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PIL import Image

from assistant import week_picture
from assistant.core.render import Entry
from assistant.week_picture import View, asks_for_week, clean, fit, layout, render, wrap
from tests.core.week_samples import (BERLIN, SAMPLES, TOLERANCE, all_day, at, busy_week, difference, dst_week,
                                     empty_week, sample_week, timed)

GOLDEN = Path(__file__).parent / "golden"


def blocks_of(plan, title: str) -> list[week_picture.Block]:
    return [b for b in plan.blocks if b.entry.title == title]


def block(plan, title: str, day: date | None = None) -> week_picture.Block:
    (found,) = [b for b in blocks_of(plan, title) if day is None or b.day == day]
    return found


def disjoint(a: week_picture.Block, b: week_picture.Block) -> bool:
    return a.box[2] <= b.box[0] or b.box[2] <= a.box[0]


def approx_y(plan, hours: float) -> float:
    return pytest.approx(plan.y(hours), abs=1.5)


# ── golden images ───────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_picture_matches_its_golden(name):
    png = render(*SAMPLES[name]())
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1280, 960)
    changed, mean = difference((GOLDEN / f"week-{name}.png").read_bytes(), png)
    assert changed <= TOLERANCE and mean < 4, (
        f"week-{name}.png: {changed:.3%} of pixels changed (mean {mean:.2f}); if the change is intended, run "
        "scripts/make_week_goldens.py and look at the images")


def test_the_tolerance_still_sees_a_moved_event():
    entries, zone, view, now = dst_week()
    moved = [replace(e, start=e.start + timedelta(hours=2), end=e.end + timedelta(hours=2))
             if e.title == "Budget planning" else e for e in entries]
    changed, _ = difference((GOLDEN / "week-dst.png").read_bytes(), render(moved, zone, view, now))
    assert changed > TOLERANCE


def test_readme_screenshot_is_what_the_code_draws():
    changed, _ = difference((GOLDEN.parents[2] / "docs" / "week.png").read_bytes(), render(*sample_week()))
    assert changed <= TOLERANCE, "docs/week.png is stale: run scripts/make_week_goldens.py"


def test_a_busy_week_is_not_blank_and_uses_the_calendars_colours():
    entries, zone, view, now = busy_week()
    assert len(entries) == 80
    image = Image.open(io.BytesIO(render(entries, zone, view, now))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(1 << 20)}
    for name in ("work", "local", "family"):
        assert week_picture._rgb(view.colours[name]) in colours
    assert len(colours) > 100


# ── layout ──────────────────────────────────────────────────────────────────────────────────
def test_overlaps_are_side_by_side_and_outlined_as_conflicts():
    plan = layout(*dst_week())
    thu, tue = date(2026, 3, 26), date(2026, 3, 31)
    standup, review, coffee = block(plan, "Standup"), block(plan, "Design review with the platform team"), \
        block(plan, "Coffee")
    assert standup.conflict and review.conflict and coffee.conflict
    assert disjoint(standup, review) and disjoint(coffee, review)
    assert not block(plan, "Budget planning").conflict
    budget = block(plan, "Budget planning")                         # alone: the whole column's width
    column = next(c for c in plan.columns if c.day == thu)
    assert budget.box[2] - budget.box[0] > 0.9 * (column.x1 - column.x0)
    three = [block(plan, t, tue) for t in ("Lunch with Anna", "Dentist", "Call with the bank")]
    assert sorted(b.lane for b in three) == [0, 1, 2] and all(b.conflict for b in three)
    assert all(disjoint(a, b) for a in three for b in three if a is not b)
    assert not block(plan, "Gym").conflict


def test_events_across_midnight_are_drawn_in_both_days():
    plan = layout(*dst_week())
    fri, sat = date(2026, 3, 27), date(2026, 3, 28)
    evening, night = block(plan, "Release night", fri), block(plan, "Release night", sat)
    assert (plan.first_hour, plan.last_hour) == (0, 24)
    assert evening.box[1] == approx_y(plan, 22) and evening.box[3] == approx_y(plan, 24)
    assert night.box[1] == approx_y(plan, 0) and night.box[3] == approx_y(plan, 2)
    assert night.conflict and block(plan, "Call with Tokyo").conflict       # 00:30–01:30 the same night


def test_the_night_summer_time_starts_events_sit_at_the_hours_the_clock_shows():
    plan = layout(*dst_week())
    sun = date(2026, 3, 29)
    train = block(plan, "Night train", sun)          # 01:30 CET → 03:30 CEST: one hour, two on the clock
    assert train.end - train.start == timedelta(hours=1)                  # (the block's times are UTC)
    assert train.box[1] == approx_y(plan, 1.5) and train.box[3] == approx_y(plan, 3.5)
    party = block(plan, "Party at Anna's", sun)
    assert party.box[1] == approx_y(plan, 0) and party.box[3] == approx_y(plan, 3.5)
    assert party.conflict and train.conflict
    assert block(plan, "Brunch", sun).box[1] == approx_y(plan, 11)


def test_the_night_summer_time_ends_an_hour_is_shown_twice_without_harm():
    sun = date(2026, 10, 25)                                     # Berlin: 03:00 CEST → 02:00 CET
    first_half = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)                       # fold 0: CEST
    second_half = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN)             # an hour later, CET
    entries = [timed("Backup", first_half, first_half + timedelta(minutes=20)),
               timed("Night shift", at(sun, 1), at(sun, 4)),                        # 4 h real, 3 on the clock
               timed("Check", second_half, second_half + timedelta(minutes=20), "local")]
    plan = layout(entries, BERLIN, View(start=sun, days=1), None)
    shift, backup, check = (block(plan, t) for t in ("Night shift", "Backup", "Check"))
    assert shift.end - shift.start == timedelta(hours=4)
    assert shift.box[1] == approx_y(plan, 1) and shift.box[3] == approx_y(plan, 4)
    assert backup.box[1] == approx_y(plan, 2.5) and check.box[1] == approx_y(plan, 2.5)
    assert backup.conflict and check.conflict and shift.conflict          # both during the shift…
    assert disjoint(backup, check)                                        # …an hour apart, at one place on the clock
    assert len({backup.lane, check.lane, shift.lane}) == 3
    Image.open(io.BytesIO(render(entries, BERLIN, View(start=sun, days=1)))).verify()


def test_all_day_and_long_events_go_to_the_band():
    plan = layout(*dst_week())
    bars = {b.entry.title: b for b in plan.bars}
    assert set(bars) == {"Conference", "🎉 Birthday: Boris", "Spring holiday", "Flight to Lisbon"}
    assert (bars["Flight to Lisbon"].first, bars["Flight to Lisbon"].last) == (1, 2)           # Fri–Sat, 30 h
    assert (bars["Conference"].first, bars["Conference"].last) == (4, 5)                       # Mon–Tue
    assert bars["Conference"].lane != bars["🎉 Birthday: Boris"].lane
    assert not any(b.entry.title == "Flight to Lisbon" for b in plan.blocks)
    assert clean("🎉 Birthday: Boris") == "Birthday: Boris"


def test_more_all_day_events_than_lanes_are_counted():
    monday = date(2026, 3, 9)
    entries = [all_day(f"Holiday {i}", monday) for i in range(5)]
    plan = layout(entries, BERLIN, View(start=monday), None)
    assert sum(b.box is not None for b in plan.bars) == week_picture.BAND_LANES
    assert plan.hidden == {0: 5 - week_picture.BAND_LANES}


def test_free_blocks_of_an_hour_in_working_hours_from_now_on():
    plan = layout(*dst_week())
    free = {}
    for block_ in plan.free:
        free.setdefault(block_.day, []).append((block_.start.astimezone(BERLIN).time(),
                                                block_.end.astimezone(BERLIN).time()))
    assert free[date(2026, 3, 26)] == [(time(11, 20), time(14)), (time(15, 30), time(18))]     # Thu, now 11:20
    assert free[date(2026, 4, 1)] == [(time(9, 15), time(14)), (time(15), time(18))]
    for busy_day in (date(2026, 3, 27), date(2026, 3, 30), date(2026, 3, 31)):   # the flight, the conference
        assert busy_day not in free
    assert date(2026, 3, 28) not in free                                          # Saturday


def test_an_empty_week_shows_working_hours_free():
    entries, zone, view, now = empty_week()
    plan = layout(entries, zone, view, now)
    assert (plan.first_hour, plan.last_hour) == (9, 18)
    assert not plan.blocks and not plan.bars
    assert len(plan.free) == 5
    assert plan.free[0].start == now                                  # Monday: from now on
    assert plan.now_line is not None and plan.now_line[2] == approx_y(plan, 10 + 5 / 60)


def test_now_is_a_line_in_todays_column():
    plan = layout(*dst_week())
    x0, x1, y = plan.now_line
    today = plan.columns[0]
    assert (x0, x1) == (today.x0, today.x1) and today.day == date(2026, 3, 26)
    assert y == approx_y(plan, 11 + 20 / 60)
    entries, zone, view, _ = dst_week()
    assert layout(entries, zone, view, at(date(2026, 3, 20), 9)).now_line is None      # not in the picture
    assert layout(entries, zone, view, None).now_line is None


def test_hours_cover_working_hours_and_every_event_but_not_last_nights_tail():
    plan = layout(*sample_week())
    assert (plan.first_hour, plan.last_hour) == (8, 24)              # Sunday's 8:00 call, Friday's concert
    tail = block(plan, "Concert", date(2026, 3, 14))                # 00:00–00:30 Saturday, at the top
    assert tail.box[1] == approx_y(plan, 8)
    late_only = [timed("Late", at(date(2026, 3, 9), 20), at(date(2026, 3, 9), 21))]
    plan = layout(late_only, BERLIN, View(start=date(2026, 3, 9)), None)
    assert (plan.first_hour, plan.last_hour) == (9, 21)


def test_working_days_only_keeps_weekend_days_that_have_plans():
    monday = date(2026, 3, 9)
    entries = [timed("Hike", at(monday + timedelta(days=5), 10), at(monday + timedelta(days=5), 14), "family")]
    plan = layout(entries, BERLIN, View(start=monday, working_days_only=True), None)
    assert [c.day.weekday() for c in plan.columns] == [0, 1, 2, 3, 4, 5]
    plan = layout([], BERLIN, View(start=monday, working_days_only=True), None)
    assert [c.day.weekday() for c in plan.columns] == [0, 1, 2, 3, 4]
    assert all(c.x1 - c.x0 > 200 for c in plan.columns)


def test_non_blocking_events_are_never_conflicts_nor_take_free_time():
    monday = date(2026, 3, 9)
    shared = timed("Partner: gym", at(monday, 10), at(monday, 12), "partner")
    entries = [timed("Review", at(monday, 11), at(monday, 12)), shared]
    plan = layout(entries, BERLIN, View(start=monday, days=1, non_blocking=frozenset({shared})), None)
    assert not any(b.conflict for b in plan.blocks)
    assert [(f.start.astimezone(BERLIN).hour, f.end.astimezone(BERLIN).hour) for f in plan.free] == [(9, 11), (12, 18)]


def test_colours_are_per_calendar_and_stable():
    colours = week_picture.calendar_colours(["local", "work", "family"])
    assert colours == week_picture.calendar_colours(["local", "work", "family"])
    assert len(set(colours.values())) == 3
    plan = layout(*dst_week())
    assert {b.colour for b in plan.blocks if b.entry.calendar == "work"} == {colours["work"]}
    assert [name for name, _ in plan.legend] == ["local", "work", "family", "holidays"]


def test_one_day_fills_the_width():
    sample = sample_week()
    plan = layout(sample[0], BERLIN, View(start=date(2026, 3, 10), days=1), None)
    assert len(plan.columns) == 1 and plan.columns[0].x1 - plan.columns[0].x0 > 1000
    Image.open(io.BytesIO(week_picture.draw(plan))).verify()


def test_entries_without_an_end_or_in_utc_are_placed_in_the_owners_zone():
    from datetime import timezone
    monday = date(2026, 3, 9)
    utc = datetime(2026, 3, 9, 13, 0, tzinfo=timezone.utc)          # 14:00 in Berlin
    plan = layout([Entry("Ping", utc, None, calendar="local")], BERLIN, View(start=monday, days=1), None)
    ping = block(plan, "Ping")
    assert ping.box[1] == approx_y(plan, 14) and ping.box[3] - ping.box[1] >= week_picture.MIN_BLOCK - 2


# ── text ────────────────────────────────────────────────────────────────────────────────────
def test_titles_are_clipped_to_fit():
    font = week_picture._font(17, 600, 87.5)
    title = "Design review with the platform team"
    short = fit(title, font, 100)
    assert short.endswith("…") and font.getlength(short) <= 100 and short.startswith("Design")
    assert fit(title, font, 1000) == title
    assert fit(title, font, 8) == ""
    lines = wrap(title, font, 120, 2)
    assert len(lines) == 2 and lines[0] == "Design review" and lines[1].endswith("…")
    assert all(font.getlength(line) <= 120 for line in lines)


@pytest.mark.parametrize("text", ["show me my week", "Show my week", "show me next week", "my week at a glance",
                                  "what does my week look like?", "picture of my week", "zeig mir meine Woche",
                                  "покажи мою неделю", "draw this week", "my week as a picture",
                                  "Hey, can you show me next week?", "bitte zeig mir die Woche"])
def test_asking_to_see_the_week(text):
    assert asks_for_week(text)


@pytest.mark.parametrize("text", ["what do I have next week?", "lunch with Anna next week", "am I free this week",
                                  "show me my notes", "week 12 report", "remind me to show the week plan to Anna",
                                  "", None])
def test_other_questions_are_not_the_picture(text):
    assert not asks_for_week(text)
