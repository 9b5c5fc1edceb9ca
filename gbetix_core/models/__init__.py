"""All models, importable from one place; each module holds one part of the schema.

The migrations, not these classes, make the tables. Where a field says ``index=False`` the migrations index it
otherwise: in a composite index, or (mostly-NULL columns a sync writes on every row) only where it holds a
value, see migration 0014.
"""

from gbetix_core.models.audit import AuditEntry, Setting
from gbetix_core.models.base import BaseModel, utcnow
from gbetix_core.models.bpt import (
    BptDate,
    BptEvent,
    BptPrice,
    Purchase,
    Purchaser,
    PurchaseVersion,
    SyncLock,
    SyncRun,
    WaitingSeats,
)
from gbetix_core.models.catalog import (
    AccountCode,
    BundleComponent,
    Offer,
    Performance,
    Product,
    Show,
    TicketType,
)
from gbetix_core.models.ledger import DrawerCount, UserMerge
from gbetix_core.models.mail import ClaimCode, OutboxKey, OutboxMessage
from gbetix_core.models.matching import (
    Claim,
    LearnedWeights,
    MatchCandidate,
    MatchDecision,
    PurchaseMatch,
    PurchaseToken,
)
from gbetix_core.models.people import Staff, User
from gbetix_core.models.sales import Item, Order
from gbetix_core.models.tickets import CheckIn, OwnershipChange, Transfer

ALL_MODELS = [
    User, Staff, Setting, AccountCode, Show, Performance, TicketType, BundleComponent,
    Offer, Product, BptEvent, BptDate, BptPrice, Purchaser, SyncRun, Purchase,
    PurchaseVersion, SyncLock, Order, Item, AuditEntry, PurchaseMatch, MatchCandidate,
    MatchDecision, Claim, PurchaseToken, OwnershipChange, Transfer, CheckIn, UserMerge, DrawerCount,
    OutboxMessage, OutboxKey, ClaimCode, LearnedWeights, WaitingSeats,
]

__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS", "BaseModel", "utcnow"]
