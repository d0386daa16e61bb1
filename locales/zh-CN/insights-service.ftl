## 洞察：服务部分（工单）与营销活动部分。

insights-service-sla = SLA 达成
insights-service-solved = 已解决工单
insights-service-csat = 满意度（满意）
insights-service-csat-average = 满意度平均分
insights-service-responses = 满意度回复数
insights-service-sla-chart = 每月 SLA 达成率
insights-service-sla-desc = 每月已解决且达到全部 SLA 目标的工单占当月已解决工单的比例。
insights-service-csat-chart = 每月满意度
insights-service-csat-desc = 每月满意评分（5 分中的 4 或 5 分）占当月评分的比例。

insights-campaigns-count = 已发送的活动
insights-campaigns-sent = 已发送邮件
insights-campaigns-open-rate = 打开率
insights-campaigns-click-rate = 点击率
insights-campaigns-unsubscribes = 退订
insights-campaigns-nps = NPS
insights-campaigns-name = 活动
insights-campaigns-table = 各活动的互动
insights-campaigns-chart = 各活动的打开率与点击率
insights-campaigns-desc = 期间内开始的每个活动中，独立打开与点击占已发送邮件的比例。
insights-nps-chart = 每月 NPS
insights-nps-desc = 每月首次回答的调查的净推荐值（推荐者 9–10 分的比例减去贬损者 0–6 分的比例），以及回答人数。
insights-nps-responses = 回答数

## NPS 调查：活动类型、邮件中的问题、回答页面。

campaigns-kind = 类型
campaigns-kind-hint = NPS 调查会在邮件正文下方加上“您向他人推荐我们的可能性有多大？”及 0 到 10 的评分。
campaigns-kind-email = 邮件
campaigns-kind-nps = NPS 调查
nps-question = 您向朋友或同事推荐我们的可能性有多大？
nps-low = 完全不可能
nps-high = 极有可能
nps-title = 谢谢
nps-recorded = 已记录您的回答：{ $score }。
nps-comment = 还有什么想告诉我们的吗？（可选）
nps-send = 发送
nps-commented = 感谢您的留言。
nps-change = 改变主意了？请点击邮件中的其他分数。
campaigns-nps-distribution = NPS 回答
campaigns-nps-distribution-desc = 给出 0 到 10 每个分数的收件人数。
campaigns-nps-score = NPS
campaigns-nps-answers = 回答数
campaigns-nps-comments = 最新留言
campaigns-nps-score-col = 评分
campaigns-nps-comment-col = 留言
campaigns-nps-when = 时间
