## Insights: the service section (tickets) and the campaigns section.

insights-service-sla = SLA met
insights-service-solved = Tickets solved
insights-service-csat = CSAT (satisfied)
insights-service-csat-average = CSAT average
insights-service-responses = CSAT responses
insights-service-sla-chart = SLA compliance by month
insights-service-sla-desc = Tickets solved in each month that met every SLA target they had, as a share of the month's solved tickets.
insights-service-csat-chart = CSAT by month
insights-service-csat-desc = Satisfied ratings (4 or 5 of 5) as a share of the ratings given in each month.

insights-campaigns-count = Campaigns sent
insights-campaigns-sent = Emails sent
insights-campaigns-open-rate = Open rate
insights-campaigns-click-rate = Click rate
insights-campaigns-unsubscribes = Unsubscribes
insights-campaigns-nps = NPS
insights-campaigns-name = Campaign
insights-campaigns-table = Engagement per campaign
insights-campaigns-chart = Open and click rates per campaign
insights-campaigns-desc = Unique opens and clicks as a share of the messages sent, for each campaign started in the period.
insights-nps-chart = NPS by month
insights-nps-desc = Net Promoter Score (share of promoters 9–10 minus share of detractors 0–6) of the survey answers first given in each month, and how many answered.
insights-nps-responses = Answers

## NPS surveys: the campaign kind, the question in the email, the answer page.

campaigns-kind = Kind
campaigns-kind-hint = An NPS survey adds the question "How likely are you to recommend us?" with the scores 0 to 10 under the message.
campaigns-kind-email = Email
campaigns-kind-nps = NPS survey
nps-question = How likely are you to recommend us to a friend or colleague?
nps-low = not at all likely
nps-high = extremely likely
nps-title = Thank you
nps-recorded = Your answer, { $score }, is recorded.
nps-comment = Anything you would like to tell us? (optional)
nps-send = Send
nps-commented = Thank you for your comment.
nps-change = Changed your mind? Click another score in the email.
campaigns-nps-distribution = NPS answers
campaigns-nps-distribution-desc = How many recipients gave each score from 0 to 10.
campaigns-nps-score = NPS
campaigns-nps-answers = Answers
campaigns-nps-comments = Latest comments
campaigns-nps-score-col = Score
campaigns-nps-comment-col = Comment
campaigns-nps-when = When
