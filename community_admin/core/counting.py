"""Counts of large lists that are remembered until the data behind them change.

A paginated list shows its total ("共 N 人"), and counting a street's 76,000 residents (or the district's
580,000) costs 30–200 ms on every page turn, the largest part of a list page's time at full scale. The count of a
query is kept in Django's cache under the query's SQL and a *generation* of its data; a write to that data moves
the generation on (after its transaction commits), so the next count is fresh. A write that bypasses the
generation (a raw bulk update) is seen at the latest after COUNT_CACHE_SECONDS.

The generation must be shared by every process that writes, so counts are cached only with a shared cache
(REDIS_URL): with a per-process cache another process would not see the write (settings.COUNT_CACHE_SECONDS).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.utils.functional import cached_property

GENERATION_KEY = "count-generation:{}"


def generation(data: str) -> int:
    return cache.get_or_set(GENERATION_KEY.format(data), 0, timeout=None)


def data_changed(data: str) -> None:
    """Call inside the writing transaction: the counts of `data` are forgotten once it commits."""

    def bump():
        key = GENERATION_KEY.format(data)
        try:
            cache.incr(key)
        except ValueError:
            # Not there (never counted, or evicted): any value other than the one counts were kept under will do.
            cache.set(key, 1, timeout=None)

    transaction.on_commit(bump)


def count(queryset, data: str) -> int:
    if settings.COUNT_CACHE_SECONDS <= 0:
        return queryset.count()
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
    key = f"count:{data}:{generation(data)}:{digest}"
    value = cache.get(key)
    if value is None:
        value = queryset.count()
        cache.set(key, value, timeout=settings.COUNT_CACHE_SECONDS)
    return value


class CountCachedPaginator(Paginator):
    """Django's paginator whose total comes from `count` above (the data's name is `data`)."""

    def __init__(self, object_list, per_page, *, data: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.data = data

    @cached_property
    def count(self) -> int:
        return count(self.object_list, self.data)


class CountCachedPagination:
    """Mixin for a DRF pagination class: `count_data` names the data its totals are kept under."""

    count_data = ""

    def django_paginator_class(self, object_list, per_page, **kwargs):
        return CountCachedPaginator(object_list, per_page, data=self.count_data, **kwargs)
