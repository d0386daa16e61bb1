# Record lists: search and filter bar, saved views, sortable headers, pager.
list-search = Search
list-rows = Rows
list-apply = Apply
list-clear = Clear
list-owner = Owner
list-anyone = Anyone
list-saved-views = Saved views
list-team-view = team
list-manage-views = Manage views
list-save-this-view = Save this view
list-view-name = Name of the view
list-view-pin = Pin
list-view-share = Share with my team
list-save-view = Save view
list-pages = Pages
list-previous = ← Previous
list-next = Next →
# $total is already formatted ("320", "1,000+").
list-range = { $first }–{ $last } of { $total }
list-total = { $count ->
    [one] { $total } match
   *[other] { $total } matches
}
list-page = Page { $page }
list-page-of = Page { $page } of { $pages }
list-bad-link = This page link is damaged or out of date. Open the list again.
