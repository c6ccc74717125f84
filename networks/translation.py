"""A network's description in every language of the site (see offers/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from networks.models import Network


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("description",)
