# Emails the app sends.
mail-test-subject = Rapport test email
mail-test-body =
    This is a test email from Rapport at { $url }.
    If you can read it, outgoing mail works.

# The mail folder page (/admin/mail, src/admin/mail.rs).
mail-files-title = Mail
mail-files-smtp = Mail goes to the mail server set in RAPPORT_SMTP_URL, so there are no files to show here.
mail-files-intro = No mail server is set (RAPPORT_SMTP_URL), so every message Rapport sends is written as an .eml file in { $folder }. The newest come first; open one to read it, or download it for a mail program.
mail-files-empty = No messages yet.
mail-files-written = Written
mail-files-to = To
mail-files-from = From
mail-files-subject = Subject
mail-files-size = Size
mail-files-no-subject = (no subject)
mail-files-count = { $count ->
    [one] One message
   *[other] { $count } messages
}
mail-files-back = All messages
mail-files-download = Download .eml
mail-files-html = HTML part
mail-files-text = Plain-text part
mail-files-headers = Headers
