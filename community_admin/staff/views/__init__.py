"""The staff pages, by area: workers (and staffing, turnover), secondments, pay, evaluations."""
