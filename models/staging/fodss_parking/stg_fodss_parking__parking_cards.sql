{{ staged_statuses('fodss_parking', 'card_type') }}
