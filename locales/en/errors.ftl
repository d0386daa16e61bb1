# Error pages (web::frame) and the messages of AppError.
error-status = Error { $status }
error-request-id = request id
error-back = Back to Rapport
error-400-title = Bad request
error-400-text = The request could not be understood. Check the form and try again.
error-403-title = Not allowed
error-403-text = You do not have permission to do this. Ask an administrator if you need access.
error-404-title = Not found
error-404-text = There is nothing here. It may have been deleted, or the address is wrong.
error-405-title = Not allowed
error-405-text = This address does not accept that kind of request.
error-409-title = Conflict
error-409-text = Someone else changed this at the same time. Reload and try again.
error-413-title = Too large
error-413-text = What you sent is larger than Rapport accepts.
error-415-title = Unsupported
error-415-text = Rapport cannot read what was sent in that format.
error-429-title = Slow down
error-429-text = Too many attempts. Wait a little and try again.
error-503-title = Temporarily unavailable
error-503-text = Rapport cannot reach its database right now. It will recover by itself; try again in a moment.
error-500-title = Something went wrong
error-500-text = An unexpected error stopped this request. It has been logged.
error-other-title = Request failed
error-other-text = The request could not be completed.
error-csrf = This form has expired or did not come from Rapport. Reload the page and try again.
error-throttled = Too many attempts. Try again in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
error-duplicate = That record already exists.
# Texts other modules still pass to AppError in English (see docs/i18n.md).
error-form-not-utf8 = The form contains bytes that are not valid text (UTF-8). Nothing was saved.
error-query-unreadable = The address contains parameters Rapport cannot read.
error-merge-self = A contact cannot be merged with itself.
error-import-file-gone = The uploaded file is no longer available. Upload it again.
error-408-title = Too slow
error-408-text = What you sent arrived too slowly and was not read. Try again.
error-page-link-damaged = This page link is damaged or out of date. Open the list again.
error-form-unreadable = The form could not be read ({ $reason }).
