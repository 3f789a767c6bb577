from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.payment_page import PaymentPage
from ...models.payment_requests_get_payment_requests_status_item import PaymentRequestsGetPaymentRequestsStatusItem
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    tenant: str,
    *,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    status: list[PaymentRequestsGetPaymentRequestsStatusItem] | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["page"] = page

    params["per_page"] = per_page

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)


    params["status"] = json_status

    json_member_id: None | str | Unset
    if isinstance(member_id, Unset):
        json_member_id = UNSET
    elif isinstance(member_id, UUID):
        json_member_id = str(member_id)
    else:
        json_member_id = member_id
    params["member_id"] = json_member_id


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/payment-requests".format(tenant=quote(str(tenant), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PaymentPage | Problem:
    if response.status_code == 200:
        response_200 = PaymentPage.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PaymentPage | Problem]:
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
    status: list[PaymentRequestsGetPaymentRequestsStatusItem] | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,

) -> Response[PaymentPage | Problem]:
    """ List the payment requests the caller may see (a member: its own)

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        status (list[PaymentRequestsGetPaymentRequestsStatusItem] | Unset):
        member_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaymentPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
page=page,
per_page=per_page,
status=status,
member_id=member_id,

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
    status: list[PaymentRequestsGetPaymentRequestsStatusItem] | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,

) -> PaymentPage | Problem | None:
    """ List the payment requests the caller may see (a member: its own)

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        status (list[PaymentRequestsGetPaymentRequestsStatusItem] | Unset):
        member_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaymentPage | Problem
     """


    return sync_detailed(
        tenant=tenant,
client=client,
page=page,
per_page=per_page,
status=status,
member_id=member_id,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    status: list[PaymentRequestsGetPaymentRequestsStatusItem] | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,

) -> Response[PaymentPage | Problem]:
    """ List the payment requests the caller may see (a member: its own)

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        status (list[PaymentRequestsGetPaymentRequestsStatusItem] | Unset):
        member_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaymentPage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
page=page,
per_page=per_page,
status=status,
member_id=member_id,

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
    status: list[PaymentRequestsGetPaymentRequestsStatusItem] | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,

) -> PaymentPage | Problem | None:
    """ List the payment requests the caller may see (a member: its own)

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        status (list[PaymentRequestsGetPaymentRequestsStatusItem] | Unset):
        member_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaymentPage | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
client=client,
page=page,
per_page=per_page,
status=status,
member_id=member_id,

    )).parsed
