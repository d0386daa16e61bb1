# Workspace settings (admin).
settings-title = Workspace settings
settings-company = Company
settings-company-name = Company name
settings-company-address = Company address
settings-company-hint = Printed on quotes, invoices and other documents.
settings-defaults = Defaults for everyone
settings-language = Default language
settings-time-zone = Default time zone
settings-currency = Default currency
settings-save = Save settings
settings-updated = Last changed { $when }.
flash-settings-saved = Workspace settings saved.
error-max-200 = Use at most 200 characters.
error-max-1000 = Use at most 1000 characters.
error-settings-changed = Someone else saved the settings at the same time. Their values are shown; check them and save again.
