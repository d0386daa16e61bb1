# Public sign-up pages with double opt-in and the recipient's preference
# page (src/campaigns/signups, src/campaigns/preferences)

## Staff: sign-up forms
campaigns-public-forms-title = Sign-up forms
campaigns-public-forms-new = New sign-up form
campaigns-public-forms-intro = A public page where people subscribe to your mail. They confirm by a link sent to their address before they are subscribed (double opt-in).
campaigns-public-forms-none = No sign-up forms yet.
campaigns-public-form-title = Title
campaigns-public-form-address = Public address
campaigns-public-form-joins = Confirmed sign-ups join
campaigns-public-form-language = Language of the page
campaigns-public-form-language-hint = The page and its confirmation email are written in this language.
campaigns-public-form-pending = Waiting to confirm
campaigns-public-form-confirmed = Confirmed
campaigns-public-form-intro = Introduction
campaigns-public-form-intro-hint = Shown above the form, as plain text; a blank line starts a new paragraph.
campaigns-public-form-slug = Address name
campaigns-public-form-slug-hint = The page is at { $url }/s/ followed by this name: lower-case letters, digits and hyphens.
campaigns-public-form-list = Static list
campaigns-public-form-list-hint = Confirmed sign-ups are added to this list (segments of the kind “static list”).
campaigns-public-form-no-list = No list
campaigns-public-form-tag = Tag
campaigns-public-form-tag-hint = Confirmed sign-ups get this tag. Choose a list, a tag or both.
campaigns-public-form-save = Save sign-up form
campaigns-public-saved = Sign-up form saved.
campaigns-public-changed-meanwhile = Someone else saved this sign-up form meanwhile. Reload it and make your change again.
campaigns-public-error-title = Give the form a title.
campaigns-public-error-title-long = The title is too long or contains a line break.
campaigns-public-error-intro-long = The introduction is too long (at most 4,000 characters).
campaigns-public-error-slug = Use lower-case letters, digits and single hyphens (at most 60; not “confirm”).
campaigns-public-error-slug-taken = Another sign-up form already uses this address.
campaigns-public-error-list = Choose one of the static lists.
campaigns-public-error-one-tag = Give one tag only.
campaigns-public-error-target = Choose a list or a tag for the sign-ups to join.
campaigns-public-error-language = Choose English or Simplified Chinese.

## The public page
campaigns-public-name = Your name
campaigns-public-email = Email address
campaigns-public-consent = Yes, send me email about news and offers. I can unsubscribe at any time.
campaigns-public-subscribe = Subscribe
campaigns-public-privacy = We will send you one email to confirm your address. Nothing is sent before you confirm.
campaigns-public-error-name = The name cannot contain control characters.
campaigns-public-error-consent = Tick the box to agree to receive our email.
campaigns-public-thanks-title = Check your inbox
campaigns-public-thanks-body = We have sent you an email with a link. Open it and confirm to complete your subscription.
campaigns-public-thanks-hint = Nothing arrived after a few minutes? Look in your spam folder.

## Confirmation
campaigns-public-mail-subject = Please confirm your subscription: { $title }
campaigns-public-mail-hello = You (or someone with your address) asked to subscribe to “{ $title }”.
campaigns-public-mail-action = To confirm, open this link and press the button:
campaigns-public-mail-ignore = { $days ->
    [one] The link is valid for 1 day. If you did not ask for this, ignore this email: you will not be subscribed.
   *[other] The link is valid for { $days } days. If you did not ask for this, ignore this email: you will not be subscribed.
}
campaigns-public-confirm-question = Confirm that { $email } wants to receive our email.
campaigns-public-confirm-button = Confirm my subscription
campaigns-public-confirm-ignore = If you did not ask for this, close this page: nothing happens without the button.
campaigns-public-confirmed-title = You are subscribed
campaigns-public-confirmed-body = Thank you. { $email } is now subscribed. Every email we send has a link to unsubscribe.
campaigns-public-timeline-confirmed = Subscribed through the sign-up form “{ $title }” (confirmed by email). Marketing consent: { $before } → { $after }
campaigns-public-timeline-rejoined = Confirmed a sign-up through the form “{ $title }” (already subscribed).

## The recipient's preference page
campaigns-public-mail-preferences = Preferences
campaigns-public-prefs-title = Email preferences
campaigns-public-prefs-address = Preferences for { $email }
campaigns-public-prefs-state = Marketing email:
campaigns-public-prefs-unsubscribe = Unsubscribe
campaigns-public-prefs-subscribe = Subscribe again
campaigns-public-prefs-language = Language of our email
campaigns-public-prefs-language-hint = Future email and this page are written in this language where we can.
campaigns-public-prefs-language-save = Save language
campaigns-public-prefs-saved = Your preferences are saved.
campaigns-public-timeline-prefs = Changed on the email preference page. Marketing consent: { $before } → { $after }
campaigns-public-form-state = State
campaigns-public-form-open = Open
campaigns-public-form-is-closed = Closed
campaigns-public-form-close = Close
campaigns-public-form-reopen = Reopen
campaigns-public-form-opened = The sign-up form is open again.
campaigns-public-form-closed = The sign-up form is closed: its page is gone, and links already mailed still confirm.
