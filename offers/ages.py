"""Ages: months relative to birth, whole years, and the words families read.

Ages are counted in months: 0 is a newborn, 36 a child's third birthday, and
negative months are the pregnancy (-9 its start, -1 its last month). Age
bounds are inclusive and either may be open. Forms and filters speak in whole
years ("3 years" as an upper bound keeps children who are three, up to month
47); this module is the one place that converts.
"""

from django.utils.translation import get_language, gettext, ngettext, ngettext_lazy, npgettext
from django.utils.translation import gettext_lazy as _

PREGNANCY_START_MONTHS = -9
MAX_AGE_MONTHS = 99 * 12
# Forms and filters offer whole years up to the end of the chain (start of working life).
MAX_AGE_YEARS = 27
# The choice value for the pregnancy in forms.
PREGNANCY = "schwangerschaft"


# --- Words ----------------------------------------------------------------------------------


def _whole_years(months, upper):
    """Years when ``months`` is a whole number of years for the bound given.

    A lower bound of 36 is the third birthday; an upper bound of 71 is the
    last month before the sixth, so a child of 5 years still fits.
    """
    if upper and months >= 23 and (months + 1) % 12 == 0:
        return (months + 1) // 12 - 1
    if months > 0 and months % 12 == 0:
        return months // 12
    return None


def describe_age(months, upper=False):
    """'6 months' or '3 years', for a non-negative age in months, after a preposition."""
    # German declines after "von", "bis", "ab": "von 6 Monaten bis 3 Jahren".
    years = _whole_years(months, upper)
    if years:
        return npgettext("age after a preposition", "%(count)d year", "%(count)d years", years) % {
            "count": years
        }
    return npgettext("age after a preposition", "%(count)d month", "%(count)d months", months) % {
        "count": months
    }


def describe_age_range(min_months, max_months):
    """An age range in words, as families read it ('from 1 to 3 years')."""
    if max_months is not None and max_months < 0:
        return gettext("during pregnancy")
    if min_months is not None and min_months < 0:
        if max_months is None:
            return gettext("from pregnancy on")
        return gettext("from pregnancy up to %(age)s") % {
            "age": describe_age(max_months, upper=True)
        }
    if min_months in (None, 0) and max_months is None:
        return gettext("all ages")
    if max_months is None:
        return gettext("from %(age)s") % {"age": describe_age(min_months)}
    if min_months == max_months:
        return gettext("at %(age)s") % {"age": describe_age(min_months)}
    if min_months is None or min_months == 0:
        return gettext("from birth up to %(age)s") % {"age": describe_age(max_months, upper=True)}
    low, high = _whole_years(min_months, upper=False), _whole_years(max_months, upper=True)
    if low and high:
        return gettext("from %(min)d to %(max)d years") % {"min": low, "max": high}
    return gettext("from %(min)s to %(max)s") % {
        "min": describe_age(min_months),
        "max": describe_age(max_months, upper=True),
    }


# --- Whole years in the partner forms ---------------------------------------------------------


def age_from_choices():
    years = [
        (str(y), ngettext_lazy("%(count)d year", "%(count)d years", y) % {"count": y})
        for y in range(1, MAX_AGE_YEARS)
    ]
    return [("", _("no lower limit")), (PREGNANCY, _("pregnancy")), ("0", _("birth"))] + years


def age_to_choices():
    years = [
        (str(y), ngettext_lazy("%(count)d year", "%(count)d years", y) % {"count": y})
        for y in range(1, MAX_AGE_YEARS + 1)
    ]
    return [
        ("", _("no upper limit")),
        (PREGNANCY, _("end of pregnancy")),
        ("0", _("under 1 year")),
    ] + years


def months_from(value):
    if value == "":
        return None
    return -9 if value == PREGNANCY else int(value) * 12


def months_to(value):
    """Inclusive: "up to 3 years" keeps children of 3 years, i.e. up to month 47."""
    if value == "":
        return None
    return -1 if value == PREGNANCY else int(value) * 12 + 11


def choice_from_months(months, upper):
    if months is None:
        return ""
    if months < 0:
        return PREGNANCY
    return str(min(months // 12, MAX_AGE_YEARS if upper else MAX_AGE_YEARS - 1))


# --- Whole years and ranges in the public filter ------------------------------------------------


# The start page's age buttons, as ranges of whole years.
AGE_RANGES = [(1, 2), (3, 5), (6, 9), (10, 15), (16, 27)]


_age_choices = {}


def age_choices():
    """The age filter's choices in the reader's language (made once per language)."""
    language = get_language()
    choices = _age_choices.get(language)
    if choices is None:
        ranges = [
            (f"{low}-{high}", _("%(low)d to %(high)d years") % {"low": low, "high": high})
            for low, high in AGE_RANGES
        ]
        years = [("0", _("under 1 year"))] + [
            (str(age), ngettext("%(age)d year", "%(age)d years", age) % {"age": age})
            for age in range(1, MAX_AGE_YEARS + 1)
        ]
        choices = _age_choices[language] = [
            ("", _("any age")),
            (_("Exact age"), years),
            (_("Age range"), ranges),
        ]
    return choices


def parse_age(value):
    """'2' → months 24–35; '1-2' → months 12–35."""
    low, _, high = value.partition("-")
    low, high = int(low), int(high or low)
    return low * 12, high * 12 + 11
