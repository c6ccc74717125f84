"""schema.org JSON-LD for an offer, so search engines and assistants understand it."""


def _years(months):
    """Whole years for schema.org's age fields; pregnancy has none."""
    if months is None or months < 0:
        return None
    return months // 12


def offer_structured_data(offer, url):
    data = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": offer.title,
        "description": offer.summary,
        "url": url,
        "provider": {
            "@type": "Organization",
            "name": offer.provider.name,
            **({"url": offer.provider.website} if offer.provider.website else {}),
        },
        "areaServed": (
            {"@type": "City", "name": "Oberhausen"}
            if offer.citywide or not offer.served_districts
            else [
                {"@type": "Place", "name": f"Oberhausen, {d.name}"} for d in offer.served_districts
            ]
        ),
        "availableLanguage": [language.code for language in offer.languages.all()],
        "serviceType": [topic.name for topic in offer.topics.all()],
        "isAccessibleForFree": offer.cost == offer.Cost.FREE,
    }
    audience = {
        "@type": "PeopleAudience",
        "audienceType": ", ".join(group.name for group in offer.target_groups.all()),
    }
    minimum, maximum = _years(offer.min_age_months), _years(offer.max_age_months)
    if minimum is not None:
        audience["suggestedMinAge"] = minimum
    if maximum is not None:
        audience["suggestedMaxAge"] = maximum
    data["audience"] = audience
    contact = {"@type": "ContactPoint"}
    if offer.contact_phone:
        contact["telephone"] = offer.contact_phone
    if offer.contact_email:
        contact["email"] = offer.contact_email
    channel = {"@type": "ServiceChannel"}
    if len(contact) > 1:
        channel["servicePhone"] = contact
    if offer.website:
        channel["serviceUrl"] = offer.website
    places = [
        {
            "@type": "Place",
            "name": location.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": location.street,
                "postalCode": location.postal_code,
                "addressLocality": location.city,
                "addressCountry": "DE",
            },
        }
        for location in offer.locations.all()
    ]
    if places:
        channel["serviceLocation"] = places
    if len(channel) > 1:
        data["availableChannel"] = channel
    return data
