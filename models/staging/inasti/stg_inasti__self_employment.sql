{{ staged_statuses('inasti', 'statuut') }}
