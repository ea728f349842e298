"""Labels of the mobility page (see i18n.py)."""

TEXT = {
    "mobility": {
        "nl": "Mobiliteit",
        "fr": "Mobilité",
        "en": "Mobility",
    },
    "mobility_about": {
        "nl": (
            "Socio-economische positie op 31 december van het vorige jaar (van) en van het "
            "gekozen jaar (naar), in België en de gewesten. Geslacht, leeftijdsklasse, "
            "nationaliteit en woonplaats zijn die op de tweede datum (op de eerste voor wie "
            "de bevolking verliet)."
        ),
        "fr": (
            "Position socio-économique au 31 décembre de l'année précédente (de) et de l'année "
            "choisie (vers), en Belgique et dans les régions. Sexe, classe d'âge, nationalité "
            "et résidence sont ceux de la seconde date (de la première pour qui a quitté la "
            "population)."
        ),
        "en": (
            "Socio-economic position on 31 December of the year before (from) and of the "
            "chosen year (to), in Belgium and the regions. Sex, age class, nationality and "
            "residence are those of the later day (of the earlier for those who left the "
            "population)."
        ),
    },
    "mobility_from": {
        "nl": "Van (31/12 vorig jaar)",
        "fr": "De (31/12 an passé)",
        "en": "From (31/12 year before)",
    },  # fmt: skip
    "mobility_to": {"nl": "Naar (31/12)", "fr": "Vers (31/12)", "en": "To (31/12)"},
    "mobility_out": {
        "nl": "niet in de bevolking",
        "fr": "hors population",
        "en": "not in the population",
    },
    "mobility_out_definition": {
        "nl": (
            "Niet ingeschreven in het Rijksregister op die dag: wie in de loop van het jaar "
            "geboren of ingeweken is (van), of overleden of uitgeweken (naar)."
        ),
        "fr": (
            "Pas inscrit au Registre national ce jour-là : né ou immigré pendant l'année (de), "
            "ou décédé ou émigré (vers)."
        ),
        "en": (
            "Not in the National Register on that day: born or immigrated during the year "
            "(from), or died or emigrated (to)."
        ),
    },
    "mobility_total_definition": {
        "nl": (
            "Alle posities samen, 'niet in de bevolking' inbegrepen: een rij samen is wie op "
            "31 december van het vorige jaar in die positie was."
        ),
        "fr": (
            "Toutes les positions, 'hors population' comprise : une ligne au total compte "
            "qui était dans cette position au 31 décembre de l'année précédente."
        ),
        "en": (
            "All positions, 'not in the population' included: a row's total counts those "
            "in that position on 31 December of the year before."
        ),
    },
}
