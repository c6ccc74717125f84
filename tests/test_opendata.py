"""The HSDS 3 read API on the demo data: valid against the standard's schemas, public data only."""

import datetime
import json

import pytest
from django.utils import timezone

from offers.models import Offer, Submission
from opendata import hsds
from tests.factories import make_offer
from tests.hsds import errors

API = "/api/hsds"
pytestmark = pytest.mark.django_db


def get(client, path, **params):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def every_page(client, path, **params):
    page, contents = 1, []
    while True:
        data = get(client, path, page=page, per_page=100, **params)
        contents += data["contents"]
        if data["last_page"]:
            return contents
        page += 1


# --- Valid against the standard -----------------------------------------------------------------


def test_every_published_offer_is_a_valid_full_service(client, demo):
    services = every_page(client, "/services", full="true")

    published = Offer.objects.published()
    assert {s["id"] for s in services} == {str(u) for u in published.values_list("uuid", flat=True)}
    for service in services:
        assert errors("compiled/service.json", service) == [], service["name"]
    with_places = [s for s in services if s.get("service_at_locations")]
    assert with_places and all(s["organization"]["name"] for s in services)


@pytest.mark.parametrize(
    "path, item_schema",
    [
        ("/services", "compiled/service_list.json"),
        ("/organizations", "compiled/organization_list.json"),
        ("/service_at_locations", "compiled/service_at_location_list.json"),
        ("/taxonomies", "taxonomy.json"),
        ("/taxonomy_terms", "taxonomy_term.json"),
    ],
)
def test_every_list_is_a_valid_page_of_valid_items(client, demo, path, item_schema):
    first = get(client, path, per_page=5)

    assert set(first) >= {"total_items", "total_pages", "page_number", "size", "contents"}
    assert first["page_number"] == 1 and first["first_page"] and first["size"] <= 5
    assert first["total_pages"] == -(-first["total_items"] // 5)
    for item in every_page(client, path):
        assert errors(item_schema, item) == [], item


def test_every_object_is_valid_on_its_own_address(client, demo):
    service = get(client, "/services", per_page=1)["contents"][0]
    organization = get(client, "/organizations", per_page=1)["contents"][0]
    at_location = get(client, "/service_at_locations", per_page=1)["contents"][0]
    taxonomy = get(client, "/taxonomies")["contents"][0]
    term = get(client, "/taxonomy_terms", per_page=1)["contents"][0]

    assert errors("compiled/service.json", get(client, f"/services/{service['id']}")) == []
    assert (
        errors("compiled/organization.json", get(client, f"/organizations/{organization['id']}"))
        == []
    )
    one = get(client, f"/service_at_locations/{at_location['id']}")
    assert one["id"] == at_location["id"] and one["service"]["id"] == at_location["service_id"]
    assert errors("compiled/service_at_location.json", one) == []
    # The standard's OpenAPI file gives this path the service's schema: it fits that too.
    assert errors("compiled/service.json", one) == []
    assert errors("taxonomy.json", get(client, f"/taxonomies/{taxonomy['id']}")) == []
    assert errors("taxonomy_term.json", get(client, f"/taxonomy_terms/{term['id']}")) == []
    root = get(client, "/")
    assert root["version"] == "3.0" and root["openapi_url"].endswith("openapi.json")


# --- What a service says --------------------------------------------------------------------


def test_a_service_carries_ages_languages_cost_contacts_and_german_terms(client):
    offer = make_offer(
        title="Babyschwimmen",
        topics=["sport"],
        target_groups=["eltern"],
        languages=["de", "tr"],
        min_age_months=-3,
        max_age_months=17,
        cost=Offer.Cost.LOW,
        cost_note="3 € pro Termin",
        schedule="Dienstags 10–11 Uhr",
        contact_name="Aylin Demir",
        contact_phone="0208 000-1234",
        contact_email="schwimmen@example.org",
        citywide=True,
    )

    service = get(client, f"/services/{offer.uuid}")

    assert service["name"] == "Babyschwimmen" and service["status"] == "active"
    assert service["minimum_age"] == 0 and service["maximum_age"] == 1
    features = {a["taxonomy_term"]["code"]: a.get("value") for a in service["attributes"]}
    assert features["mindestalter-monate"] == "-3" and features["hoechstalter-monate"] == "17"
    assert features["stadtweit"] == "ja" and "sport" in features and "eltern" in features
    phases = {
        a["taxonomy_term"]["name"]
        for a in service["attributes"]
        if a["taxonomy_term"]["taxonomy_id"] == hsds.PHASES.id
    }
    assert "Schwangerschaft & Geburt" in phases
    assert {lang["code"] for lang in service["languages"]} == {"de", "tr"}
    assert service["cost_options"][0]["option"] == "geringer Beitrag"
    assert service["fees_description"] == "geringer Beitrag. 3 € pro Termin"
    assert service["schedules"][0]["description"] == "Dienstags 10–11 Uhr"
    contact = service["contacts"][0]
    assert contact["name"] == "Aylin Demir" and contact["phones"][0]["number"] == "0208 000-1234"
    assert service["service_areas"][0]["description"] == "Stadtweit"
    assert errors("compiled/service.json", service) == []


def test_ids_stay_the_same_when_an_offer_is_edited(client):
    offer = make_offer(title="Elterncafé", contact_phone="0208 000-1111")
    before = get(client, f"/services/{offer.uuid}")

    offer.title = "Elterncafé am Markt"
    offer.save()
    after = get(client, f"/services/{offer.uuid}")

    assert after["name"] == "Elterncafé am Markt"
    assert after["id"] == before["id"] and after["phones"] == before["phones"]
    assert [a["id"] for a in after["attributes"]] == [a["id"] for a in before["attributes"]]


# --- Nothing unpublished, ever ----------------------------------------------------------------


def test_nothing_unpublished_and_no_submitter_data_is_served(client, demo):
    hidden = Offer.objects.exclude(pk__in=Offer.objects.published().values("pk"))
    assert hidden.exists()

    body = b"".join(
        client.get(f"{API}{path}", {"per_page": 200, "full": "true"}).content
        for path in ("/services", "/service_at_locations", "/organizations")
    ).decode()
    for offer in hidden:
        assert str(offer.uuid) not in body
        assert client.get(f"{API}/services/{offer.uuid}").status_code == 404
    public = set(Offer.objects.published().values_list("contact_email", flat=True))
    for submission in Submission.objects.all():
        if submission.submitter_email not in public:  # the demo's invented names repeat
            assert submission.submitter_email not in body
        assert submission.reference not in body


# --- Parameters ----------------------------------------------------------------------------------


def sport_topic():
    from offers.models import Topic

    return Topic.objects.get(slug="sport")


def test_the_standards_parameters_narrow_the_services(client, demo):
    every = get(client, "/services", per_page=1)["total_items"]
    sport = next(
        term
        for term in get(client, "/taxonomy_terms", per_page=200)["contents"]
        if term["code"] == "sport"
    )
    by_term = every_page(client, "/services", taxonomy_term_id=sport["id"], full="true")
    assert 0 < len(by_term) < every
    sport_offers = Offer.objects.published().with_topic(sport_topic())
    assert {s["id"] for s in by_term} == {
        str(u) for u in sport_offers.values_list("uuid", flat=True)
    }
    assert all(
        any(a["taxonomy_term_id"] == sport["id"] for a in service["attributes"])
        for service in by_term
    )
    provider = Offer.objects.published().first().provider
    by_organization = every_page(client, "/services", organization_id=str(provider.uuid))
    assert by_organization and {s["organization_id"] for s in by_organization} == {
        str(provider.uuid)
    }
    found = every_page(client, "/services", search="Hebamme")
    assert found and len(found) < every
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert get(client, "/services", modified_after=tomorrow)["total_items"] == 0
    assert get(client, "/services", modified_after="2000-01-01")["total_items"] == every
    assert get(client, "/services", taxonomy_term_id="unbekannt")["total_items"] == 0


def test_every_filter_from_the_index_gives_exactly_the_sql_answer(demo, client, rf, monkeypatch):
    """The list is answered from the facet index; the SQL of /service_at_locations is the check."""
    monkeypatch.setattr("opendata.views.PROBE", 20)  # each way of reading ids, on the demo
    from opendata.hsds import FEATURES, TOPICS, Vocabulary
    from opendata.views import _services

    vocabulary = Vocabulary()
    features = [term.id for term in vocabulary.terms if term.taxonomy is FEATURES]
    topic = next(term.id for term in vocabulary.terms if term.taxonomy is TOPICS)
    cases = [
        {"search": "Hebamme"},
        {"search": "Sprachförderung Kita"},
        {"search": "Zauberschule"},
        {"taxonomy_id": FEATURES.id},
        {"taxonomy_id": TOPICS.id, "search": "Eltern"},
        *({"taxonomy_term_id": feature} for feature in features),
        {"taxonomy_term_id": topic, "modified_after": "2000-01-01"},
    ]
    for params in cases:
        expected = _services(rf.get("/", params), vocabulary).values_list("uuid", flat=True)
        found = every_page(client, "/services", **params)
        assert {s["id"] for s in found} == {str(u) for u in expected}, params


@pytest.mark.parametrize(
    "parts",
    [
        ("phone", "0c4b8c8e-1f0a-4a55-9e51-2b7f6c1d9e00"),
        ("term", "themen", "sport"),
        ("attribute", "a", 7),
    ],
)
def test_a_derived_id_is_the_standard_uuid5_of_its_name(parts):
    import uuid

    name = "/".join(str(part) for part in parts)
    assert hsds.derived_id(*parts) == str(uuid.uuid5(hsds.NAMESPACE, name))


def test_full_services_from_the_index_are_those_from_the_database(demo):
    """The API reads a page's topics, target groups, languages, Sozialräume and vocabulary from
    the facet index; the export reads them from the database: the same services."""
    from offers.facet_index import facet_state

    state = facet_state()
    vocabulary = hsds.Vocabulary.current(state)
    assert [t.hsds for t in vocabulary.terms] == [t.hsds for t in hsds.Vocabulary().terms]
    assert hsds.Vocabulary.current(facet_state()) is vocabulary

    def services(**kwargs):
        offers = list(hsds.with_related(Offer.objects.published()).order_by("pk"))
        return [hsds.service(o, vocabulary) for o in hsds.read_related(offers, **kwargs)]

    from_index = services(vocabulary=vocabulary, state=state)
    assert from_index == services(vocabulary=hsds.Vocabulary())
    areas = [[area["name"] for area in s.get("service_areas", [])] for s in from_index]
    assert ["Oberhausen"] in areas and any(names not in ([], ["Oberhausen"]) for names in areas)
    assert any(len(s.get("languages", [])) > 1 for s in from_index)
    assert any(len(s.get("attributes", [])) > 3 for s in from_index)
    assert len(from_index) == Offer.objects.published().count()


def test_a_feature_term_follows_an_edit_at_once(client):
    """The features are bitmaps of the facet index: an edit reaches them like any filter."""
    offer = make_offer(title="Zauberwald-Café")
    terms = {term.slug: term.id for term in hsds.Vocabulary().terms}

    def titles(feature):
        return {s["name"] for s in every_page(client, "/services", taxonomy_term_id=terms[feature])}

    def with_any_feature():
        return get(client, "/services", taxonomy_id=hsds.FEATURES.id)["total_items"]

    before = with_any_feature()
    assert "Zauberwald-Café" not in titles("webseite") | titles("aufsuchend")

    offer.website = "https://zauberwald.example.org"
    offer.outreach = True
    offer.save()

    assert "Zauberwald-Café" in titles("webseite") & titles("aufsuchend")
    assert with_any_feature() == before + 1


def test_modified_after_gives_exactly_the_offers_changed_since(demo, client, monkeypatch):
    """Old and recent dates (the index is read from either side), alone and with a term."""
    monkeypatch.setattr("opendata.views.PROBE", 20)  # 10 % of the demo's offers is below it
    base = timezone.now() - datetime.timedelta(days=400)
    pks = list(Offer.objects.order_by("pk").values_list("pk", flat=True))
    for number, pk in enumerate(pks):
        Offer.objects.filter(pk=pk).update(updated_at=base + datetime.timedelta(days=number))
    sport = next(
        term
        for term in get(client, "/taxonomy_terms", per_page=200)["contents"]
        if term["code"] == "sport"
    )
    for share in (0.1, 0.9):
        moment = base + datetime.timedelta(days=int(len(pks) * share), hours=12)
        expected = Offer.objects.published().filter(updated_at__gte=moment)
        found = every_page(client, "/services", modified_after=moment.isoformat())
        assert {s["id"] for s in found} == {str(u) for u in expected.values_list("uuid", flat=True)}
        assert all(s["last_modified"] >= moment.isoformat() for s in found)
        with_term = every_page(
            client, "/services", modified_after=moment.isoformat(), taxonomy_term_id=sport["id"]
        )
        sporty = expected.with_topic(sport_topic()).values_list("uuid", flat=True)
        assert {s["id"] for s in with_term} == {str(u) for u in sporty}


@pytest.mark.parametrize(
    "params, message",
    [
        ({"page": "zwei"}, "„page“ muss eine ganze Zahl sein."),
        ({"per_page": "500"}, "„per_page“ muss zwischen 1 und 200 liegen."),
        ({"modified_after": "gestern"}, "„modified_after“ muss ein Datum"),
        ({"full": "vielleicht"}, "„full“ muss true oder false sein."),
        ({"format": "xml"}, "nur als JSON"),
    ],
)
def test_bad_parameters_get_a_german_message(client, params, message):
    response = client.get(f"{API}/services", params)

    assert response.status_code == 400
    assert message in json.loads(response.content)["detail"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_ids_are_404_and_writing_is_refused(client):
    for path in ("/services/x", "/organizations/00000000-0000-0000-0000-000000000000"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 404 and json.loads(response.content)["detail"]
    response = client.post(f"{API}/services", {})
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_answers_can_be_revalidated_with_their_etag(client):
    make_offer(title="Elterncafé")
    first = client.get(f"{API}/services")
    assert "public" in first["Cache-Control"]

    again = client.get(f"{API}/services", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304

    make_offer(title="Krabbelgruppe")
    changed = client.get(f"{API}/services", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


# --- A fixed number of queries --------------------------------------------------------------


# The first request of a process reads the facet index (offers.facet_index) for the
# list of services; later ones ask it for changes only (one query), then read the page's
# offers (and for full services their places: topics, groups, languages and Sozialräume
# come from the index, the vocabulary from its picture).
@pytest.mark.parametrize("size", [1, 20, 100])
@pytest.mark.parametrize(
    "path, queries",
    [
        ("/services", (18, 2)),
        ("/services?full=true", (24, 4)),
        ("/services?search=Angebot", (27, 4)),
        ("/service_at_locations", (5, 5)),
        ("/organizations?full=true", (3, 3)),
        ("/taxonomy_terms", (3, 3)),
    ],
)
def test_each_list_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size, path, queries
):
    from tests.factories import make_location, make_offers, make_provider

    provider = make_provider()
    make_offers(size, provider=provider, locations=[make_location(provider=provider)])
    cold, warm = queries

    with django_assert_max_num_queries(cold):
        assert client.get(f"{API}{path}").status_code == 200
    with django_assert_max_num_queries(warm):
        assert client.get(f"{API}{path}").status_code == 200


def test_the_page_for_developers_names_the_licence_and_the_interface(client):
    html = client.get("/daten/").content.decode()

    assert "Datenlizenz Deutschland – Namensnennung 2.0" in html
    assert "/api/hsds/services" in html and "Offene Daten" in html
    assert 'href="/daten/praeventionsangebote-hsds.zip"' in html
