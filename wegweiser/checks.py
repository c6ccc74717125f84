from django.conf import settings
from django.core import checks


@checks.register()
def fonts(app_configs, **kwargs):
    """The Wegweiser is set in DejaVu Sans; without it, Typst's own serif font stands in."""
    if (settings.WEGWEISER_FONT_DIR / "DejaVuSans.ttf").is_file():
        return []
    return [
        checks.Warning(
            f"{settings.WEGWEISER_FONT_DIR} holds no DejaVuSans.ttf: the printed Wegweiser "
            "is set in another font.",
            hint="Install Debian's fonts-dejavu-core (scripts/pdf-fonts-up.sh) or set "
            "WEGWEISER_FONT_DIR.",
            id="wegweiser.W001",
        )
    ]
