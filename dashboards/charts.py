"""Charts from cached Vega-Lite templates.

Altair takes a tenth of a second or more to assemble a layered or faceted chart (it copies
every part as it goes), on every run of a page. A page's chart therefore has a template
function, cached by Streamlit, that builds the chart from what fixes its look (the language,
the labels, the positions shown) with ``DATA`` as its data, and returns its Vega-Lite; a run
only hands the template its figures (``show``). The same template serves every visitor and
every filter that leaves those inputs as they were.
"""

import altair as alt
import pandas as pd
import streamlit as st

import formats
from i18n import t

DATA = alt.NamedData(name="figures")  # the data a template's chart reads


def spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite, numbers written as the chosen language writes them."""
    return formats.localised(chart).to_dict()


def per_unit(*layers: alt.Chart) -> dict:
    """The Vega-Lite of ``layers`` on ``DATA``, a row of panels per unit (the column named
    for geography in the page's language)."""
    chart = alt.layer(*layers, data=DATA).facet(row=alt.Row(f"{t('geography')}:N", title=None))
    return spec(chart)


def show(template: dict, data: pd.DataFrame, **options):
    """Draw a template's chart with ``data`` (``options``: st.vega_lite_chart's, e.g.
    width="stretch"); Streamlit sends the data as Arrow, beside the spec."""
    st.vega_lite_chart({**template, "datasets": {DATA.name: data}}, **options)
