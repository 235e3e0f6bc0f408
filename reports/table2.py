"""表二 of the annual report (主动公开政府信息情况, 国办公开办函〔2021〕30号; regulation §6):
its layout, and the figures of an agency — or the sum over agencies (汇总) — for a year."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum

TITLE = "二、主动公开政府信息情况"
COUNT_FIELDS = ["rules_made", "rules_repealed", "rules_in_force", "normative_made", "normative_repealed",
                "normative_in_force", "licensing_decisions", "penalty_decisions", "enforcement_decisions"]
FIELDS = [*COUNT_FIELDS, "fees_amount"]

# (article of Art. 20, column headings, [(row label, [fields])]) in the order of the format.
SECTIONS = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
     [("规章", ["rules_made", "rules_repealed", "rules_in_force"]),
      ("行政规范性文件", ["normative_made", "normative_repealed", "normative_in_force"])]),
    ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", ["licensing_decisions"])]),
    ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", ["penalty_decisions"]), ("行政强制", ["enforcement_decisions"])]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", ["fees_amount"])]),
]


def table2(figures: QuerySet, *, year: int) -> dict[str, int | Decimal]:
    """The figures of `year` summed over the agencies of `figures` (one query); 0 where
    nothing was entered."""
    got = figures.filter(year=year).aggregate(**{f: Sum(f) for f in FIELDS})
    values: dict[str, int | Decimal] = {f: got[f] or 0 for f in COUNT_FIELDS}
    values["fees_amount"] = Decimal(got["fees_amount"] or 0).quantize(Decimal("0.0001"))
    return values


def layout(values: dict) -> list[dict]:
    return [{"article": article, "headings": headings,
             "rows": [{"label": label, "cells": [{"field": f, "value": values[f]} for f in fields]}
                      for label, fields in rows]}
            for article, headings, rows in SECTIONS]


# 规章 and 行政规范性文件 the system published (reviews.Publication.legal_form), per field of 表二.
PUBLICATION_FIELDS = {"rule": ("rules_made", "rules_repealed", "rules_in_force"),
                      "normative": ("normative_made", "normative_repealed", "normative_in_force")}


def publication_counts(publications: QuerySet, *, year: int) -> dict[str, int]:
    """Made (published in the year), repealed (in the year) and in force (published by 31
    December and not repealed by then; not withdrawn) — one query."""
    import datetime as dt

    from django.db.models import Count, Q

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    published = Q(published_at__isnull=False)
    aggregates = {}
    for form, (made, repealed, in_force) in PUBLICATION_FIELDS.items():
        of_form = Q(legal_form=form) & published
        aggregates[made] = Count("pk", filter=of_form & Q(published_at__date__range=(first, last)))
        aggregates[repealed] = Count("pk", filter=of_form & Q(repealed_on__range=(first, last)))
        aggregates[in_force] = Count("pk", filter=of_form & Q(published_at__date__lte=last, state="published")
                                     & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=last)))
    return publications.aggregate(**aggregates)


def with_publications(values: dict, counts: dict) -> dict:
    """表二 as printed: the entered figures plus what the system published itself."""
    return {**values, **{f: values[f] + counts.get(f, 0) for fields in PUBLICATION_FIELDS.values() for f in fields}}
