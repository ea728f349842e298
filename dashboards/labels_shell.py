"""Labels of the app's frame: navigation, page titles, shared links, errors (see i18n.py)."""

TEXT = {
    "share_link": {
        "nl": "Link",
        "fr": "Lien",
        "en": "Link",
    },
    "share_link_help": {
        "nl": "De link naar deze pagina, met de taal en de gekozen filters:",
        "fr": "Le lien vers cette page, avec la langue et les filtres choisis :",
        "en": "The link to this page, with the language and the chosen filters:",
    },
    "page_error": {
        "nl": (
            "Deze pagina kon niet getoond worden. Probeer het later opnieuw; blijft het "
            "probleem bestaan, meld het dan aan de beheerders."
        ),
        "fr": (
            "Cette page n'a pas pu s'afficher. Réessayez plus tard ; si le problème persiste, "
            "signalez-le aux gestionnaires."
        ),
        "en": (
            "This page could not be shown. Try again later; if the problem persists, tell "
            "the data stewards."
        ),
    },
}
