# 邮件版式、完整预览和公开存档（src/campaigns/render.rs、archive.rs）。
campaigns-layout = 版式
campaigns-layout-hint = 邮件正文外的设计，每种都适配手机屏幕。
campaigns-layout-card = 卡片——灰色背景上的白色卡片
campaigns-layout-newsletter = 简报——彩色横幅显示公司名称
campaigns-layout-plain = 简洁——读起来像一封私人信件
campaigns-preview-full = 打开完整邮件
campaigns-in-archive = 发送后显示在公开存档中
campaigns-in-archive-hint = 存档页面向所有人列出过往的营销邮件，不含个人信息和个人链接。
campaigns-archive-title = 简报存档
campaigns-archive-empty = 暂无内容。
campaigns-archive-back = 全部往期
campaigns-archive-reader = 读者
