"""The coordinators' admin, one module per part of the data core."""

from offers.admin import moderation, offers, providers, vocabulary

__all__ = ["moderation", "offers", "providers", "vocabulary"]
