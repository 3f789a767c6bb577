from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.member import Member
from ...models.member_patch import MemberPatch
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    member_id: UUID,
    *,
    body: MemberPatch,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/t/{tenant}/members/{member_id}".format(tenant=quote(str(tenant), safe=""),member_id=quote(str(member_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Member | Problem:
    if response.status_code == 200:
        response_200 = Member.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Member | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: MemberPatch,

) -> Response[Member | Problem]:
    """ Amend a member's details (never its SIRET)

    Args:
        tenant (str):
        member_id (UUID):
        body (MemberPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Member | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
member_id=member_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: MemberPatch,

) -> Member | Problem | None:
    """ Amend a member's details (never its SIRET)

    Args:
        tenant (str):
        member_id (UUID):
        body (MemberPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Member | Problem
     """


    return sync_detailed(
        tenant=tenant,
member_id=member_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: MemberPatch,

) -> Response[Member | Problem]:
    """ Amend a member's details (never its SIRET)

    Args:
        tenant (str):
        member_id (UUID):
        body (MemberPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Member | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
member_id=member_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    member_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: MemberPatch,

) -> Member | Problem | None:
    """ Amend a member's details (never its SIRET)

    Args:
        tenant (str):
        member_id (UUID):
        body (MemberPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Member | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
member_id=member_id,
client=client,
body=body,

    )).parsed
