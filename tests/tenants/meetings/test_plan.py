"""A group's cadence as an RRULE, and the dates it proposes: holidays, local time, limits."""
from dataclasses import replace
from datetime import date, datetime, time

import pytest

from samklima.tenants.meetings.plan import Cadence, Plan, SkippedDate, propose

ALL_BUT_JULY = (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)
SECOND_TUESDAY_EXCEPT_JULY = Cadence("monthly", weekday=1, ordinal=2, months=ALL_BUT_JULY)
FIRST_THURSDAY = Cadence("monthly", weekday=3, ordinal=1)
EVERY_THURSDAY = Cadence("weekly", weekday=3, ordinal=None)
DANISH = {"country": "DK", "time_zone": "Europe/Copenhagen", "language": "da"}
ZONES = {"DK": "Europe/Copenhagen", "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "FI": "Europe/Helsinki",
         "IS": "Atlantic/Reykjavik", "DE": "Europe/Berlin"}


def days(plan):
    return [proposed.day for proposed in plan.dates]


def propose_in(country, language, cadence, first_day, last_day):
    return propose(cadence, first_day, last_day, country=country, time_zone=ZONES[country], language=language)


# --- the rule ----------------------------------------------------------------------------

def test_second_tuesday_of_every_month_except_july_gives_eleven_dates_in_2026():
    plan = propose(SECOND_TUESDAY_EXCEPT_JULY, date(2026, 1, 1), date(2026, 12, 31), **DANISH)

    assert days(plan) == [
        date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14), date(2026, 5, 12),
        date(2026, 6, 9), date(2026, 8, 11), date(2026, 9, 8), date(2026, 10, 13), date(2026, 11, 10),
        date(2026, 12, 8),
    ]
    assert not [day for day in days(plan) if day.month == 7]
    assert plan.skipped == []


def test_second_tuesday_except_july_is_stored_as_an_rrule_without_july():
    assert SECOND_TUESDAY_EXCEPT_JULY.rrule() == "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;BYMONTH=1,2,3,4,5,6,8,9,10,11,12"


def test_eight_a_year_is_eight_chosen_months():
    cadence = replace(SECOND_TUESDAY_EXCEPT_JULY, months=(1, 2, 3, 5, 6, 9, 10, 11))

    plan = propose(cadence, date(2026, 1, 1), date(2026, 12, 31), **DANISH)

    assert len(plan.dates) == 8
    assert sorted({day.month for day in days(plan)}) == [1, 2, 3, 5, 6, 9, 10, 11]


def test_every_month_leaves_bymonth_out_of_the_rule():
    assert Cadence("monthly", weekday=4, ordinal=-1).rrule() == "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR"


def test_last_friday_of_the_month_skips_christmas_day_in_2026():
    cadence = Cadence("monthly", weekday=4, ordinal=-1)

    plan = propose(cadence, date(2026, 1, 1), date(2026, 12, 31), **DANISH)

    assert days(plan) == [
        date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27), date(2026, 4, 24), date(2026, 5, 29),
        date(2026, 6, 26), date(2026, 7, 31), date(2026, 8, 28), date(2026, 9, 25), date(2026, 10, 30),
        date(2026, 11, 27),
    ]
    assert plan.skipped == [SkippedDate(date(2026, 12, 25), "Juledag")]


def test_every_second_week_counts_from_the_first_day():
    cadence = Cadence("weekly", interval=2, weekday=1, ordinal=None)

    from_a_tuesday = propose(cadence, date(2026, 9, 1), date(2026, 10, 31), **DANISH)
    from_the_wednesday_after = propose(cadence, date(2026, 9, 2), date(2026, 10, 31), **DANISH)

    assert cadence.rrule() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert days(from_a_tuesday) == [
        date(2026, 9, 1), date(2026, 9, 15), date(2026, 9, 29), date(2026, 10, 13), date(2026, 10, 27),
    ]
    # The Tuesday of the first week is before the period, so the first meeting is a fortnight on.
    assert days(from_the_wednesday_after) == days(from_a_tuesday)[1:]


def test_a_weekly_rule_ignores_the_ordinal():
    assert Cadence("weekly", weekday=2).rrule() == "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE"
    assert Cadence("weekly", weekday=2).problems() == []


def test_weekends_are_not_special_the_rule_decides():
    saturdays = Cadence("weekly", weekday=5, ordinal=None)

    plan = propose(saturdays, date(2026, 9, 1), date(2026, 9, 14), **DANISH)

    assert days(plan) == [date(2026, 9, 5), date(2026, 9, 12)]


# --- local time --------------------------------------------------------------------------

def test_nine_oclock_in_copenhagen_is_eight_utc_in_winter_and_seven_in_summer():
    plan = propose(SECOND_TUESDAY_EXCEPT_JULY, date(2026, 3, 1), date(2026, 4, 30), **DANISH)

    march, april = plan.dates
    assert (march.day, march.starts_at, march.ends_at) == (
        date(2026, 3, 10), datetime(2026, 3, 10, 8, 0), datetime(2026, 3, 10, 10, 0),
    )
    assert (april.day, april.starts_at, april.ends_at) == (
        date(2026, 4, 14), datetime(2026, 4, 14, 7, 0), datetime(2026, 4, 14, 9, 0),
    )
    assert march.starts_at.tzinfo is None


def test_reykjavik_has_no_summer_time():
    plan = propose(
        SECOND_TUESDAY_EXCEPT_JULY, date(2026, 3, 1), date(2026, 4, 30),
        country="IS", time_zone="Atlantic/Reykjavik", language="is",
    )

    assert [proposed.starts_at for proposed in plan.dates] == [datetime(2026, 3, 10, 9, 0), datetime(2026, 4, 14, 9, 0)]


def test_the_end_is_the_start_plus_the_duration():
    cadence = replace(SECOND_TUESDAY_EXCEPT_JULY, start_time=time(13, 30), duration_minutes=90)

    (proposed,) = propose(cadence, date(2026, 6, 1), date(2026, 6, 30), country="FI", time_zone="Europe/Helsinki").dates

    assert (proposed.starts_at, proposed.ends_at) == (datetime(2026, 6, 9, 10, 30), datetime(2026, 6, 9, 12, 0))


# --- holidays ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "ordinal, holiday, name",
    [(1, date(2027, 5, 6), "Kristi himmelfartsdag"), (4, date(2027, 3, 25), "Skærtorsdag")],
)
def test_a_danish_plan_over_spring_2027_skips_the_holiday_and_names_it_in_danish(ordinal, holiday, name):
    cadence = Cadence("monthly", weekday=3, ordinal=ordinal)

    plan = propose(cadence, date(2027, 1, 1), date(2027, 6, 30), **DANISH)

    assert plan.skipped == [SkippedDate(holiday, name)]
    assert holiday not in days(plan)
    assert len(plan.dates) == 5


def test_a_swedish_plan_names_the_holiday_in_swedish():
    first_wednesday = Cadence("monthly", weekday=2, ordinal=1)

    plan = propose_in("SE", "sv", first_wednesday, date(2027, 1, 1), date(2027, 3, 31))

    assert plan.skipped == [SkippedDate(date(2027, 1, 6), "Trettondedag jul")]
    assert days(plan) == [date(2027, 2, 3), date(2027, 3, 3)]


@pytest.mark.parametrize("language, name", [("fi", "Loppiainen"), ("sv", "Trettondag")])
def test_a_finnish_plan_names_the_holiday_in_finnish_or_in_finland_swedish(language, name):
    first_wednesday = Cadence("monthly", weekday=2, ordinal=1)

    plan = propose_in("FI", language, first_wednesday, date(2027, 1, 1), date(2027, 1, 31))

    assert plan.skipped == [SkippedDate(date(2027, 1, 6), name)]


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_norwegian_plan_names_the_holiday_in_norwegian_for_both_written_forms(language):
    fourth_thursday = Cadence("monthly", weekday=3, ordinal=4)

    plan = propose_in("NO", language, fourth_thursday, date(2027, 3, 1), date(2027, 3, 31))

    assert plan == Plan([], [SkippedDate(date(2027, 3, 25), "Skjærtorsdag")])


def test_an_icelandic_plan_skips_the_first_day_of_summer():
    fourth_thursday = Cadence("monthly", weekday=3, ordinal=4)

    plan = propose_in("IS", "is", fourth_thursday, date(2026, 4, 1), date(2026, 5, 31))

    assert plan.skipped == [SkippedDate(date(2026, 4, 23), "Sumardagurinn fyrsti")]
    assert days(plan) == [date(2026, 5, 28)]


def test_an_english_speaking_user_reads_the_holiday_in_english():
    plan = propose_in("DK", "en", FIRST_THURSDAY, date(2027, 5, 1), date(2027, 5, 31))

    assert plan.skipped == [SkippedDate(date(2027, 5, 6), "Ascension Day")]


@pytest.mark.parametrize("language", [None, "fi", "nb", "xx"])
def test_without_a_language_holidays_has_the_name_is_the_countrys_own(language):
    # None too: left to itself, `holidays` would take the process's locale instead.
    plan = propose_in("DK", language, FIRST_THURSDAY, date(2027, 5, 1), date(2027, 5, 31))

    assert plan.skipped == [SkippedDate(date(2027, 5, 6), "Kristi himmelfartsdag")]


@pytest.mark.parametrize(
    "country, language, eve, new_year",
    [
        ("DK", "da", "Juleaftensdag", "Nytårsaften"),
        ("SE", "sv", "Julafton", "Nyårsafton"),
        ("NO", "nb", "Julaften", "Nyttårsaften"),
        ("NO", "nn", "Julaften", "Nyttårsaften"),
        ("FI", "fi", "Jouluaatto", "Uudenvuodenaatto"),
        ("FI", "sv", "Julafton", "Nyårsafton"),
        ("IS", "is", "Aðfangadagur (frá kl. 13.00)", "Gamlársdagur (frá kl. 13.00)"),
        ("DK", "en", "Christmas Eve", "New Year's Eve"),
        ("NO", "en", "Christmas Eve", "New Year's Eve"),
    ],
)
def test_christmas_eve_and_new_years_eve_are_skipped_in_the_nordic_countries(country, language, eve, new_year):
    # Both are Thursdays in 2026.
    plan = propose_in(country, language, EVERY_THURSDAY, date(2026, 12, 21), date(2027, 1, 1))

    assert plan.dates == []
    assert plan.skipped == [SkippedDate(date(2026, 12, 24), eve), SkippedDate(date(2026, 12, 31), new_year)]


def test_christmas_eve_is_an_ordinary_day_outside_the_nordic_countries():
    plan = propose_in("DE", "de", EVERY_THURSDAY, date(2026, 12, 21), date(2026, 12, 27))

    assert days(plan) == [date(2026, 12, 24)]


# --- days already taken ------------------------------------------------------------------

def test_a_day_with_a_meeting_already_is_neither_proposed_nor_reported():
    plan = propose(
        SECOND_TUESDAY_EXCEPT_JULY, date(2026, 1, 1), date(2026, 3, 31), **DANISH, taken={date(2026, 2, 10)},
    )

    assert days(plan) == [date(2026, 1, 13), date(2026, 3, 10)]
    assert plan.skipped == []


def test_a_taken_holiday_is_not_reported_as_a_holiday():
    plan = propose(FIRST_THURSDAY, date(2027, 5, 1), date(2027, 6, 30), **DANISH, taken={date(2027, 5, 6)})

    assert days(plan) == [date(2027, 6, 3)]
    assert plan.skipped == []


# --- the period --------------------------------------------------------------------------

def test_a_period_without_a_matching_day_gives_an_empty_plan():
    assert propose(SECOND_TUESDAY_EXCEPT_JULY, date(2026, 7, 1), date(2026, 7, 31), **DANISH) == Plan([], [])
    assert propose(SECOND_TUESDAY_EXCEPT_JULY, date(2026, 1, 1), date(2026, 1, 12), **DANISH) == Plan([], [])


def test_the_first_and_the_last_day_are_both_included():
    plan = propose(SECOND_TUESDAY_EXCEPT_JULY, date(2026, 1, 13), date(2026, 2, 10), **DANISH)

    assert days(plan) == [date(2026, 1, 13), date(2026, 2, 10)]


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError) as refused:
        propose(SECOND_TUESDAY_EXCEPT_JULY, date(2026, 6, 1), date(2026, 5, 31), **DANISH)

    assert refused.value.args[0] == "period_reversed"


def test_a_period_of_more_than_three_years_is_refused():
    with pytest.raises(ValueError) as refused:
        propose(SECOND_TUESDAY_EXCEPT_JULY, date(2026, 1, 1), date(2029, 1, 1), **DANISH)

    assert refused.value.args[0] == "period_too_long"


def test_a_period_of_three_years_is_allowed():
    plan = propose(SECOND_TUESDAY_EXCEPT_JULY, date(2026, 1, 1), date(2028, 12, 31), **DANISH)

    assert len(plan.dates) + len(plan.skipped) == 33


# --- rrule and back ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "cadence",
    [
        SECOND_TUESDAY_EXCEPT_JULY,
        Cadence("monthly", weekday=4, ordinal=-1),
        Cadence("monthly", interval=3, weekday=0, ordinal=1, months=(1, 4, 7, 10)),
        Cadence("monthly", weekday=3, ordinal=4, months=(1, 2, 3, 5, 6, 9, 10, 11)),
        Cadence("weekly", interval=2, weekday=2, ordinal=None),
        Cadence("weekly", weekday=6, ordinal=None, months=(5, 6, 7, 8)),
    ],
    ids=["2nd-tuesday-not-july", "last-friday", "quarterly", "eight-a-year", "fortnightly", "summer-sundays"],
)
def test_a_cadence_survives_its_rrule(cadence):
    cadence = replace(cadence, start_time=time(13, 15), duration_minutes=90)

    assert Cadence.from_rrule(cadence.rrule(), time(13, 15), 90) == cadence


@pytest.mark.parametrize(
    "rule, expected",
    [
        ("FREQ=MONTHLY;BYDAY=+2TU", Cadence("monthly", weekday=1, ordinal=2)),
        ("RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR", Cadence("monthly", weekday=4, ordinal=-1)),
        ("freq=weekly;byday=th;bymonth=9,1,1", Cadence("weekly", weekday=3, ordinal=None, months=(1, 9))),
    ],
)
def test_from_rrule_reads_other_spellings_of_the_same_rule(rule, expected):
    assert Cadence.from_rrule(rule, time(9, 0), 120) == expected


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=7",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        "FREQ=MONTHLY;BYDAY=2TU;BYSETPOS=1",
        "FREQ=YEARLY;BYMONTH=3;BYDAY=2TU",
        "FREQ=MONTHLY;BYDAY=TU",
        "FREQ=MONTHLY;BYDAY=5TU",
        "FREQ=MONTHLY;BYDAY=-2TU",
        "FREQ=MONTHLY;BYDAY=2TU,4TU",
        "FREQ=MONTHLY;BYMONTHDAY=10",
        "FREQ=WEEKLY;BYDAY=2TU",
        "FREQ=WEEKLY;BYDAY=TU,TH",
        "FREQ=WEEKLY;INTERVAL=0;BYDAY=TU",
        "FREQ=WEEKLY;INTERVAL=13;BYDAY=TU",
        "FREQ=MONTHLY;BYDAY=2TU;BYMONTH=13",
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=8",
        "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231T000000Z",
        "FREQ=WEEKLY;FREQ=MONTHLY;BYDAY=TU",
        "FREQ=WEEKLY",
        "",
    ],
)
def test_from_rrule_refuses_a_rule_a_cadence_cannot_show(rule):
    with pytest.raises(ValueError) as refused:
        Cadence.from_rrule(rule, time(9, 0), 120)

    assert refused.value.args[0] == "unsupported_rule"


# --- problems ----------------------------------------------------------------------------

def test_a_valid_cadence_has_no_problems():
    assert SECOND_TUESDAY_EXCEPT_JULY.problems() == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"frequency": "daily"}, [("frequency", "frequency")]),
        ({"interval": 0}, [("interval", "interval")]),
        ({"interval": 13}, [("interval", "interval")]),
        ({"weekday": 7}, [("weekday", "weekday")]),
        ({"weekday": -1}, [("weekday", "weekday")]),
        ({"ordinal": 5}, [("ordinal", "ordinal")]),
        ({"ordinal": 0}, [("ordinal", "ordinal")]),
        ({"ordinal": None}, [("ordinal", "ordinal")]),
        ({"months": ()}, [("months", "months")]),
        ({"months": (0, 13)}, [("months", "months")]),
        ({"duration_minutes": 0}, [("duration_minutes", "duration")]),
        ({"duration_minutes": 721}, [("duration_minutes", "duration")]),
        ({"interval": 0, "months": ()}, [("interval", "interval"), ("months", "months")]),
    ],
)
def test_problems_name_the_field_and_the_code(changes, expected):
    assert replace(SECOND_TUESDAY_EXCEPT_JULY, **changes).problems() == expected


@pytest.mark.parametrize("duration", [1, 720])
def test_a_duration_from_one_minute_to_twelve_hours_is_allowed(duration):
    assert replace(SECOND_TUESDAY_EXCEPT_JULY, duration_minutes=duration).problems() == []


def test_an_invalid_cadence_has_no_rrule():
    with pytest.raises(ValueError) as refused:
        replace(SECOND_TUESDAY_EXCEPT_JULY, months=()).rrule()

    assert refused.value.args[0] == "months"
