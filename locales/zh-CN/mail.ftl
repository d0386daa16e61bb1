# 应用发送的邮件。
mail-test-subject = Rapport 测试邮件
mail-test-body =
    这是来自 Rapport（{ $url }）的测试邮件。
    如果你能读到这封邮件，说明外发邮件工作正常。
