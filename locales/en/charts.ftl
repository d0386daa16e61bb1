# Charts (src/web/chart, templates/partials/_chart.html) and the lead score model.
chart-empty = No figures for this selection yet.
chart-show-table = Show the figures as a table
chart-category = Category
