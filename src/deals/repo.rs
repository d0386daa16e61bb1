//! Deal queries. Every read is limited to the deals whose owner the viewer's
//! record scope reaches (`Reach`, owner ids on the `owner_id` index, as
//! `tags::in_scope` does); an out-of-scope id is "not found".

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{IntoBoxed, LeftJoin, sql};
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::domain::{DealSource, DealStatus, Filters, ListOptions, Sort};
use crate::auth::policy::Viewer;
use crate::db::schema::{accounts, contacts, deals, users};
use crate::db::{Backend, DbConn, last_insert_id, now};
use crate::domain::ids::{AccountId, ContactId, DealId, LostReasonId, PipelineId, StageId, UserId};
use crate::web::list::{self, Key, Keyed, Plan};

/// Whose deals a query may return: owner ids (None: everyone's), the
/// viewer's scope narrowed by the owner, team and "my deals" filters.
#[derive(Clone, Debug)]
pub struct Reach(Option<Vec<i64>>);

impl Reach {
    /// The viewer's scope alone.
    pub fn of(conn: &mut DbConn, viewer: &Viewer) -> QueryResult<Reach> {
        Ok(Reach(crate::staff::repo::visible_owner_ids(conn, viewer)?))
    }

    /// The viewer's scope narrowed by the filters.
    pub fn filtered(conn: &mut DbConn, viewer: &Viewer, f: &Filters) -> QueryResult<Reach> {
        let mut reach = Reach::of(conn, viewer)?;
        if f.mine {
            reach = reach.narrow(vec![viewer.user_id]);
        }
        if let Some(owner) = f.owner {
            reach = reach.narrow(vec![owner]);
        }
        if let Some(team) = f.team {
            let members: Vec<i64> = users::table
                .filter(users::team_id.eq(team))
                .select(users::id)
                .load(conn)?;
            reach = reach.narrow(members);
        }
        Ok(reach)
    }

    fn narrow(self, to: Vec<i64>) -> Reach {
        Reach(Some(match self.0 {
            None => to,
            Some(have) => have.into_iter().filter(|o| to.contains(o)).collect(),
        }))
    }

    pub fn owners(&self) -> Option<&[i64]> {
        self.0.as_deref()
    }
}

pub type Joined = IntoBoxed<
    'static,
    LeftJoin<LeftJoin<LeftJoin<deals::table, users::table>, contacts::table>, accounts::table>,
    Backend,
>;

/// Deals with their owner, contact and account names, within reach.
pub fn visible(reach: &Reach) -> Joined {
    let q = deals::table
        .left_join(users::table)
        .left_join(contacts::table)
        .left_join(accounts::table)
        .into_boxed();
    match reach.owners() {
        None => q,
        Some(owners) => q.filter(deals::owner_id.eq_any(owners.to_vec())),
    }
}

/// A deal as pages, cards and list rows show it.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = deals, check_for_backend(crate::db::MultiBackend))]
pub struct Deal {
    pub id: DealId,
    pub title: String,
    pub contact_id: Option<ContactId>,
    pub account_id: Option<AccountId>,
    pub owner_id: UserId,
    pub pipeline_id: PipelineId,
    pub stage_id: StageId,
    pub value_minor: i64,
    pub currency: String,
    pub expected_close: Option<NaiveDate>,
    pub source: DealSource,
    pub probability: Option<i32>,
    pub status: DealStatus,
    pub lost_reason_id: Option<LostReasonId>,
    pub lost_note: Option<String>,
    pub won_at: Option<NaiveDateTime>,
    pub lost_at: Option<NaiveDateTime>,
    pub stage_entered_at: NaiveDateTime,
    pub last_activity_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The lead score (0–100) the `score_leads` job wrote; None until then.
    pub score: Option<i32>,
    pub scored_at: Option<NaiveDateTime>,
    #[diesel(select_expression = users::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::name>)]
    pub owner_name: Option<String>,
    #[diesel(select_expression = contacts::first_name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::first_name>)]
    pub contact_first: Option<String>,
    #[diesel(select_expression = contacts::last_name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::last_name>)]
    pub contact_last: Option<String>,
    #[diesel(select_expression = accounts::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<accounts::name>)]
    pub account_name: Option<String>,
}

impl Deal {
    pub fn contact_name(&self) -> Option<String> {
        self.contact_id.map(|_| {
            crate::domain::person_name(
                self.contact_first.as_deref().unwrap_or(""),
                self.contact_last.as_deref().unwrap_or(""),
            )
        })
    }

    /// The account's name, else the contact's: who the deal is with.
    pub fn party(&self) -> Option<String> {
        self.account_name.clone().or_else(|| self.contact_name())
    }
}

pub fn get(conn: &mut DbConn, reach: &Reach, id: DealId) -> QueryResult<Option<Deal>> {
    visible(reach)
        .filter(deals::id.eq(id))
        .select(Deal::as_select())
        .first(conn)
        .optional()
}

/// The deal if the viewer's scope reaches it.
pub fn get_for(conn: &mut DbConn, viewer: &Viewer, id: DealId) -> QueryResult<Option<Deal>> {
    let reach = Reach::of(conn, viewer)?;
    get(conn, &reach, id)
}

/// Words of the search must each appear in the title.
/// Deals with a title word starting with each typed word, read through the
/// words' matches (`Plan::Narrow`, the same on both backends).
pub fn searched(q: Joined, terms: &[String]) -> Joined {
    searched_by(q, terms, Plan::Narrow)
}

/// The words' filters, written for `plan` (`filter_by_word!`): under
/// `Plan::Walk` (a common word) the sort's index drives and each deal is
/// probed for the word.
fn searched_by(mut q: Joined, terms: &[String], plan: Plan) -> Joined {
    let Some(prefixes) = crate::search::prefixes_of(terms) else {
        return q.filter(deals::id.lt(DealId::new(0)));
    };
    for (i, prefix) in prefixes.iter().enumerate() {
        crate::filter_by_word!(
            q,
            plan.for_word(i),
            crate::search::Kind::Deal,
            prefix,
            deals::id,
            "deals.id"
        );
    }
    q
}
/// The deals with a title word starting with `prefix` (`search_terms`).
pub fn title_starting(prefix: &str) -> crate::search::index::PrefixSubquery {
    crate::search::prefix_subquery(crate::search::Kind::Deal, prefix)
}

/// The filters the board and the list share, beside the reach.
pub fn filtered(mut q: Joined, f: &Filters) -> Joined {
    if let Some(source) = f.source {
        q = q.filter(deals::source.eq(source));
    }
    if let Some(tag) = &f.tag {
        q = q.filter(deals::id.nullable().eq_any(crate::tags::tagged_deals(tag)));
    }
    q
}

fn listed(reach: &Reach, opts: &ListOptions, plan: Plan) -> Joined {
    let mut q = filtered(
        searched_by(visible(reach), &opts.terms, plan),
        &opts.filters,
    );
    if let Some(stage) = opts.filters.stage {
        q = q.filter(deals::stage_id.eq(stage));
    }
    if let Some(status) = opts.filters.status {
        q = q.filter(deals::status.eq(status));
    }
    if let Some(p) = opts.filters.pipeline {
        q = q.filter(deals::pipeline_id.eq(p));
    }
    closed_between(q, &opts.filters)
}

/// Deals won or lost in the filter's `[closed_since, closed_until)`: the
/// won time for won deals, the lost time for lost ones, either otherwise.
fn closed_between(mut q: Joined, f: &Filters) -> Joined {
    let (since, until) = (f.closed_since, f.closed_until);
    if since.is_none() && until.is_none() {
        return q;
    }
    // An open side is a bound every database accepts as a DATETIME.
    let bound = |y| NaiveDate::from_ymd_opt(y, 1, 1).map(|d| d.and_time(chrono::NaiveTime::MIN));
    let (Some(first), Some(last)) = (bound(1970), bound(9999)) else {
        return q;
    };
    let (since, until) = (since.unwrap_or(first), until.unwrap_or(last));
    let won = deals::won_at.ge(since).and(deals::won_at.lt(until));
    let lost = deals::lost_at.ge(since).and(deals::lost_at.lt(until));
    q = match f.status {
        Some(DealStatus::Won) => q.filter(won),
        Some(DealStatus::Lost) => q.filter(lost),
        _ => q.filter(won.or(lost)),
    };
    q
}

pub fn count_capped(conn: &mut DbConn, reach: &Reach, opts: &ListOptions) -> QueryResult<i64> {
    list::count_capped(conn, listed(reach, opts, Plan::Narrow).select(deals::id))
}

/// The list page the options point at; `counted` matches (capped) choose
/// how a searched word is read (`Plan::for_count`).
pub fn list(
    conn: &mut DbConn,
    reach: &Reach,
    opts: &ListOptions,
    counted: i64,
) -> QueryResult<Vec<Deal>> {
    // Title words mostly start the titles the list then sorts by: walking
    // the title index would pass every row before the matches.
    let plan = match opts.sort {
        Sort::Title => Plan::Narrow,
        Sort::Value | Sort::Close | Sort::Updated => Plan::for_count(counted),
    };
    let mut q = listed(reach, opts, plan);
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    q.order(sql::<Text>(&opts.order_sql()))
        .select(Deal::as_select())
        .offset(opts.offset())
        .limit(opts.fetch())
        .load(conn)
}

impl Keyed<Sort> for Deal {
    fn id(&self) -> i64 {
        self.id.get()
    }

    fn keys(&self, sort: Sort) -> Vec<Key> {
        vec![match sort {
            Sort::Title => (&self.title).into(),
            Sort::Value => Key::Int(self.value_minor),
            Sort::Close => self.expected_close.map_or(Key::Null, Key::Date),
            Sort::Updated => self.updated_at.into(),
        }]
    }
}

/// A deal as its form gives it (stage and pipeline chosen and checked).
#[derive(Clone, Debug)]
pub struct DealInput {
    pub title: String,
    pub contact_id: Option<ContactId>,
    pub account_id: Option<AccountId>,
    pub value_minor: i64,
    pub currency: String,
    pub expected_close: Option<NaiveDate>,
    pub source: DealSource,
    pub probability: Option<i32>,
    pub tags: Vec<String>,
}

/// A new deal in `stage` (an open stage of `pipeline`), with its first
/// stage change recorded.
pub fn insert(
    conn: &mut DbConn,
    input: &DealInput,
    owner: UserId,
    (pipeline, stage): (PipelineId, StageId),
    by: UserId,
) -> QueryResult<DealId> {
    let t = now();
    diesel::insert_into(deals::table)
        .values((
            deals::title.eq(&input.title),
            deals::contact_id.eq(input.contact_id),
            deals::account_id.eq(input.account_id),
            deals::owner_id.eq(owner),
            deals::pipeline_id.eq(pipeline),
            deals::stage_id.eq(stage),
            deals::value_minor.eq(input.value_minor),
            deals::currency.eq(&input.currency),
            deals::expected_close.eq(input.expected_close),
            deals::source.eq(input.source),
            deals::probability.eq(input.probability),
            deals::status.eq(DealStatus::Open),
            deals::stage_entered_at.eq(t),
            deals::version.eq(1),
            deals::created_at.eq(t),
            deals::updated_at.eq(t),
        ))
        .execute(conn)?;
    let id = DealId::new(last_insert_id(conn)?);
    crate::search::index::reindex_deals(conn, &[id.get()])?;
    super::moves::record_change(conn, id, None, stage, Some(by), t)?;
    Ok(id)
}

/// Saves the form's fields if the deal is still at `version`; 0 rows when
/// someone changed it meanwhile (the caller answers 409).
pub fn update(
    conn: &mut DbConn,
    id: DealId,
    version: i32,
    input: &DealInput,
    owner: UserId,
) -> QueryResult<usize> {
    let n = diesel::update(
        deals::table
            .filter(deals::id.eq(id))
            .filter(deals::version.eq(version)),
    )
    .set((
        deals::title.eq(&input.title),
        deals::contact_id.eq(input.contact_id),
        deals::account_id.eq(input.account_id),
        deals::owner_id.eq(owner),
        deals::value_minor.eq(input.value_minor),
        deals::currency.eq(&input.currency),
        deals::expected_close.eq(input.expected_close),
        deals::source.eq(input.source),
        deals::probability.eq(input.probability),
        deals::version.eq(version + 1),
        deals::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if n > 0 {
        crate::search::index::reindex_deals(conn, &[id.get()])?;
    }
    Ok(n)
}

/// Activity on the deal: it is not rotting.
pub fn touch(conn: &mut DbConn, id: DealId) -> QueryResult<usize> {
    let t = now();
    diesel::update(deals::table.find(id))
        .set((deals::last_activity_at.eq(t), deals::updated_at.eq(t)))
        .execute(conn)
}

/// Deletes the deal; its entries, tasks, tags and stage history go with it
/// (ON DELETE CASCADE).
pub fn delete(conn: &mut DbConn, id: DealId) -> QueryResult<usize> {
    crate::search::index::remove(conn, crate::search::Kind::Deal, &[id.get()])?;
    diesel::delete(deals::table.find(id)).execute(conn)
}

/// Open deals on a contact's or account's page.
pub fn of_record(
    conn: &mut DbConn,
    reach: &Reach,
    record: crate::records::RecordRef,
    limit: i64,
) -> QueryResult<Vec<Deal>> {
    use crate::records::RecordRef;
    let q = visible(reach);
    let q = match record {
        RecordRef::Contact(id) => q.filter(deals::contact_id.eq(id)),
        RecordRef::Account(id) => q.filter(deals::account_id.eq(id)),
        RecordRef::Deal(id) => q.filter(deals::id.eq(id)),
        RecordRef::Order(_) | RecordRef::Ticket(_) => return Ok(Vec::new()),
    };
    q.order(deals::id.desc())
        .limit(limit)
        .select(Deal::as_select())
        .load(conn)
}
