## 销售管道（后续部分）：列内快速添加、新线索表单、按预计成交月份的看板、删除阶段和管道。

deals-quick-title = 向“{ $name }”添加商机
deals-quick-placeholder = 新商机标题
deals-quick-add = 添加

deals-new-lead = 新线索
deals-lead-title = 新线索
deals-lead-intro = 新的联系人及其公司：联系人、客户和商机会一起创建，要么全部成功，要么都不创建。
deals-lead-person = 联系人
deals-lead-company = 公司
deals-lead-company-hint = 没有公司的个人可留空。
deals-lead-deal = 商机
deals-lead-save = 创建线索
deals-lead-contact-choice = 此人可能已在 CRM 中：
deals-lead-link-contact = 使用现有联系人 { $name }
deals-lead-new-contact = 仍然新建联系人
deals-lead-account-choice = 该公司可能已在 CRM 中：
deals-lead-link-account = 使用现有客户 { $name }
deals-lead-new-account = 仍然新建客户
deals-flash-lead = 线索已创建：联系人、客户和商机。

deals-months = 成交月份
deals-months-intro = 按预计成交月份列出进行中的商机及其加权金额。把卡片拖到另一个月份，或使用卡片上的菜单。
deals-months-none = 无日期
deals-months-later = 更晚
deals-months-more = 商机多于显示的数量：请用筛选条件缩小范围。
deals-months-rule = 移到另一个月份的商机保留原来的日（若该月较短则取该月最后一天）；没有日期的商机取该月最后一天。
deals-month-label = { $title } 的预计成交月份
deals-error-month = 请选择看板上的某个月份（已关闭的商机不在看板上）。
deals-note-close-moved = 预计成交日期从 { $from } 改为 { $to }。
deals-note-close-set = 预计成交日期设为 { $to }。
deals-note-close-cleared = 已移除预计成交日期。
records-kind-close-date = 成交日期变更
records-entry-close-date = 成交日期

stages-move-to = 将其商机移至
stages-move-none = （该阶段没有商机）
stages-delete = 删除阶段
stages-error-last-outcome = 每个管道至少保留一个赢单阶段和一个输单阶段。
stages-error-move-to = 该阶段有商机：请选择另一个结果相同的阶段来接收这些商机。
stages-flash-deleted = 阶段已删除。
pipelines-delete = 删除管道
pipelines-error-delete-default = 默认管道和最后一个管道不能删除：请先将另一个管道设为默认。
pipelines-error-delete-in-use = 该管道中有商机。请先将其移到其他管道或删除。
pipelines-flash-deleted = 管道已删除。

deals-currency = 币种
deals-quick-party = 联系人邮箱或公司（可选）
