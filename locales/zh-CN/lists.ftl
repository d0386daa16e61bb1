# 记录列表：搜索与筛选栏、已保存视图、可排序表头、分页。
list-search = 搜索
list-rows = 每页行数
list-apply = 应用
list-clear = 清除
list-owner = 负责人
list-anyone = 所有人
list-saved-views = 已保存视图
list-team-view = 团队
list-manage-views = 管理视图
list-save-this-view = 保存此视图
list-view-name = 视图名称
list-view-pin = 置顶
list-view-share = 与我的团队共享
list-save-view = 保存视图
list-pages = 分页
list-previous = ← 上一页
list-next = 下一页 →
# $total 已格式化（"320"、"1,000+"）。
list-range = 第 { $first }–{ $last } 条，共 { $total } 条
list-total = { $count ->
   *[other] 共 { $total } 条
}
list-page = 第 { $page } 页
list-page-of = 第 { $page } 页，共 { $pages } 页
list-bad-link = 此分页链接已损坏或已过期。请重新打开列表。
