{{ staged_statuses('opgroeien', 'entitlement') }}
