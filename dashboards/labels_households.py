"""Labels of the households page (see i18n.py)."""

TEXT = {
    "households_page": {"nl": "Huishoudens", "fr": "Ménages", "en": "Households"},
    "households_about": {
        "nl": (
            "Huishoudens op de laatste dag van het kwartaal, volgens het Rijksregister, naar "
            "type en grootte (tot op het niveau van de gemeente) en naar geslacht en "
            "leeftijdsklasse of nationaliteit van de referentiepersoon (tot op het niveau van "
            "het arrondissement). Elk huishouden telt één keer."
        ),
        "fr": (
            "Ménages au dernier jour du trimestre, selon le Registre national, par type et "
            "taille (jusqu'au niveau de la commune) et par sexe et classe d'âge ou nationalité "
            "de la personne de référence (jusqu'au niveau de l'arrondissement). Chaque ménage "
            "est compté une fois."
        ),
        "en": (
            "Households on the last day of the quarter, from the National Register, by type "
            "and size (down to the municipality) and by the reference person's sex and age "
            "class or nationality (down to the arrondissement). Each household counts once."
        ),
    },
    "households": {"nl": "Huishoudens", "fr": "Ménages", "en": "Households"},
    "household_type": {"nl": "Type huishouden", "fr": "Type de ménage", "en": "Household type"},
    "household_size": {"nl": "Grootte", "fr": "Taille", "en": "Size"},
    "reference_person": {
        "nl": "Referentiepersoon (tot op het niveau van het arrondissement)",
        "fr": "Personne de référence (jusqu'au niveau de l'arrondissement)",
        "en": "Reference person (down to the arrondissement)",
    },
    "households_none": {
        "nl": (
            "Geen cijfers voor deze keuze: de kenmerken van de referentiepersoon worden tot op "
            "het niveau van het arrondissement gepubliceerd, de nationaliteit zonder geslacht "
            "en leeftijd."
        ),
        "fr": (
            "Pas de chiffres pour ce choix : les caractéristiques de la personne de référence "
            "sont publiées jusqu'au niveau de l'arrondissement, la nationalité sans le sexe "
            "ni l'âge."
        ),
        "en": (
            "No figures for this choice: the reference person's characteristics are published "
            "down to the arrondissement, the nationality without sex and age."
        ),
    },
    "reference_person_definition": {
        "nl": (
            "De referentiepersoon is het lid dat het Rijksregister als referentiepersoon van "
            "het huishouden vermeldt. Een koppel is gehuwd of samenwonend: het Rijksregister "
            "levert hier geen burgerlijke staat. Kinderen zijn de kinderen van de "
            "referentiepersoon of de partner, van elke leeftijd, die in het huishouden wonen."
        ),
        "fr": (
            "La personne de référence est le membre que le Registre national indique comme "
            "personne de référence du ménage. Un couple est marié ou cohabitant : le Registre "
            "national ne livre ici pas l'état civil. Les enfants sont les enfants de la "
            "personne de référence ou du partenaire, de tout âge, vivant dans le ménage."
        ),
        "en": (
            "The reference person is the member the National Register lists as the household's "
            "reference person. A couple is married or cohabiting: the register delivers no "
            "civil status here. Children are the reference person's or the partner's children, "
            "of any age, living in the household."
        ),
    },
}
