{{ staged_statuses('fodss', 'allowance') }}
