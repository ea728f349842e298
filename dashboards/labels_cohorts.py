"""Labels of the cohorts page (see i18n.py)."""

TEXT = {
    "cohorts": {"nl": "Cohorten", "fr": "Cohortes", "en": "Cohorts"},
    "cohorts_about": {
        "nl": (
            "Wie op 31 december van het gekozen jaar in een positie was (het cohort), en waar "
            "die personen op 31 december van elk later jaar zijn. Gewest, geslacht en "
            "leeftijdsklasse zijn die van het cohort op de eerste dag."
        ),
        "fr": (
            "Les personnes dans une position au 31 décembre de l'année choisie (la cohorte), "
            "et où elles se trouvent au 31 décembre de chaque année suivante. Région, sexe et "
            "classe d'âge sont ceux de la cohorte au premier jour."
        ),
        "en": (
            "The persons in a position on 31 December of the chosen year (the cohort), and "
            "where they are on 31 December of every later year. Region, sex and age class are "
            "the cohort's on the first day."
        ),
    },
    "cohort_year": {
        "nl": "Cohort van 31 december",
        "fr": "Cohorte du 31 décembre",
        "en": "Cohort of 31 December",
    },
    "cohort_start": {
        "nl": "Positie van het cohort",
        "fr": "Position de la cohorte",
        "en": "The cohort's position",
    },
    "cohort_where": {
        "nl": "Waar het cohort is op 31 december van elk later jaar",
        "fr": "Où se trouve la cohorte au 31 décembre de chaque année suivante",
        "en": "Where the cohort is on 31 December of every later year",
    },
    "cohort_later": {
        "nl": "Positie op 31/12",
        "fr": "Position au 31/12",
        "en": "Position on 31/12",
    },
    "cohort_out": {
        "nl": "niet meer in de bevolking",
        "fr": "plus dans la population",
        "en": "no longer in the population",
    },
    "cohort_shares": {
        "nl": "Aandeel van de kwartalen in elke groep",
        "fr": "Part des trimestres dans chaque groupe",
        "en": "Share of the quarters in each group",
    },
    "cohort_span": {"nl": "Tot en met", "fr": "Jusqu'à", "en": "Up to"},
    "cohort_span_caption": {
        "nl": (
            "Personen van het cohort naar het aandeel van de kwartalen van {start} tot en met "
            "{end} dat ze in elke hoofdgroep of buiten de bevolking doorbrachten."
        ),
        "fr": (
            "Personnes de la cohorte selon la part des trimestres de {start} à {end} passés "
            "dans chaque groupe principal ou hors de la population."
        ),
        "en": (
            "Persons of the cohort by the share of the quarters from {start} to {end} they "
            "spent in each main group or out of the population."
        ),
    },
    "cohort_group": {"nl": "Groep", "fr": "Groupe", "en": "Group"},
    "cohort_share": {
        "nl": "Aandeel van de kwartalen",
        "fr": "Part des trimestres",
        "en": "Share of the quarters",
    },
    "share_none": {"nl": "0 %", "fr": "0 %", "en": "0%"},
    "share_quarter": {"nl": "1-24 %", "fr": "1-24 %", "en": "1-24%"},
    "share_half": {"nl": "25-49 %", "fr": "25-49 %", "en": "25-49%"},
    "share_three_quarters": {"nl": "50-74 %", "fr": "50-74 %", "en": "50-74%"},
    "share_most": {"nl": "75-99 %", "fr": "75-99 %", "en": "75-99%"},
    "share_all": {"nl": "100 %", "fr": "100 %", "en": "100%"},
    "cohort_definition": {
        "nl": (
            "De personen ingeschreven in het Rijksregister op 31 december van het jaar van het "
            "cohort, in de gekozen positie, met hun gewest, geslacht en leeftijdsklasse van die "
            "dag."
        ),
        "fr": (
            "Les personnes inscrites au Registre national au 31 décembre de l'année de la "
            "cohorte, dans la position choisie, avec leur région, sexe et classe d'âge de ce "
            "jour-là."
        ),
        "en": (
            "The persons in the National Register on 31 December of the cohort's year, in the "
            "chosen position, with their region, sex and age class of that day."
        ),
    },
    "cohort_out_definition": {
        "nl": "Niet meer ingeschreven in het Rijksregister op die dag: overleden of uitgeweken.",
        "fr": "Plus inscrit au Registre national ce jour-là : décédé ou émigré.",
        "en": "No longer in the National Register on that day: died or emigrated.",
    },
    "cohort_shares_definition": {
        "nl": (
            "Het aantal kwartalen (toestand op de laatste dag van elk kwartaal) na de dag van "
            "het cohort, tot en met het vierde kwartaal van het gekozen jaar, in een groep, "
            "gedeeld door alle kwartalen van die periode: 0 %, 1-24 %, 25-49 %, 50-74 %, "
            "75-99 % of 100 %. Elk cijfer telt personen."
        ),
        "fr": (
            "Le nombre de trimestres (situation au dernier jour de chaque trimestre) après le "
            "jour de la cohorte, jusqu'au quatrième trimestre de l'année choisie, dans un "
            "groupe, divisé par tous les trimestres de la période : 0 %, 1-24 %, 25-49 %, "
            "50-74 %, 75-99 % ou 100 %. Chaque chiffre compte des personnes."
        ),
        "en": (
            "The number of quarters (the situation on the last day of each quarter) after the "
            "cohort's day, up to the fourth quarter of the chosen year, in a group, over all "
            "the quarters of that span: 0%, 1-24%, 25-49%, 50-74%, 75-99% or 100%. Every "
            "figure counts persons."
        ),
    },
}
