"""Stage 4: charts. `data` builds each chart's data frame and columns from the package, `specs` draws it with
Altair, `render` writes the static SVGs (wide and narrow), the Vega-Lite JSON and the CSV of what is drawn;
`registry.all_charts` makes every chart and checks that each number it draws has an origin."""
