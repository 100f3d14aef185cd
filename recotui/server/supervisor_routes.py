"""Supervisor routes: the console's figures, the cases behind them, the reports, campaigns.

Every route here needs a supervisor's or an admin's token (403 for an agent's)."""


import hashlib
import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from sqlmodel import Session

from recotui.store.tables import User


def add_routes(app: FastAPI, supervisor: Any, read_session: Any, store: Any) -> None:
    Supervisor = Annotated[User, Depends(supervisor)]
    Reads = Annotated[Session, Depends(read_session)]

    @app.get("/v1/reports/console", tags=["reports"])
    def console(_: Supervisor, session: Reads, request: Request,
                now: datetime | None = None,
                targets: Annotated[str, Query(description='JSON {"EUR": minor}')] = "{}",
                ) -> Response:
        """The console's figures. Send the last ETag in If-None-Match: 304 while nothing
        changed, so an idle console costs a few hundred bytes a refresh."""
        from recotui.store.supervisor_reads import console as read_console

        try:
            wanted = {str(k): int(v) for k, v in json.loads(targets).items()}
        except (ValueError, AttributeError) as exc:
            raise HTTPException(422, "targets must be a JSON object of integers") from exc
        at = (now or datetime.now(UTC)).astimezone(UTC)
        data = read_console(session, at, wanted).as_json()
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
        # The tag leaves out the clock: same figures, same tag.
        same = json.dumps({k: v for k, v in data.items() if k != "now"}, sort_keys=True)
        tag = '"' + hashlib.blake2b(same.encode(), digest_size=12).hexdigest() + '"'
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers={"ETag": tag})
        return Response(body, media_type="application/json", headers={"ETag": tag})

    @app.get("/v1/reports/console/cases", tags=["reports"])
    def console_cases(_: Supervisor, session: Reads, what: str, key: str = "",
                      now: datetime | None = None) -> list[dict[str, Any]]:
        from recotui.store.supervisor_reads import drill

        try:
            lines = drill(session, what, key, (now or datetime.now(UTC)).astimezone(UTC))
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        return [line.as_json() for line in lines]

    @app.get("/v1/reports/{name}", tags=["reports"])
    def report(name: str, _: Supervisor, session: Reads,
               start: Annotated[date | None, Query(alias="from")] = None,
               end: Annotated[date | None, Query(alias="to")] = None,
               campaign: str | None = None) -> dict[str, Any]:
        """activity, agents, promises, dso (and aging by campaign): the JSON of
        `recotui report NAME --format json`."""
        from recotui.report_supervisor import REPORTS, ReportError, build, default_period

        if name not in REPORTS:
            raise HTTPException(404, f"no report {name!r}")
        start, end = default_period(name, start, end, date.today())
        try:
            return build(session, name, start, end, campaign)
        except ReportError as exc:
            raise HTTPException(422, str(exc)) from exc
