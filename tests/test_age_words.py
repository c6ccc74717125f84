import pytest
from django.utils import translation

from offers.ages import describe_age_range


@pytest.mark.parametrize(
    "minimum, maximum, words",
    [
        (None, None, "für alle Altersgruppen"),
        (-9, -1, "in der Schwangerschaft"),
        (-9, 12, "von der Schwangerschaft bis 1 Jahr"),
        (-4, None, "ab der Schwangerschaft"),
        (0, 36, "von der Geburt bis 3 Jahren"),
        (None, 11, "von der Geburt bis 11 Monaten"),
        (12, 36, "von 1 bis 3 Jahren"),
        (6, 36, "von 6 Monaten bis 3 Jahren"),
        (192, None, "ab 16 Jahren"),
        (36, 36, "mit 3 Jahren"),
        (0, 71, "von der Geburt bis 5 Jahren"),
        (36, 71, "von 3 bis 5 Jahren"),
        (192, 323, "von 16 bis 26 Jahren"),
        (-9, 35, "von der Schwangerschaft bis 2 Jahren"),
        (1, 9, "von 1 Monat bis 9 Monaten"),
    ],
)
def test_age_ranges_read_as_families_say_them(minimum, maximum, words):
    with translation.override("de"):
        assert describe_age_range(minimum, maximum) == words


def test_age_ranges_in_english():
    with translation.override("en"):
        assert describe_age_range(6, 36) == "from 6 months to 3 years"
