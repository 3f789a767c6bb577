from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.tenant import Tenant
from ...models.tenant_patch import TenantPatch
from typing import cast



def _get_kwargs(
    network: str,
    tenant_slug: str,
    *,
    body: TenantPatch,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/networks/{network}/tenants/{tenant_slug}".format(network=quote(str(network), safe=""),tenant_slug=quote(str(tenant_slug), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Tenant:
    if response.status_code == 200:
        response_200 = Tenant.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Tenant]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    network: str,
    tenant_slug: str,
    *,
    client: AuthenticatedClient | Client,
    body: TenantPatch,

) -> Response[Problem | Tenant]:
    """ Change a tenant's name, departments or contact (its slug never changes), or close
    (``status: closed``) and reopen it (``status: active``)

    Args:
        network (str):
        tenant_slug (str):
        body (TenantPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Tenant]
     """


    kwargs = _get_kwargs(
        network=network,
tenant_slug=tenant_slug,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    network: str,
    tenant_slug: str,
    *,
    client: AuthenticatedClient | Client,
    body: TenantPatch,

) -> Problem | Tenant | None:
    """ Change a tenant's name, departments or contact (its slug never changes), or close
    (``status: closed``) and reopen it (``status: active``)

    Args:
        network (str):
        tenant_slug (str):
        body (TenantPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Tenant
     """


    return sync_detailed(
        network=network,
tenant_slug=tenant_slug,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    network: str,
    tenant_slug: str,
    *,
    client: AuthenticatedClient | Client,
    body: TenantPatch,

) -> Response[Problem | Tenant]:
    """ Change a tenant's name, departments or contact (its slug never changes), or close
    (``status: closed``) and reopen it (``status: active``)

    Args:
        network (str):
        tenant_slug (str):
        body (TenantPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Tenant]
     """


    kwargs = _get_kwargs(
        network=network,
tenant_slug=tenant_slug,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    network: str,
    tenant_slug: str,
    *,
    client: AuthenticatedClient | Client,
    body: TenantPatch,

) -> Problem | Tenant | None:
    """ Change a tenant's name, departments or contact (its slug never changes), or close
    (``status: closed``) and reopen it (``status: active``)

    Args:
        network (str):
        tenant_slug (str):
        body (TenantPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Tenant
     """


    return (await asyncio_detailed(
        network=network,
tenant_slug=tenant_slug,
client=client,
body=body,

    )).parsed
