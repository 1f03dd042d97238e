"""The view layer: pure functions from the loaded package and the computed results to plain objects.

Each page of the site map may name a view (`view:` in site_src/sitemap.yml); its template then renders `v`,
an object of plain Python values (`None` for missing), never a data frame. Formatting happens in the
templates' macros (site_src/templates/_macros.j2), by the language of the page.
`registry.VIEWS` names each view.
"""
