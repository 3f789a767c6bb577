from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.listing import Listing





T = TypeVar("T", bound="Match")



@_attrs_define
class Match:
    """ 
        Attributes:
            created_at (datetime.datetime):
            id (UUID):
            listing (Listing):
            reasons (list[str]): category, text, departments, buyer_can_spend, seller_in_deficit
            score (int): 0 to 100
     """

    created_at: datetime.datetime
    id: UUID
    listing: Listing
    reasons: list[str]
    score: int





    def to_dict(self) -> dict[str, Any]:
        from ..models.listing import Listing # noqa: PLC0415
        created_at = self.created_at.isoformat()

        id = str(self.id)

        listing = self.listing.to_dict()

        reasons = self.reasons



        score = self.score


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "created_at": created_at,
            "id": id,
            "listing": listing,
            "reasons": reasons,
            "score": score,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.listing import Listing # noqa: PLC0415
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        listing = Listing.from_dict(d.pop("listing"))




        reasons = cast(list[str], d.pop("reasons"))


        score = d.pop("score")

        match = cls(
            created_at=created_at,
            id=id,
            listing=listing,
            reasons=reasons,
            score=score,
        )

        return match

