"""The supervisor's reports (activity, agents, promises, dso; aging by campaign) as JSON
built from a session, and rendered as a table or CSV. The same JSON comes from a local store
and from the server's `/v1/reports/{name}`.

Money is a decimal string; rates are fractions rounded to 4 places, null when undefined.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from typing import Any

from recotui.domain.aging import AGING_BUCKETS
from recotui.domain.money import to_decimal_string
from recotui.domain.supervision import CountbackPeriod, dso_countback, month_periods

REPORTS = ("aging", "activity", "agents", "promises", "dso")
ACTIVITY_COLUMNS = ("call", "conversation", "promise", "plan", "payment", "dispute", "note",
                    "callback", "letter", "stage", "assignment", "close")
DSO_MONTHS = 12


class ReportError(ValueError):
    pass


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _money(amounts: dict[str, int]) -> dict[str, str]:
    return {c: to_decimal_string(v, c) for c, v in sorted(amounts.items())}


def build(session: Any, name: str, start: date, end: date, campaign: str | None = None,
          now: datetime | None = None) -> dict[str, Any]:
    """The report `name` over start..end (inclusive), for one campaign (by name) or all."""
    from recotui.store import supervisor_reads as reads

    if name not in REPORTS:
        raise ReportError(f"unknown report {name!r}")
    if start > end:
        raise ReportError("--from is after --to")
    campaign_id = None
    if campaign:
        campaign_id = reads.campaign_id_of(session, campaign)
        if campaign_id is None:
            raise ReportError(f"no campaign named {campaign!r}")
    head = {"report": name, "from": start.isoformat(), "to": end.isoformat(),
            "campaign": campaign or None}
    if name == "aging":
        from recotui.reports import aging_of

        if campaign_id is None:
            return {**head, **aging_of(session, end)}
        rows = reads.aging_of_campaign(session, end, campaign_id)
        return {**head, "as_of": end.isoformat(), "totals": [
            {"currency": r.currency,
             "buckets": {b: to_decimal_string(r.buckets[b], r.currency) for b in AGING_BUCKETS},
             "total": to_decimal_string(r.total, r.currency)} for r in rows]}
    if name == "activity":
        days = reads.activity_by_day(session, start, end, campaign_id)
        rows = [{"day": d.isoformat(), **{k: days[d].get(k, 0) for k in ACTIVITY_COLUMNS}}
                for d in sorted(days)]
        totals = {k: sum(r[k] for r in rows) for k in ACTIVITY_COLUMNS}
        return {**head, "days": rows, "totals": totals}
    if name == "agents":
        from datetime import UTC

        agents = reads.agent_rows(session, start, end, now or datetime.now(UTC), campaign_id)
        return {**head, "agents": [{
            "agent": a.name, "cases_worked": a.cases_worked, "calls": a.calls,
            "logged_hours": a.logged_hours, "calls_per_hour": _rate(a.calls_per_hour),
            "right_party_rate": _rate(a.rpc_rate), "promises": a.promises,
            "promised": _money(a.promised), "collected": _money(a.collected),
            "average_handle_s": None if a.handle_s is None else round(a.handle_s, 1),
        } for a in agents if a.status != "off" or a.calls]}
    if name == "promises":
        made = reads.promises_made(session, start, end, campaign_id)
        out = []
        for currency in sorted(made):
            per = made[currency]
            n = {s: per.get(s, (0, 0)) for s in ("pending", "kept", "broken", "cancelled", "paid")}
            count = sum(n[s][0] for s in ("pending", "kept", "broken", "cancelled"))
            amount = sum(n[s][1] for s in ("pending", "kept", "broken", "cancelled"))
            settled = n["kept"][0] + n["broken"][0]
            out.append({
                "currency": currency, "made": count, "amount": to_decimal_string(amount, currency),
                **{f"{s}": n[s][0] for s in ("pending", "kept", "broken", "cancelled")},
                "kept_amount": to_decimal_string(n["kept"][1], currency),
                "broken_amount": to_decimal_string(n["broken"][1], currency),
                "paid_amount": to_decimal_string(n["paid"][1], currency),
                "kept_rate": _rate(n["kept"][0] / settled if settled else None),
            })
        return {**head, "currencies": out}
    # dso: the receivables at --to counted back over the months before it
    periods = month_periods(end, DSO_MONTHS)
    data = reads.sales_and_receivables(session, periods[-1][0], end, campaign_id)
    out = []
    for currency in sorted(data):
        receivable, sales = data[currency]
        months = [CountbackPeriod(first, (last - first).days + 1,
                                  sum(v for d, v in sales.items() if first <= d <= last))
                  for first, last in periods]
        days = dso_countback(receivable, months)
        out.append({"currency": currency, "receivables": to_decimal_string(receivable, currency),
                    "dso_days": None if days is None else round(days, 1),
                    "months": [{"month": m.start.isoformat()[:7], "days": m.days,
                                "sales": to_decimal_string(m.sales, currency)} for m in months]})
    return {**head, "as_of": end.isoformat(), "currencies": out}


def default_period(name: str, start: date | None, end: date | None, today: date
                   ) -> tuple[date, date]:
    end = end or today
    if start is None:
        start = end if name in {"aging", "dso"} else end - timedelta(days=6)
    return start, end


# -- rendering -----------------------------------------------------------------------------


def table_of(report: dict[str, Any]) -> tuple[str, list[str], list[list[str]]]:
    """(title, header, rows) of a report, as text cells."""
    name = report["report"]
    scope = f" · {report['campaign']}" if report.get("campaign") else ""
    span = f"{report['from']} .. {report['to']}{scope}"
    if name == "aging":
        header = ["currency", *AGING_BUCKETS, "total"]
        rows = [[t["currency"], *t["buckets"].values(), t["total"]] for t in report["totals"]]
        return f"Aging at {report['as_of']}{scope}", header, rows
    if name == "activity":
        header = ["day", *ACTIVITY_COLUMNS]
        rows = [[r["day"], *(str(r[k]) for k in ACTIVITY_COLUMNS)] for r in report["days"]]
        rows.append(["total", *(str(report["totals"][k]) for k in ACTIVITY_COLUMNS)])
        return f"Activity {span}", header, rows
    if name == "agents":
        header = ["agent", "cases", "calls", "hours", "calls/h", "rpc", "promises",
                  "promised", "collected", "aht_s"]

        def cell(v: Any) -> str:
            if v is None:
                return "—"
            if isinstance(v, dict):
                return "; ".join(f"{a} {c}" for c, a in v.items()) or "0"
            return str(v)

        rows = [[cell(a[k]) for k in ("agent", "cases_worked", "calls", "logged_hours",
                                      "calls_per_hour", "right_party_rate", "promises",
                                      "promised", "collected", "average_handle_s")]
                for a in report["agents"]]
        return f"Agents {span}", header, rows
    if name == "promises":
        header = ["currency", "made", "amount", "pending", "kept", "broken", "cancelled",
                  "kept_amount", "broken_amount", "paid_amount", "kept_rate"]
        rows = [["—" if c[k] is None else str(c[k]) for k in header]
                for c in report["currencies"]]
        return f"Promises made {span}", header, rows
    header = ["currency", "receivables", "dso_days"]
    rows = [[c["currency"], c["receivables"], "—" if c["dso_days"] is None else str(c["dso_days"])]
            for c in report["currencies"]]
    return f"DSO (countback) at {report['as_of']}{scope}", header, rows


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    title, header, rows = table_of(report)
    if fmt == "csv":
        return to_csv(header, rows)
    return text_table(title, header, rows)


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def text_table(title: str, header: list[str], rows: list[list[str]]) -> str:
    shown = [header, *rows]
    widths = [max(len(r[i]) for r in shown) for i in range(len(header))]
    lines = [title]
    for index, row in enumerate(shown):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    if not rows:
        lines.append("(nothing in this period)")
    return "\n".join(lines) + "\n"
