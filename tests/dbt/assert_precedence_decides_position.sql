-- Statuses with the same precedence lead to the same position (the position model relies on it).
select precedence
from {{ ref('ref_position_precedence') }}
group by precedence
having count(distinct position_code) > 1
