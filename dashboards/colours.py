"""One fixed colour per socio-economic position, main group and total, in every language.

The 19 categories take 19 of the 20 colours of Tableau 20 (Tableau's qualitative palette, a
dark and a light shade of ten hues, Vega's ``tableau20`` scheme), by main group: blues, cyans
and purples for the working (G1), oranges and brown for the job seekers (G2), greens, reds,
pinks, olives and light brown for the inactive (G3), grey for the others (G4). Neighbours in
the positions' order are a dark and a light shade (their luminance differs by more than 0.1),
so neighbouring areas of a stacked chart differ in lightness, which colour-blind readers see
too (no 19 colours are told apart by hue alone).
The main groups take a dark colour of their categories; the total is near black; the two
published disability statuses a purple and a cyan; the household types one hue each.
"""

import altair as alt

CATEGORIES = {  # in the positions' logical order (their category number, 1-19)
    "n11x": "#1f77b4",  # blue
    "n12x": "#aec7e8",  # light blue
    "n13x": "#17becf",  # cyan
    "n141": "#9edae5",  # light cyan
    "n142": "#9467bd",  # purple
    "n143": "#c5b0d5",  # light purple
    "n21": "#ff7f0e",  # orange
    "n22": "#ffbb78",  # light orange
    "n23": "#8c564b",  # brown
    "n31": "#98df8a",  # light green
    "n32": "#2ca02c",  # green
    "n33": "#ff9896",  # light red
    "n34": "#d62728",  # red
    "n35": "#f7b6d2",  # light pink
    "n36": "#e377c2",  # pink
    "n37": "#bcbd22",  # olive
    "n38": "#dbdb8d",  # light olive
    "n39": "#c49c94",  # light brown
    "n4": "#7f7f7f",  # grey
}
GROUPS = {"G1": "#1f77b4", "G2": "#ff7f0e", "G3": "#2ca02c", "G4": "#7f7f7f"}
TOTAL = {"_T": "#333333"}
DISABILITY = {"D1": "#9467bd", "D2": "#17becf"}  # the published disability statuses
HOUSEHOLDS = {  # the household types, one Tableau 10 hue each
    "H1": "#4e79a7", "H2": "#f28e2b", "H3": "#e15759", "H4": "#76b7b2", "H5": "#59a14f",
    "H6": "#b07aa1",
}  # fmt: skip
COLOURS = {**CATEGORIES, **GROUPS, **DISABILITY, **HOUSEHOLDS, **TOTAL}


def scale(codes: list[str], labels: dict[str, str]) -> alt.Scale:
    """The colour scale of a chart coloured by the labels of ``codes`` (positions, main groups,
    total): its domain the labels in the positions' order, each with its code's fixed colour,
    so that a position has the same colour in every language and every chart."""
    ordered = [code for code in COLOURS if code in codes]
    unknown = set(codes) - set(ordered)
    if unknown:
        raise ValueError(f"no colour for {sorted(unknown)}")
    return alt.Scale(domain=[labels[c] for c in ordered], range=[COLOURS[c] for c in ordered])
