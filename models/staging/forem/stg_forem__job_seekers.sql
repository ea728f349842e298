{{ staged_statuses('forem', 'category') }}
