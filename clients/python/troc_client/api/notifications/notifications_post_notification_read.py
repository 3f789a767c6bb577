from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.notification import Notification
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    notification_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/notifications/{notification_id}/read".format(tenant=quote(str(tenant), safe=""),notification_id=quote(str(notification_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Notification | Problem:
    if response.status_code == 200:
        response_200 = Notification.from_dict(response.json())



        return response_200

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Notification | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    notification_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Notification | Problem]:
    """ Mark an entry of the reader's feed as read

    Args:
        tenant (str):
        notification_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Notification | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
notification_id=notification_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    notification_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Notification | Problem | None:
    """ Mark an entry of the reader's feed as read

    Args:
        tenant (str):
        notification_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Notification | Problem
     """


    return sync_detailed(
        tenant=tenant,
notification_id=notification_id,
client=client,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    notification_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Notification | Problem]:
    """ Mark an entry of the reader's feed as read

    Args:
        tenant (str):
        notification_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Notification | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
notification_id=notification_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    notification_id: UUID,
    *,
    client: AuthenticatedClient | Client,

) -> Notification | Problem | None:
    """ Mark an entry of the reader's feed as read

    Args:
        tenant (str):
        notification_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Notification | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
notification_id=notification_id,
client=client,

    )).parsed
