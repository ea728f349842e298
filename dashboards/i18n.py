"""Every label of the dashboards in Dutch, French and English."""

import streamlit as st

LANGUAGES = {"nl": "Nederlands", "fr": "Français", "en": "English"}

TEXT = {
    "app_title": (
        "Arbeidsmarkt en sociale bescherming",
        "Marché du travail et protection sociale",
        "Labour market and social protection",
    ),
    "language": ("Taal", "Langue", "Language"),
    "home": ("Start", "Accueil", "Home"),
    "global": ("Globale cijfers", "Chiffres globaux", "Global figures"),
    "local": ("Lokale cijfers", "Chiffres locaux", "Local figures"),
    "synthetic": ("Synthetische data", "Données synthétiques", "Synthetic data"),
    "stewards": ("Beheerders", "Gestionnaires", "Data stewards"),
    "intro": (
        "Het aantal inwoners per socio-economische positie op de laatste dag van elk kwartaal, "
        "afgeleid uit de gegevens van alle socialezekerheidsinstellingen.",
        "Le nombre d'habitants par position socio-économique au dernier jour de chaque "
        "trimestre, établi à partir des données de toutes les institutions de sécurité sociale.",
        "The number of residents by socio-economic position on the last day of each quarter, "
        "derived from the data of every social-security institution.",
    ),
    "population": (
        "Populatie: inwoners ingeschreven in het Rijksregister op de referentiedatum.",
        "Population : habitants inscrits au Registre national à la date de référence.",
        "Population: residents in the National Register on the reference date.",
    ),
    "no_publication": (
        "Er zijn nog geen cijfers gepubliceerd. Voer `dwh build` en `dwh publish` uit.",
        "Aucun chiffre n'est encore publié. Lancez `dwh build` et `dwh publish`.",
        "No figures are published yet. Run `dwh build` and `dwh publish`.",
    ),
    "published": ("Gepubliceerd op", "Publié le", "Published on"),
    "periods": ("Beschikbare kwartalen", "Trimestres disponibles", "Quarters available"),
    "positions": (
        "De 19 posities en hun groepen",
        "Les 19 positions et leurs groupes",
        "The 19 positions and their groups",
    ),
    "deliveries": (
        "Leveringen per instelling en jaar",
        "Livraisons par institution et année",
        "Deliveries by institution and year",
    ),
    "quarter": ("Kwartaal", "Trimestre", "Quarter"),
    "year": ("Jaar", "Année", "Year"),
    "geography": ("Gebied", "Territoire", "Area"),
    "position": ("Positie", "Position", "Position"),
    "position_level": ("Detail van de positie", "Détail de la position", "Position detail"),
    "main_groups": ("Hoofdgroepen", "Groupes principaux", "Main groups"),
    "categories": ("19 categorieën", "19 catégories", "19 categories"),
    "sex": ("Geslacht", "Sexe", "Sex"),
    "age_class": ("Leeftijdsklasse", "Classe d'âge", "Age class"),
    "nationality": ("Nationaliteit", "Nationalité", "Nationality"),
    "total": ("Totaal", "Total", "Total"),
    "persons": ("Personen", "Personnes", "Persons"),
    "share": ("Aandeel (%)", "Part (%)", "Share (%)"),
    "composition": (
        "Samenstelling van de bevolking",
        "Composition de la population",
        "Composition of the population",
    ),
    "rates": (
        "Aandeel werkenden en werkzoekenden",
        "Part des travailleurs et des demandeurs d'emploi",
        "Share working and share of job seekers",
    ),
    "indicator": ("Indicator", "Indicateur", "Indicator"),
    "share_working": ("Aandeel werkenden", "Part des travailleurs", "Share working"),
    "share_job_seekers": (
        "Aandeel werkzoekenden",
        "Part des demandeurs d'emploi",
        "Share of job seekers",
    ),
    "share_inactive": ("Aandeel inactieven", "Part des inactifs", "Share inactive"),
    "choose_units": (
        "Kies gemeenten of andere gebieden (naam of NIS-code)",
        "Choisissez des communes ou d'autres territoires (nom ou code INS)",
        "Choose municipalities or other areas (name or NIS code)",
    ),
    "choose": ("Kies een of meer…", "Choisissez-en un ou plusieurs…", "Choose one or more…"),
    "map": ("Kaart van de gemeenten", "Carte des communes", "Map of the municipalities"),
    "ranking": (
        "Rangschikking van de gemeenten",
        "Classement des communes",
        "Ranking of the municipalities",
    ),
    "comparison": (
        "Vergelijking met de hogere niveaus",
        "Comparaison avec les niveaux supérieurs",
        "Comparison with the higher levels",
    ),
    "merged": (
        "{old} bestaat niet meer in {quarter}: samengevoegd tot {new} ({code}).",
        "{old} n'existe plus en {quarter} : fusionnée dans {new} ({code}).",
        "{old} no longer exists in {quarter}: merged into {new} ({code}).",
    ),
    "download_csv": ("Download CSV", "Télécharger CSV", "Download CSV"),
    "download_xlsx": ("Download Excel", "Télécharger Excel", "Download Excel"),
    "source": (
        "Bron: datawarehouse arbeidsmarkt en sociale bescherming, publicatie {pub}. "
        "Periode: {period}. Populatie: inwoners op de laatste dag van het kwartaal.",
        "Source : datawarehouse marché du travail et protection sociale, publication {pub}. "
        "Période : {period}. Population : habitants au dernier jour du trimestre.",
        "Source: labour market and social protection datawarehouse, publication {pub}. "
        "Period: {period}. Population: residents on the last day of the quarter.",
    ),
    "disclosure": (
        "{marker}: aantal van 0 tot {threshold}, niet gepubliceerd. Alle andere aantallen "
        "zijn licht verstoord (cell-key-methode, hoogstens ±{noise}) zodat geen klein aantal "
        "kan worden afgeleid; totalen zijn dus niet altijd de som van hun delen.",
        "{marker} : effectif de 0 à {threshold}, non publié. Tous les autres effectifs sont "
        "légèrement perturbés (méthode des clés de cellule, au plus ±{noise}) afin qu'aucun "
        "petit effectif ne puisse être déduit ; les totaux ne sont donc pas toujours la somme "
        "de leurs parties.",
        "{marker}: a count from 0 to {threshold}, not published. All other counts are slightly "
        "perturbed (cell-key method, at most ±{noise}) so that no small count can be derived; "
        "totals are therefore not always the sum of their parts.",
    ),
    "provisional": ("voorlopig", "provisoire", "provisional"),
    "missing": ("ontbreekt", "manquante", "missing"),
    "received": ("ontvangen", "reçue", "received"),
    "rejected": ("geweigerd", "refusée", "rejected"),
    "no_synthetic": (
        "Er zijn nog geen synthetische datasets vrijgegeven.",
        "Aucun jeu de données synthétiques n'est encore publié.",
        "No synthetic datasets are released yet.",
    ),
    "synthetic_intro": (
        "Synthetische data hebben de structuur, de kolommen en de codelijsten van de echte "
        "gegevens, maar geen enkele rij beschrijft een echt persoon. Gebruik ze om code te "
        "schrijven en te testen, niet voor statistieken. Vrij te downloaden.",
        "Les données synthétiques ont la structure, les colonnes et les listes de codes des "
        "données réelles, mais aucune ligne ne décrit une personne réelle. Utilisez-les pour "
        "écrire et tester du code, pas pour des statistiques. Téléchargement libre.",
        "Synthetic data have the structure, columns and code lists of the real data, but no "
        "row describes a real person. Use them to write and test code, not for statistics. "
        "Free to download.",
    ),
    "synthetic_dataset": (
        "{period}: {persons} synthetische personen, {rows} rijen ({created}, publicatie {pub})",
        "{period} : {persons} personnes synthétiques, {rows} lignes ({created}, publication {pub})",
        "{period}: {persons} synthetic persons, {rows} rows ({created}, publication {pub})",
    ),
    "gate": (
        "Kwaliteits- en privacytoets",
        "Contrôle de qualité et de confidentialité",
        "Quality and privacy gate",
    ),
    "measure": ("maatstaf", "mesure", "measure"),
    "value": ("waarde", "valeur", "value"),
    "threshold": ("drempel", "seuil", "threshold"),
    "download_file": ("Download {name}", "Télécharger {name}", "Download {name}"),
    "login": ("Aanmelden", "Connexion", "Log in"),
    "logout": ("Afmelden", "Déconnexion", "Log out"),
    "user_name": ("Gebruikersnaam", "Nom d'utilisateur", "User name"),
    "password": ("Wachtwoord", "Mot de passe", "Password"),
    "wrong_login": (
        "Onbekende gebruiker of verkeerd wachtwoord.",
        "Utilisateur inconnu ou mot de passe erroné.",
        "Unknown user or wrong password.",
    ),
    "signed_in": (
        "Aangemeld als {name} ({role})",
        "Connecté : {name} ({role})",
        "Signed in as {name} ({role})",
    ),
    "login_needed": (
        "Deze pagina is voor aangemelde gebruikers met de rol {role}.",
        "Cette page est réservée aux utilisateurs connectés ayant le rôle {role}.",
        "This page is for signed-in users with the role {role}.",
    ),
    "request_data": ("Gegevens aanvragen", "Demander des données", "Request data"),
    "my_requests": ("Mijn aanvragen", "Mes demandes", "My requests"),
    "review": ("Aanvragen beoordelen", "Examiner les demandes", "Review requests"),
    "committee": ("Comité", "Comité", "Committee"),
    "catalogue": ("Variabelencatalogus", "Catalogue des variables", "Variable catalogue"),
    "cart": ("Gekozen variabelen", "Variables choisies", "Chosen variables"),
    "justify": ("Waarom nodig: {name}", "Pourquoi nécessaire : {name}", "Why needed: {name}"),
    "submit": ("Indienen", "Soumettre", "Submit"),
    "save_draft": ("Als ontwerp bewaren", "Enregistrer le brouillon", "Save draft"),
    "submitted": (
        "Aanvraag {number} is ingediend.",
        "La demande {number} a été soumise.",
        "Request {number} is submitted.",
    ),
    "saved": (
        "Ontwerp {number} bewaard.",
        "Brouillon {number} enregistré.",
        "Draft {number} saved.",
    ),
    "invalid": (
        "De aanvraag is niet geldig; verbeter de velden hieronder.",
        "La demande n'est pas valide ; corrigez les champs ci-dessous.",
        "The request is not valid; correct the fields below.",
    ),
    "clone_from": (
        "Vertrekken van een eerdere aanvraag",
        "Partir d'une demande antérieure",
        "Start from an earlier request",
    ),
    "no_requests": ("Nog geen aanvragen.", "Pas encore de demandes.", "No requests yet."),
    "status": ("Status", "Statut", "Status"),
    "history": ("Geschiedenis", "Historique", "History"),
    "notifications": ("Meldingen", "Notifications", "Notifications"),
    "withdraw": ("Intrekken", "Retirer", "Withdraw"),
    "reason": ("Reden", "Motif", "Reason"),
    "download_delivery": (
        "Levering downloaden",
        "Télécharger la livraison",
        "Download the delivery",
    ),
    "choose_request": ("Aanvraag", "Demande", "Request"),
    "action": ("Actie", "Action", "Action"),
    "apply": ("Uitvoeren", "Appliquer", "Apply"),
    "produce_extract": ("Extract aanmaken", "Produire l'extrait", "Produce the extract"),
    "remove_variables": (
        "Niet verantwoorde variabelen schrappen",
        "Retirer les variables non justifiées",
        "Remove variables not justified",
    ),
    "deliberation_number": (
        "Nummer van de beraadslaging",
        "Numéro de la délibération",
        "Deliberation number",
    ),
    "deliberation_date": (
        "Datum van de beraadslaging",
        "Date de la délibération",
        "Deliberation date",
    ),
    "approve": ("Goedkeuren", "Approuver", "Approve"),
    "reject": ("Weigeren", "Refuser", "Reject"),
    "f_requester": ("Aanvrager", "Demandeur", "Requester"),
    "f_organisation": ("Organisatie", "Organisation", "Organisation"),
    "f_principal_investigator": (
        "Hoofdonderzoeker",
        "Chercheur principal",
        "Principal investigator",
    ),
    "f_purpose": (
        "Doel (minstens 200 tekens)",
        "Finalité (au moins 200 caractères)",
        "Purpose (at least 200 characters)",
    ),
    "f_publication_plan": ("Publicatieplan", "Plan de publication", "Publication plan"),
    "f_legal_basis": ("Rechtsgrond", "Base légale", "Legal basis"),
    "f_security": ("Beveiligingsmaatregelen", "Mesures de sécurité", "Security measures"),
    "f_dpo_contact": (
        "E-mail van de functionaris voor gegevensbescherming",
        "E-mail du délégué à la protection des données",
        "E-mail of the data protection officer",
    ),
    "f_kind": ("Soort", "Type", "Kind"),
    "anonymous_sample": ("anonieme steekproef", "échantillon anonyme", "anonymous sample"),
    "pseudonymised": (
        "gepseudonimiseerde microdata",
        "microdonnées pseudonymisées",
        "pseudonymised microdata",
    ),
    "f_regions": ("Gewesten", "Régions", "Regions"),
    "f_provinces": ("Provincies", "Provinces", "Provinces"),
    "f_arrondissements": ("Arrondissementen", "Arrondissements", "Arrondissements"),
    "f_municipalities": ("Gemeenten", "Communes", "Municipalities"),
    "f_sexes": ("Geslacht", "Sexe", "Sex"),
    "f_positions": ("Posities", "Positions", "Positions"),
    "f_household_members": (
        "Met de leden van hun huishouden",
        "Avec les membres de leur ménage",
        "With the members of their household",
    ),
    "f_ages": ("Leeftijden", "Âges", "Ages"),
    "f_periods": ("Kwartalen", "Trimestres", "Quarters"),
    "f_structure": ("Structuur", "Structure", "Structure"),
    "person_quarter": (
        "een rij per persoon en kwartaal",
        "une ligne par personne et trimestre",
        "a row per person and quarter",
    ),
    "person": ("een rij per persoon", "une ligne par personne", "a row per person"),
    "f_percent": ("Steekproef (%)", "Échantillon (%)", "Sample (%)"),
    "f_stratify": ("Gestratificeerd per gewest", "Stratifié par région", "Stratified by region"),
    "f_destroy_by": ("Vernietigen uiterlijk op", "Détruire au plus tard le", "Destroy by"),
    "f_format": ("Bestandsformaat", "Format de fichier", "File format"),
    "f_code_list": ("Codelijst", "Liste de codes", "Code list"),
    "builds": ("Builds en publicaties", "Builds et publications", "Builds and publications"),
    "quarantine": ("Quarantaine per reden", "Quarantaine par motif", "Quarantine by reason"),
    "examples": (
        "Voorbeelden (gepseudonimiseerd)",
        "Exemples (pseudonymisés)",
        "Examples (pseudonymised)",
    ),
    "dbt_tests": (
        "dbt-tests van de laatste build",
        "Tests dbt du dernier build",
        "dbt tests of the last build",
    ),
    "dbt_docs": (
        "dbt-documentatie (lineage, kolommen)",
        "Documentation dbt (lignage, colonnes)",
        "dbt documentation (lineage, columns)",
    ),
    "stewards_off": (
        "Deze pagina is voor beheerders. Zet DWH_STEWARD_PAGES=1 om ze te tonen.",
        "Cette page est réservée aux gestionnaires. Définissez DWH_STEWARD_PAGES=1.",
        "This page is for data stewards. Set DWH_STEWARD_PAGES=1 to show it.",
    ),
}


def lang() -> str:
    return st.session_state.get("lang", "nl")


def t(key: str, **values) -> str:
    """The label ``key`` in the chosen language."""
    text = TEXT[key][list(LANGUAGES).index(lang())]
    return text.format(**values) if values else text


def name_column(prefix: str = "name") -> str:
    """The column holding names in the chosen language (English names fall back to French)."""
    return f"{prefix}_{lang()}"
