# Accounts (companies): list, page, form.
accounts-title = Accounts
accounts-new = New account
accounts-edit = Edit account
accounts-save = Save account
accounts-search = Search accounts
accounts-search-hint = Search name, domain, city or phone
accounts-empty = No accounts yet.
accounts-add-first = Add the first one
accounts-no-match = No accounts match.
accounts-no-match-q = No accounts match “{ $q }”.
accounts-domain = Domain
accounts-industry = Industry
accounts-any-industry = Any industry
accounts-any-city = Any city
accounts-size = Size
accounts-size-unknown = Not known
accounts-company-name = Company name
accounts-website = Website domain
accounts-open-existing = Open the existing account
accounts-delete-confirm = Delete { $name } with its own notes and tasks? Its contacts are kept, without a company.
accounts-contacts = Contacts
accounts-no-contacts = No contacts at this company yet.
accounts-all-contacts = { $count ->
    [one] The only contact
   *[other] All { $total } contacts
}
accounts-size-micro = 1–10 employees
accounts-size-small = 11–50 employees
accounts-size-medium = 51–200 employees
accounts-size-large = 201–1,000 employees
accounts-size-enterprise = More than 1,000 employees
accounts-flash-created = Account created.
accounts-flash-saved = Account saved.
accounts-flash-deleted = Account deleted.
accounts-error-name = Enter the company's name.
accounts-error-size = Choose a size from the list.
accounts-error-domain-scheme = Enter the domain only, like example.com (without http://).
accounts-error-domain-chars = Use letters, digits, dots and hyphens only, like example.com.
accounts-error-duplicate = An account of this name already exists (account #{ $id }). Tick “Save anyway” to keep both.
accounts-error-duplicate-hidden = An account you cannot see already has this name. Tick “Save anyway” to keep both.
