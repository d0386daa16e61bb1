//! The close-month board's data: a pipeline's open deals by expected close
//! month — "overdue" (before this month), "no date", this month and the
//! five after it, and "later" — with per-column totals, and moving a deal
//! to another month (or to "no date").
//!
//! A move keeps the day of the month (the 31st becomes the month's last
//! day when the month is shorter); a deal without a date gets the month's
//! last day. It is one `UPDATE deals … WHERE id = ? AND version = ?` in
//! `write_tx` with a timeline entry, as stage moves are: 0 rows is a
//! conflict (409), never a lost update.

use chrono::{Datelike, Months, NaiveDate};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::board::{BoardQuery, COLUMN_PAGE, Card, narrow_board};
use super::domain::{DealStatus, TotalsGroup, column_totals};
use super::forecast::{MONTHS, months_from};
use super::repo::{self, Deal, Reach};
use crate::auth::policy::Viewer;
use crate::db::schema::deals;
use crate::db::{DbConn, now, sum_bigint, write_tx};
use crate::domain::ids::{DealId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key};
use crate::pipelines::domain::{Pipeline, Stage};
use crate::records::timeline::{self, ActivityKind, SystemEvent};
use crate::web::list::menus::MenuCache;

/// A column of the close-month board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    /// Expected before this month and still open.
    Overdue,
    /// No expected close date.
    NoDate,
    /// The month starting on this day.
    Month(NaiveDate),
    /// After the last month shown.
    Later,
}

impl Bucket {
    /// The key in the page (`data-drop`) and the move form's value.
    pub fn key(&self) -> String {
        match self {
            Bucket::Overdue => "overdue".into(),
            Bucket::NoDate => "none".into(),
            Bucket::Month(m) => m.format("%Y-%m").to_string(),
            Bucket::Later => "later".into(),
        }
    }

    /// A deal may be moved here (a month shown, or "no date").
    pub fn is_target(&self) -> bool {
        matches!(self, Bucket::NoDate | Bucket::Month(_))
    }
}

/// The board's columns for `today`.
pub fn buckets(today: NaiveDate) -> Vec<Bucket> {
    let mut out = vec![Bucket::Overdue, Bucket::NoDate];
    out.extend(months_from(today).into_iter().map(Bucket::Month));
    out.push(Bucket::Later);
    out
}

/// The column a close date falls in.
pub fn bucket_of(close: Option<NaiveDate>, months: &[NaiveDate]) -> Bucket {
    let Some(d) = close else {
        return Bucket::NoDate;
    };
    match (months.first(), months.last()) {
        (Some(first), _) if d < *first => Bucket::Overdue,
        (_, Some(last))
            if last
                .checked_add_months(Months::new(1))
                .is_some_and(|e| d >= e) =>
        {
            Bucket::Later
        }
        _ => months
            .iter()
            .rev()
            .find(|m| d >= **m)
            .map_or(Bucket::Later, |m| Bucket::Month(*m)),
    }
}

/// Where a move sends the deal: a month shown ("2026-12") or "none".
pub fn target(raw: &str, months: &[NaiveDate]) -> Option<Bucket> {
    match raw.trim() {
        "none" => Some(Bucket::NoDate),
        s => {
            let first = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()?;
            months.contains(&first).then_some(Bucket::Month(first))
        }
    }
}

/// The last day of the month starting on `first`.
fn last_day(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(first)
}

/// The new expected close date: the same day of the target month (the
/// month's last day when it is shorter), the last day for a deal without
/// a date, none for "no date".
pub fn moved_date(current: Option<NaiveDate>, to: Bucket) -> Option<NaiveDate> {
    let Bucket::Month(first) = to else {
        return None;
    };
    let last = last_day(first);
    Some(match current {
        Some(d) => first.with_day(d.day()).unwrap_or(last),
        None => last,
    })
}

/// The open deals of the pipeline in one column, first by close date, at
/// most a page; and whether more follow.
fn cards_of(
    conn: &mut DbConn,
    reach: &Reach,
    pipeline: &Pipeline,
    b: &BoardQuery,
    (bucket, months): (Bucket, &[NaiveDate]),
) -> QueryResult<(Vec<Deal>, bool)> {
    let mut q = repo::filtered(repo::searched(repo::visible(reach), &b.terms()), &b.filters)
        .filter(deals::pipeline_id.eq(pipeline.id))
        .filter(deals::status.eq(DealStatus::Open));
    let first = months.first().copied();
    let end = months
        .last()
        .and_then(|m| m.checked_add_months(Months::new(1)));
    q = match bucket {
        Bucket::NoDate => q.filter(deals::expected_close.is_null()),
        Bucket::Overdue => match first {
            Some(f) => q.filter(deals::expected_close.lt(f)),
            None => return Ok((Vec::new(), false)),
        },
        Bucket::Month(m) => {
            let next = m.checked_add_months(Months::new(1)).unwrap_or(m);
            q.filter(deals::expected_close.ge(m))
                .filter(deals::expected_close.lt(next))
        }
        Bucket::Later => match end {
            Some(e) => q.filter(deals::expected_close.ge(e)),
            None => return Ok((Vec::new(), false)),
        },
    };
    let mut rows: Vec<Deal> = q
        .order((deals::expected_close.asc(), deals::id.asc()))
        .limit(COLUMN_PAGE + 1)
        .select(Deal::as_select())
        .load(conn)?;
    let more = rows.len() as i64 > COLUMN_PAGE;
    rows.truncate(COLUMN_PAGE as usize);
    Ok((rows, more))
}

/// A column of the close-month board.
#[derive(Clone, Debug)]
pub struct MonthColumn {
    pub bucket: Bucket,
    pub totals: super::domain::ColumnTotals,
    pub cards: Vec<Card>,
    /// More deals than the cards shown.
    pub more: bool,
}

/// Totals of every column from one grouped query (close date, stage,
/// currency, own probability), weighted with each stage's probability.
fn totals(
    conn: &mut DbConn,
    reach: &Reach,
    pipeline: &Pipeline,
    b: &BoardQuery,
    months: &[NaiveDate],
) -> QueryResult<Vec<(Bucket, TotalsGroup, Stage)>> {
    let sum = sum_bigint(conn, "deals.value_minor");
    let q = deals::table
        .filter(deals::pipeline_id.eq(pipeline.id))
        .filter(deals::status.eq(DealStatus::Open))
        .group_by((
            deals::expected_close,
            deals::stage_id,
            deals::currency,
            deals::probability,
        ))
        .select((
            deals::expected_close,
            deals::stage_id,
            deals::currency,
            deals::probability,
            count_star(),
            sql::<BigInt>(&sum),
        ))
        .into_boxed();
    let q = narrow_board!(q, reach, b);
    type Row = (
        Option<NaiveDate>,
        crate::domain::ids::StageId,
        String,
        Option<i32>,
        i64,
        i64,
    );
    let rows: Vec<Row> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(close, stage, currency, own, count, sum)| {
            let stage = pipeline.stage(stage)?.clone();
            // The stage's default is folded in here: groups of one column
            // may come from several stages.
            let group = TotalsGroup {
                currency,
                own_probability: Some(own.unwrap_or(stage.probability)),
                count,
                sum_minor: sum,
            };
            Some((bucket_of(close, months), group, stage))
        })
        .collect())
}

/// The columns' grouped sums, kept briefly like the board's (`menus::SUMS_TTL`).
static TOTALS: std::sync::LazyLock<MenuCache<Vec<(Bucket, TotalsGroup, Stage)>>> =
    std::sync::LazyLock::new(crate::web::list::menus::sums_cache);

/// The whole close-month board of a pipeline for `today`.
pub fn load(
    conn: &mut DbConn,
    reach: &Reach,
    pipeline: &Pipeline,
    b: &BoardQuery,
    today: NaiveDate,
) -> QueryResult<Vec<MonthColumn>> {
    let months = months_from(today);
    debug_assert_eq!(months.len(), MONTHS);
    let key = super::board::sums_key(pipeline, reach, b, &format!("months {:?}", months.first()));
    let groups = TOTALS.get_keyed(key, || totals(conn, reach, pipeline, b, &months))?;
    let t = now();
    let mut out = Vec::new();
    for bucket in buckets(today) {
        let (rows, more) = cards_of(conn, reach, pipeline, b, (bucket, &months))?;
        let mine: Vec<TotalsGroup> = groups
            .iter()
            .filter(|g| g.0 == bucket)
            .map(|g| g.1.clone())
            .collect();
        let any_stage = pipeline.stages.first().cloned();
        let totals = any_stage.map_or_else(Default::default, |s| column_totals(&s, &mine));
        let cards = rows
            .into_iter()
            .filter_map(|d| {
                let stage = pipeline.stage(d.stage_id)?.clone();
                Some(Card::new(d, &stage, t))
            })
            .collect();
        out.push(MonthColumn {
            bucket,
            totals,
            cards,
            more,
        });
    }
    Ok(out)
}

/// Why a month move was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The deal changed since the board was drawn (409).
    Conflict,
    /// Not a month of the board, or the deal is closed (422).
    Target,
}

/// Moves the deal's expected close to `to` if it is still at `version`;
/// the deal must be within the viewer's reach (else NotFound).
pub fn apply(
    conn: &mut DbConn,
    viewer: &Viewer,
    (id, version): (DealId, i32),
    to: Option<Bucket>,
) -> AppResult<Result<Deal, (Refused, Deal)>> {
    let deal = repo::get_for(conn, viewer, id)?.ok_or(AppError::NotFound)?;
    let Some(to) = to.filter(|_| deal.status == DealStatus::Open) else {
        return Ok(Err((Refused::Target, deal)));
    };
    if version != deal.version {
        return Ok(Err((Refused::Conflict, deal)));
    }
    let date = moved_date(deal.expected_close, to);
    if date == deal.expected_close {
        return Ok(Ok(deal));
    }
    let by = UserId::new(viewer.user_id);
    let written = write_tx(conn, |c| {
        let n = diesel::update(
            deals::table
                .filter(deals::id.eq(id))
                .filter(deals::version.eq(version)),
        )
        .set((
            deals::expected_close.eq(date),
            deals::version.eq(version + 1),
            deals::updated_at.eq(now()),
        ))
        .execute(c)?;
        if n == 0 {
            return Ok(false);
        }
        timeline::log_event(
            c,
            super::moves::filing(&deal),
            &SystemEvent {
                kind: ActivityKind::CloseDate,
                message: close_note(deal.expected_close, date),
                author: Some(by),
                reference: None,
            },
        )?;
        Ok::<_, AppError>(true)
    })?;
    if !written {
        return Ok(Err((Refused::Conflict, deal)));
    }
    Ok(Ok(
        repo::get_for(conn, viewer, id)?.ok_or(AppError::NotFound)?
    ))
}

/// "Expected close moved from 2026-11-15 to 2026-12-15."
fn close_note(from: Option<NaiveDate>, to: Option<NaiveDate>) -> StoredMessage {
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    match (from, to) {
        (Some(f), Some(t)) => StoredMessage::new(key("deals-note-close-moved"))
            .text("from", iso(f))
            .text("to", iso(t)),
        (None, Some(t)) => StoredMessage::new(key("deals-note-close-set")).text("to", iso(t)),
        (_, None) => StoredMessage::new(key("deals-note-close-cleared")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn close_dates_fall_in_their_columns() {
        let months = months_from(d("2026-11-27"));
        assert_eq!(bucket_of(None, &months), Bucket::NoDate);
        assert_eq!(bucket_of(Some(d("2026-10-31")), &months), Bucket::Overdue);
        assert_eq!(
            bucket_of(Some(d("2026-11-01")), &months),
            Bucket::Month(d("2026-11-01"))
        );
        assert_eq!(
            bucket_of(Some(d("2027-04-30")), &months),
            Bucket::Month(d("2027-04-01"))
        );
        assert_eq!(bucket_of(Some(d("2027-05-01")), &months), Bucket::Later);
    }

    #[test]
    fn a_move_keeps_the_day_or_takes_the_last_one() {
        let to = |s: &str| Bucket::Month(d(s));
        assert_eq!(
            moved_date(Some(d("2026-11-15")), to("2027-01-01")),
            Some(d("2027-01-15"))
        );
        assert_eq!(
            moved_date(Some(d("2027-01-31")), to("2027-02-01")),
            Some(d("2027-02-28"))
        );
        assert_eq!(moved_date(None, to("2026-12-01")), Some(d("2026-12-31")));
        assert_eq!(moved_date(Some(d("2026-11-15")), Bucket::NoDate), None);
    }

    #[test]
    fn only_months_shown_and_no_date_are_targets() {
        let months = months_from(d("2026-11-27"));
        assert_eq!(
            target("2026-12", &months),
            Some(Bucket::Month(d("2026-12-01")))
        );
        assert_eq!(target("none", &months), Some(Bucket::NoDate));
        for bad in ["2026-10", "2027-05", "overdue", "later", "2026-13", ""] {
            assert_eq!(target(bad, &months), None, "{bad}");
        }
    }
}
