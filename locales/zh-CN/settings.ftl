# 工作区设置（管理员）
settings-title = 工作区设置
settings-company = 公司
settings-company-name = 公司名称
settings-company-address = 公司地址
settings-company-hint = 将打印在报价单、发票和其他文件上。
settings-defaults = 所有人的默认设置
settings-language = 默认语言
settings-time-zone = 默认时区
settings-currency = 默认货币
settings-save = 保存设置
settings-updated = 上次修改于 { $when }。
flash-settings-saved = 工作区设置已保存。
error-max-200 = 最多 200 个字符。
error-max-1000 = 最多 1000 个字符。
error-settings-changed = 其他人同时保存了设置。下面显示的是他们的值，请检查后再次保存。
