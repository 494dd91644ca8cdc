"""The languages the package ships catalogs for: a catalog lost from locales/ must fail a test."""

SHIPPED_LOCALES = (
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt_BR",
    "ja",
    "ko",
    "zh_Hans",
    "zh_Hant",
    "ru",
    "pl",
    "ar",
)
