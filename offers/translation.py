"""The texts coordinators keep in every language of the site (django-modeltranslation).

The vocabulary's names and the providers' descriptions here; the networks'
descriptions in networks/translation.py.

Each field named here gets a column per language of ``settings.LANGUAGES``
(``name_de``, ``name_en``, ``name_tr``, …). Reading ``topic.name`` gives the
reader's language, or German where that is empty; German is the one that
must be filled. Why modeltranslation and not django-parler: the columns sit
in the same row, so no page needs a query more in another language, and
filters, orders and the admin keep working on plain columns (README,
"Languages").
"""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from offers.models import AgePhase, Language, Offer, Provider, TargetGroup, Topic


@register(AgePhase)
class AgePhaseTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = (settings.LANGUAGE_CODE,)


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {settings.LANGUAGE_CODE: ("name",)}


@register(TargetGroup)
class TargetGroupTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = (settings.LANGUAGE_CODE,)


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = (settings.LANGUAGE_CODE,)


# What a provider says of itself; its name stays as it is.
@register(Provider)
class ProviderTranslation(TranslationOptions):
    fields = ("description",)


# An offer's own texts. Where the columns sit and who reads which: Offer's docstring.
# Its history too: a version keeps every language, so a restored version restores them all.
@register([Offer, Offer.history.model])
class OfferTranslation(TranslationOptions):
    fields = Offer.TRANSLATED_TEXTS
    required_languages = {settings.LANGUAGE_CODE: ("title", "summary")}
