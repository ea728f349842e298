"""Apache Spark, the second engine (``pip install '.[spark]'``, ``make setup-spark``).

dbt builds on Spark through the ``spark`` target of ``profiles.yml``. This module opens a
PySpark session configured by that same target (to read what a Spark build made).
"""

import os
import re

import yaml

from dwh.build.dbt import dbt_env
from dwh.core import paths

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

    builder = SparkSession.builder.appName("lmsp-dwh").enableHiveSupport()
    for name, value in settings().items():
        builder = builder.config(name, value)
    return builder.getOrCreate()
