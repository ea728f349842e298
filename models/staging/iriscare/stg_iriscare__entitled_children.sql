{{ staged_statuses('iriscare', 'entitlement') }}
