"""Django's zh_Hans formats group digits by four with no separator, so `intcomma` printed 1500 and 226500:
the pages group by three with a comma, as the district's documents do (1,500 户; 226,500 户). Every other
format falls through to Django's zh_Hans module."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
