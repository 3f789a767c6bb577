from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.directory_get_members_scope import DirectoryGetMembersScope
from ...models.directory_get_members_status_type_1 import DirectoryGetMembersStatusType1
from ...models.directory_get_members_status_type_2_type_1 import DirectoryGetMembersStatusType2Type1
from ...models.directory_get_members_status_type_3_type_1 import DirectoryGetMembersStatusType3Type1
from ...models.member_page import MemberPage
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    tenant: str,
    *,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    scope: DirectoryGetMembersScope | Unset = DirectoryGetMembersScope.TENANT,
    status: DirectoryGetMembersStatusType1 | DirectoryGetMembersStatusType2Type1 | DirectoryGetMembersStatusType3Type1 | None | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["page"] = page

    params["per_page"] = per_page

    json_scope: str | Unset = UNSET
    if not isinstance(scope, Unset):
        json_scope = scope.value

    params["scope"] = json_scope

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, DirectoryGetMembersStatusType1):
        json_status = status.value
    elif isinstance(status, DirectoryGetMembersStatusType2Type1):
        json_status = status.value
    elif isinstance(status, DirectoryGetMembersStatusType3Type1):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_updated_since: None | str | Unset
    if isinstance(updated_since, Unset):
        json_updated_since = UNSET
    elif isinstance(updated_since, datetime.datetime):
        json_updated_since = updated_since.isoformat()
    else:
        json_updated_since = updated_since
    params["updated_since"] = json_updated_since


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/members".format(tenant=quote(str(tenant), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MemberPage | Problem:
    if response.status_code == 200:
        response_200 = MemberPage.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[MemberPage | Problem]:
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
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    scope: DirectoryGetMembersScope | Unset = DirectoryGetMembersScope.TENANT,
    status: DirectoryGetMembersStatusType1 | DirectoryGetMembersStatusType2Type1 | DirectoryGetMembersStatusType3Type1 | None | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,

) -> Response[MemberPage | Problem]:
    """ List the tenant's members, or with ``scope=network`` the network's whole directory

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        scope (DirectoryGetMembersScope | Unset):  Default: DirectoryGetMembersScope.TENANT.
        status (DirectoryGetMembersStatusType1 | DirectoryGetMembersStatusType2Type1 |
            DirectoryGetMembersStatusType3Type1 | None | Unset):
        updated_since (datetime.datetime | None | Unset):  Example: 2026-11-20T09:30:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MemberPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
page=page,
per_page=per_page,
scope=scope,
status=status,
updated_since=updated_since,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    scope: DirectoryGetMembersScope | Unset = DirectoryGetMembersScope.TENANT,
    status: DirectoryGetMembersStatusType1 | DirectoryGetMembersStatusType2Type1 | DirectoryGetMembersStatusType3Type1 | None | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,

) -> MemberPage | Problem | None:
    """ List the tenant's members, or with ``scope=network`` the network's whole directory

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        scope (DirectoryGetMembersScope | Unset):  Default: DirectoryGetMembersScope.TENANT.
        status (DirectoryGetMembersStatusType1 | DirectoryGetMembersStatusType2Type1 |
            DirectoryGetMembersStatusType3Type1 | None | Unset):
        updated_since (datetime.datetime | None | Unset):  Example: 2026-11-20T09:30:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MemberPage | Problem
     """


    return sync_detailed(
        tenant=tenant,
client=client,
page=page,
per_page=per_page,
scope=scope,
status=status,
updated_since=updated_since,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    scope: DirectoryGetMembersScope | Unset = DirectoryGetMembersScope.TENANT,
    status: DirectoryGetMembersStatusType1 | DirectoryGetMembersStatusType2Type1 | DirectoryGetMembersStatusType3Type1 | None | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,

) -> Response[MemberPage | Problem]:
    """ List the tenant's members, or with ``scope=network`` the network's whole directory

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        scope (DirectoryGetMembersScope | Unset):  Default: DirectoryGetMembersScope.TENANT.
        status (DirectoryGetMembersStatusType1 | DirectoryGetMembersStatusType2Type1 |
            DirectoryGetMembersStatusType3Type1 | None | Unset):
        updated_since (datetime.datetime | None | Unset):  Example: 2026-11-20T09:30:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MemberPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
page=page,
per_page=per_page,
scope=scope,
status=status,
updated_since=updated_since,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    scope: DirectoryGetMembersScope | Unset = DirectoryGetMembersScope.TENANT,
    status: DirectoryGetMembersStatusType1 | DirectoryGetMembersStatusType2Type1 | DirectoryGetMembersStatusType3Type1 | None | Unset = UNSET,
    updated_since: datetime.datetime | None | Unset = UNSET,

) -> MemberPage | Problem | None:
    """ List the tenant's members, or with ``scope=network`` the network's whole directory

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        scope (DirectoryGetMembersScope | Unset):  Default: DirectoryGetMembersScope.TENANT.
        status (DirectoryGetMembersStatusType1 | DirectoryGetMembersStatusType2Type1 |
            DirectoryGetMembersStatusType3Type1 | None | Unset):
        updated_since (datetime.datetime | None | Unset):  Example: 2026-11-20T09:30:00Z.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MemberPage | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
client=client,
page=page,
per_page=per_page,
scope=scope,
status=status,
updated_since=updated_since,

    )).parsed
