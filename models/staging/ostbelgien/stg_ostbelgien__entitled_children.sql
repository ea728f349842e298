{{ staged_statuses('ostbelgien', 'entitlement') }}
