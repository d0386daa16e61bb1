# Lead scores: the badge on cards and deal pages, the explanation page, the job.
job-kind-score-leads = Lead scores (train and score)
scoring-title = Lead scores
scoring-lead-score = Lead score
scoring-how = How scores work
scoring-scored-at = scored { $when }
scoring-badge-model = Score { $score }
scoring-badge-stage = Stage { $percent }%
scoring-badge-model-label = Lead score { $score } of 100 ({ $band })
scoring-badge-stage-label = No lead score yet: the stage's default probability, { $percent }%
scoring-band-high = high
scoring-band-medium = medium
scoring-band-low = low
scoring-band-stage = stage default
scoring-intro = Each open deal's lead score is the chance, from 0 to 100, that it will be won, learnt from the deals this workspace has already won and lost. It helps decide which deals to work on first; it is an estimate from past patterns, not a promise.
scoring-retrain = Retrain now
scoring-pending = A training run is queued or running; scores update when it finishes. Reload this page to see the result.
scoring-flash-queued = Retraining queued: the model and the scores update in a moment.
scoring-current = The current model
scoring-trained = Trained
scoring-history-label = Learnt from
scoring-history = { $count ->
    [one] { $count } closed deal
   *[other] { $count } closed deals
} ({ $won } won, { $lost } lost)
scoring-auc-label = How well it ranks
scoring-auc = AUC { $auc }: given one won and one lost deal from the history, the model scores the won one higher { $percent }% of the time (50% is a coin toss, 100% perfect).
scoring-auc-strong = A strong model.
scoring-auc-useful = A useful model.
scoring-auc-weak = A weak model: treat scores as a rough hint.
scoring-auc-chance = Barely better than chance: the history does not tell won from lost deals yet.
scoring-auc-caveat = Measured on the same deals it learnt from, so new deals will be ranked somewhat less well.
scoring-base-label = Won share
scoring-base-rate = { $percent }% of the closed deals it learnt from were won: a score above that is better than an average deal.
scoring-scored-label = Open deals scored
scoring-scored = { $count ->
    [one] { $count } open deal
   *[other] { $count } open deals
}
scoring-chart = What moves the score
scoring-chart-desc = Each feature's effect on the odds of winning for one typical step more of it (one standard deviation): bars to the right raise the chances, to the left lower them; the figure is the odds ratio.
scoring-table = Features and their weights
scoring-table-how = Weight: the change in the log-odds of winning for one standard deviation more of the feature, other features equal. Odds ratio: the same as a factor on the odds (×1.00 is no effect, ×2.00 doubles them, ×0.50 halves them).
scoring-col-feature = Feature
scoring-col-effect = Effect
scoring-col-weight = Weight
scoring-col-odds = Odds ratio
scoring-effect-raises = Raises the chances
scoring-effect-lowers = Lowers the chances
scoring-effect-little = Little effect
scoring-fallback-title = Not enough history yet
scoring-fallback-intro = The model needs at least 30 closed deals, with at least 8 won and 8 lost. Until then each card shows its stage's default probability, marked "Stage", instead of a lead score.
scoring-have = Closed deals now: { $won } won, { $lost } lost.
scoring-needs = { $count ->
    [one] { $count } more closed deal needed
   *[other] { $count } more closed deals needed
}, including at least { $won } more won and { $lost } more lost.
scoring-enough-now = There is enough history now: the next run (tonight, or "Retrain now") builds the model.
scoring-checked = Last checked { $when }.
scoring-how-title = How the score is made
scoring-how-model = A logistic-regression model learns, from every won and lost deal, how much each feature of a deal goes with winning. Each feature is first put on a common scale, so the weights can be compared with one another.
scoring-how-features = Features: the deal's source; its value; the notes, calls, meetings and emails logged on it; days since it was created and days in its current stage; how many times it moved between stages; how far along the pipeline it has got; and whether it has a contact and an account. A closed deal is described as it stood when it was won or lost.
scoring-how-when = The model is retrained and every open deal rescored once a night, and whenever a manager presses "Retrain now". A deal created or moved since the last run shows its stage's default until the next one.
scoring-how-badges = On the board: green "Score" from 70, amber from 40 to 69, red below 40; a dashed "Stage" badge is the stage's default probability, not a lead score.
scoring-feature-source-website = Source: website
scoring-feature-source-referral = Source: referral
scoring-feature-source-inbound = Source: inbound
scoring-feature-source-outbound = Source: outbound
scoring-feature-source-event = Source: event
scoring-feature-source-partner = Source: partner
scoring-feature-source-other = Source: other
scoring-feature-value = Value (log)
scoring-feature-notes = Notes logged
scoring-feature-calls = Calls logged
scoring-feature-meetings = Meetings logged
scoring-feature-emails = Emails logged
scoring-feature-days-in-pipeline = Days in the pipeline (log)
scoring-feature-days-in-stage = Days in the current stage (log)
scoring-feature-stage-moves = Stage moves
scoring-feature-furthest-stage = Furthest stage reached
scoring-feature-has-contact = Has a contact
scoring-feature-has-account = Has an account
