"""Sign in (researchers, stewards, committee); the figures need no login."""

import access

access.page()
