# 应用发送的邮件。
mail-test-subject = Rapport 测试邮件
mail-test-body =
    这是来自 Rapport（{ $url }）的测试邮件。
    如果你能读到这封邮件，说明外发邮件工作正常。

# 邮件文件夹页（/admin/mail，src/admin/mail.rs）。
mail-files-title = 邮件
mail-files-smtp = 邮件通过 RAPPORT_SMTP_URL 设置的邮件服务器发送，因此这里没有文件可显示。
mail-files-intro = 未设置邮件服务器（RAPPORT_SMTP_URL），Rapport 发出的每封邮件都以 .eml 文件保存在 { $folder }。最新的在前；点击可阅读，也可下载后用邮件程序打开。
mail-files-empty = 还没有邮件。
mail-files-written = 写入时间
mail-files-to = 收件人
mail-files-from = 发件人
mail-files-subject = 主题
mail-files-size = 大小
mail-files-no-subject = （无主题）
mail-files-count = 共 { $count } 封邮件
mail-files-back = 全部邮件
mail-files-download = 下载 .eml
mail-files-html = HTML 部分
mail-files-text = 纯文本部分
mail-files-headers = 邮件头
