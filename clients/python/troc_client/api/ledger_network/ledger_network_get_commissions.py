from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.commissions import Commissions
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    network: str,
    *,
    since: datetime.datetime | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/networks/{network}/commissions".format(network=quote(str(network), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Commissions | Problem:
    if response.status_code == 200:
        response_200 = Commissions.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Commissions | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    since: datetime.datetime | None | Unset = UNSET,

) -> Response[Commissions | Problem]:
    """ Commissions the fee account received, by tenant and month, less those reversed

    Args:
        network (str):
        since (datetime.datetime | None | Unset):  Example: 2026-01-01T00:00:00+01:00.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Commissions | Problem]
     """


    kwargs = _get_kwargs(
        network=network,
since=since,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    since: datetime.datetime | None | Unset = UNSET,

) -> Commissions | Problem | None:
    """ Commissions the fee account received, by tenant and month, less those reversed

    Args:
        network (str):
        since (datetime.datetime | None | Unset):  Example: 2026-01-01T00:00:00+01:00.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Commissions | Problem
     """


    return sync_detailed(
        network=network,
client=client,
since=since,

    ).parsed

async def asyncio_detailed(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    since: datetime.datetime | None | Unset = UNSET,

) -> Response[Commissions | Problem]:
    """ Commissions the fee account received, by tenant and month, less those reversed

    Args:
        network (str):
        since (datetime.datetime | None | Unset):  Example: 2026-01-01T00:00:00+01:00.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Commissions | Problem]
     """


    kwargs = _get_kwargs(
        network=network,
since=since,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    network: str,
    *,
    client: AuthenticatedClient | Client,
    since: datetime.datetime | None | Unset = UNSET,

) -> Commissions | Problem | None:
    """ Commissions the fee account received, by tenant and month, less those reversed

    Args:
        network (str):
        since (datetime.datetime | None | Unset):  Example: 2026-01-01T00:00:00+01:00.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Commissions | Problem
     """


    return (await asyncio_detailed(
        network=network,
client=client,
since=since,

    )).parsed
