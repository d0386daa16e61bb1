# Signing in, first-run setup and one's own account.
sign-in = Sign in
field-email = Email
field-password = Password
field-name = Name
field-your-name = Your name
password-length-hint = (8 to 128 characters)
login-incorrect = Email or password is incorrect.
login-throttled = Too many failed attempts. Try again in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
setup-title = Set up Rapport
setup-heading = Create the first administrator
setup-intro = Rapport has no users yet. The account you create here manages everyone else. This page disappears once it exists.
setup-repeat-password = Repeat the password
setup-submit = Create administrator
flash-welcome = Welcome to Rapport. Your administrator account is ready.
account-title = Your account
account-role = Role
account-last-sign-in = Last sign-in
account-never = Never
account-change-password = Change password
account-current-password = Current password
account-new-password = New password
account-repeat-new-password = Repeat the new password
account-sessions = Sessions
account-sessions-intro = Signed in on another computer you no longer use? End every session but this one.
account-revoke = Sign out everywhere else
account-preferences = Language and time zone
account-language = Language
account-time-zone = Time zone
account-workspace-default = Workspace default ({ $value })
account-save-preferences = Save language and time zone
account-times-shown-in = Times are shown in { $zone }.
flash-password-changed = Password changed. Your other sessions have been signed out.
flash-sessions-revoked = All your other sessions have been signed out.
flash-preferences-saved = Your language and time zone were saved.
# Form errors (shared validators still return this English text; see docs/i18n.md).
error-not-current-password = This is not your current password.
error-name-required = Enter a name.
error-max-100 = Use at most 100 characters.
error-no-control-chars = Remove line breaks and control characters.
error-passwords-differ = The two passwords do not match.
error-password-short = Use at least 8 characters.
error-password-long = Use at most 128 characters.
error-password-common = This password is too common. Choose one that is harder to guess.
error-email-required = Enter an email address.
error-email-long = An email address has at most 254 characters.
error-email-invalid = Enter a valid email address, like name@example.com.
error-value-invalid = This value is not valid.
error-choose-language = Choose a language from the list.
error-choose-time-zone = Choose a time zone from the list.
error-choose-currency = Choose a currency from the list.
