{{ staged_statuses('inami', 'type') }}
