{{ staged_statuses('vsb', 'zorgbudget') }}
