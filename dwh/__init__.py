"""lmsp-dwh: pseudonymised statistical datawarehouse on the labour market and social protection."""
