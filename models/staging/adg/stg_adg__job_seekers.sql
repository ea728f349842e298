{{ staged_statuses('adg', 'category') }}
