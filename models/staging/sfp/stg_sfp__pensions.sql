{{ staged_statuses('sfp', 'pension_type') }}
