"""Draw time and peak memory against order lines from recorded benchmark figures.

    BROWSER_PATH=/usr/bin/chromium .venv/bin/python benchmarks/chart.py \
        docs/scale-figures.jsonl docs/scale.png

Each line of the figures file is one `benchmarks/scale.py` result (order_lines, total_seconds,
peak_rss_mib, and the engine version it measured: one colour per engine version, a solid line
for its time and a dotted one for its memory); figures of other datasets than `scale` (frePPLe's
models) are left out of the picture. The picture is rendered by plotly through kaleido with Debian's chromium.
"""

from __future__ import annotations

import json
import sys
from itertools import cycle
from pathlib import Path

from plotly.colors import qualitative
from plotly.subplots import make_subplots


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    rows = [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if r.get("dataset", "scale").startswith("scale")]
    rows.sort(key=lambda r: r["order_lines"])
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    engines = sorted({r.get("engine", "reference") for r in rows})
    for engine, colour in zip(engines, cycle(qualitative.Dark24), strict=False):
        mine = [r for r in rows if r.get("engine", "reference") == engine]
        lines = [r["order_lines"] for r in mine]
        figure.add_scatter(
            x=lines,
            y=[r["total_seconds"] for r in mine],
            name=f"run time (s), {engine}",
            mode="lines+markers",
            line={"color": colour},
        )
        figure.add_scatter(
            x=lines,
            y=[r["peak_rss_mib"] for r in mine],
            name=f"peak memory (MiB), {engine}",
            mode="lines+markers",
            line={"dash": "dot", "color": colour},
            secondary_y=True,
        )
    figure.add_scatter(
        x=[1_000_000],
        y=[10],
        name="target: 1,000,000 lines in 10 s",
        mode="markers",
        marker={"symbol": "star", "size": 14},
    )
    figure.update_layout(
        title="Planning run end to end (scale datasets)",
        template="plotly_white",
        width=900,
        height=200 + 60 * len(engines),
        legend={"orientation": "h", "y": -0.15, "yanchor": "top"},
        margin={"b": 40 * len(engines)},
    )
    figure.update_xaxes(type="log", title="order lines")
    figure.update_yaxes(type="log", title="seconds", secondary_y=False, range=[0, 3])
    figure.update_yaxes(
        title="MiB",
        secondary_y=True,
        rangemode="tozero",
        tickmode="linear",
        dtick=250,
        showgrid=False,
    )
    figure.write_image(target)
    print(f"{target} ({len(rows)} points)")


if __name__ == "__main__":
    main()
