{{ staged_statuses('vdab', 'category') }}
