"""English as read in Norway: day before month, ISO for short dates, a 24-hour clock."""

DATE_FORMAT = "j F Y"  # 2 January 2027
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"  # 2 January 2027, 14:30
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"  # 2 January
SHORT_DATE_FORMAT = "Y-m-d"  # 2027-01-02
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# Typed dates: ISO first, then the Norwegian form; never month-first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
]
