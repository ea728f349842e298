{{ staged_statuses('pdos', 'code') }}
