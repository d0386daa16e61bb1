campaigns-senders-title = Senders
campaigns-senders-intro = The addresses campaigns and welcome series may come from, besides the workspace address and your own. A new address can be chosen once someone who reads its mailbox has confirmed it with the link we mail to it.
campaigns-senders-none = No senders yet: campaigns come from the workspace address or your own.
campaigns-senders-email = Address
campaigns-senders-name = Name
campaigns-senders-state = State
campaigns-senders-added-by = Added by
campaigns-senders-actions = Actions
campaigns-senders-verified = Confirmed
campaigns-senders-pending = Waiting for confirmation
campaigns-senders-mailed = link mailed { $when }
campaigns-senders-resend = Mail the link again
campaigns-senders-remove = Remove
campaigns-senders-add = Add a sender
campaigns-senders-add-hint = We mail a confirmation link to the address; it is offered in the editors once confirmed.
campaigns-senders-add-button = Add and mail the link
campaigns-senders-name-required = Enter the name recipients see.
campaigns-senders-taken = This address is already a sender.
campaigns-senders-added = Sender added. We mailed a confirmation link to the address.
campaigns-senders-resent = We mailed a new confirmation link.
campaigns-senders-resend-wait = A link was mailed less than a minute ago (or the address is already confirmed); nothing was sent.
campaigns-senders-removed = Sender removed. Campaigns already written with it keep it.
campaigns-senders-hint = More addresses: Campaigns → Senders.
campaigns-senders-mail-subject = Confirm { $email } as a campaign sender
campaigns-senders-mail-body = { $name } added { $email } as an address marketing campaigns may be sent from.
campaigns-senders-mail-action = To allow this, open the link and press the button:
campaigns-senders-mail-expiry = { $days ->
    [one] The link works for { $days } day. If you did not expect this mail, ignore it: nothing is sent from this address without the button.
   *[other] The link works for { $days } days. If you did not expect this mail, ignore it: nothing is sent from this address without the button.
}
campaigns-senders-verify-title = Confirm a sender address
campaigns-senders-verify-question = Allow campaigns to be sent from { $email } under the name “{ $name }”?
campaigns-senders-verify-button = Allow campaigns from this address
campaigns-senders-verify-ignore = If you did not expect this, close this page: nothing happens without the button.
campaigns-senders-verify-done = Confirmed: campaigns may now be sent from { $email }.
