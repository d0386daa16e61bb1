## Lead pipeline, later slices: quick-add in a column, the new-lead form,
## the close-month board, deleting stages and pipelines.

deals-quick-title = Add a deal to { $name }
deals-quick-placeholder = New deal title
deals-quick-add = Add

deals-new-lead = New lead
deals-lead-title = New lead
deals-lead-intro = Someone new and their company: the contact, the account and the deal are made together, or not at all.
deals-lead-person = Person
deals-lead-company = Company
deals-lead-company-hint = Leave empty for a person without a company.
deals-lead-deal = Deal
deals-lead-save = Create lead
deals-lead-contact-choice = This person may already be in the CRM:
deals-lead-link-contact = Use the existing contact { $name }
deals-lead-new-contact = Create a new contact anyway
deals-lead-account-choice = This company may already be in the CRM:
deals-lead-link-account = Use the existing account { $name }
deals-lead-new-account = Create a new account anyway
deals-flash-lead = Lead created: contact, account and deal.

deals-months = Close months
deals-months-intro = Open deals by expected close month, with their weighted value. Drag a card to another month, or use its menu.
deals-months-none = No date
deals-months-later = Later
deals-months-more = More deals than shown: narrow the board with the filters.
deals-months-rule = A deal moved to another month keeps its day of the month (the month's last day when the month is shorter); a deal without a date gets the month's last day.
deals-month-label = Expected close month of { $title }
deals-error-month = Choose one of the months on the board (closed deals are not on it).
deals-note-close-moved = Expected close moved from { $from } to { $to }.
deals-note-close-set = Expected close set to { $to }.
deals-note-close-cleared = Expected close date removed.
records-kind-close-date = Close date change
records-entry-close-date = close date

stages-move-to = Move its deals to
stages-move-none = (it holds no deals)
stages-delete = Delete stage
stages-error-last-outcome = A pipeline keeps at least one won and one lost stage.
stages-error-move-to = This stage holds deals: choose another stage with the same outcome to move them to.
stages-flash-deleted = Stage deleted.
pipelines-delete = Delete pipeline
pipelines-error-delete-default = The default pipeline, and the last one, cannot be deleted: make another one the default first.
pipelines-error-delete-in-use = This pipeline holds deals. Move them to another pipeline or delete them first.
pipelines-flash-deleted = Pipeline deleted.

deals-currency = Currency
deals-quick-party = Contact email or company (optional)
