from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.activity import Activity
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    tenant: str,
    *,
    months: int | Unset = 12,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["months"] = months


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/activity".format(tenant=quote(str(tenant), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Activity | Problem:
    if response.status_code == 200:
        response_200 = Activity.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Activity | Problem]:
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
    months: int | Unset = 12,

) -> Response[Activity | Problem]:
    """ The tenant's volume traded, trades and active members per month, and credit in use

    Args:
        tenant (str):
        months (int | Unset):  Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Activity | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
months=months,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    months: int | Unset = 12,

) -> Activity | Problem | None:
    """ The tenant's volume traded, trades and active members per month, and credit in use

    Args:
        tenant (str):
        months (int | Unset):  Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Activity | Problem
     """


    return sync_detailed(
        tenant=tenant,
client=client,
months=months,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    months: int | Unset = 12,

) -> Response[Activity | Problem]:
    """ The tenant's volume traded, trades and active members per month, and credit in use

    Args:
        tenant (str):
        months (int | Unset):  Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Activity | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
months=months,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    months: int | Unset = 12,

) -> Activity | Problem | None:
    """ The tenant's volume traded, trades and active members per month, and credit in use

    Args:
        tenant (str):
        months (int | Unset):  Default: 12.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Activity | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
client=client,
months=months,

    )).parsed
