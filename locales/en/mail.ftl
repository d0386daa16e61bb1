# Emails the app sends.
mail-test-subject = Rapport test email
mail-test-body =
    This is a test email from Rapport at { $url }.
    If you can read it, outgoing mail works.
