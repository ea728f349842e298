{{ staged_statuses('onem', 'code_alloc') }}
