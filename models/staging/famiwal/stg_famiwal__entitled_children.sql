{{ staged_statuses('famiwal', 'entitlement') }}
