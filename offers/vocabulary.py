"""The city's vocabulary as shipped: Stadtbezirke, Sozialräume, Stadtteile, age
phases, topics, target groups and languages.

Migration 0002 loads it; load_demo_data makes sure it is there. All of it
stays editable in the admin, and loading only creates what is missing, so a
coordinator's corrections survive. Which Stadtteil lies in which Sozialraum
is a plausible reading, not an official list (see README).
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation

from offers.text import german_slugify

BOROUGHS = [
    ("alt-oberhausen", "Alt-Oberhausen"),
    ("osterfeld", "Osterfeld"),
    ("sterkrade", "Sterkrade"),
]

# (slug, name, borough slug, [Stadtteile])
DISTRICTS = [
    ("alstaden-lirich", "Alstaden/Lirich", "alt-oberhausen", ["Alstaden", "Lirich"]),
    (
        "mitte-styrum",
        "Mitte/Styrum",
        "alt-oberhausen",
        ["Oberhausen-Mitte", "Marienviertel", "Styrum", "Bermensfeld", "Neue Mitte"],
    ),
    (
        "oberhausen-ost",
        "Oberhausen-Ost",
        "alt-oberhausen",
        ["Dümpten", "Schlad", "Borbeck", "Knappenviertel"],
    ),
    (
        "osterfeld",
        "Osterfeld",
        "osterfeld",
        [
            "Osterfeld-Mitte",
            "Eisenheim",
            "Klosterhardt",
            "Osterfeld-Heide",
            "Rothebusch",
            "Stemmersberg",
            "Vondern",
            "Vonderort",
        ],
    ),
    (
        "sterkrade-mitte",
        "Sterkrade-Mitte",
        "sterkrade",
        ["Sterkrade-Mitte", "Buschhausen", "Alsfeld", "Schwarze Heide", "Tackenberg", "Biefang"],
    ),
    (
        "sterkrade-nord",
        "Sterkrade-Nord",
        "sterkrade",
        ["Holten", "Barmingholten", "Schmachtendorf", "Königshardt", "Walsumermark"],
    ),
]

# A point in the middle of each Stadtteil (WGS 84, approximate), for sorting by distance
# (offers.geo) and the demo places; editable in the admin.
NEIGHBOURHOOD_CENTROIDS = {
    "Alstaden": (51.4547, 6.8272),
    "Lirich": (51.4806, 6.8308),
    "Oberhausen-Mitte": (51.4700, 6.8530),
    "Marienviertel": (51.4745, 6.8620),
    "Styrum": (51.4585, 6.8640),
    "Bermensfeld": (51.4690, 6.8400),
    "Neue Mitte": (51.4925, 6.8770),
    "Dümpten": (51.4640, 6.8905),
    "Schlad": (51.4770, 6.8830),
    "Borbeck": (51.4840, 6.8990),
    "Knappenviertel": (51.4815, 6.8690),
    "Osterfeld-Mitte": (51.5005, 6.8905),
    "Eisenheim": (51.5020, 6.8690),
    "Klosterhardt": (51.5235, 6.8805),
    "Osterfeld-Heide": (51.5115, 6.9020),
    "Rothebusch": (51.5190, 6.9080),
    "Stemmersberg": (51.5095, 6.8835),
    "Vondern": (51.5060, 6.8620),
    "Vonderort": (51.4935, 6.9055),
    "Sterkrade-Mitte": (51.5165, 6.8465),
    "Buschhausen": (51.5005, 6.8365),
    "Alsfeld": (51.5255, 6.8375),
    "Schwarze Heide": (51.5320, 6.8260),
    "Tackenberg": (51.5205, 6.8660),
    "Biefang": (51.5345, 6.8530),
    "Holten": (51.5285, 6.8010),
    "Barmingholten": (51.5420, 6.8120),
    "Schmachtendorf": (51.5525, 6.8200),
    "Königshardt": (51.5460, 6.8480),
    "Walsumermark": (51.5610, 6.7970),
}

# (slug, name, first month, last month) — months relative to birth, inclusive.
AGE_PHASES = [
    ("schwangerschaft-geburt", "Schwangerschaft & Geburt", -9, -1),
    ("0-3", "0–3 Jahre", 0, 35),
    ("3-6", "3–6 Jahre", 36, 71),
    ("6-10", "6–10 Jahre", 72, 119),
    ("10-16", "10–16 Jahre", 120, 191),
    ("16-27", "16–27 Jahre (Übergang Schule–Beruf)", 192, 323),
]

TOPICS = [
    ("betreuung", "Betreuung"),
    ("bildung", "Bildung"),
    ("erziehung", "Erziehung"),
    ("gesundheit", "Gesundheit"),
    ("kultur", "Kultur"),
    ("wirtschaft", "Wirtschaft"),
    ("stadtentwicklung", "Stadtentwicklung"),
    ("soziales", "Soziales"),
    ("sport", "Sport"),
    ("mobilitaet", "Mobilität"),
    ("beratung", "Beratung"),
    ("fruehe-hilfen", "Frühe Hilfen"),
    ("sprache", "Sprache"),
]

TARGET_GROUPS = [
    ("schwangere", "Schwangere"),
    ("eltern", "Eltern"),
    ("kinder", "Kinder"),
    ("jugendliche", "Jugendliche"),
    ("junge-erwachsene", "junge Erwachsene"),
    ("fachkraefte", "Fachkräfte"),
]

LANGUAGES = [
    ("de", "Deutsch", "Deutsch"),
    ("en", "Englisch", "English"),
    ("tr", "Türkisch", "Türkçe"),
    ("ar", "Arabisch", "العربية"),
    ("ru", "Russisch", "Русский"),
    ("uk", "Ukrainisch", "Українська"),
    ("pl", "Polnisch", "Polski"),
    ("ro", "Rumänisch", "Română"),
    ("bg", "Bulgarisch", "Български"),
    ("el", "Griechisch", "Ελληνικά"),
    ("it", "Italienisch", "Italiano"),
    ("es", "Spanisch", "Español"),
    ("fr", "Französisch", "Français"),
    ("fa", "Persisch", "فارسی"),
    ("ku", "Kurdisch", "Kurdî"),
    ("sq", "Albanisch", "Shqip"),
    ("sr", "Serbisch", "Српски"),
    ("hr", "Kroatisch", "Hrvatski"),
    ("bs", "Bosnisch", "Bosanski"),
    ("ti", "Tigrinya", "ትግርኛ"),
    ("ps", "Paschtu", "پښتو"),
    ("so", "Somali", "Soomaali"),
]


# The shipped vocabulary in the site's other languages, in this order (German is the name
# above). A language added to the site later starts empty and shows the German name until a
# coordinator fills it in the admin.
TRANSLATED = ("en", "tr", "ar", "uk", "ru")
NAMES_IN_OTHER_LANGUAGES = {
    "AgePhase": {
        "schwangerschaft-geburt": (
            "Pregnancy & birth",
            "Hamilelik ve doğum",
            "الحمل والولادة",
            "Вагітність і пологи",
            "Беременность и роды",
        ),
        "0-3": ("0–3 years", "0–3 yaş", "0–3 سنوات", "0–3 роки", "0–3 года"),
        "3-6": ("3–6 years", "3–6 yaş", "3–6 سنوات", "3–6 років", "3–6 лет"),
        "6-10": ("6–10 years", "6–10 yaş", "6–10 سنوات", "6–10 років", "6–10 лет"),
        "10-16": ("10–16 years", "10–16 yaş", "10–16 سنة", "10–16 років", "10–16 лет"),
        "16-27": (
            "16–27 years (school to work)",
            "16–27 yaş (okuldan işe geçiş)",
            "16–27 سنة (الانتقال من المدرسة إلى العمل)",
            "16–27 років (перехід від школи до роботи)",
            "16–27 лет (переход от школы к работе)",
        ),
    },
    "Topic": {
        "betreuung": (
            "Childcare",
            "Çocuk bakımı",
            "رعاية الأطفال",
            "Догляд за дітьми",
            "Присмотр за детьми",
        ),
        "bildung": ("Education", "Eğitim", "التعليم", "Освіта", "Образование"),
        "erziehung": ("Parenting", "Çocuk yetiştirme", "التربية", "Виховання", "Воспитание"),
        "gesundheit": ("Health", "Sağlık", "الصحة", "Здоров'я", "Здоровье"),
        "kultur": ("Culture", "Kültür", "الثقافة", "Культура", "Культура"),
        "wirtschaft": (
            "Work and economy",
            "Çalışma ve ekonomi",
            "العمل والاقتصاد",
            "Робота та економіка",
            "Работа и экономика",
        ),
        "stadtentwicklung": (
            "Urban development",
            "Kent gelişimi",
            "التنمية الحضرية",
            "Розвиток міста",
            "Развитие города",
        ),
        "soziales": (
            "Social affairs",
            "Sosyal konular",
            "الشؤون الاجتماعية",
            "Соціальні питання",
            "Социальные вопросы",
        ),
        "sport": ("Sport", "Spor", "الرياضة", "Спорт", "Спорт"),
        "mobilitaet": ("Mobility", "Ulaşım", "التنقل", "Мобільність", "Мобильность"),
        "beratung": ("Counselling", "Danışmanlık", "الاستشارة", "Консультації", "Консультации"),
        "fruehe-hilfen": (
            "Early help",
            "Erken destek",
            "المساعدة المبكرة",
            "Рання допомога",
            "Ранняя помощь",
        ),
        "sprache": ("Language", "Dil", "اللغة", "Мова", "Язык"),
    },
    "TargetGroup": {
        "schwangere": ("Pregnant women", "Hamileler", "الحوامل", "Вагітні", "Беременные"),
        "eltern": ("Parents", "Ebeveynler", "الآباء والأمهات", "Батьки", "Родители"),
        "kinder": ("Children", "Çocuklar", "الأطفال", "Діти", "Дети"),
        "jugendliche": ("Young people", "Gençler", "المراهقون", "Підлітки", "Подростки"),
        "junge-erwachsene": (
            "Young adults",
            "Genç yetişkinler",
            "الشباب البالغون",
            "Молоді дорослі",
            "Молодые взрослые",
        ),
        "fachkraefte": ("Professionals", "Uzmanlar", "المختصون", "Фахівці", "Специалисты"),
    },
    # Languages Django names itself (django.conf.locale) are named by Django's catalogues.
    "Language": {
        "ku": ("Kurdish", "Kürtçe", "الكردية", "Курдська", "Курдский"),
        "ti": ("Tigrinya", "Tigrinya", "التغرينية", "Тигринья", "Тигринья"),
        "ps": ("Pashto", "Peştuca", "البشتوية", "Пушту", "Пушту"),
        "so": ("Somali", "Somalice", "الصومالية", "Сомалі", "Сомалийский"),
    },
}


def names_in_other_languages(model_name, key):
    """{language: name} of a shipped vocabulary entry, for the languages of the site."""
    names = NAMES_IN_OTHER_LANGUAGES[model_name].get(key)
    if names:
        return dict(zip(TRANSLATED, names, strict=True))
    if model_name == "Language" and key in LANG_INFO:
        english = LANG_INFO[key]["name"]
        found = {}
        for code in TRANSLATED:
            with translation.override(code):
                found[code] = translation.gettext(english)
        return found
    return {}


def fill_translations(apps=global_apps):
    """Give the vocabulary its German column and the shipped names in the other languages.

    Only empty columns are filled (a coordinator's wording stays); a model
    without the columns (an older migration state) is left alone.
    """
    codes = [code for code, _ in settings.LANGUAGES]
    german = f"name_{settings.LANGUAGE_CODE}"
    for model_name, key_field in (
        ("AgePhase", "slug"),
        ("Topic", "slug"),
        ("TargetGroup", "slug"),
        ("Language", "code"),
    ):
        model = apps.get_model("offers", model_name)
        columns = {field.name for field in model._meta.get_fields()}
        if german not in columns:
            continue
        for entry in model.objects.all():
            changed = {}
            if not getattr(entry, german):
                # The name column itself (not read through the translated field).
                changed[german] = entry.__dict__["name"]
            known = names_in_other_languages(model_name, getattr(entry, key_field))
            for code in codes:
                column = f"name_{code}"
                if code in known and column in columns and not getattr(entry, column):
                    changed[column] = known[code]
            if changed:
                model.objects.filter(pk=entry.pk).update(**changed)


def load_vocabulary(apps=global_apps):
    """Create whatever part of the shipped vocabulary is missing; never overwrite edits."""
    Borough = apps.get_model("offers", "Borough")
    District = apps.get_model("offers", "District")
    Neighbourhood = apps.get_model("offers", "Neighbourhood")
    AgePhase = apps.get_model("offers", "AgePhase")
    Topic = apps.get_model("offers", "Topic")
    TargetGroup = apps.get_model("offers", "TargetGroup")
    Language = apps.get_model("offers", "Language")

    boroughs = {}
    for position, (slug, name) in enumerate(BOROUGHS):
        boroughs[slug], _ = Borough.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for position, (slug, name, borough, neighbourhoods) in enumerate(DISTRICTS):
        district, _ = District.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "borough": boroughs[borough], "position": position},
        )
        for neighbourhood in neighbourhoods:
            Neighbourhood.objects.get_or_create(
                slug=german_slugify(neighbourhood),
                defaults={"name": neighbourhood, "district": district},
            )
    fill_centroids(apps)
    for position, (slug, name, first, last) in enumerate(AGE_PHASES):
        AgePhase.objects.get_or_create(
            slug=slug,
            defaults={
                **_named(AgePhase, name),
                "min_months": first,
                "max_months": last,
                "position": position,
            },
        )
    for slug, name in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults=_named(Topic, name))
    for position, (slug, name) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.get_or_create(
            slug=slug, defaults={**_named(TargetGroup, name), "position": position}
        )
    for code, name, native_name in LANGUAGES:
        Language.objects.get_or_create(
            code=code, defaults={**_named(Language, name), "native_name": native_name}
        )
    fill_translations(apps)


def _named(model, name):
    """A new entry's German name: in its own column too, once the model has one per language."""
    german = f"name_{settings.LANGUAGE_CODE}"
    if any(field.name == german for field in model._meta.get_fields()):
        return {"name": name, german: name}
    return {"name": name}


def fill_centroids(apps=global_apps):
    """Give the shipped Stadtteile their centroid where none is set; never overwrite edits."""
    Neighbourhood = apps.get_model("offers", "Neighbourhood")
    if not any(field.name == "latitude" for field in Neighbourhood._meta.fields):
        return  # an early migration, before Stadtteile had a centroid
    for name, (latitude, longitude) in NEIGHBOURHOOD_CENTROIDS.items():
        Neighbourhood.objects.filter(
            slug=german_slugify(name), latitude__isnull=True, longitude__isnull=True
        ).update(latitude=str(latitude), longitude=str(longitude))
