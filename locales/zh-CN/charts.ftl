# 图表（src/web/chart、templates/partials/_chart.html）与线索评分模型。
chart-empty = 当前筛选下还没有数据。
chart-show-table = 以表格显示数据
chart-category = 类别
