# 公开订阅页（双重确认）与收件人偏好设置页
# (src/campaigns/signups, src/campaigns/preferences)

## 员工：订阅表单
campaigns-public-forms-title = 订阅表单
campaigns-public-forms-new = 新建订阅表单
campaigns-public-forms-intro = 一个公开页面，访客可在此订阅您的邮件。订阅前，他们需通过发送到其邮箱的链接进行确认（双重确认）。
campaigns-public-forms-none = 还没有订阅表单。
campaigns-public-form-title = 标题
campaigns-public-form-address = 公开地址
campaigns-public-form-joins = 确认后加入
campaigns-public-form-language = 页面语言
campaigns-public-form-language-hint = 页面及确认邮件均使用此语言。
campaigns-public-form-pending = 待确认
campaigns-public-form-confirmed = 已确认
campaigns-public-form-intro = 简介
campaigns-public-form-intro-hint = 显示在表单上方，纯文本；空一行开始新段落。
campaigns-public-form-slug = 地址名称
campaigns-public-form-slug-hint = 页面地址为 { $url }/s/ 加上此名称：小写字母、数字和连字符。
campaigns-public-form-list = 静态列表
campaigns-public-form-list-hint = 确认的订阅者会加入此列表（类型为“静态列表”的细分）。
campaigns-public-form-no-list = 不加入列表
campaigns-public-form-tag = 标签
campaigns-public-form-tag-hint = 确认的订阅者会获得此标签。可选择列表、标签或两者。
campaigns-public-form-save = 保存订阅表单
campaigns-public-saved = 订阅表单已保存。
campaigns-public-changed-meanwhile = 其他人刚刚保存了此订阅表单。请重新加载后再修改。
campaigns-public-error-title = 请为表单填写标题。
campaigns-public-error-title-long = 标题过长或包含换行。
campaigns-public-error-intro-long = 简介过长（最多 4,000 个字符）。
campaigns-public-error-slug = 请使用小写字母、数字和单个连字符（最多 60 个；不能是 “confirm”）。
campaigns-public-error-slug-taken = 已有其他订阅表单使用此地址。
campaigns-public-error-list = 请选择一个静态列表。
campaigns-public-error-one-tag = 只能填写一个标签。
campaigns-public-error-target = 请选择订阅者要加入的列表或标签。
campaigns-public-error-language = 请选择英语或简体中文。

## 公开页面
campaigns-public-name = 您的姓名
campaigns-public-email = 电子邮箱
campaigns-public-consent = 是的，请给我发送新闻和优惠邮件。我可以随时退订。
campaigns-public-subscribe = 订阅
campaigns-public-privacy = 我们会发送一封邮件确认您的地址。确认之前不会发送任何其他邮件。
campaigns-public-error-name = 姓名不能包含控制字符。
campaigns-public-error-consent = 请勾选同意接收我们的邮件。
campaigns-public-thanks-title = 请查收邮件
campaigns-public-thanks-body = 我们已向您发送一封带有链接的邮件。打开链接并确认即可完成订阅。
campaigns-public-thanks-hint = 几分钟后仍未收到？请查看垃圾邮件文件夹。

## 确认
campaigns-public-mail-subject = 请确认您的订阅：{ $title }
campaigns-public-mail-hello = 您（或使用您邮箱的某人）申请订阅“{ $title }”。
campaigns-public-mail-action = 请打开以下链接并点击按钮完成确认：
campaigns-public-mail-ignore = 链接 { $days } 天内有效。如果这不是您本人的操作，请忽略此邮件：您不会被订阅。
campaigns-public-confirm-question = 请确认 { $email } 愿意接收我们的邮件。
campaigns-public-confirm-button = 确认订阅
campaigns-public-confirm-ignore = 如果这不是您本人的操作，请关闭此页面：不点击按钮就不会有任何变化。
campaigns-public-confirmed-title = 订阅成功
campaigns-public-confirmed-body = 谢谢！{ $email } 已订阅。我们发送的每封邮件都附有退订链接。
campaigns-public-timeline-confirmed = 通过订阅表单“{ $title }”订阅（已通过邮件确认）。营销许可：{ $before } → { $after }
campaigns-public-timeline-rejoined = 通过表单“{ $title }”确认了订阅（此前已订阅）。

## 收件人偏好设置页
campaigns-public-mail-preferences = 偏好设置
campaigns-public-prefs-title = 邮件偏好设置
campaigns-public-prefs-address = { $email } 的偏好设置
campaigns-public-prefs-state = 营销邮件：
campaigns-public-prefs-unsubscribe = 退订
campaigns-public-prefs-subscribe = 重新订阅
campaigns-public-prefs-language = 邮件语言
campaigns-public-prefs-language-hint = 今后的邮件和本页面会尽量使用此语言。
campaigns-public-prefs-language-save = 保存语言
campaigns-public-prefs-saved = 您的偏好设置已保存。
campaigns-public-timeline-prefs = 在邮件偏好设置页更改。营销许可：{ $before } → { $after }
campaigns-public-form-state = 状态
campaigns-public-form-open = 开放
campaigns-public-form-is-closed = 已关闭
campaigns-public-form-close = 关闭
campaigns-public-form-reopen = 重新开放
campaigns-public-form-opened = 注册表单已重新开放。
campaigns-public-form-closed = 注册表单已关闭：其页面不再可访问，已发出的确认链接仍然有效。
