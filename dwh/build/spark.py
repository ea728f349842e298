"""Apache Spark, the second engine (``pip install '.[spark]'``, ``make setup-spark``).

dbt builds on Spark through the ``spark`` target of ``profiles.yml``. This module opens a
PySpark session configured by that same target (to read what a Spark build made) and holds
the pseudonymisation in Spark SQL, for deliveries that land on a cluster.
"""

import os
import re
from pathlib import Path

import yaml

from dwh.build.dbt import dbt_env
from dwh.core import paths, pseudonym

_ENV_VAR = re.compile(r"\{\{\s*env_var\('(\w+)'(?:,\s*'([^']*)')?\)\s*\}\}")


def settings() -> dict[str, str]:
    """The Spark settings of the ``spark`` target, rendered for this ``$DWH_HOME``."""
    profile = yaml.safe_load((paths.PROJECT_DIR / "profiles.yml").read_text())
    target = profile["lmsp_dwh"]["outputs"]["spark"]["server_side_parameters"]
    env = {**os.environ, **dbt_env("spark")}  # as `dwh build` runs dbt
    return {
        name: _ENV_VAR.sub(lambda m: env.get(m.group(1), m.group(2)), str(value))
        for name, value in target.items()
    }


def session():
    """A PySpark session on the Spark build's tables (the catalog dbt wrote)."""
    from pyspark.sql import SparkSession

    options = settings()
    Path(options["spark.local.dir"]).mkdir(parents=True, exist_ok=True)  # also the JVM's tmp
    builder = SparkSession.builder.appName("lmsp-dwh").enableHiveSupport()
    for name, value in options.items():
        builder = builder.config(name, value)
    return builder.getOrCreate()


def pseudonymise(frame, column: str, key: bytes, record_secret: bytes):
    """``frame`` with ``column`` (national numbers) replaced by ``pseudonym`` and ``record_key``.

    The same HMAC-SHA256 as the ingest (:mod:`dwh.core.pseudonym`): the pseudonym under
    ``key``, the record key under ``record_secret``; the padded keys are bound as named
    parameters, so no key becomes SQL text.
    """
    opad, ipad = pseudonym.padded_keys(key)
    record_opad, record_ipad = pseudonym.padded_keys(record_secret)
    rest = [f"`{c}`" for c in frame.columns if c != column]
    hashed = frame.sparkSession.sql(
        f"select {pseudonym.spark_sql_hmac_hex(f'`{column}`')} as h, "
        f"{pseudonym.spark_sql_hmac_hex(f'`{column}`', 'record_')} as r, * from {{frame}}",
        args={"opad": opad, "ipad": ipad, "record_opad": record_opad, "record_ipad": record_ipad},
        frame=frame,
    )
    return hashed.selectExpr(
        f"left(h, {2 * pseudonym.PSEUDONYM_BYTES}) as pseudonym",
        "cast(conv(left(r, 2), 16, 10) as int) as record_key",
        *rest,
    )
