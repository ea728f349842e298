"""Every label of the dashboards in Dutch, French and English: one entry per key, each
language by name, here and in the ``labels_*.py`` modules beside it (one per part of the
pages; ``tests/dashboards/test_i18n.py`` checks that every key used exists in all three, with
the same placeholders, that no key is unused and that no key is written twice)."""

import streamlit as st

import labels_cohorts
import labels_exports
import labels_figures
import labels_households
import labels_mobility
import labels_shell

LANGUAGES = {"nl": "Nederlands", "fr": "Français", "en": "English"}

TEXT = {
    "download_link": {
        "nl": "Downloaden (de link werkt één keer, twee minuten lang)",
        "fr": "Télécharger (le lien fonctionne une fois, pendant deux minutes)",
        "en": "Download (the link works once, for two minutes)",
    },
    "extract_ready": {
        "nl": "Extract aangemaakt: {files}",
        "fr": "Extrait produit : {files}",
        "en": "Extract produced: {files}",
    },
    "throttled": {
        "nl": "Te veel verkeerde wachtwoorden: probeer opnieuw over {seconds} s.",
        "fr": "Trop de mots de passe erronés : réessayez dans {seconds} s.",
        "en": "Too many wrong passwords: try again in {seconds} s.",
    },
    "err_too_short": {
        "nl": "minstens {minimum} tekens",
        "fr": "au moins {minimum} caractères",
        "en": "at least {minimum} characters",
    },
    "err_too_long": {
        "nl": "hoogstens {maximum} tekens",
        "fr": "au plus {maximum} caractères",
        "en": "at most {maximum} characters",
    },
    "err_dpo_email": {
        "nl": "het e-mailadres van de functionaris voor gegevensbescherming",
        "fr": "l'adresse e-mail du délégué à la protection des données",
        "en": "the e-mail address of the data protection officer",
    },
    "err_one_of": {"nl": "een van {choices}", "fr": "l'une de {choices}", "en": "one of {choices}"},
    "err_population": {
        "nl": "beschrijf de populatie",
        "fr": "décrivez la population",
        "en": "describe the population",
    },
    "err_unknown_codes": {
        "nl": "onbekende codes: {level}",
        "fr": "codes inconnus : {level}",
        "en": "unknown {level} codes",
    },
    "err_ages": {
        "nl": "leeftijden van 0 tot 120, het minimum niet boven het maximum",
        "fr": "des âges de 0 à 120, le minimum ne dépassant pas le maximum",
        "en": "ages from 0 to 120, the minimum not above the maximum",
    },
    "err_no_period": {
        "nl": "kies minstens één kwartaal",
        "fr": "choisissez au moins un trimestre",
        "en": "choose at least one quarter",
    },
    "err_not_published": {
        "nl": "niet gepubliceerd: {items}",
        "fr": "non publié : {items}",
        "en": "not published: {items}",
    },
    "err_percent": {
        "nl": "een percentage boven 0 en hoogstens 100",
        "fr": "un pourcentage supérieur à 0 et au plus 100",
        "en": "a percentage above 0 and at most 100",
    },
    "err_no_variable": {
        "nl": "kies minstens één variabele",
        "fr": "choisissez au moins une variable",
        "en": "choose at least one variable",
    },
    "err_not_in_catalogue": {
        "nl": "niet in de catalogus: {items}",
        "fr": "absent du catalogue : {items}",
        "en": "not in the catalogue: {items}",
    },
    "err_unjustified": {
        "nl": "verantwoord elke variabele: {items}",
        "fr": "justifiez chaque variable : {items}",
        "en": "justify every variable: {items}",
    },
    "err_date": {
        "nl": "een datum (JJJJ-MM-DD) waarop de gegevens vernietigd worden",
        "fr": "une date (AAAA-MM-JJ) à laquelle les données sont détruites",
        "en": "a date (YYYY-MM-DD) by which the data are destroyed",
    },
    "err_future": {
        "nl": "een datum in de toekomst",
        "fr": "une date dans le futur",
        "en": "a date in the future",
    },
    "err_not_for_kind": {
        "nl": "enkel in gepseudonimiseerde extracten: {items}",
        "fr": "uniquement dans les extraits pseudonymisés : {items}",
        "en": "only in pseudonymised extracts: {items}",
    },
    "err_not_a_request": {
        "nl": "een lijst van de velden van de aanvraag",
        "fr": "une liste des champs de la demande",
        "en": "a mapping of the request's fields",
    },
    "err_unknown_fields": {
        "nl": "onbekende velden: {items}",
        "fr": "champs inconnus : {items}",
        "en": "unknown fields: {items}",
    },
    "err_too_large": {
        "nl": "de aanvraag is groter dan {maximum} bytes",
        "fr": "la demande dépasse {maximum} octets",
        "en": "the request is larger than {maximum} bytes",
    },
    "err_too_many": {
        "nl": "hoogstens {maximum} elementen",
        "fr": "au plus {maximum} éléments",
        "en": "at most {maximum} items",
    },
    "err_not_text": {
        "nl": "tekst van hoogstens {maximum} tekens voor elke variabele",
        "fr": "un texte d'au plus {maximum} caractères pour chaque variable",
        "en": "text of at most {maximum} characters for each variable",
    },
    "err_spells_position": {
        "nl": "periodes zijn reeksen van een positie: kies position_code of main_group_code",
        "fr": "les épisodes sont des suites d'une position : choisissez position_code ou "
        "main_group_code",
        "en": "spells are runs of a position: choose position_code or main_group_code",
    },
    "err_spells_consecutive": {
        "nl": "periodes vragen opeenvolgende kwartalen, zonder onderbreking",
        "fr": "les épisodes demandent des trimestres consécutifs, sans interruption",
        "en": "spells need consecutive quarters, without gaps",
    },
    "err_retention": {
        "nl": "hoogstens {years} jaar vanaf vandaag",
        "fr": "au plus {years} ans à partir d'aujourd'hui",
        "en": "at most {years} years from today",
    },
    "app_title": {
        "nl": "Arbeidsmarkt en sociale bescherming",
        "fr": "Marché du travail et protection sociale",
        "en": "Labour market and social protection",
    },
    "language": {
        "nl": "Taal",
        "fr": "Langue",
        "en": "Language",
    },
    "home": {
        "nl": "Start",
        "fr": "Accueil",
        "en": "Home",
    },
    "global": {
        "nl": "Globale cijfers",
        "fr": "Chiffres globaux",
        "en": "Global figures",
    },
    "local": {
        "nl": "Lokale cijfers",
        "fr": "Chiffres locaux",
        "en": "Local figures",
    },
    "synthetic": {
        "nl": "Synthetische data",
        "fr": "Données synthétiques",
        "en": "Synthetic data",
    },
    "stewards": {
        "nl": "Beheerders",
        "fr": "Gestionnaires",
        "en": "Data stewards",
    },
    "intro": {
        "nl": (
            "Het aantal inwoners per socio-economische positie op de laatste dag van elk "
            "kwartaal, afgeleid uit de gegevens van alle socialezekerheidsinstellingen."
        ),
        "fr": (
            "Le nombre d'habitants par position socio-économique au dernier jour de chaque "
            "trimestre, établi à partir des données de toutes les institutions de sécurité "
            "sociale."
        ),
        "en": (
            "The number of residents by socio-economic position on the last day of each quarter, "
            "derived from the data of every social-security institution."
        ),
    },
    "population": {
        "nl": "Populatie: inwoners ingeschreven in het Rijksregister op de referentiedatum.",
        "fr": "Population : habitants inscrits au Registre national à la date de référence.",
        "en": "Population: residents in the National Register on the reference date.",
    },
    "no_publication": {
        "nl": (
            "Er zijn nog geen cijfers gepubliceerd: kom later terug. (Beheerders: "
            "`dwh build` en daarna `dwh publish`.)"
        ),
        "fr": (
            "Aucun chiffre n'est encore publié : revenez plus tard. (Gestionnaires : "
            "`dwh build` puis `dwh publish`.)"
        ),
        "en": (
            "No figures are published yet: come back later. (Data stewards: `dwh build`, "
            "then `dwh publish`.)"
        ),
    },
    "published": {
        "nl": "Gepubliceerd op",
        "fr": "Publié le",
        "en": "Published on",
    },
    "periods": {
        "nl": "Beschikbare kwartalen",
        "fr": "Trimestres disponibles",
        "en": "Quarters available",
    },
    "positions": {
        "nl": "De 19 posities en hun groepen",
        "fr": "Les 19 positions et leurs groupes",
        "en": "The 19 positions and their groups",
    },
    "deliveries": {
        "nl": "Leveringen per instelling en jaar",
        "fr": "Livraisons par institution et année",
        "en": "Deliveries by institution and year",
    },
    "quarter": {
        "nl": "Kwartaal",
        "fr": "Trimestre",
        "en": "Quarter",
    },
    "year": {
        "nl": "Jaar",
        "fr": "Année",
        "en": "Year",
    },
    "geography": {
        "nl": "Gebied",
        "fr": "Territoire",
        "en": "Area",
    },
    "position": {
        "nl": "Positie",
        "fr": "Position",
        "en": "Position",
    },
    "position_level": {
        "nl": "Detail van de positie",
        "fr": "Détail de la position",
        "en": "Position detail",
    },
    "main_groups": {
        "nl": "Hoofdgroepen",
        "fr": "Groupes principaux",
        "en": "Main groups",
    },
    "categories": {
        "nl": "19 categorieën",
        "fr": "19 catégories",
        "en": "19 categories",
    },
    "sex": {
        "nl": "Geslacht",
        "fr": "Sexe",
        "en": "Sex",
    },
    "age_class": {
        "nl": "Leeftijdsklasse",
        "fr": "Classe d'âge",
        "en": "Age class",
    },
    "nationality": {
        "nl": "Nationaliteit",
        "fr": "Nationalité",
        "en": "Nationality",
    },
    "total": {
        "nl": "Totaal",
        "fr": "Total",
        "en": "Total",
    },
    "persons": {
        "nl": "Personen",
        "fr": "Personnes",
        "en": "Persons",
    },
    "composition": {
        "nl": "Samenstelling van de bevolking",
        "fr": "Composition de la population",
        "en": "Composition of the population",
    },
    "rates": {
        "nl": "Aandeel werkenden en werkzoekenden",
        "fr": "Part des travailleurs et des demandeurs d'emploi",
        "en": "Share working and share of job seekers",
    },
    "indicator": {
        "nl": "Indicator",
        "fr": "Indicateur",
        "en": "Indicator",
    },
    "choose": {
        "nl": "Kies een of meer…",
        "fr": "Choisissez-en un ou plusieurs…",
        "en": "Choose one or more…",
    },
    "map": {
        "nl": "Kaart van de gemeenten",
        "fr": "Carte des communes",
        "en": "Map of the municipalities",
    },
    "ranking": {
        "nl": "Rangschikking van de gemeenten",
        "fr": "Classement des communes",
        "en": "Ranking of the municipalities",
    },
    "comparison": {
        "nl": "Vergelijking met de hogere niveaus",
        "fr": "Comparaison avec les niveaux supérieurs",
        "en": "Comparison with the higher levels",
    },
    "merged": {
        "nl": "{old} bestaat niet meer in {quarter}: samengevoegd tot {new} ({code}).",
        "fr": "{old} n'existe plus en {quarter} : fusionnée dans {new} ({code}).",
        "en": "{old} no longer exists in {quarter}: merged into {new} ({code}).",
    },
    "download_csv": {
        "nl": "Download CSV",
        "fr": "Télécharger CSV",
        "en": "Download CSV",
    },
    "download_xlsx": {
        "nl": "Download Excel",
        "fr": "Télécharger Excel",
        "en": "Download Excel",
    },
    "source": {
        "nl": (
            "Bron: datawarehouse arbeidsmarkt en sociale bescherming, publicatie {pub}. Periode: "
            "{period}. Populatie: inwoners op de laatste dag van het kwartaal."
        ),
        "fr": (
            "Source : datawarehouse marché du travail et protection sociale, publication {pub}. "
            "Période : {period}. Population : habitants au dernier jour du trimestre."
        ),
        "en": (
            "Source: labour market and social protection datawarehouse, publication {pub}. "
            "Period: {period}. Population: residents on the last day of the quarter."
        ),
    },
    "disclosure": {
        "nl": (
            "{marker}: te weinig personen om te publiceren. De aantallen zijn verstoord zodat "
            "geen klein aantal kan worden gelezen of afgeleid: elke kleinste cel (gemeente × "
            "positie × geslacht × leeftijdsklasse × nationaliteitsgroep) met 1 tot {threshold} "
            "personen wordt willekeurig als 0 of {above} gepubliceerd, grotere krijgen een "
            "ruis van hoogstens ±{noise}. Elk cijfer is de som van zijn kleinste cellen: "
            "totalen kloppen, kleine gebieden zijn minder nauwkeurig."
        ),
        "fr": (
            "{marker} : trop peu de personnes pour publier. Les effectifs sont perturbés afin "
            "qu'aucun petit effectif ne puisse être lu ou déduit : chaque cellule la plus fine "
            "(commune × position × sexe × classe d'âge × groupe de nationalité) de 1 à "
            "{threshold} personnes est publiée au hasard comme 0 ou {above}, les plus grandes "
            "reçoivent un bruit d'au plus ±{noise}. Chaque chiffre est la somme de ses cellules "
            "les plus fines : les totaux sont cohérents, les petites zones moins précises."
        ),
        "en": (
            "{marker}: too few persons to publish. Counts are perturbed so that no small count "
            "can be read or derived: each finest cell (municipality × position × sex × age "
            "class × nationality group) of 1 to {threshold} persons is published as 0 or "
            "{above} at random, larger ones get a noise of at most ±{noise}. Every figure is "
            "the sum of its finest cells: totals add up, small areas are less precise."
        ),
    },
    "provisional": {
        "nl": "voorlopig",
        "fr": "provisoire",
        "en": "provisional",
    },
    "missing": {
        "nl": "ontbreekt",
        "fr": "manquante",
        "en": "missing",
    },
    "received": {
        "nl": "ontvangen",
        "fr": "reçue",
        "en": "received",
    },
    "rejected": {
        "nl": "geweigerd",
        "fr": "refusée",
        "en": "rejected",
    },
    "no_synthetic": {
        "nl": "Er zijn nog geen synthetische datasets vrijgegeven.",
        "fr": "Aucun jeu de données synthétiques n'est encore publié.",
        "en": "No synthetic datasets are released yet.",
    },
    "synthetic_intro": {
        "nl": (
            "Synthetische data hebben de structuur, de kolommen en de codelijsten van de echte "
            "gegevens, maar geen enkele rij beschrijft een echt persoon. Gebruik ze om code te "
            "schrijven en te testen, niet voor statistieken. Vrij te downloaden."
        ),
        "fr": (
            "Les données synthétiques ont la structure, les colonnes et les listes de codes des "
            "données réelles, mais aucune ligne ne décrit une personne réelle. Utilisez-les pour "
            "écrire et tester du code, pas pour des statistiques. Téléchargement libre."
        ),
        "en": (
            "Synthetic data have the structure, columns and code lists of the real data, but no "
            "row describes a real person. Use them to write and test code, not for statistics. "
            "Free to download."
        ),
    },
    "synthetic_dataset": {
        "nl": (
            "{period}: {persons} synthetische personen, {rows} rijen ({created}, publicatie {pub})"
        ),
        "fr": (
            "{period} : {persons} personnes synthétiques, {rows} lignes ({created}, publication "
            "{pub})"
        ),
        "en": "{period}: {persons} synthetic persons, {rows} rows ({created}, publication {pub})",
    },
    "gate": {
        "nl": "Kwaliteits- en privacytoets",
        "fr": "Contrôle de qualité et de confidentialité",
        "en": "Quality and privacy gate",
    },
    "gate_measure": {
        "nl": "maatstaf",
        "fr": "mesure",
        "en": "measure",
    },
    "value": {
        "nl": "waarde",
        "fr": "valeur",
        "en": "value",
    },
    "threshold": {
        "nl": "drempel",
        "fr": "seuil",
        "en": "threshold",
    },
    "download_file": {
        "nl": "Download {name}",
        "fr": "Télécharger {name}",
        "en": "Download {name}",
    },
    "login": {
        "nl": "Aanmelden",
        "fr": "Connexion",
        "en": "Log in",
    },
    "logout": {
        "nl": "Afmelden",
        "fr": "Déconnexion",
        "en": "Log out",
    },
    "user_name": {
        "nl": "Gebruikersnaam",
        "fr": "Nom d'utilisateur",
        "en": "User name",
    },
    "password": {
        "nl": "Wachtwoord",
        "fr": "Mot de passe",
        "en": "Password",
    },
    "wrong_login": {
        "nl": "Onbekende gebruiker of verkeerd wachtwoord.",
        "fr": "Utilisateur inconnu ou mot de passe erroné.",
        "en": "Unknown user or wrong password.",
    },
    "signed_in": {
        "nl": "Aangemeld als {name} ({role})",
        "fr": "Connecté : {name} ({role})",
        "en": "Signed in as {name} ({role})",
    },
    "login_needed": {
        "nl": "Deze pagina is voor aangemelde gebruikers met de rol {role}.",
        "fr": "Cette page est réservée aux utilisateurs connectés ayant le rôle {role}.",
        "en": "This page is for signed-in users with the role {role}.",
    },
    "request_data": {
        "nl": "Gegevens aanvragen",
        "fr": "Demander des données",
        "en": "Request data",
    },
    "my_requests": {
        "nl": "Mijn aanvragen",
        "fr": "Mes demandes",
        "en": "My requests",
    },
    "review": {
        "nl": "Aanvragen beoordelen",
        "fr": "Examiner les demandes",
        "en": "Review requests",
    },
    "committee": {
        "nl": "Comité",
        "fr": "Comité",
        "en": "Committee",
    },
    "catalogue": {
        "nl": "Variabelencatalogus",
        "fr": "Catalogue des variables",
        "en": "Variable catalogue",
    },
    "cart": {
        "nl": "Gekozen variabelen",
        "fr": "Variables choisies",
        "en": "Chosen variables",
    },
    "justify": {
        "nl": "Waarom nodig: {name}",
        "fr": "Pourquoi nécessaire : {name}",
        "en": "Why needed: {name}",
    },
    "submit": {
        "nl": "Indienen",
        "fr": "Soumettre",
        "en": "Submit",
    },
    "save_draft": {
        "nl": "Als ontwerp bewaren",
        "fr": "Enregistrer le brouillon",
        "en": "Save draft",
    },
    "submitted": {
        "nl": "Aanvraag {number} is ingediend.",
        "fr": "La demande {number} a été soumise.",
        "en": "Request {number} is submitted.",
    },
    "saved": {
        "nl": "Ontwerp {number} bewaard.",
        "fr": "Brouillon {number} enregistré.",
        "en": "Draft {number} saved.",
    },
    "invalid": {
        "nl": "De aanvraag is niet geldig; verbeter de velden hieronder.",
        "fr": "La demande n'est pas valide ; corrigez les champs ci-dessous.",
        "en": "The request is not valid; correct the fields below.",
    },
    "clone_from": {
        "nl": "Vertrekken van een eerdere aanvraag",
        "fr": "Partir d'une demande antérieure",
        "en": "Start from an earlier request",
    },
    "no_requests": {
        "nl": "Nog geen aanvragen.",
        "fr": "Pas encore de demandes.",
        "en": "No requests yet.",
    },
    "status": {
        "nl": "Status",
        "fr": "Statut",
        "en": "Status",
    },
    "history": {
        "nl": "Geschiedenis",
        "fr": "Historique",
        "en": "History",
    },
    "notifications": {
        "nl": "Meldingen",
        "fr": "Notifications",
        "en": "Notifications",
    },
    "withdraw": {
        "nl": "Intrekken",
        "fr": "Retirer",
        "en": "Withdraw",
    },
    "reason": {
        "nl": "Reden",
        "fr": "Motif",
        "en": "Reason",
    },
    "synthetic_version": {
        "nl": "Synthetische versie",
        "fr": "Version synthétique",
        "en": "Synthetic version",
    },
    "synthetic_version_help": {
        "nl": "Synthetische gegevens met de populatie, kwartalen, variabelen en structuur van "
        "deze aanvraag, vrij te downloaden vóór (en wat ook) de beslissing: geen enkele rij "
        "beschrijft een echte persoon.",
        "fr": "Des données synthétiques avec la population, les trimestres, les variables et la "
        "structure de cette demande, libres de téléchargement avant (et quelle que soit) la "
        "décision : aucune ligne ne décrit une personne réelle.",
        "en": "Synthetic data with the population, quarters, variables and structure of this "
        "request, free to download before (and whatever) the decision: no row describes a real "
        "person.",
    },
    "synthetic_working": {
        "nl": "Synthetische versie wordt gemaakt…",
        "fr": "Version synthétique en cours…",
        "en": "Making the synthetic version…",
    },
    "synthetic_refused": {
        "nl": "Geen synthetische versie: de controles weigerden ze. Reden:",
        "fr": "Pas de version synthétique : les contrôles l'ont refusée. Motif :",
        "en": "No synthetic version: the checks refused it. Reason:",
    },
    "cut_ended": {
        "nl": "{number} is {status}: geen synthetische versie.",
        "fr": "{number} est {status} : pas de version synthétique.",
        "en": "{number} is {status}: no synthetic version.",
    },
    "cut_kind": {
        "nl": "{number} is geen gekende soort aanvraag.",
        "fr": "{number} n'est pas un type de demande connu.",
        "en": "{number} is of no known kind.",
    },
    "cut_invalid": {
        "nl": "{number} is geen geldige aanvraag:",
        "fr": "{number} n'est pas une demande valide :",
        "en": "{number} is not a valid request:",
    },
    "cut_no_release": {
        "nl": "Er is nog geen synthetische versie van {period} voor de gepubliceerde cijfers: "
        "vraag de databeheerder ze te maken (dwh synthesize --period {period}).",
        "fr": "Il n'y a pas encore de version synthétique de {period} pour les chiffres "
        "publiés : demandez au gestionnaire des données de la produire "
        "(dwh synthesize --period {period}).",
        "en": "There is no synthetic release of {period} for the served figures yet: ask the "
        "data steward to make it (dwh synthesize --period {period}).",
    },
    "cut_gate": {
        "nl": "De controles weigerden de synthetische versie van {period}.",
        "fr": "Les contrôles ont refusé la version synthétique de {period}.",
        "en": "The checks refused the synthetic release of {period}.",
    },
    "cut_failed": {
        "nl": "De synthetische versie van {period} kon niet gemaakt worden.",
        "fr": "La version synthétique de {period} n'a pas pu être produite.",
        "en": "The synthetic release of {period} could not be made.",
    },
    "cut_unpublished": {
        "nl": "Er is nog niets gepubliceerd.",
        "fr": "Rien n'est encore publié.",
        "en": "Nothing is published yet.",
    },
    "cut_empty": {
        "nl": "Geen enkele synthetische persoon valt in de gevraagde populatie: verruim de "
        "populatie (meer gewesten, leeftijden of posities) of vraag andere kwartalen.",
        "fr": "Aucune personne synthétique ne fait partie de la population demandée : "
        "élargissez-la (plus de régions, d'âges ou de positions) ou choisissez d'autres "
        "trimestres.",
        "en": "No synthetic person falls in the population asked: widen the population (more "
        "regions, ages or positions) or ask other quarters.",
    },
    "synthetic_download": {
        "nl": "Synthetische {file} downloaden",
        "fr": "Télécharger {file} (synthétique)",
        "en": "Download the synthetic {file}",
    },
    "download_delivery": {
        "nl": "Levering downloaden",
        "fr": "Télécharger la livraison",
        "en": "Download the delivery",
    },
    "choose_request": {
        "nl": "Aanvraag",
        "fr": "Demande",
        "en": "Request",
    },
    "action": {
        "nl": "Actie",
        "fr": "Action",
        "en": "Action",
    },
    "apply": {
        "nl": "Uitvoeren",
        "fr": "Appliquer",
        "en": "Apply",
    },
    "produce_extract": {
        "nl": "Extract aanmaken",
        "fr": "Produire l'extrait",
        "en": "Produce the extract",
    },
    "remove_variables": {
        "nl": "Niet verantwoorde variabelen schrappen",
        "fr": "Retirer les variables non justifiées",
        "en": "Remove variables not justified",
    },
    "deliberation_number": {
        "nl": "Nummer van de beraadslaging",
        "fr": "Numéro de la délibération",
        "en": "Deliberation number",
    },
    "deliberation_date": {
        "nl": "Datum van de beraadslaging",
        "fr": "Date de la délibération",
        "en": "Deliberation date",
    },
    "approve": {
        "nl": "Goedkeuren",
        "fr": "Approuver",
        "en": "Approve",
    },
    "reject": {
        "nl": "Weigeren",
        "fr": "Refuser",
        "en": "Reject",
    },
    "f_requester": {
        "nl": "Aanvrager",
        "fr": "Demandeur",
        "en": "Requester",
    },
    "f_organisation": {
        "nl": "Organisatie",
        "fr": "Organisation",
        "en": "Organisation",
    },
    "f_principal_investigator": {
        "nl": "Hoofdonderzoeker",
        "fr": "Chercheur principal",
        "en": "Principal investigator",
    },
    "f_purpose": {
        "nl": "Doel (minstens 200 tekens)",
        "fr": "Finalité (au moins 200 caractères)",
        "en": "Purpose (at least 200 characters)",
    },
    "f_publication_plan": {
        "nl": "Publicatieplan",
        "fr": "Plan de publication",
        "en": "Publication plan",
    },
    "f_legal_basis": {
        "nl": "Rechtsgrond",
        "fr": "Base légale",
        "en": "Legal basis",
    },
    "f_security": {
        "nl": "Beveiligingsmaatregelen",
        "fr": "Mesures de sécurité",
        "en": "Security measures",
    },
    "f_dpo_contact": {
        "nl": "E-mail van de functionaris voor gegevensbescherming",
        "fr": "E-mail du délégué à la protection des données",
        "en": "E-mail of the data protection officer",
    },
    "f_kind": {
        "nl": "Soort",
        "fr": "Type",
        "en": "Kind",
    },
    "anonymous_sample": {
        "nl": "anonieme steekproef",
        "fr": "échantillon anonyme",
        "en": "anonymous sample",
    },
    "pseudonymised": {
        "nl": "gepseudonimiseerde microdata",
        "fr": "microdonnées pseudonymisées",
        "en": "pseudonymised microdata",
    },
    "f_regions": {
        "nl": "Gewesten",
        "fr": "Régions",
        "en": "Regions",
    },
    "f_provinces": {
        "nl": "Provincies",
        "fr": "Provinces",
        "en": "Provinces",
    },
    "f_arrondissements": {
        "nl": "Arrondissementen",
        "fr": "Arrondissements",
        "en": "Arrondissements",
    },
    "f_municipalities": {
        "nl": "Gemeenten",
        "fr": "Communes",
        "en": "Municipalities",
    },
    "f_sexes": {
        "nl": "Geslacht",
        "fr": "Sexe",
        "en": "Sex",
    },
    "f_positions": {
        "nl": "Posities",
        "fr": "Positions",
        "en": "Positions",
    },
    "f_household_members": {
        "nl": "Met de leden van hun huishouden",
        "fr": "Avec les membres de leur ménage",
        "en": "With the members of their household",
    },
    "f_ages": {
        "nl": "Leeftijden",
        "fr": "Âges",
        "en": "Ages",
    },
    "f_periods": {
        "nl": "Kwartalen",
        "fr": "Trimestres",
        "en": "Quarters",
    },
    "f_structure": {
        "nl": "Structuur",
        "fr": "Structure",
        "en": "Structure",
    },
    "person_quarter": {
        "nl": "een rij per persoon en kwartaal",
        "fr": "une ligne par personne et trimestre",
        "en": "a row per person and quarter",
    },
    "person": {
        "nl": "een rij per persoon",
        "fr": "une ligne par personne",
        "en": "a row per person",
    },
    "spells": {
        "nl": "een rij per periode in een positie (begin, einde, duur, censurering)",
        "fr": "une ligne par épisode dans une position (début, fin, durée, censure)",
        "en": "a row per spell in a position (start, end, length, censoring)",
    },
    "structure_help": {
        "nl": "Periodes vragen position_code of main_group_code en opeenvolgende kwartalen. In "
        "een anonieme steekproef wordt een rij per persoon of per periode als een geheel "
        "getoetst (k = 5 op het hele traject): posities en tijd worden er grover.",
        "fr": "Les épisodes demandent position_code ou main_group_code et des trimestres "
        "consécutifs. Dans un échantillon anonyme, une ligne par personne ou par épisode est "
        "vérifiée comme un tout (k = 5 sur toute la trajectoire) : positions et temps y sont "
        "plus grossiers.",
        "en": "Spells need position_code or main_group_code and consecutive quarters. In an "
        "anonymous sample, a row per person or per spell is checked as a whole (k = 5 on the "
        "whole trajectory): positions and time come out coarser.",
    },
    "f_percent": {
        "nl": "Steekproef (%)",
        "fr": "Échantillon (%)",
        "en": "Sample (%)",
    },
    "f_stratify": {
        "nl": "Gestratificeerd per gewest",
        "fr": "Stratifié par région",
        "en": "Stratified by region",
    },
    "f_destroy_by": {
        "nl": "Vernietigen uiterlijk op",
        "fr": "Détruire au plus tard le",
        "en": "Destroy by",
    },
    "f_format": {
        "nl": "Bestandsformaat",
        "fr": "Format de fichier",
        "en": "File format",
    },
    "f_code_list": {
        "nl": "Codelijst",
        "fr": "Liste de codes",
        "en": "Code list",
    },
    "builds": {
        "nl": "Builds en publicaties",
        "fr": "Builds et publications",
        "en": "Builds and publications",
    },
    "quarantine": {
        "nl": "Quarantaine per reden",
        "fr": "Quarantaine par motif",
        "en": "Quarantine by reason",
    },
    "examples": {
        "nl": "Voorbeelden (gepseudonimiseerd)",
        "fr": "Exemples (pseudonymisés)",
        "en": "Examples (pseudonymised)",
    },
    "dbt_tests": {
        "nl": "dbt-tests van de laatste build",
        "fr": "Tests dbt du dernier build",
        "en": "dbt tests of the last build",
    },
    "dbt_docs": {
        "nl": "dbt-documentatie (lineage, kolommen)",
        "fr": "Documentation dbt (lignage, colonnes)",
        "en": "dbt documentation (lineage, columns)",
    },
    "output_check": {
        "nl": "Outputcontrole (acro)",
        "fr": "Contrôle des résultats (acro)",
        "en": "Output check (acro)",
    },
    "output_check_about": {
        "nl": (
            "SACRO's acro {version}, toegepast op het ware aantal achter elke gepubliceerde "
            "cel: de drempelregel markeert aantallen onder {below} (nullen inbegrepen), de "
            "nulregel lege cellen. Weggelaten en gepubliceerd zeggen hoe de gemarkeerde cellen "
            "in de publicatie staan, fijnste niveau telt die op het fijnste niveau van de tabel. "
            "Gecontroleerd in {seconds} s."
        ),
        "fr": (
            "acro {version} de SACRO, appliqué au vrai nombre derrière chaque cellule publiée : "
            "la règle du seuil signale les nombres inférieurs à {below} (zéros compris), la "
            "règle des zéros les cellules vides. Masquées et publiées disent comment les "
            "cellules signalées paraissent dans la publication, niveau le plus fin compte "
            "celles du niveau le plus fin du tableau. Contrôlé en {seconds} s."
        ),
        "en": (
            "SACRO's acro {version}, applied to the true count behind every published cell: "
            "its threshold rule flags counts below {below} (zeros included), its zeros rule "
            "empty cells. withheld and published say how the flagged cells appear in the "
            "publication, finest counts those at the finest level of the table. Checked in "
            "{seconds} s."
        ),
    },
    "output_check_passed": {
        "nl": (
            "Niets onthullend: de celsleutel beantwoordt elke regel, en wat hij belooft klopt "
            "in de gepubliceerde tabellen (geen waarde van 1 tot {threshold}, geen nul, elke "
            "cel de som van haar basiscellen)."
        ),
        "fr": (
            "Rien de révélateur : la clé de cellule répond à chaque règle, et ce qu'elle promet "
            "se vérifie dans les tableaux publiés (aucune valeur de 1 à {threshold}, aucun "
            "zéro, chaque cellule la somme de ses cellules de base)."
        ),
        "en": (
            "Nothing disclosive: the cell key answers every rule, and what it promises holds "
            "in the published tables (no value from 1 to {threshold}, no zero, every cell the "
            "sum of its master cells)."
        ),
    },
    "output_check_missing": {
        "nl": "De build van deze publicatie werd niet aan een outputcontrole onderworpen.",
        "fr": "Le build de cette publication n'a pas subi de contrôle des résultats.",
        "en": "The build of this publication was not output-checked.",
    },
    "answer_threshold": {
        "nl": (
            "De gepubliceerde waarde is niet het aantal: basiscellen van 1 tot {threshold} "
            "tellen 0 of {above}, dus een cel is weggelaten of minstens {above}."
        ),
        "fr": (
            "La valeur publiée n'est pas le nombre : les cellules de base de 1 à {threshold} "
            "comptent 0 ou {above}, donc une cellule est masquée ou vaut au moins {above}."
        ),
        "en": (
            "The published value is not the count: master cells of 1 to {threshold} count 0 "
            "or {above}, so a cell is withheld or at least {above}."
        ),
    },
    "answer_zeros": {
        "nl": "Een echte nul telt op tot 0 en wordt weggelaten, net als veel kleine aantallen.",
        "fr": "Un vrai zéro donne une somme de 0 et est masqué, comme beaucoup de petits nombres.",
        "en": "A true zero sums to 0 and is withheld, like many small counts.",
    },
    "answer_zeros_setting": {
        "nl": "Instelling van acro: nullen zijn onthullend (de nulregel geldt).",
        "fr": "Réglage d'acro : les zéros sont révélateurs (la règle des zéros s'applique).",
        "en": "acro's setting: zeros are disclosive (the zeros rule applies).",
    },
    "answer_differencing": {
        "nl": (
            "Elke gepubliceerde cel is de som van de waarden van haar basiscellen (gecontroleerd): "
            "samen zeggen de tabellen niet meer dan de basiscellen."
        ),
        "fr": (
            "Chaque cellule publiée est la somme des valeurs de ses cellules de base (vérifié) : "
            "ensemble, les tableaux n'en disent pas plus que les cellules de base."
        ),
        "en": (
            "Every published cell is the sum of its master cells' values (verified): the tables "
            "together say no more than the master cells."
        ),
    },
    "answer_dominance": {
        "nl": "Er wordt geen tabel met bedragen gepubliceerd.",
        "fr": "Aucun tableau de montants n'est publié.",
        "en": "No magnitude table is published.",
    },
}

TEXT = {
    **TEXT,
    **labels_figures.TEXT,
    **labels_households.TEXT,
    **labels_mobility.TEXT,
    **labels_cohorts.TEXT,
    **labels_exports.TEXT,
    **labels_shell.TEXT,
}


def lang() -> str:
    return st.session_state.get("lang", "nl")


def t(key: str, **values) -> str:
    """The label ``key`` in the chosen language."""
    text = TEXT[key][lang()]
    return text.format(**values) if values else text
