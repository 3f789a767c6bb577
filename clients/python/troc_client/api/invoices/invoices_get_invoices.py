from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.invoice_page import InvoicePage
from ...models.invoices_get_invoices_kind_type_1 import InvoicesGetInvoicesKindType1
from ...models.invoices_get_invoices_kind_type_2_type_1 import InvoicesGetInvoicesKindType2Type1
from ...models.invoices_get_invoices_kind_type_3_type_1 import InvoicesGetInvoicesKindType3Type1
from ...models.invoices_get_invoices_role_type_1 import InvoicesGetInvoicesRoleType1
from ...models.invoices_get_invoices_role_type_2_type_1 import InvoicesGetInvoicesRoleType2Type1
from ...models.invoices_get_invoices_role_type_3_type_1 import InvoicesGetInvoicesRoleType3Type1
from ...models.invoices_get_invoices_status_item import InvoicesGetInvoicesStatusItem
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    tenant: str,
    *,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    status: list[InvoicesGetInvoicesStatusItem] | Unset = UNSET,
    kind: InvoicesGetInvoicesKindType1 | InvoicesGetInvoicesKindType2Type1 | InvoicesGetInvoicesKindType3Type1 | None | Unset = UNSET,
    role: InvoicesGetInvoicesRoleType1 | InvoicesGetInvoicesRoleType2Type1 | InvoicesGetInvoicesRoleType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    since: datetime.date | None | Unset = UNSET,
    until: datetime.date | None | Unset = UNSET,

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

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, InvoicesGetInvoicesKindType1):
        json_kind = kind.value
    elif isinstance(kind, InvoicesGetInvoicesKindType2Type1):
        json_kind = kind.value
    elif isinstance(kind, InvoicesGetInvoicesKindType3Type1):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_role: None | str | Unset
    if isinstance(role, Unset):
        json_role = UNSET
    elif isinstance(role, InvoicesGetInvoicesRoleType1):
        json_role = role.value
    elif isinstance(role, InvoicesGetInvoicesRoleType2Type1):
        json_role = role.value
    elif isinstance(role, InvoicesGetInvoicesRoleType3Type1):
        json_role = role.value
    else:
        json_role = role
    params["role"] = json_role

    json_member_id: None | str | Unset
    if isinstance(member_id, Unset):
        json_member_id = UNSET
    elif isinstance(member_id, UUID):
        json_member_id = str(member_id)
    else:
        json_member_id = member_id
    params["member_id"] = json_member_id

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.date):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    json_until: None | str | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    elif isinstance(until, datetime.date):
        json_until = until.isoformat()
    else:
        json_until = until
    params["until"] = json_until


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/t/{tenant}/invoices".format(tenant=quote(str(tenant), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> InvoicePage | Problem:
    if response.status_code == 200:
        response_200 = InvoicePage.from_dict(response.json())



        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    response_default = Problem.from_dict(response.json())



    return response_default



def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[InvoicePage | Problem]:
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
    status: list[InvoicesGetInvoicesStatusItem] | Unset = UNSET,
    kind: InvoicesGetInvoicesKindType1 | InvoicesGetInvoicesKindType2Type1 | InvoicesGetInvoicesKindType3Type1 | None | Unset = UNSET,
    role: InvoicesGetInvoicesRoleType1 | InvoicesGetInvoicesRoleType2Type1 | InvoicesGetInvoicesRoleType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    since: datetime.date | None | Unset = UNSET,
    until: datetime.date | None | Unset = UNSET,

) -> Response[InvoicePage | Problem]:
    """ List the invoices the caller may see; ``status=awaiting_validation`` is the queue

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        status (list[InvoicesGetInvoicesStatusItem] | Unset):
        kind (InvoicesGetInvoicesKindType1 | InvoicesGetInvoicesKindType2Type1 |
            InvoicesGetInvoicesKindType3Type1 | None | Unset):
        role (InvoicesGetInvoicesRoleType1 | InvoicesGetInvoicesRoleType2Type1 |
            InvoicesGetInvoicesRoleType3Type1 | None | Unset):
        member_id (None | Unset | UUID):
        since (datetime.date | None | Unset):
        until (datetime.date | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvoicePage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
page=page,
per_page=per_page,
status=status,
kind=kind,
role=role,
member_id=member_id,
since=since,
until=until,

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
    status: list[InvoicesGetInvoicesStatusItem] | Unset = UNSET,
    kind: InvoicesGetInvoicesKindType1 | InvoicesGetInvoicesKindType2Type1 | InvoicesGetInvoicesKindType3Type1 | None | Unset = UNSET,
    role: InvoicesGetInvoicesRoleType1 | InvoicesGetInvoicesRoleType2Type1 | InvoicesGetInvoicesRoleType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    since: datetime.date | None | Unset = UNSET,
    until: datetime.date | None | Unset = UNSET,

) -> InvoicePage | Problem | None:
    """ List the invoices the caller may see; ``status=awaiting_validation`` is the queue

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        status (list[InvoicesGetInvoicesStatusItem] | Unset):
        kind (InvoicesGetInvoicesKindType1 | InvoicesGetInvoicesKindType2Type1 |
            InvoicesGetInvoicesKindType3Type1 | None | Unset):
        role (InvoicesGetInvoicesRoleType1 | InvoicesGetInvoicesRoleType2Type1 |
            InvoicesGetInvoicesRoleType3Type1 | None | Unset):
        member_id (None | Unset | UUID):
        since (datetime.date | None | Unset):
        until (datetime.date | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvoicePage | Problem
     """


    return sync_detailed(
        tenant=tenant,
client=client,
page=page,
per_page=per_page,
status=status,
kind=kind,
role=role,
member_id=member_id,
since=since,
until=until,

    ).parsed

async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    per_page: int | Unset = 50,
    status: list[InvoicesGetInvoicesStatusItem] | Unset = UNSET,
    kind: InvoicesGetInvoicesKindType1 | InvoicesGetInvoicesKindType2Type1 | InvoicesGetInvoicesKindType3Type1 | None | Unset = UNSET,
    role: InvoicesGetInvoicesRoleType1 | InvoicesGetInvoicesRoleType2Type1 | InvoicesGetInvoicesRoleType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    since: datetime.date | None | Unset = UNSET,
    until: datetime.date | None | Unset = UNSET,

) -> Response[InvoicePage | Problem]:
    """ List the invoices the caller may see; ``status=awaiting_validation`` is the queue

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        status (list[InvoicesGetInvoicesStatusItem] | Unset):
        kind (InvoicesGetInvoicesKindType1 | InvoicesGetInvoicesKindType2Type1 |
            InvoicesGetInvoicesKindType3Type1 | None | Unset):
        role (InvoicesGetInvoicesRoleType1 | InvoicesGetInvoicesRoleType2Type1 |
            InvoicesGetInvoicesRoleType3Type1 | None | Unset):
        member_id (None | Unset | UUID):
        since (datetime.date | None | Unset):
        until (datetime.date | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvoicePage | Problem]
     """


    kwargs = _get_kwargs(
        tenant=tenant,
page=page,
per_page=per_page,
status=status,
kind=kind,
role=role,
member_id=member_id,
since=since,
until=until,

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
    status: list[InvoicesGetInvoicesStatusItem] | Unset = UNSET,
    kind: InvoicesGetInvoicesKindType1 | InvoicesGetInvoicesKindType2Type1 | InvoicesGetInvoicesKindType3Type1 | None | Unset = UNSET,
    role: InvoicesGetInvoicesRoleType1 | InvoicesGetInvoicesRoleType2Type1 | InvoicesGetInvoicesRoleType3Type1 | None | Unset = UNSET,
    member_id: None | Unset | UUID = UNSET,
    since: datetime.date | None | Unset = UNSET,
    until: datetime.date | None | Unset = UNSET,

) -> InvoicePage | Problem | None:
    """ List the invoices the caller may see; ``status=awaiting_validation`` is the queue

    Args:
        tenant (str):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 50.
        status (list[InvoicesGetInvoicesStatusItem] | Unset):
        kind (InvoicesGetInvoicesKindType1 | InvoicesGetInvoicesKindType2Type1 |
            InvoicesGetInvoicesKindType3Type1 | None | Unset):
        role (InvoicesGetInvoicesRoleType1 | InvoicesGetInvoicesRoleType2Type1 |
            InvoicesGetInvoicesRoleType3Type1 | None | Unset):
        member_id (None | Unset | UUID):
        since (datetime.date | None | Unset):
        until (datetime.date | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvoicePage | Problem
     """


    return (await asyncio_detailed(
        tenant=tenant,
client=client,
page=page,
per_page=per_page,
status=status,
kind=kind,
role=role,
member_id=member_id,
since=since,
until=until,

    )).parsed
