from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.listing import Listing
from ...models.listing_patch import ListingPatch
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    listing_id: UUID,
    *,
    body: ListingPatch,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/t/{tenant}/listings/{listing_id}".format(tenant=quote(str(tenant), safe=""),listing_id=quote(str(listing_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Listing | Problem:
    if response.status_code == 200:
        response_200 = Listing.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Listing | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    listing_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ListingPatch,

) -> Response[Listing | Problem]:
    """ Change a listing: its author, or an animator of its association

    Args:
        tenant (str):
        listing_id (UUID):
        body (ListingPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Listing | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
listing_id=listing_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    listing_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ListingPatch,

) -> Listing | Problem | None:
    """ Change a listing: its author, or an animator of its association

    Args:
        tenant (str):
        listing_id (UUID):
        body (ListingPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Listing | Problem
     """


    return sync_detailed(
        tenant=tenant,
listing_id=listing_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    listing_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ListingPatch,

) -> Response[Listing | Problem]:
    """ Change a listing: its author, or an animator of its association

    Args:
        tenant (str):
        listing_id (UUID):
        body (ListingPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Listing | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
listing_id=listing_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    listing_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ListingPatch,

) -> Listing | Problem | None:
    """ Change a listing: its author, or an animator of its association

    Args:
        tenant (str):
        listing_id (UUID):
        body (ListingPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Listing | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
listing_id=listing_id,
client=client,
body=body,

    )).parsed
