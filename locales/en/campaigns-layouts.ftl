# Email layouts, the full preview and the public archive (src/campaigns/render.rs, archive.rs).
campaigns-layout = Layout
campaigns-layout-hint = The design around your message. Each one fits a phone screen.
campaigns-layout-card = Card — a white card on a grey page
campaigns-layout-newsletter = Newsletter — your company's name in a coloured band
campaigns-layout-plain = Plain — reads like a personal letter
campaigns-preview-full = Open the whole message
campaigns-in-archive = Show on the public archive once sent
campaigns-in-archive-hint = The archive page lists past campaigns for anyone to read, without personal details or links.
campaigns-archive-title = Newsletter archive
campaigns-archive-empty = Nothing here yet.
campaigns-archive-back = All past issues
campaigns-archive-reader = reader
