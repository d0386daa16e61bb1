//! The forecast: open deals' value and probability-weighted value by
//! expected-close month, for the current month and the five after it,
//! with the overdue ones (expected before this month, still open) in a
//! bucket of their own — per currency, and per owner.
//!
//! One grouped query (open deals of the pipeline within the viewer's reach
//! and filters, closing before the end of the sixth month, grouped by close
//! date, owner, currency and probability) feeds [`Forecast::build`], which
//! adds them up exactly in 128-bit integers and rounds each weighted sum
//! once, as the board's column totals do.

use chrono::{Datelike, Months, NaiveDate};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::board::{BoardQuery, narrow_board};
use super::domain::{DealStatus, weighted_minor};
use super::repo::Reach;
use crate::db::schema::deals;
use crate::db::{DbConn, sum_bigint};
use crate::domain::ids::StageId;
use crate::pipelines::domain::Pipeline;

/// Months shown: this one and the five after it.
pub const MONTHS: usize = 6;

/// One group of open deals from the query.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub close: NaiveDate,
    pub owner_id: i64,
    pub currency: String,
    /// The deal's own probability, else its stage's.
    pub percent: i32,
    pub sum_minor: i64,
}

/// Value and weighted value of one bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Amounts {
    pub total_minor: i64,
    pub weighted_minor: i64,
}

/// One currency's forecast: buckets are "overdue" then the months.
#[derive(Clone, Debug, PartialEq)]
pub struct CurrencyForecast {
    pub currency: String,
    pub buckets: Vec<Amounts>,
    /// Per owner (id), weighted by bucket.
    pub owners: Vec<(i64, Vec<i64>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    /// The first day of each month shown.
    pub months: Vec<NaiveDate>,
    pub currencies: Vec<CurrencyForecast>,
}

/// The first day of `today`'s month and of the months after it.
pub fn months_from(today: NaiveDate) -> Vec<NaiveDate> {
    let first = today.with_day(1).unwrap_or(today);
    (0..MONTHS as u32)
        .filter_map(|m| first.checked_add_months(Months::new(m)))
        .collect()
}

impl Forecast {
    /// Adds the groups up into buckets: 0 is overdue, 1.. the months.
    pub fn build(months: Vec<NaiveDate>, groups: &[Group]) -> Forecast {
        let buckets = months.len() + 1;
        let bucket_of = |d: NaiveDate| -> Option<usize> {
            if months.first().is_some_and(|m| d < *m) {
                return Some(0);
            }
            months
                .iter()
                .rposition(|m| d >= *m)
                .map(|i| i + 1)
                .filter(|_| {
                    months
                        .last()
                        .and_then(|m| m.checked_add_months(Months::new(1)))
                        .is_some_and(|end| d < end)
                })
        };
        // Exact sums first: per currency, per bucket (value, value × percent),
        // and per owner, per bucket, value × percent.
        type Sums = Vec<(i128, i128)>;
        type Owners = Vec<(i64, Vec<i128>)>;
        let mut exact: Vec<(String, Sums, Owners)> = Vec::new();
        for g in groups {
            let Some(b) = bucket_of(g.close) else {
                continue;
            };
            let i = match exact.iter().position(|e| e.0 == g.currency) {
                Some(i) => i,
                None => {
                    exact.push((g.currency.clone(), vec![(0, 0); buckets], Vec::new()));
                    exact.len() - 1
                }
            };
            let weighted = i128::from(g.sum_minor) * i128::from(g.percent);
            let entry = &mut exact[i];
            entry.1[b].0 += i128::from(g.sum_minor);
            entry.1[b].1 += weighted;
            let o = match entry.2.iter().position(|o| o.0 == g.owner_id) {
                Some(o) => o,
                None => {
                    entry.2.push((g.owner_id, vec![0; buckets]));
                    entry.2.len() - 1
                }
            };
            entry.2[o].1[b] += weighted;
        }
        exact.sort_by(|a, b| a.0.cmp(&b.0));
        Forecast {
            months,
            currencies: exact
                .into_iter()
                .map(|(currency, sums, mut owners)| {
                    owners.sort_by_key(|o| o.0);
                    CurrencyForecast {
                        currency,
                        buckets: sums
                            .into_iter()
                            .map(|(total, weighted)| Amounts {
                                total_minor: i64::try_from(total).unwrap_or(i64::MAX),
                                weighted_minor: weighted_minor(weighted),
                            })
                            .collect(),
                        owners: owners
                            .into_iter()
                            .map(|(id, w)| (id, w.into_iter().map(weighted_minor).collect()))
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

/// The open deals of `pipeline` the viewer may see, filtered as the board
/// is, expected to close before the end of the last month, grouped.
pub fn load(
    conn: &mut DbConn,
    reach: &Reach,
    pipeline: &Pipeline,
    b: &BoardQuery,
    months: &[NaiveDate],
) -> QueryResult<Vec<Group>> {
    let Some(end) = months
        .last()
        .and_then(|m| m.checked_add_months(Months::new(1)))
    else {
        return Ok(Vec::new());
    };
    let sum = sum_bigint(conn, "deals.value_minor");
    let q = deals::table
        .filter(deals::pipeline_id.eq(pipeline.id))
        .filter(deals::status.eq(DealStatus::Open))
        .filter(deals::expected_close.lt(end))
        .group_by((
            deals::expected_close,
            deals::owner_id,
            deals::currency,
            deals::probability,
            deals::stage_id,
        ))
        .select((
            deals::expected_close,
            deals::owner_id,
            deals::currency,
            deals::probability,
            deals::stage_id,
            count_star(),
            sql::<BigInt>(&sum),
        ))
        .into_boxed();
    let q = narrow_board!(q, reach, b);
    type Row = (
        Option<NaiveDate>,
        i64,
        String,
        Option<i32>,
        StageId,
        i64,
        i64,
    );
    let rows: Vec<Row> = q.load(conn)?;
    // A deal's own probability, else its stage's (the pipeline is loaded).
    let stage_percent = |id: StageId| {
        pipeline
            .stages
            .iter()
            .find(|s| s.id == id)
            .map_or(0, |s| s.probability)
    };
    Ok(rows
        .into_iter()
        .filter_map(
            |(close, owner_id, currency, own, stage, _count, sum_minor)| {
                Some(Group {
                    close: close?,
                    owner_id,
                    currency,
                    percent: own.unwrap_or_else(|| stage_percent(stage)),
                    sum_minor,
                })
            },
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn g(close: &str, owner: i64, currency: &str, percent: i32, sum: i64) -> Group {
        Group {
            close: d(close),
            owner_id: owner,
            currency: currency.into(),
            percent,
            sum_minor: sum,
        }
    }

    #[test]
    fn six_months_from_the_first_of_this_one() {
        let m = months_from(d("2026-11-27"));
        assert_eq!(m.len(), 6);
        assert_eq!(
            (m[0], m[1], m[5]),
            (d("2026-11-01"), d("2026-12-01"), d("2027-04-01"))
        );
    }

    #[test]
    fn deals_fall_into_their_month_and_weigh_exactly() {
        let f = Forecast::build(
            months_from(d("2026-11-27")),
            &[
                g("2026-10-31", 1, "USD", 50, 1_000),
                g("2026-11-01", 1, "USD", 10, 10_001),
                g("2026-11-30", 2, "USD", 25, 1),
                g("2026-11-30", 2, "USD", 25, 1),
                g("2026-11-30", 2, "USD", 25, 1),
                g("2027-04-30", 1, "USD", 100, 700),
                // After the sixth month: not shown.
                g("2027-05-01", 1, "USD", 100, 999),
                g("2026-12-15", 1, "CNY", 60, 12_345),
            ],
        );
        assert_eq!(f.currencies.len(), 2);
        let (cny, usd) = (&f.currencies[0], &f.currencies[1]);
        assert_eq!(cny.currency, "CNY");
        assert_eq!(
            cny.buckets[2],
            Amounts {
                total_minor: 12_345,
                weighted_minor: 7_407
            }
        );
        assert_eq!(usd.buckets.len(), 7);
        assert_eq!(
            usd.buckets[0],
            Amounts {
                total_minor: 1_000,
                weighted_minor: 500
            }
        );
        // 10001 × 10 % + 3 × 1 × 25 % = 1000.1 + 0.75 → 1,000.85 → 1,001, rounded once.
        assert_eq!(
            usd.buckets[1],
            Amounts {
                total_minor: 10_004,
                weighted_minor: 1_001
            }
        );
        assert_eq!(
            usd.buckets[6],
            Amounts {
                total_minor: 700,
                weighted_minor: 700
            }
        );
        assert_eq!(
            usd.buckets.iter().map(|b| b.total_minor).sum::<i64>(),
            11_704
        );
        assert_eq!(usd.owners.len(), 2);
        assert_eq!(usd.owners[0], (1, vec![500, 1_000, 0, 0, 0, 0, 700]));
        assert_eq!(usd.owners[1], (2, vec![0, 1, 0, 0, 0, 0, 0]));
    }

    #[test]
    fn nothing_open_is_an_empty_forecast() {
        let f = Forecast::build(months_from(d("2026-01-31")), &[]);
        assert!(f.currencies.is_empty());
        assert_eq!(f.months[1], d("2026-02-01"));
    }
}
