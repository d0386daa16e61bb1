# Welcome series: automations of N emails with delays (src/campaigns/series)

campaigns-series-title = Welcome series
campaigns-series-new = New welcome series
campaigns-series-intro = A series of emails sent one after another, with waits between them, to each contact who confirms a sign-up form or enters a segment. Each contact gets each email once.
campaigns-series-none = No welcome series yet.
campaigns-series-trigger = Starts when
campaigns-series-trigger-signup = A contact confirms a sign-up form
campaigns-series-trigger-segment = A contact enters a segment
campaigns-series-trigger-hint = Choose the sign-up form or the segment that matches the choice above. With a segment, only contacts who enter it after the series is first activated are mailed: its members at that moment are left out.
campaigns-series-trigger-locked = The series has been activated, so what starts it can no longer be changed. Make a new series to listen to another form or segment.
campaigns-series-form = Sign-up form
campaigns-series-steps = Steps
campaigns-series-enrolled = Entered
campaigns-series-waiting = Waiting
campaigns-series-due = Due now
campaigns-series-edit = Edit series
campaigns-series-save = Save series
campaigns-series-saved = Series saved.
campaigns-series-changed-meanwhile = Someone else saved this series meanwhile. Reload it and make your change again.
campaigns-series-error-form = Choose the sign-up form that starts the series.
campaigns-series-error-segment = Choose the segment that starts the series.
campaigns-series-error-delay = Enter a whole number of zero or more, at most a year.
campaigns-series-status-draft = Draft
campaigns-series-status-active = Active
campaigns-series-status-paused = Paused
campaigns-series-activate = Activate
campaigns-series-activated = Series activated.
campaigns-series-paused = Series paused: no further emails are sent until you activate it again.
campaigns-series-activated-at = First activated
campaigns-series-no-steps = Add a first step before activating the series.
campaigns-series-too-many-steps = A series has at most 20 steps.
campaigns-series-baseline-hint = Contacts who were in the segment when the series was first activated do not enter it; contacts who enter the segment later (and are subscribed) do, within a minute.
campaigns-series-delay = Wait
campaigns-series-unit = Unit
campaigns-series-unit-minutes = Minutes
campaigns-series-unit-hours = Hours
campaigns-series-unit-days = Days
campaigns-series-delay-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
campaigns-series-delay-hours = { $count ->
    [one] 1 hour
   *[other] { $count } hours
}
campaigns-series-delay-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
campaigns-series-delay-rule = Each step waits its time after the previous step (the first step: after the contact enters the series). The times are set when the contact enters, so editing a wait changes it for contacts who enter later.
campaigns-series-add-step = Add a step
campaigns-series-step-n = Step { $count }
campaigns-series-save-step = Save step
campaigns-series-step-saved = Step saved.
campaigns-series-step-removed = Step removed.
campaigns-series-step-has-recipients = This step already has contacts waiting for it or mailed, so it stays. Pause the series instead.
campaigns-series-steps-hint = A step added to a series is sent to contacts who enter from then on. Only subscribed contacts are mailed; a contact who unsubscribes gets none of the later steps.
campaigns-series-move-up = Move up
campaigns-series-move-down = Move down
campaigns-series-remove = Remove
campaigns-series-step-of-series = This email is a step of a welcome series: change it on the series' page.
job-kind-series = Welcome series (entries and sending)
