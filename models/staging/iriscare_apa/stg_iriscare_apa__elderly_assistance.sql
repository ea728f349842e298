{{ staged_statuses('iriscare_apa', 'categorie') }}
