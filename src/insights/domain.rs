//! The metrics of Insights as pure rules over plain numbers: customer
//! lifetime value (discounted and projected), churn, retention cohorts,
//! new versus returning customers, RFM quintiles, lifecycle stages, win
//! rate and cycle length, attainment and commission tiers, co-purchase
//! pairs. Money is integer minor units; rates are basis points; the
//! discounting runs in 128-bit fixed point (12 extra decimal digits) and
//! rounds once, half away from zero, at the end.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::pricing::round_div;

/// Extra decimal digits the discounting carries.
const FIXED: i128 = 1_000_000_000_000;
const BP: i128 = 10_000;

/// Σ_{t=1..T} R_t / (1+i)^t: `revenues[t-1]` is R_t (minor units), `rate_bp`
/// the discount rate i in basis points; T is the number of revenues.
pub fn discounted_clv(revenues: &[i64], rate_bp: i64) -> i64 {
    let den = BP + i128::from(rate_bp.max(0));
    let mut total: i128 = 0;
    // factor = 1/(1+i)^t in fixed point.
    let mut factor: i128 = FIXED;
    for r in revenues {
        factor = round_div(factor * BP, den);
        total += i128::from(*r) * factor;
    }
    clamp(round_div(total, FIXED))
}

/// The projected variant: a customer worth `annual_minor` a year (average
/// order value × orders a year) at `margin_bp` of revenue, staying each
/// further year with probability `retention_bp`:
/// Σ_{t=1..T} annual × margin × r^(t−1) / (1+i)^t.
pub fn projected_clv(
    annual_minor: i64,
    margin_bp: i64,
    retention_bp: i64,
    rate_bp: i64,
    horizon: u32,
) -> i64 {
    let den = BP + i128::from(rate_bp.max(0));
    let r = i128::from(retention_bp.clamp(0, 10_000));
    // annual × margin, scaled by BP.
    let value = i128::from(annual_minor) * i128::from(margin_bp.clamp(0, 10_000));
    let mut total: i128 = 0;
    // factor = r^(t−1) / (1+i)^t in fixed point.
    let mut factor = round_div(FIXED * BP, den);
    for t in 0..horizon {
        if t > 0 {
            factor = round_div(factor * r, den);
        }
        total += value * factor;
    }
    clamp(round_div(total, FIXED * BP))
}

fn clamp(v: i128) -> i64 {
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// `part ÷ whole` in basis points, rounded; None when `whole` is 0.
pub fn ratio_bp(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| round_div(i128::from(part) * BP, i128::from(whole)) as i64)
}

/// `a ÷ b` rounded half away from zero (0 when b is 0).
pub fn average(sum: i64, n: i64) -> i64 {
    if n == 0 {
        0
    } else {
        round_div(i128::from(sum), i128::from(n)) as i64
    }
}

/// The first day of `d`'s month.
pub fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Months from `from`'s to `to`'s (both first days), inclusive.
pub fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = month_of(from);
    let end = month_of(to);
    while m <= end && out.len() < 240 {
        out.push(m);
        match m.checked_add_months(Months::new(1)) {
            Some(n) => m = n,
            None => break,
        }
    }
    out
}

fn months_apart(a: NaiveDate, b: NaiveDate) -> i64 {
    i64::from(b.year() - a.year()) * 12 + i64::from(b.month()) - i64::from(a.month())
}

/// One counted order of a customer: the day (in the viewer's zone) and its
/// total in minor units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Purchase {
    pub day: NaiveDate,
    pub total: i64,
}

/// A customer's purchases, oldest first.
pub type History = Vec<Purchase>;

/// Revenue R_t per year of a customer's life (year 1 starts on the first
/// order), at most `horizon` years, up to `today`.
pub fn yearly_revenue(history: &[Purchase], horizon: u32) -> Vec<i64> {
    let Some(first) = history.first().map(|p| p.day) else {
        return Vec::new();
    };
    let mut out = vec![0i64; horizon as usize];
    for p in history {
        let year = (months_apart(first, p.day) - i64::from(p.day.day() < first.day())) / 12;
        if let Some(slot) = usize::try_from(year).ok().and_then(|y| out.get_mut(y)) {
            *slot += p.total;
        }
    }
    while out.last() == Some(&0) {
        out.pop();
    }
    out
}

/// Active on `day`: a purchase in the `threshold_days` before it (the day
/// included) — and not after it.
pub fn active_on(history: &[Purchase], day: NaiveDate, threshold_days: i64) -> bool {
    history
        .iter()
        .any(|p| p.day <= day && (day - p.day).num_days() < threshold_days)
}

/// Churn of the period `[start, end]`: customers active at its start who
/// are no longer active at its end, over the customers active at its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Churn {
    pub at_start: i64,
    pub lost: i64,
}

impl Churn {
    pub fn of<'a>(
        customers: impl IntoIterator<Item = &'a History>,
        (start, end): (NaiveDate, NaiveDate),
        threshold_days: i64,
    ) -> Churn {
        let mut c = Churn {
            at_start: 0,
            lost: 0,
        };
        for h in customers {
            if active_on(h, start, threshold_days) {
                c.at_start += 1;
                if !active_on(h, end, threshold_days) {
                    c.lost += 1;
                }
            }
        }
        c
    }

    pub fn rate_bp(&self) -> Option<i64> {
        ratio_bp(self.lost, self.at_start)
    }
}

/// New and returning customers of one month: new ones placed their first
/// order that month, returning ones had ordered before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NewReturning {
    pub new: i64,
    pub returning: i64,
}

pub fn new_returning<'a>(
    customers: impl IntoIterator<Item = &'a History>,
    months: &[NaiveDate],
) -> Vec<NewReturning> {
    let mut out = vec![NewReturning::default(); months.len()];
    for h in customers {
        let Some(first) = h.first().map(|p| month_of(p.day)) else {
            continue;
        };
        let mut seen: Vec<NaiveDate> = h.iter().map(|p| month_of(p.day)).collect();
        seen.dedup();
        for m in seen {
            if let Some(i) = months.iter().position(|x| *x == m) {
                if m == first {
                    out[i].new += 1;
                } else {
                    out[i].returning += 1;
                }
            }
        }
    }
    out
}

/// A retention cohort: customers whose first order fell in `month`, and
/// how many of them ordered again `k` months later (k = 0 is the cohort).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cohort {
    pub month: NaiveDate,
    pub size: i64,
    /// Active customers at offsets 0, 1, … up to `today`'s month.
    pub active: Vec<i64>,
}

pub fn cohorts<'a>(
    customers: impl IntoIterator<Item = &'a History>,
    first_month: NaiveDate,
    today: NaiveDate,
) -> Vec<Cohort> {
    let now = month_of(today);
    let mut by: BTreeMap<NaiveDate, Cohort> = BTreeMap::new();
    for h in customers {
        let Some(first) = h.first().map(|p| month_of(p.day)) else {
            continue;
        };
        if first < first_month || first > now {
            continue;
        }
        let width = months_apart(first, now) as usize + 1;
        let c = by.entry(first).or_insert_with(|| Cohort {
            month: first,
            size: 0,
            active: vec![0; width],
        });
        c.size += 1;
        let mut offsets: Vec<usize> = h
            .iter()
            .map(|p| months_apart(first, month_of(p.day)) as usize)
            .collect();
        offsets.dedup();
        for k in offsets {
            if let Some(slot) = c.active.get_mut(k) {
                *slot += 1;
            }
        }
    }
    by.into_values().collect()
}

/// Quintile scores 1–5 of `values` (same order): the lowest fifth scores 1,
/// the highest 5; equal values share the score of the first of them. With
/// `lower_is_better` (recency in days) the order is reversed.
pub fn quintiles(values: &[i64], lower_is_better: bool) -> Vec<u8> {
    let n = values.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by_key(|&i| values[i]);
    if lower_is_better {
        idx.reverse();
    }
    let mut out = vec![0u8; n];
    let mut k = 0;
    while k < n {
        let mut j = k;
        while j + 1 < n && values[idx[j + 1]] == values[idx[k]] {
            j += 1;
        }
        let score = (k * 5 / n) as u8 + 1;
        for &i in &idx[k..=j] {
            out[i] = score;
        }
        k = j + 1;
    }
    out
}

/// RFM of one customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rfm {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
}

impl Rfm {
    /// "555" style code.
    pub fn code(&self) -> String {
        format!("{}{}{}", self.recency, self.frequency, self.monetary)
    }
}

/// RFM scores of customers given (days since last order, orders, revenue).
pub fn rfm(facts: &[(i64, i64, i64)]) -> Vec<Rfm> {
    let r = quintiles(&facts.iter().map(|f| f.0).collect::<Vec<_>>(), true);
    let f = quintiles(&facts.iter().map(|f| f.1).collect::<Vec<_>>(), false);
    let m = quintiles(&facts.iter().map(|f| f.2).collect::<Vec<_>>(), false);
    (0..facts.len())
        .map(|i| Rfm {
            recency: r[i],
            frequency: f[i],
            monetary: m[i],
        })
        .collect()
}

/// A customer's stage derived from the order history: the contacts'
/// lifecycle vocabulary.
pub use crate::contacts::domain::Lifecycle as Stage;

/// The rules that derive the stage (workspace settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageRules {
    /// No order for this many days: churned.
    pub churn_days: i64,
    /// At least this many orders: growing.
    pub growing_orders: i64,
    /// At least this many orders: loyal.
    pub loyal_orders: i64,
}

impl Default for StageRules {
    fn default() -> Self {
        StageRules {
            churn_days: 180,
            growing_orders: 2,
            loyal_orders: 5,
        }
    }
}

pub fn stage_of(history: &[Purchase], today: NaiveDate, rules: StageRules) -> Stage {
    let Some(last) = history.iter().map(|p| p.day).max() else {
        return Stage::Prospect;
    };
    let n = history.iter().filter(|p| p.day <= today).count() as i64;
    if (today - last).num_days() >= rules.churn_days {
        Stage::Churned
    } else if n >= rules.loyal_orders {
        Stage::Loyal
    } else if n >= rules.growing_orders {
        Stage::Growing
    } else {
        Stage::NewCustomer
    }
}

/// Deals closed in a period: win rate, average won deal, cycle length.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SalesFigures {
    pub won: i64,
    pub lost: i64,
    pub won_value: i64,
    /// Σ days from creation to win.
    pub won_days: i64,
}

impl SalesFigures {
    pub fn win_rate_bp(&self) -> Option<i64> {
        ratio_bp(self.won, self.won + self.lost)
    }

    pub fn average_deal(&self) -> i64 {
        average(self.won_value, self.won)
    }

    pub fn cycle_days(&self) -> Option<i64> {
        (self.won > 0).then(|| average(self.won_days, self.won))
    }
}

/// Attainment of a target, in basis points.
pub fn attainment_bp(actual: i64, target: i64) -> Option<i64> {
    ratio_bp(actual, target)
}

/// A commission plan: a flat rate, or marginal tiers (from `threshold`
/// minor units of the month's revenue upwards, `rate_bp`), sorted by
/// threshold, the first starting at 0.
pub fn commission(revenue: i64, tiers: &[(i64, i64)]) -> i64 {
    let mut total: i128 = 0;
    for (k, (from, rate)) in tiers.iter().enumerate() {
        let to = tiers.get(k + 1).map_or(i64::MAX, |t| t.0);
        let part = revenue.min(to) - from;
        if part > 0 {
            total += i128::from(part) * i128::from(*rate);
        }
    }
    clamp(round_div(total, BP))
}

/// "Bought together": for each pair of products, the customers who bought
/// both; kept only from `min_support` customers up. Each basket is one
/// customer's distinct products.
pub fn co_purchases(baskets: &[Vec<i64>], min_support: i64) -> Vec<((i64, i64), i64)> {
    let mut counts: HashMap<(i64, i64), i64> = HashMap::new();
    for b in baskets {
        let mut items = b.clone();
        items.sort_unstable();
        items.dedup();
        for (i, a) in items.iter().enumerate() {
            for c in &items[i + 1..] {
                *counts.entry((*a, *c)).or_insert(0) += 1;
            }
        }
    }
    let mut out: Vec<((i64, i64), i64)> = counts
        .into_iter()
        .filter(|(_, n)| *n >= min_support)
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// NPS answers of a group (a month, a campaign): promoters score 9–10,
/// passives 7–8, detractors 0–6; other numbers are not answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NpsTally {
    pub promoters: i64,
    pub passives: i64,
    pub detractors: i64,
}

impl NpsTally {
    pub fn of(scores: impl IntoIterator<Item = i32>) -> NpsTally {
        let mut t = NpsTally::default();
        for s in scores {
            t.add(s);
        }
        t
    }

    pub fn add(&mut self, score: i32) {
        match score {
            9..=10 => self.promoters += 1,
            7..=8 => self.passives += 1,
            0..=6 => self.detractors += 1,
            _ => {}
        }
    }

    pub fn responses(&self) -> i64 {
        self.promoters + self.passives + self.detractors
    }

    /// NPS = % promoters − % detractors, a whole number from −100 to 100
    /// (rounded half away from zero); None without answers.
    pub fn score(&self) -> Option<i64> {
        let n = self.responses();
        (n > 0).then(|| {
            round_div(
                i128::from(self.promoters - self.detractors) * 100,
                i128::from(n),
            ) as i64
        })
    }
}

/// NPS of a list of 0–10 scores (see [`NpsTally::score`]).
pub fn nps(scores: &[i32]) -> Option<i64> {
    NpsTally::of(scores.iter().copied()).score()
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;

/// The workspace's Insights settings (`insight_settings`, admin form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Discount rate i of the CLV, basis points a year.
    pub discount_bp: i64,
    /// Horizon T of the CLV, years.
    pub horizon_years: u32,
    /// No order for this many days: the customer is lost (churn) and
    /// "churned" (lifecycle).
    pub churn_days: i64,
    /// Average margin of revenue for the projected CLV, basis points.
    pub margin_bp: i64,
    pub growing_orders: i64,
    pub loyal_orders: i64,
    /// Customers two products must share to be recommended together.
    pub min_support: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            discount_bp: 1_000,
            horizon_years: 5,
            churn_days: 180,
            margin_bp: 3_000,
            growing_orders: 2,
            loyal_orders: 5,
            min_support: 2,
        }
    }
}

impl Settings {
    pub fn rules(&self) -> StageRules {
        StageRules {
            churn_days: self.churn_days,
            growing_orders: self.growing_orders,
            loyal_orders: self.loyal_orders,
        }
    }
}
