from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.event_page import EventPage
from ...models.ledger_get_events_source import LedgerGetEventsSource
from ...models.ledger_get_events_troc_list_shape import LedgerGetEventsTrocListShape
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    tenant: str,
    *,
    source: LedgerGetEventsSource | Unset = LedgerGetEventsSource.LEDGER,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    troc_list_shape: LedgerGetEventsTrocListShape | Unset = LedgerGetEventsTrocListShape.ITEMS,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(troc_list_shape, Unset):
        headers["Troc-List-Shape"] = str(troc_list_shape)




    

    params: dict[str, Any] = {}

    json_source: str | Unset = UNSET
    if not isinstance(source, Unset):
        json_source = source.value

    params["source"] = json_source

    params["after"] = after

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/events".format(tenant=quote(str(tenant), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EventPage | Problem:
    if response.status_code == 200:
        response_200 = EventPage.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EventPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    source: LedgerGetEventsSource | Unset = LedgerGetEventsSource.LEDGER,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    troc_list_shape: LedgerGetEventsTrocListShape | Unset = LedgerGetEventsTrocListShape.ITEMS,

) -> Response[EventPage | Problem]:
    """ A tenant's event log (ledger, invoices or listings) after a position, in order

     Each producer's per-tenant log, gap-free: `source` chooses whose (the gateway sends `invoices` and
    `listings` to their services, which serve the same operation); an unknown source is refused (422).
    Cursor paging: pass `next_after` as `after` to read on. Every event is the CloudEvents document the
    bus and the webhooks carried, its `sequence` the zero-padded position in the log of its `source`
    (`/t/<tenant>/<service>`). Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older
    shape, `{events: [...], next_after}`, with a `Deprecation` header.

    Args:
        tenant (str):
        source (LedgerGetEventsSource | Unset):  Default: LedgerGetEventsSource.LEDGER. Example:
            ledger.
        after (int | Unset):  Default: 0. Example: 0.
        limit (int | Unset):  Default: 100. Example: 100.
        troc_list_shape (LedgerGetEventsTrocListShape | Unset):  Default:
            LedgerGetEventsTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
source=source,
after=after,
limit=limit,
troc_list_shape=troc_list_shape,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    source: LedgerGetEventsSource | Unset = LedgerGetEventsSource.LEDGER,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    troc_list_shape: LedgerGetEventsTrocListShape | Unset = LedgerGetEventsTrocListShape.ITEMS,

) -> EventPage | Problem | None:
    """ A tenant's event log (ledger, invoices or listings) after a position, in order

     Each producer's per-tenant log, gap-free: `source` chooses whose (the gateway sends `invoices` and
    `listings` to their services, which serve the same operation); an unknown source is refused (422).
    Cursor paging: pass `next_after` as `after` to read on. Every event is the CloudEvents document the
    bus and the webhooks carried, its `sequence` the zero-padded position in the log of its `source`
    (`/t/<tenant>/<service>`). Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older
    shape, `{events: [...], next_after}`, with a `Deprecation` header.

    Args:
        tenant (str):
        source (LedgerGetEventsSource | Unset):  Default: LedgerGetEventsSource.LEDGER. Example:
            ledger.
        after (int | Unset):  Default: 0. Example: 0.
        limit (int | Unset):  Default: 100. Example: 100.
        troc_list_shape (LedgerGetEventsTrocListShape | Unset):  Default:
            LedgerGetEventsTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
     """


    return sync_detailed(
        tenant=tenant,
client=client,
source=source,
after=after,
limit=limit,
troc_list_shape=troc_list_shape,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    source: LedgerGetEventsSource | Unset = LedgerGetEventsSource.LEDGER,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    troc_list_shape: LedgerGetEventsTrocListShape | Unset = LedgerGetEventsTrocListShape.ITEMS,

) -> Response[EventPage | Problem]:
    """ A tenant's event log (ledger, invoices or listings) after a position, in order

     Each producer's per-tenant log, gap-free: `source` chooses whose (the gateway sends `invoices` and
    `listings` to their services, which serve the same operation); an unknown source is refused (422).
    Cursor paging: pass `next_after` as `after` to read on. Every event is the CloudEvents document the
    bus and the webhooks carried, its `sequence` the zero-padded position in the log of its `source`
    (`/t/<tenant>/<service>`). Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older
    shape, `{events: [...], next_after}`, with a `Deprecation` header.

    Args:
        tenant (str):
        source (LedgerGetEventsSource | Unset):  Default: LedgerGetEventsSource.LEDGER. Example:
            ledger.
        after (int | Unset):  Default: 0. Example: 0.
        limit (int | Unset):  Default: 100. Example: 100.
        troc_list_shape (LedgerGetEventsTrocListShape | Unset):  Default:
            LedgerGetEventsTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
source=source,
after=after,
limit=limit,
troc_list_shape=troc_list_shape,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    source: LedgerGetEventsSource | Unset = LedgerGetEventsSource.LEDGER,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    troc_list_shape: LedgerGetEventsTrocListShape | Unset = LedgerGetEventsTrocListShape.ITEMS,

) -> EventPage | Problem | None:
    """ A tenant's event log (ledger, invoices or listings) after a position, in order

     Each producer's per-tenant log, gap-free: `source` chooses whose (the gateway sends `invoices` and
    `listings` to their services, which serve the same operation); an unknown source is refused (422).
    Cursor paging: pass `next_after` as `after` to read on. Every event is the CloudEvents document the
    bus and the webhooks carried, its `sequence` the zero-padded position in the log of its `source`
    (`/t/<tenant>/<service>`). Deprecated opt-in: with `Troc-List-Shape: legacy` the answer is the older
    shape, `{events: [...], next_after}`, with a `Deprecation` header.

    Args:
        tenant (str):
        source (LedgerGetEventsSource | Unset):  Default: LedgerGetEventsSource.LEDGER. Example:
            ledger.
        after (int | Unset):  Default: 0. Example: 0.
        limit (int | Unset):  Default: 100. Example: 100.
        troc_list_shape (LedgerGetEventsTrocListShape | Unset):  Default:
            LedgerGetEventsTrocListShape.ITEMS.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
client=client,
source=source,
after=after,
limit=limit,
troc_list_shape=troc_list_shape,

    )).parsed
