"""Labels of the figures' pages: indicators, profiles, the local and global pages (see i18n.py)."""

TEXT = {
    "measure": {"nl": "Cijfer", "fr": "Chiffre", "en": "Figure"},
    "count_of": {
        "nl": "Aantal: {position}",
        "fr": "Nombre : {position}",
        "en": "Count: {position}",
    },
    "rate": {"nl": "Graad (%)", "fr": "Taux (%)", "en": "Rate (%)"},
    "numerator": {"nl": "Teller", "fr": "Numérateur", "en": "Numerator"},
    "denominator": {"nl": "Noemer", "fr": "Dénominateur", "en": "Denominator"},
    "residents": {"nl": "Inwoners", "fr": "Habitants", "en": "Residents"},
    "definition_of": {
        "nl": "Definitie, teller en noemer: {name}",
        "fr": "Définition, numérateur et dénominateur : {name}",
        "en": "Definition, numerator and denominator: {name}",
    },
    "definitions": {"nl": "Definities", "fr": "Définitions", "en": "Definitions"},
    "level": {"nl": "Niveau", "fr": "Niveau", "en": "Level"},
    "level_municipality": {"nl": "gemeente", "fr": "commune", "en": "municipality"},
    "level_arrondissement": {
        "nl": "arrondissement",
        "fr": "arrondissement",
        "en": "arrondissement",
    },
    "level_province": {"nl": "provincie", "fr": "province", "en": "province"},
    "level_region": {"nl": "gewest", "fr": "région", "en": "region"},
    "level_country": {"nl": "land", "fr": "pays", "en": "country"},
    "choose_unit": {
        "nl": "Gemeente of ander gebied (typ een naam of NIS-code)",
        "fr": "Commune ou autre territoire (tapez un nom ou un code INS)",
        "en": "Municipality or other area (type a name or NIS code)",
    },
    "choose_one": {"nl": "Kies…", "fr": "Choisissez…", "en": "Choose…"},
    "compare_with": {
        "nl": "Vergelijken met (naar keuze)",
        "fr": "Comparer avec (facultatif)",
        "en": "Compare with (optional)",
    },
    "predecessors": {
        "nl": (
            "{new} ({code}) bestond nog niet in {quarter}: getoond worden de gemeenten die "
            "erin opgingen: {old}."
        ),
        "fr": (
            "{new} ({code}) n'existait pas encore en {quarter} : sont montrées les communes "
            "qui l'ont formée : {old}."
        ),
        "en": (
            "{new} ({code}) did not exist yet in {quarter}: shown are the municipalities "
            "merged into it: {old}."
        ),
    },
    "no_figure": {"nl": "Geen cijfer", "fr": "Pas de chiffre", "en": "No figure"},
    "ranking_units": {"nl": "Rangschikking", "fr": "Classement", "en": "Ranking"},
    "minimum_population": {
        "nl": "Minimale populatie ({denominator})",
        "fr": "Population minimale ({denominator})",
        "en": "Minimum population ({denominator})",
    },
    "none_large_enough": {
        "nl": "Geen enkel gebied van dit niveau haalt de minimale populatie.",
        "fr": "Aucun territoire de ce niveau n'atteint la population minimale.",
        "en": "No area of this level reaches the minimum population.",
    },
    "indicators": {"nl": "Indicatoren", "fr": "Indicateurs", "en": "Indicators"},
    "indicators_ages": {
        "nl": (
            "Elke indicator heeft zijn eigen leeftijdsgroep (zie de definitie); de "
            "leeftijdsklasse hierboven geldt voor de samenstelling."
        ),
        "fr": (
            "Chaque indicateur a sa propre tranche d'âge (voir la définition) ; la classe "
            "d'âge ci-dessus s'applique à la composition."
        ),
        "en": (
            "Each indicator has its own age band (see its definition); the age class above "
            "applies to the composition."
        ),
    },
    "disability": {"nl": "Handicap", "fr": "Handicap", "en": "Disability"},
    "disability_about": {
        "nl": (
            "Inwoners met een erkende handicapstatus op de laatste dag van het kwartaal: een "
            "zorgbudget of een tegemoetkoming voor hulp aan bejaarden, of een parkeerkaart "
            "zonder zorgbudget. Wie geen van beide heeft, telt hier niet mee; tot op het "
            "niveau van het arrondissement."
        ),
        "fr": (
            "Habitants ayant un statut de handicap reconnu au dernier jour du trimestre : un "
            "budget de soins ou une allocation pour l'aide aux personnes âgées, ou une carte "
            "de stationnement sans budget de soins. Les autres ne sont pas comptés ici ; "
            "jusqu'au niveau de l'arrondissement."
        ),
        "en": (
            "Residents with a recognised disability status on the last day of the quarter: a "
            "care budget or an allowance for assistance to the elderly, or a parking card "
            "without a care budget. Others are not counted here; down to the arrondissement."
        ),
    },
    "disability_status": {
        "nl": "Handicapstatus",
        "fr": "Statut de handicap",
        "en": "Disability status",
    },
    "disability_any": {
        "nl": "een van beide",
        "fr": "l'un ou l'autre",
        "en": "either",
    },
    "profile": {
        "nl": "Profiel van een gebied",
        "fr": "Profil d'un territoire",
        "en": "Area profile",
    },
    "profile_about": {
        "nl": (
            "Inwoners op de laatste dag van elk kwartaal van {first} tot {last}, geslacht: "
            "{sex}. Druk deze pagina af met de afdrukfunctie van de browser."
        ),
        "fr": (
            "Habitants au dernier jour de chaque trimestre de {first} à {last}, sexe : {sex}. "
            "Imprimez cette page avec la fonction d'impression du navigateur."
        ),
        "en": (
            "Residents on the last day of each quarter from {first} to {last}, sex: {sex}. "
            "Print this page with the browser's print function."
        ),
    },
    "groups_by_quarter": {
        "nl": "Inwoners per hoofdgroep en kwartaal",
        "fr": "Habitants par groupe principal et trimestre",
        "en": "Residents by main group and quarter",
    },
    "indicators_beside": {
        "nl": "Indicatoren naast de hogere niveaus, {quarter}",
        "fr": "Indicateurs à côté des niveaux supérieurs, {quarter}",
        "en": "Indicators beside the higher levels, {quarter}",
    },
    "indicators_by_quarter": {
        "nl": "Indicatoren per kwartaal",
        "fr": "Indicateurs par trimestre",
        "en": "Indicators by quarter",
    },
    "flag_label": {"nl": "{marker}: {flag}", "fr": "{marker} : {flag}", "en": "{marker}: {flag}"},
    "exists_from": {
        "nl": (
            "{new} bestaat sinds {day}: deze pagina toont de kwartalen vanaf dan; de cijfers "
            "ervoor staan op het profiel van de gemeenten die erin opgingen: {old}."
        ),
        "fr": (
            "{new} existe depuis le {day} : cette page montre les trimestres depuis lors ; les "
            "chiffres d'avant sont sur le profil des communes qui l'ont formée : {old}."
        ),
        "en": (
            "{new} exists since {day}: this page shows the quarters since then; the figures "
            "before are on the profiles of the municipalities merged into it: {old}."
        ),
    },
    "small_rates": {
        "nl": (
            "Let op: bij een noemer onder {minimum} verschuift een graad met enkele punten door "
            "de verstoring van de aantallen (elk ±2; 1 tot 5 personen worden 0 of 6). Lees de "
            "teller en de noemer mee."
        ),
        "fr": (
            "Attention : avec un dénominateur inférieur à {minimum}, un taux varie de plusieurs "
            "points avec la perturbation des effectifs (chacun ±2 ; 1 à 5 personnes deviennent "
            "0 ou 6). Lisez le numérateur et le dénominateur."
        ),
        "en": (
            "Note: with a denominator under {minimum}, a rate moves by several points with the "
            "perturbation of the counts (each ±2; 1 to 5 persons become 0 or 6). Read the "
            "numerator and the denominator with it."
        ),
    },
}
