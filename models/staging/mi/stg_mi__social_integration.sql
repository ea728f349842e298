{{ staged_statuses('mi', 'type') }}
