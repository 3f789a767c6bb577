from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.contact_in import ContactIn
from ...models.message import Message
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    thread_id: UUID,
    *,
    body: ContactIn,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/t/{tenant}/threads/{thread_id}/messages".format(tenant=quote(str(tenant), safe=""),thread_id=quote(str(thread_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Message | Problem:
    if response.status_code == 201:
        response_201 = Message.from_dict(response.json())



        return response_201

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Message | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    thread_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ContactIn,

) -> Response[Message | Problem]:
    """ Answer in a thread (its two members only)

    Args:
        tenant (str):
        thread_id (UUID):
        body (ContactIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Message | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
thread_id=thread_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    tenant: str,
    thread_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ContactIn,

) -> Message | Problem | None:
    """ Answer in a thread (its two members only)

    Args:
        tenant (str):
        thread_id (UUID):
        body (ContactIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Message | Problem
     """


    return sync_detailed(
        tenant=tenant,
thread_id=thread_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    thread_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ContactIn,

) -> Response[Message | Problem]:
    """ Answer in a thread (its two members only)

    Args:
        tenant (str):
        thread_id (UUID):
        body (ContactIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Message | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
thread_id=thread_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    tenant: str,
    thread_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ContactIn,

) -> Message | Problem | None:
    """ Answer in a thread (its two members only)

    Args:
        tenant (str):
        thread_id (UUID):
        body (ContactIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Message | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
thread_id=thread_id,
client=client,
body=body,

    )).parsed
