# Quotes by email and their public page (src/orders/quote_link.rs, src/orders/public.rs).
quotes-do-send = Send to customer
quotes-do-withdraw = Withdraw
quotes-event-mailed = Quote { $number } emailed to { $email }
quotes-event-accepted = { $name } accepted quote { $number } online (from { $ip })
quotes-event-withdrawn = Quote { $number } withdrawn: its link no longer opens
quotes-mail-subject = Quote { $number } from { $company }
quotes-mail-greeting = Hello { $name },
quotes-mail-intro = here is our quote { $number } for { $total }.
quotes-mail-action = Read, print and accept it here:
quotes-mail-button = View the quote
quotes-mail-valid = The quote is valid until { $date }.
quotes-mail-regards = Kind regards,
quotes-valid-until = Valid until
quotes-public-link = Customer link
quotes-public-link-hint = The customer reads, prints and accepts the quote at this address until the end of { $date }.
quotes-accept-title = Accept this quote
quotes-accept-name = Your full name
quotes-accept-explain = By typing your name and pressing “Accept quote” you accept this quote and its terms.
quotes-accept-submit = Accept quote
quotes-print = Print
quotes-download = Download
quotes-state-accepted = This quote has been accepted. Thank you!
quotes-state-cancelled = This quote was cancelled and can no longer be accepted.
quotes-error-name = Type your name to accept the quote.
quotes-error-changed = The quote was changed while you were reading it. Please read it again before accepting.
quotes-error-already-accepted = This quote has already been accepted; it cannot be accepted again.
quotes-gone-title = This link does not work
quotes-gone-text = The link may have expired, been withdrawn or been copied incompletely. Please ask the sender for a new one.
quotes-any-customer = Any customer
quotes-filter-from = Created from
quotes-filter-to = Created until
quotes-list-totals = Totals:
quotes-list-total = { $total } ({ $count ->
    [one] { $count } document
   *[other] { $count } documents
})
quotes-totals-narrow = More than 1,000 documents match this search: narrow it (or use the filters) to see totals.
quotes-export = Export CSV
audit-orders-exported = Exported { $count ->
    [one] { $count } order
   *[other] { $count } orders
} to CSV
orders-csv-number = number
orders-csv-quote-number = quote_number
orders-csv-order-number = order_number
orders-csv-status = status
orders-csv-account = account
orders-csv-contact = contact
orders-csv-owner = owner
orders-csv-currency = currency
orders-csv-total = total
orders-csv-created-at = created_at
quotes-contact-language = Preferred language
quotes-contact-language-hint = Quotes, printed documents and their emails are written in it.
quotes-language-workspace = The workspace's language
quotes-error-language = Choose a language from the list.
products-import-title = Import products
products-import-help = A CSV file with a header row. Columns are recognised by name: SKU (required), name, description, price, currency, tax rate, active, track stock, on hand. A known SKU (any case) is updated with the row's non-empty cells; a new one is created.
products-import-max = At most { $max } rows.
products-import-done = Import finished
products-import-line = Line { $line }:
products-import-error-yes-no = Write yes or no.
products-import-error-changed = The product was changed by someone else during the import; import the row again.
products-import-error-no-sku = The file needs a SKU column.
products-import-error-too-many = The file has more than { $max } rows; split it.
audit-products-imported = Imported products: { $created } created, { $updated } updated, { $errors } refused
