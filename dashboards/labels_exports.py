"""Labels of numbers, dates, downloads and their metadata (see i18n.py)."""

TEXT = {
    "source_annual": {
        "nl": (
            "Bron: datawarehouse arbeidsmarkt en sociale bescherming, publicatie {pub}. Periode: "
            "{period}. Populatie: jaargemiddelde van de inwoners op de laatste dag van elk van "
            "de vier kwartalen."
        ),
        "fr": (
            "Source : datawarehouse marché du travail et protection sociale, publication {pub}. "
            "Période : {period}. Population : moyenne annuelle des habitants au dernier jour de "
            "chacun des quatre trimestres."
        ),
        "en": (
            "Source: labour market and social protection datawarehouse, publication {pub}. "
            "Period: {period}. Population: yearly average of the residents on the last day of "
            "each of the four quarters."
        ),
    },
    "not_available_marker": {"nl": "n.b.", "fr": "n.d.", "en": "n.a."},
    "flag": {"nl": "Markering", "fr": "Signe conventionnel", "en": "Flag"},
    "flag_withheld": {"nl": "weggelaten", "fr": "masqué", "en": "withheld"},
    "flag_not_available": {"nl": "niet beschikbaar", "fr": "non disponible", "en": "not available"},
    "legend_not_available": {
        "nl": (
            "{marker}: niet beschikbaar: een levering waarop het cijfer steunt, ontbreekt of "
            "werd geweigerd."
        ),
        "fr": (
            "{marker} : non disponible : une livraison sur laquelle repose le chiffre manque ou "
            "a été refusée."
        ),
        "en": (
            "{marker}: not available: a delivery the figure rests on is missing or was rejected."
        ),
    },
    "not_applicable_marker": {"nl": "n.v.t.", "fr": "s.o.", "en": "n.app."},
    "flag_not_applicable": {
        "nl": "niet van toepassing",
        "fr": "sans objet",
        "en": "not applicable",
    },
    "legend_not_applicable": {
        "nl": "{marker}: niet van toepassing: geen bron geeft dit cijfer in deze regio.",
        "fr": "{marker} : sans objet : aucune source ne donne ce chiffre dans cette région.",
        "en": "{marker}: not applicable: no source gives this figure in this region.",
    },
    "legend_provisional": {
        "nl": "{marker}: voorlopig: het cijfer steunt op een voorlopige levering.",
        "fr": "{marker} : provisoire : le chiffre repose sur une livraison provisoire.",
        "en": "{marker}: provisional: the figure rests on a provisional delivery.",
    },
    "legend_sources": {
        "nl": "Betrokken instellingen: {names}.",
        "fr": "Institutions concernées : {names}.",
        "en": "Institutions concerned: {names}.",
    },
    "meta_source": {"nl": "Bron", "fr": "Source", "en": "Source"},
    "meta_publication": {"nl": "Publicatie", "fr": "Publication", "en": "Publication"},
    "meta_period": {"nl": "Periode", "fr": "Période", "en": "Period"},
    "meta_definition": {
        "nl": "Definitie: {name}",
        "fr": "Définition : {name}",
        "en": "Definition: {name}",
    },
    "meta_disclosure": {
        "nl": "Methode van statistische geheimhouding",
        "fr": "Méthode de secret statistique",
        "en": "Statistical disclosure control",
    },
    "meta_threshold": {
        "nl": "Drempel (personen)",
        "fr": "Seuil (personnes)",
        "en": "Threshold (persons)",
    },
    "meta_noise": {
        "nl": "Ruis (hoogstens ±, personen)",
        "fr": "Bruit (au plus ±, personnes)",
        "en": "Noise (at most ±, persons)",
    },
    "meta_markers": {"nl": "Markeringen", "fr": "Signes conventionnels", "en": "Flags"},
    "sheet_data": {"nl": "gegevens", "fr": "données", "en": "data"},
    "sheet_metadata": {"nl": "metadata", "fr": "métadonnées", "en": "metadata"},
}
