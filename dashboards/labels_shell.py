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
    "status_draft": {
        "nl": "ontwerp",
        "fr": "brouillon",
        "en": "draft",
    },
    "status_submitted": {
        "nl": "ingediend",
        "fr": "soumise",
        "en": "submitted",
    },
    "status_under_review": {
        "nl": "in beoordeling",
        "fr": "en cours d'examen",
        "en": "under review",
    },
    "status_awaiting_committee": {
        "nl": "wacht op het comité",
        "fr": "en attente du comité",
        "en": "awaiting the committee",
    },
    "status_approved": {
        "nl": "goedgekeurd",
        "fr": "approuvée",
        "en": "approved",
    },
    "status_rejected": {
        "nl": "geweigerd",
        "fr": "refusée",
        "en": "rejected",
    },
    "status_withdrawn": {
        "nl": "ingetrokken",
        "fr": "retirée",
        "en": "withdrawn",
    },
    "status_extract_produced": {
        "nl": "extract aangemaakt",
        "fr": "extrait produit",
        "en": "extract produced",
    },
    "status_delivered": {
        "nl": "geleverd",
        "fr": "livrée",
        "en": "delivered",
    },
    "status_expired": {
        "nl": "vervallen (bestanden vernietigd)",
        "fr": "expirée (fichiers détruits)",
        "en": "expired (files destroyed)",
    },
    "role_researcher": {
        "nl": "onderzoeker",
        "fr": "chercheur",
        "en": "researcher",
    },
    "role_steward": {
        "nl": "gegevensbeheerder",
        "fr": "gestionnaire de données",
        "en": "data steward",
    },
    "role_committee": {
        "nl": "comité",
        "fr": "comité",
        "en": "committee",
    },
    "req_updated_at": {
        "nl": "Laatst gewijzigd",
        "fr": "Dernière modification",
        "en": "Last changed",
    },
    "req_at": {
        "nl": "Tijdstip",
        "fr": "Moment",
        "en": "When",
    },
    "req_actor": {
        "nl": "Door",
        "fr": "Par",
        "en": "By",
    },
    "req_via": {
        "nl": "Via",
        "fr": "Via",
        "en": "Through",
    },
    "req_from_status": {
        "nl": "Van",
        "fr": "De",
        "en": "From",
    },
    "req_to_status": {
        "nl": "Naar",
        "fr": "Vers",
        "en": "To",
    },
    "req_note": {
        "nl": "Opmerking",
        "fr": "Remarque",
        "en": "Note",
    },
    "req_message": {
        "nl": "Bericht",
        "fr": "Message",
        "en": "Message",
    },
    "req_field": {
        "nl": "Veld",
        "fr": "Champ",
        "en": "Field",
    },
    "req_error": {
        "nl": "Fout",
        "fr": "Erreur",
        "en": "Error",
    },
    "via_web": {
        "nl": "website",
        "fr": "site web",
        "en": "website",
    },
    "via_cli": {
        "nl": "opdrachtregel",
        "fr": "ligne de commande",
        "en": "command line",
    },
    "via_system": {
        "nl": "systeem",
        "fr": "système",
        "en": "system",
    },
    "population_filters": {
        "nl": "Populatie",
        "fr": "Population",
        "en": "Population",
    },
    "reason_needed": {
        "nl": "Geef een reden op: de onderzoeker krijgt ze te lezen.",
        "fr": "Indiquez un motif : le chercheur le lira.",
        "en": "Give a reason: the researcher will read it.",
    },
    "deliberation_needed": {
        "nl": "Vul het nummer van de beraadslaging in.",
        "fr": "Indiquez le numéro de la délibération.",
        "en": "Fill in the deliberation number.",
    },
    "move_refused": {
        "nl": "Deze stap is niet (meer) mogelijk voor deze aanvraag; herlaad de pagina.",
        "fr": "Cette étape n'est pas (ou plus) possible pour cette demande ; rechargez la page.",
        "en": "This step is not (or no longer) possible for this request; reload the page.",
    },
    "cat_variable": {
        "nl": "Variabele",
        "fr": "Variable",
        "en": "Variable",
    },
    "cat_description": {
        "nl": "Beschrijving (in het Engels)",
        "fr": "Description (en anglais)",
        "en": "Description",
    },
    "cat_type": {
        "nl": "Gegevenstype",
        "fr": "Type de données",
        "en": "Data type",
    },
    "cat_source": {
        "nl": "Bron (in het Engels)",
        "fr": "Source (en anglais)",
        "en": "Source",
    },
    "cat_label": {
        "nl": "Omschrijving",
        "fr": "Libellé",
        "en": "Label",
    },
    "code": {
        "nl": "Code",
        "fr": "Code",
        "en": "Code",
    },
    "sw_publication": {
        "nl": "Publicatie",
        "fr": "Publication",
        "en": "Publication",
    },
    "sw_institution": {
        "nl": "Instelling",
        "fr": "Institution",
        "en": "Institution",
    },
    "sw_rows_received": {
        "nl": "Rijen ontvangen",
        "fr": "Lignes reçues",
        "en": "Rows received",
    },
    "sw_rows_accepted": {
        "nl": "Rijen aanvaard",
        "fr": "Lignes acceptées",
        "en": "Rows accepted",
    },
    "sw_rows_quarantined": {
        "nl": "Rijen in quarantaine",
        "fr": "Lignes en quarantaine",
        "en": "Rows quarantined",
    },
    "sw_file": {
        "nl": "Bestand",
        "fr": "Fichier",
        "en": "File",
    },
    "sw_line": {
        "nl": "Regel",
        "fr": "Ligne",
        "en": "Line",
    },
    "sw_column": {
        "nl": "Kolom",
        "fr": "Colonne",
        "en": "Column",
    },
    "sw_pseudonym": {
        "nl": "Pseudoniem",
        "fr": "Pseudonyme",
        "en": "Pseudonym",
    },
    "sw_row": {
        "nl": "Inhoud van de rij",
        "fr": "Contenu de la ligne",
        "en": "Row content",
    },
    "sw_count": {
        "nl": "Aantal",
        "fr": "Nombre",
        "en": "Count",
    },
    "sw_node": {
        "nl": "dbt-knoop",
        "fr": "Nœud dbt",
        "en": "dbt node",
    },
    "sw_failures": {
        "nl": "Fouten",
        "fr": "Échecs",
        "en": "Failures",
    },
    "sw_seconds": {
        "nl": "Seconden",
        "fr": "Secondes",
        "en": "Seconds",
    },
    "sw_table": {
        "nl": "Tabel",
        "fr": "Tableau",
        "en": "Table",
    },
    "sw_rule": {
        "nl": "Regel van acro",
        "fr": "Règle d'acro",
        "en": "acro rule",
    },
    "sw_check": {
        "nl": "Controle",
        "fr": "Contrôle",
        "en": "Check",
    },
    "sw_cells": {
        "nl": "Cellen",
        "fr": "Cellules",
        "en": "Cells",
    },
    "sw_withheld": {
        "nl": "weggelaten",
        "fr": "masquées",
        "en": "withheld",
    },
    "sw_published": {
        "nl": "gepubliceerd",
        "fr": "publiées",
        "en": "published",
    },
    "sw_finest": {
        "nl": "fijnste niveau",
        "fr": "niveau le plus fin",
        "en": "finest",
    },
    "sw_answer": {
        "nl": "Antwoord",
        "fr": "Réponse",
        "en": "Answer",
    },
    "request_line": {
        "nl": (
            "{number} · {kind} · status: {status} · {owner} · te vernietigen uiterlijk op "
            "{destroy_by}"
        ),
        "fr": (
            "{number} · {kind} · statut : {status} · {owner} · à détruire au plus tard le "
            "{destroy_by}"
        ),
        "en": "{number} · {kind} · status: {status} · {owner} · to be destroyed by {destroy_by}",
    },
    "request_reason": {
        "nl": "Reden: {reason}",
        "fr": "Motif : {reason}",
        "en": "Reason: {reason}",
    },
    "note_created": {"nl": "aangemaakt", "fr": "créée", "en": "created"},
    "note_draft_submitted": {
        "nl": "ontwerp ingediend",
        "fr": "brouillon soumis",
        "en": "draft submitted",
    },
    "note_withdrawn": {
        "nl": "ingetrokken door de onderzoeker",
        "fr": "retirée par le chercheur",
        "en": "withdrawn by the researcher",
    },
    "note_not_justified": {
        "nl": "niet verantwoord door het doel",
        "fr": "non justifié par la finalité",
        "en": "not justified by the purpose",
    },
    "note_downloaded": {
        "nl": "levering gedownload",
        "fr": "livraison téléchargée",
        "en": "delivery downloaded",
    },
    "note_expired": {
        "nl": "vernietigingsdatum verstreken: bestanden gewist",
        "fr": "date de destruction dépassée : fichiers supprimés",
        "en": "destroy-by date passed: files deleted",
    },
    "notification": {
        "nl": "{number}: {old} → {new}",
        "fr": "{number} : {old} → {new}",
        "en": "{number}: {old} → {new}",
    },
    "sw_review": {
        "nl": "De laatste build, vóór publicatie",
        "fr": "Le dernier build, avant publication",
        "en": "The last build, before publishing",
    },
    "sw_review_about": {
        "nl": "Build gestart op {started}; gepubliceerd: {served}.",
        "fr": "Build lancé le {started} ; publié : {served}.",
        "en": "Build started on {started}; served: {served}.",
    },
    "sw_nothing_served": {
        "nl": "nog niets",
        "fr": "rien encore",
        "en": "nothing yet",
    },
    "sw_no_build": {
        "nl": "Er is nog geen build: `dwh build`.",
        "fr": "Aucun build encore : `dwh build`.",
        "en": "Nothing is built yet: `dwh build`.",
    },
    "sw_not_built": {
        "nl": (
            "De build stopte bij een geweigerd bestand, vóór de warehouse: geen rijen in "
            "quarantaine of cijfers om te tonen."
        ),
        "fr": (
            "Le build s'est arrêté à un fichier refusé, avant l'entrepôt : pas de lignes en "
            "quarantaine ni de chiffres à montrer."
        ),
        "en": (
            "The build stopped at a rejected file, before the warehouse: no quarantined rows "
            "or figures to show."
        ),
    },
    "sw_rejected_file": {
        "nl": "Geweigerd bestand: {error}",
        "fr": "Fichier refusé : {error}",
        "en": "Rejected file: {error}",
    },
    "sw_change": {
        "nl": "Wijziging",
        "fr": "Changement",
        "en": "Change",
    },
    "sw_change_new": {
        "nl": "nieuw",
        "fr": "nouvelle",
        "en": "new",
    },
    "sw_change_changed": {
        "nl": "gewijzigd",
        "fr": "modifiée",
        "en": "changed",
    },
    "sw_change_removed": {
        "nl": "verdwenen",
        "fr": "disparue",
        "en": "removed",
    },
    "sw_change_unchanged": {
        "nl": "ongewijzigd",
        "fr": "inchangée",
        "en": "unchanged",
    },
    "sw_served_column": {
        "nl": "{column} (gepubliceerd)",
        "fr": "{column} (publié)",
        "en": "{column} (served)",
    },
    "sw_description": {
        "nl": "Omschrijving",
        "fr": "Description",
        "en": "Description",
    },
    "sw_new_delivery": {
        "nl": "Nieuwe levering",
        "fr": "Nouvelle livraison",
        "en": "New delivery",
    },
    "sw_indicators": {
        "nl": "Indicatoren van België en de gewesten, tegenover de gepubliceerde",
        "fr": "Indicateurs de la Belgique et des régions, face aux publiés",
        "en": "Indicators of Belgium and its regions, against the served ones",
    },
    "sw_threshold": {
        "nl": "Wijzigingen markeren vanaf (%)",
        "fr": "Signaler les changements au-delà de (%)",
        "en": "Highlight changes beyond (%)",
    },
    "sw_latest": {
        "nl": "Het laatste kwartaal van de build tegenover het laatste gepubliceerde",
        "fr": "Le dernier trimestre du build face au dernier trimestre publié",
        "en": "The last quarter built against the last quarter served",
    },
    "sw_revisions": {
        "nl": "Reeds gepubliceerde kwartalen waarvan een cijfer verandert",
        "fr": "Trimestres déjà publiés dont un chiffre change",
        "en": "Quarters already served whose figure changes",
    },
    "sw_no_revisions": {
        "nl": "Geen enkel gepubliceerd cijfer verandert.",
        "fr": "Aucun chiffre publié ne change.",
        "en": "No served figure changes.",
    },
    "sw_area": {
        "nl": "Gebied",
        "fr": "Territoire",
        "en": "Area",
    },
    "sw_change_pct": {
        "nl": "Wijziging (%)",
        "fr": "Changement (%)",
        "en": "Change (%)",
    },
    "sw_beyond": {
        "nl": "Meer dan {threshold} %",
        "fr": "Plus de {threshold} %",
        "en": "Beyond {threshold} %",
    },
    "sw_publish": {
        "nl": "Deze build publiceren",
        "fr": "Publier ce build",
        "en": "Publish this build",
    },
    "sw_publishing": {
        "nl": "Bezig met publiceren…",
        "fr": "Publication en cours…",
        "en": "Publishing…",
    },
    "sw_published_now": {
        "nl": "Gepubliceerd: {publication}.",
        "fr": "Publié : {publication}.",
        "en": "Published: {publication}.",
    },
    "sw_not_published": {
        "nl": "Niet gepubliceerd: {error}",
        "fr": "Non publié : {error}",
        "en": "Not published: {error}",
    },
    "sw_verdict_served": {
        "nl": "De laatste build is de gepubliceerde.",
        "fr": "Le dernier build est celui qui est publié.",
        "en": "The last build is the served publication.",
    },
    "sw_verdict_failed": {
        "nl": "De laatste build is mislukt: hij kan niet gepubliceerd worden.",
        "fr": "Le dernier build a échoué : il ne peut pas être publié.",
        "en": "The last build failed: it cannot be published.",
    },
    "sw_verdict_disclosive": {
        "nl": "De outputcontrole keurt de laatste build af: hij kan niet gepubliceerd worden.",
        "fr": "Le contrôle des résultats refuse le dernier build : il ne peut pas être publié.",
        "en": "The output check flags the last build as disclosive: it cannot be published.",
    },
    "sw_verdict_spark": {
        "nl": "De laatste build liep op Spark: de dashboards tonen DuckDB-builds.",
        "fr": "Le dernier build a tourné sur Spark : les tableaux de bord servent des builds "
        "DuckDB.",
        "en": "The last build ran on Spark: the dashboards serve DuckDB builds.",
    },
    "sw_time": {
        "nl": "Tijdstip",
        "fr": "Moment",
        "en": "Time",
    },
    "sw_action": {
        "nl": "Handeling",
        "fr": "Action",
        "en": "Action",
    },
    "sw_action_publish": {
        "nl": "publicatie",
        "fr": "publication",
        "en": "publish",
    },
    "sw_action_rollback": {
        "nl": "terugzetting",
        "fr": "retour en arrière",
        "en": "rollback",
    },
    "sw_user": {
        "nl": "Gebruiker",
        "fr": "Utilisateur",
        "en": "User",
    },
    "sw_via": {
        "nl": "Via",
        "fr": "Via",
        "en": "Via",
    },
    "sw_previous": {
        "nl": "Vorige publicatie",
        "fr": "Publication précédente",
        "en": "Previous publication",
    },
}
