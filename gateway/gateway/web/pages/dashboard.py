"""The member's dashboard: balance, available credit, pending, the balance chart, transfers;
and the CSV statement (the ledger's, passed on)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask import Response, render_template, stream_with_context
from flask.typing import ResponseReturnValue

from gateway.web import charts, formatting
from gateway.web.blueprint import bp, page
from gateway.web.directory import counterpart_names
from gateway.web.session import api, current_account, tenant_path

#: Transfers read for the chart and the table (the newest first).
STATEMENT_SIZE = 100


def _when(transfer: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(transfer.get("posted_at") or transfer["created_at"])


def balance_series(
    transfers: list[dict[str, Any]], balance: Decimal, member_id: str
) -> list[tuple[datetime, Decimal]]:
    """The balance after each posted transfer, oldest first, from today's balance backwards.

    The statement lists the newest first; walking it back from the current balance gives the
    balance before each movement. The first point is the balance before the oldest one read.
    """
    series: list[tuple[datetime, Decimal]] = [(datetime.now(UTC), balance)]
    current = balance
    posted = [t for t in transfers if t["status"] == "posted"]
    for transfer in posted:  # newest first
        amount = Decimal(transfer["amount"])
        signed = amount if str(transfer["payee"]) == member_id else -amount
        series.append((_when(transfer), current))
        current -= signed
    if posted:
        series.append((_when(posted[-1]), current))
    series.reverse()
    return series


@bp.get("/app/tableau-de-bord")
@page("member")
def dashboard() -> ResponseReturnValue:
    account = current_account()
    assert account is not None and account.member_id  # noqa: S101 (page("member"))
    client = api()
    balance = client.get(tenant_path(f"/accounts/{account.member_id}"))
    transfers = client.get(
        tenant_path(f"/accounts/{account.member_id}/transfers"), per_page=STATEMENT_SIZE
    )["items"]
    series = balance_series(transfers, Decimal(balance["balance"]), account.member_id)
    chart = (
        charts.line_chart(
            series,
            value_label=lambda v: formatting.number(v, 0),
            date_label=formatting.date_fr,
            min_step=Decimal(1),
        )
        if len(series) > 1
        else None
    )
    me = account.member_id
    shown = [
        (t, str(t["payee"]) == me, str(t["payer"] if str(t["payee"]) == me else t["payee"]))
        for t in transfers[:10]
    ]
    names = counterpart_names(other for _t, _incoming, other in shown)
    rows = [
        {**t, "incoming": incoming, "counterpart": names.get(other, "Réseau")}
        for t, incoming, other in shown
    ]
    return render_template("member/dashboard.html", balance=balance, chart=chart, transfers=rows)


@bp.get("/app/releve.csv")
@page("member")
def statement_csv() -> ResponseReturnValue:
    """The ledger's CSV statement, streamed through."""
    account = current_account()
    assert account is not None and account.member_id  # noqa: S101 (page("member"))
    upstream = api().download(tenant_path(f"/accounts/{account.member_id}/transfers"), "text/csv")
    return Response(
        stream_with_context(upstream.iter_content(64 * 1024)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="releve.csv"'},
    )
