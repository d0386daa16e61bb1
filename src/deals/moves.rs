//! Moving a deal to another stage — and so winning, losing and reopening
//! it, since a deal's status is its stage's outcome. One conditional
//! `UPDATE … WHERE id = ? AND version = ?` inside `write_tx`: 0 rows means
//! someone else moved or edited the deal since the form was drawn, and the
//! caller answers 409 with the fresh board instead of overwriting
//! (docs/concurrency.md). The same transaction records the stage change
//! and a timeline entry.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::DealStatus;
use super::repo::{self, Deal};
use crate::auth::policy::Viewer;
use crate::db::schema::{deal_stage_changes, deals};
use crate::db::{DbConn, now, write_tx};
use crate::domain::ids::{DealId, LostReasonId, StageId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, is_stored_key, key};
use crate::pipelines::domain::{Pipeline, Stage};
use crate::pipelines::repo as pipelines;
use crate::records::timeline::{self, ActivityKind, SystemEvent};
use crate::records::{Links, RecordRef};

/// A move as posted: where to, from which version, and for a lost stage
/// the reason (from the catalogue) and an optional note.
#[derive(Clone, Debug)]
pub struct Move {
    pub deal: DealId,
    pub to: StageId,
    pub version: i32,
    pub reason: Option<LostReasonId>,
    pub note: Option<String>,
}

/// Why a move was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The deal changed since the form was drawn (409).
    Conflict,
    /// A lost stage needs a reason from the catalogue (422).
    NeedsReason,
    /// The stage is not one of the deal's pipeline (422).
    UnknownStage,
}

/// What happened, for the page that answers.
pub struct Moved {
    pub deal: Deal,
    pub pipeline: Pipeline,
    /// The stage the deal was in before.
    pub from: StageId,
}

/// Writes one stage change of the deal's history.
pub fn record_change(
    conn: &mut DbConn,
    deal: DealId,
    from: Option<StageId>,
    to: StageId,
    by: Option<UserId>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(deal_stage_changes::table)
        .values((
            deal_stage_changes::deal_id.eq(deal),
            deal_stage_changes::from_stage_id.eq(from),
            deal_stage_changes::to_stage_id.eq(to),
            deal_stage_changes::user_id.eq(by),
            deal_stage_changes::changed_at.eq(at),
        ))
        .execute(conn)
}

/// One row of a deal's stage history, newest first.
#[derive(Clone, Debug)]
pub struct Change {
    pub from: Option<StageId>,
    pub to: StageId,
    pub by: Option<String>,
    pub at: NaiveDateTime,
}

pub fn history(conn: &mut DbConn, deal: DealId) -> QueryResult<Vec<Change>> {
    use crate::db::schema::users;
    let rows: Vec<(Option<StageId>, StageId, Option<String>, NaiveDateTime)> =
        deal_stage_changes::table
            .left_join(users::table)
            .filter(deal_stage_changes::deal_id.eq(deal))
            .order((
                deal_stage_changes::changed_at.desc(),
                deal_stage_changes::id.desc(),
            ))
            .select((
                deal_stage_changes::from_stage_id,
                deal_stage_changes::to_stage_id,
                users::name.nullable(),
                deal_stage_changes::changed_at,
            ))
            .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(from, to, by, at)| Change { from, to, by, at })
        .collect())
}

/// Where a won deal's next step starts: a draft quote for its customer
/// with the deal's value (`orders::draft_from_deal`), inside the move's
/// transaction, so a won deal and its draft are written together.
pub fn on_won(conn: &mut DbConn, deal: &Deal, by: UserId) -> AppResult<()> {
    crate::orders::draft_from_deal(
        conn,
        &crate::orders::WonDeal {
            id: deal.id,
            title: &deal.title,
            contact_id: deal.contact_id,
            account_id: deal.account_id,
            owner_id: deal.owner_id,
            value_minor: deal.value_minor,
            currency: &deal.currency,
        },
        by,
    )?;
    Ok(())
}

/// The deal's stage, `deal_stage_changes` row and timeline entry for a move,
/// or why not. The deal must be within the viewer's reach (else NotFound).
pub fn apply(
    conn: &mut DbConn,
    viewer: &Viewer,
    m: &Move,
) -> AppResult<Result<Moved, (Refused, Moved)>> {
    let deal = repo::get_for(conn, viewer, m.deal)?.ok_or(AppError::NotFound)?;
    let pipeline = pipelines::one(conn, deal.pipeline_id)?.ok_or(AppError::NotFound)?;
    let here = Moved {
        deal: deal.clone(),
        pipeline: pipeline.clone(),
        from: deal.stage_id,
    };
    let Some(to) = pipeline.stage(m.to).cloned() else {
        return Ok(Err((Refused::UnknownStage, here)));
    };
    if m.version != deal.version {
        return Ok(Err((Refused::Conflict, here)));
    }
    let reason = match (to.outcome, m.reason) {
        (DealStatus::Lost, Some(r)) => match pipelines::active_reason(conn, r)? {
            Some(_) => Some(r),
            None => return Ok(Err((Refused::NeedsReason, here))),
        },
        (DealStatus::Lost, None) => return Ok(Err((Refused::NeedsReason, here))),
        _ => None,
    };
    if to.id == deal.stage_id && to.outcome != DealStatus::Lost {
        return Ok(Ok(here));
    }
    let by = UserId::new(viewer.user_id);
    let from = pipeline.stage(deal.stage_id).cloned();
    let written = write_tx(conn, |c| {
        let t = now();
        let n = diesel::update(
            deals::table
                .filter(deals::id.eq(deal.id))
                .filter(deals::version.eq(m.version)),
        )
        .set((
            deals::stage_id.eq(to.id),
            deals::status.eq(to.outcome),
            deals::won_at.eq((to.outcome == DealStatus::Won).then_some(t)),
            deals::lost_at.eq((to.outcome == DealStatus::Lost).then_some(t)),
            deals::lost_reason_id.eq(reason),
            deals::lost_note.eq(if reason.is_some() {
                m.note.clone()
            } else {
                None
            }),
            deals::stage_entered_at.eq(t),
            deals::version.eq(m.version + 1),
            deals::updated_at.eq(t),
        ))
        .execute(c)?;
        if n == 0 {
            return Ok(false);
        }
        record_change(c, deal.id, Some(deal.stage_id), to.id, Some(by), t)?;
        timeline::log_event(
            c,
            filing(&deal),
            &SystemEvent {
                kind: ActivityKind::Stage,
                message: change_note(from.as_ref(), &to),
                author: Some(by),
                reference: None,
            },
        )?;
        if to.outcome == DealStatus::Won {
            on_won(c, &deal, by)?;
        }
        Ok::<_, AppError>(true)
    })?;
    if !written {
        return Ok(Err((Refused::Conflict, here)));
    }
    let deal = repo::get_for(conn, viewer, m.deal)?.ok_or(AppError::NotFound)?;
    Ok(Ok(Moved {
        deal,
        pipeline,
        from: here.from,
    }))
}

/// The records an entry on the deal is filed under: the deal, its contact
/// and its account (so it shows on their timelines too).
pub fn filing(deal: &Deal) -> Links {
    Links::of(RecordRef::Deal(deal.id))
        .with_opt(deal.contact_id.map(RecordRef::Contact))
        .with_opt(deal.account_id.map(RecordRef::Account))
}

/// "Moved from Qualified to Proposal.", worded for whoever reads the
/// timeline; a stage name that is a catalogue key (a default stage) is
/// worded too, a name an admin typed is shown as typed.
fn change_note(from: Option<&Stage>, to: &Stage) -> StoredMessage {
    let m = match (to.outcome, from) {
        (DealStatus::Won, _) => StoredMessage::new(key("deals-note-won")),
        (DealStatus::Lost, _) => StoredMessage::new(key("deals-note-lost")),
        (DealStatus::Open, Some(f)) => {
            stage_arg(StoredMessage::new(key("deals-note-moved")), "from", f)
        }
        (DealStatus::Open, None) => StoredMessage::new(key("deals-note-entered")),
    };
    stage_arg(m, "to", to)
}

fn stage_arg(m: StoredMessage, arg: &str, s: &Stage) -> StoredMessage {
    if is_stored_key(&s.name) {
        m.message(
            arg,
            StoredMessage {
                key: s.name.clone(),
                args: Default::default(),
            },
        )
    } else {
        m.text(arg, s.name.as_str())
    }
}
