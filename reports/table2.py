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
