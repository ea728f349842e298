{{ staged_statuses('actiris', 'category') }}
