"""Django's zh_Hans formats, corrected where the pages need them; every other format falls through to Django's
zh_Hans module. Numbers: Django groups digits by four with no separator, so `intcomma` printed 1500 and 226500;
the pages group by three with a comma, as the district's documents do (1,500 户; 226,500 户)."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# ISO first: a form's date is rendered with the first input format, and an <input type="date"> shows only an
# ISO date (with "2024/01/01" an edit form opened with its date field empty). The others are still read.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%n月%j日"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%n月%j日 %H:%M",
    "%Y年%n月%j日 %H:%M:%S",
]
