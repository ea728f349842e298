{{ staged_statuses('famifed', 'entitlement') }}
