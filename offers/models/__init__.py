"""The data core's models; ``from offers.models import Offer`` reaches every one of them."""

from offers.models.common import pk_of, slug_constraint, unique_slug
from offers.models.contributions import (
    REFERENCE_ALPHABET,
    ChangeReport,
    ChangeReportQuerySet,
    ChangeReportReason,
    ChangeReportStatus,
    PartnerAccount,
    Submission,
    SubmissionDecision,
    SubmissionQuerySet,
    new_reference,
)
from offers.models.emails import OutgoingEmail, OutgoingEmailQuerySet, OutgoingEmailStatus
from offers.models.offers import (
    HIDING_WARNING_DAYS,
    Offer,
    OfferCost,
    OfferManager,
    OfferQuerySet,
    OfferStatus,
    add_months,
    age_overlap_q,
    published_q,
    related_id_column,
)
from offers.models.places import Borough, District, Neighbourhood
from offers.models.providers import Location, Provider, ProviderKind
from offers.models.reviews import (
    REVIEW_LINK_DAYS,
    REVIEW_REMINDER_DAYS,
    ReviewAnswer,
    ReviewLinkError,
    ReviewRequest,
)
from offers.models.searches import (
    UNMET_SEARCH_KEEP_DAYS,
    UNMET_SEARCH_MIN_DAYS,
    UnmetSearch,
    UnmetSearchQuerySet,
    normalise_search_text,
)
from offers.models.vocabulary import AgePhase, Language, TargetGroup, Topic

__all__ = [
    "UNMET_SEARCH_KEEP_DAYS",
    "UNMET_SEARCH_MIN_DAYS",
    "UnmetSearch",
    "UnmetSearchQuerySet",
    "normalise_search_text",
    "HIDING_WARNING_DAYS",
    "REFERENCE_ALPHABET",
    "REVIEW_LINK_DAYS",
    "REVIEW_REMINDER_DAYS",
    "AgePhase",
    "Borough",
    "ChangeReport",
    "ChangeReportQuerySet",
    "ChangeReportReason",
    "ChangeReportStatus",
    "District",
    "Language",
    "Location",
    "Neighbourhood",
    "Offer",
    "OfferCost",
    "OfferManager",
    "OfferQuerySet",
    "OfferStatus",
    "OutgoingEmail",
    "OutgoingEmailQuerySet",
    "OutgoingEmailStatus",
    "PartnerAccount",
    "Provider",
    "ProviderKind",
    "ReviewAnswer",
    "ReviewLinkError",
    "ReviewRequest",
    "Submission",
    "SubmissionDecision",
    "SubmissionQuerySet",
    "TargetGroup",
    "Topic",
    "add_months",
    "age_overlap_q",
    "new_reference",
    "pk_of",
    "published_q",
    "related_id_column",
    "slug_constraint",
    "unique_slug",
]
