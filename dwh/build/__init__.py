"""The build side: ``dwh build`` runs the ingest, then dbt (DuckDB or Spark), into
``$DWH_HOME/build/`` (``run``, ``dbt``, ``record``, ``spark``, ``status``). No reader imports it."""
