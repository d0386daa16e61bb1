//! The board, a column's further cards, the deal page, its form and list.

use std::collections::BTreeMap;

use askama::Template;

use super::board::{BoardQuery, Card, Column};
use super::domain::{ColumnTotals, DealSource, DealStatus, ListOptions};
use super::forms::DealForm;
use super::moves::Change;
use super::repo::Deal;
use crate::auth::policy::Action;
use crate::domain::ids::DealId;
use crate::i18n::key;
use crate::pipelines::domain::{LostReason, Pipeline, Stage};
use crate::records::views::TimelinePanel;
use crate::web::forms::FieldErrors;
use crate::web::list::{Column as ListColumn, FilterField, ListMeta, ListState, Pager, ViewLink};
use crate::web::{Chrome, CurrentUser, Section};

/// The deals of a contact or account on its page, with a "New deal" link.
#[derive(Clone, Debug)]
pub struct DealPanel {
    pub record: crate::records::RecordRef,
    pub rows: Vec<Deal>,
    pub can_create: bool,
}

impl DealPanel {
    /// The deal form, prefilled with this record.
    pub fn new_url(&self) -> String {
        format!(
            "/leads/new?{}={}",
            self.record.kind().as_str(),
            self.record.raw_id()
        )
    }
}

/// The filter menus' choices.
#[derive(Default, Clone)]
pub struct FilterChoices {
    pub owners: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
    pub tags: Vec<String>,
}

/// A message above the board or deal (a refused move), with its level.
#[derive(Clone, Debug)]
pub struct Notice {
    pub text: String,
    /// A link to the deal, when the fix is there (a lost reason to pick).
    pub deal: Option<DealId>,
}

/// "$1,200.00 · €300.00": a column's totals per currency.
pub(super) fn amounts(
    loc: &crate::i18n::Locale,
    t: &ColumnTotals,
    pick: fn(&super::domain::CurrencyTotal) -> i64,
) -> String {
    // An empty column has no currency to write a zero in: a dash says "none".
    if t.by_currency.is_empty() {
        return "—".into();
    }
    t.by_currency
        .iter()
        .map(|c| loc.money(pick(c), &c.currency))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A column's next cards after `after`, on the same board (pipeline and filters).
fn more_url(p: &Pipeline, q: &BoardQuery, stage: &Stage, after: Option<DealId>) -> Option<String> {
    after.map(|after| format!("/leads/stages/{}?{}&after={after}", stage.id, q.query(p.id)))
}

/// A column's quick-add form as drawn: its values and errors (a refused
/// one is drawn again in its column, 422).
#[derive(Clone, Debug, Default)]
pub struct QuickAdd {
    pub stage: Option<crate::domain::ids::StageId>,
    pub form: super::forms::QuickForm,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "deals/board.html", blocks = ["board"])]
pub struct BoardPage {
    pub chrome: Chrome,
    pub pipelines: Vec<(i64, String)>,
    pub pipeline: Pipeline,
    pub query: BoardQuery,
    pub columns: Vec<Column>,
    pub choices: FilterChoices,
    pub notice: Option<Notice>,
    pub can_write: bool,
    /// The workspace's currency: the quick-add forms' default.
    pub currency: String,
    /// A refused quick-add, drawn again in its column.
    pub quick: QuickAdd,
    pub currencies: &'static [(&'static str, &'static str, u32)],
}

/// A move's answer on the board: only its columns (`BoardPage::columns`
/// holds just those), swapped in out of band.
#[derive(Template)]
#[template(path = "deals/board_moved.html")]
pub struct BoardMoved(pub BoardPage);

impl std::ops::Deref for BoardMoved {
    type Target = BoardPage;
    fn deref(&self) -> &BoardPage {
        &self.0
    }
}

impl BoardPage {
    pub fn new(
        user: &CurrentUser,
        all: &[Pipeline],
        pipeline: Pipeline,
        query: BoardQuery,
        columns: Vec<Column>,
        (choices, currency): (FilterChoices, String),
    ) -> Self {
        BoardPage {
            chrome: Chrome::new(user, Section::Leads),
            pipelines: all
                .iter()
                .map(|p| (p.id.get(), p.label(&user.locale)))
                .collect(),
            pipeline,
            query,
            columns,
            choices,
            notice: None,
            can_write: user.can(Action::DealsWrite),
            currency,
            quick: QuickAdd::default(),
            currencies: crate::i18n::format::CURRENCIES,
        }
    }

    /// "Add a deal to Qualified": the quick-add title's label.
    pub fn quick_label(&self, s: &Stage) -> String {
        let loc = &self.chrome.locale;
        loc.t_str("deals-quick-title", "name", &s.label(loc))
    }

    /// The quick-add form of a column: the refused one again, else empty
    /// with the workspace's currency.
    pub fn quick_for(&self, stage: &Stage) -> QuickAdd {
        if self.quick.stage == Some(stage.id) {
            return self.quick.clone();
        }
        QuickAdd {
            stage: Some(stage.id),
            form: super::forms::QuickForm {
                currency: self.currency.clone(),
                ..Default::default()
            },
            errors: FieldErrors::new(),
        }
    }

    /// This board's address (pipeline and filters), where moves return.
    pub fn here(&self) -> String {
        format!("/leads?{}", self.query.query(self.pipeline.id))
    }

    pub fn open_columns(&self) -> Vec<&Column> {
        self.columns.iter().filter(|c| c.stage.is_open()).collect()
    }

    pub fn closed_columns(&self) -> Vec<&Column> {
        self.columns.iter().filter(|c| !c.stage.is_open()).collect()
    }

    pub fn stage_name(&self, s: &Stage) -> String {
        s.label(&self.chrome.locale)
    }

    pub fn pipeline_name(&self) -> String {
        self.pipeline.label(&self.chrome.locale)
    }

    /// "3 days in stage".
    pub fn days_in_stage(&self, days: &i64) -> String {
        self.chrome
            .locale
            .t_num("deals-days-in-stage", "days", *days)
    }

    pub fn total(&self, t: &ColumnTotals) -> String {
        amounts(&self.chrome.locale, t, |c| c.total_minor)
    }

    pub fn weighted(&self, t: &ColumnTotals) -> String {
        amounts(&self.chrome.locale, t, |c| c.weighted_minor)
    }

    /// "Load more" of a column: the next cards of the same board.
    pub fn more_url(&self, c: &Column) -> Option<String> {
        more_url(&self.pipeline, &self.query, &c.stage, c.more_after)
    }

    pub fn sources(&self) -> &'static [DealSource] {
        DealSource::ALL
    }

    pub fn source_selected(&self, s: &DealSource) -> bool {
        self.query.filters.source == Some(*s)
    }

    pub fn pipeline_selected(&self, id: &i64) -> bool {
        self.pipeline.id.get() == *id
    }

    pub fn owner_selected(&self, id: &i64) -> bool {
        self.query.filters.owner == Some(*id)
    }

    pub fn team_selected(&self, id: &i64) -> bool {
        self.query.filters.team == Some(*id)
    }

    pub fn tag_selected(&self, t: &str) -> bool {
        self.query.filters.tag.as_deref() == Some(t)
    }
}

/// A column's further cards: a page of its own without JavaScript, the
/// cards alone (block `cards`) for htmx's "load more".
#[derive(Template)]
#[template(path = "deals/column.html", blocks = ["cards"])]
pub struct ColumnPage {
    pub chrome: Chrome,
    pub pipeline: Pipeline,
    pub query: BoardQuery,
    pub stage: Stage,
    pub cards: Vec<Card>,
    pub more_after: Option<DealId>,
    pub can_write: bool,
}

impl ColumnPage {
    pub fn here(&self) -> String {
        format!("/leads?{}", self.query.query(self.pipeline.id))
    }

    pub fn stage_name(&self, s: &Stage) -> String {
        s.label(&self.chrome.locale)
    }

    pub fn pipeline_name(&self) -> String {
        self.pipeline.label(&self.chrome.locale)
    }

    /// "3 days in stage".
    pub fn days_in_stage(&self, days: &i64) -> String {
        self.chrome
            .locale
            .t_num("deals-days-in-stage", "days", *days)
    }

    pub fn next_url(&self) -> Option<String> {
        more_url(&self.pipeline, &self.query, &self.stage, self.more_after)
    }
}

#[derive(Template)]
#[template(path = "deals/show.html")]
pub struct ShowPage {
    pub chrome: Chrome,
    pub deal: Deal,
    pub pipeline: Pipeline,
    pub tags: Vec<String>,
    pub history: Vec<Change>,
    /// Deleted stages of the pipeline, which the history may name.
    pub deleted_stages: Vec<Stage>,
    pub reasons: Vec<LostReason>,
    pub timeline: TimelinePanel,
    /// Open tasks on the deal, with a quick-add form.
    pub task_panel: crate::tasks::views::TaskPanel,
    pub days_in_stage: i64,
    pub stale: bool,
    pub probability: i32,
    pub weighted_minor: i64,
    pub notice: Option<Notice>,
    /// The lost form's error (no reason chosen).
    pub lost_error: Option<String>,
    pub can_edit: bool,
    pub can_delete: bool,
}

impl ShowPage {
    pub fn stage(&self) -> Option<&Stage> {
        self.pipeline.stage(self.deal.stage_id)
    }

    pub fn stage_name_of(&self, id: &crate::domain::ids::StageId) -> String {
        self.pipeline
            .stage(*id)
            .or_else(|| self.deleted_stages.iter().find(|s| s.id == *id))
            .map_or_else(|| "—".into(), |s| s.label(&self.chrome.locale))
    }

    pub fn stage_name(&self, s: &Stage) -> String {
        s.label(&self.chrome.locale)
    }

    pub fn pipeline_name(&self) -> String {
        self.pipeline.label(&self.chrome.locale)
    }

    pub fn days_label(&self) -> String {
        self.chrome
            .locale
            .t_num("deals-days-in-stage", "days", self.days_in_stage)
    }

    pub fn is_open(&self) -> bool {
        self.deal.status == DealStatus::Open
    }

    /// An open deal's lead score, or its stage's default without one.
    pub fn score_badge(&self) -> Option<super::scoring::Badge> {
        let stage = self.stage().filter(|_| self.is_open())?;
        Some(super::scoring::Badge::of(
            self.deal.score,
            stage.probability,
        ))
    }

    pub fn won_stage(&self) -> Option<&Stage> {
        self.pipeline.first(DealStatus::Won)
    }

    pub fn lost_stage(&self) -> Option<&Stage> {
        self.pipeline.first(DealStatus::Lost)
    }

    pub fn open_stages(&self) -> Vec<&Stage> {
        self.pipeline.open_stages().collect()
    }

    pub fn reason_label(&self, r: &LostReason) -> String {
        r.label(&self.chrome.locale)
    }

    pub fn reason_name(&self) -> Option<String> {
        let id = self.deal.lost_reason_id?;
        self.reasons
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.label(&self.chrome.locale))
    }

    pub fn here(&self) -> String {
        format!("/leads/{}", self.deal.id)
    }

    /// The board of the deal's pipeline.
    pub fn board_href(&self) -> String {
        format!("/leads?pipeline={}", self.pipeline.id)
    }
}

/// (stage id, "Pipeline · Stage") of every open stage: where a new deal
/// may start.
fn open_stage_choices(loc: &crate::i18n::Locale, pipelines: &[Pipeline]) -> Vec<(i64, String)> {
    pipelines
        .iter()
        .flat_map(|p| {
            p.open_stages()
                .map(|s| (s.id.get(), format!("{} · {}", p.label(loc), s.label(loc))))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// An existing record a duplicate warning points at: (id, name).
pub type Match = Option<(i64, String)>;

/// The new-lead form (`deals::lead`): person, company and deal at once.
#[derive(Template)]
#[template(path = "deals/lead.html")]
pub struct LeadPage {
    pub chrome: Chrome,
    pub form: super::lead::LeadForm,
    pub errors: FieldErrors,
    /// An existing contact / account the duplicate warning points at
    /// (id, name), when the viewer may see it: the form offers to link it.
    pub contact_match: Match,
    pub account_match: Match,
    pub stages: Vec<(i64, String)>,
    pub currencies: &'static [(&'static str, &'static str, u32)],
}

impl LeadPage {
    pub fn new(
        user: &CurrentUser,
        form: super::lead::LeadForm,
        errors: FieldErrors,
        (contact_match, account_match): (Match, Match),
        pipelines: &[Pipeline],
    ) -> Self {
        LeadPage {
            chrome: Chrome::new(user, Section::Leads),
            stages: open_stage_choices(&user.locale, pipelines),
            form,
            errors,
            contact_match,
            account_match,
            currencies: crate::i18n::format::CURRENCIES,
        }
    }

    /// Whether the hidden duplicate (one the viewer may not see) still
    /// warns: only "create anyway" is offered then.
    pub fn contact_warned(&self) -> bool {
        self.errors.get("contact_duplicate").is_some()
    }

    pub fn account_warned(&self) -> bool {
        self.errors.get("account_duplicate").is_some()
    }
}

#[derive(Template)]
#[template(path = "deals/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    /// None while creating.
    pub deal_id: Option<DealId>,
    pub form: DealForm,
    pub errors: FieldErrors,
    pub owners: Vec<(i64, String)>,
    /// New deals: (stage id, "Pipeline · Stage") of every open stage.
    pub stages: Vec<(i64, String)>,
    pub currencies: &'static [(&'static str, &'static str, u32)],
}

impl FormPage {
    pub fn new(
        user: &CurrentUser,
        deal_id: Option<DealId>,
        form: DealForm,
        errors: FieldErrors,
        owners: Vec<(i64, String)>,
        pipelines: &[Pipeline],
    ) -> Self {
        let stages = open_stage_choices(&user.locale, pipelines);
        FormPage {
            chrome: Chrome::new(user, Section::Leads),
            deal_id,
            form,
            errors,
            owners,
            stages,
            currencies: crate::i18n::format::CURRENCIES,
        }
    }

    pub fn title(&self) -> &'static str {
        if self.deal_id.is_some() {
            key("deals-edit")
        } else {
            key("deals-new")
        }
    }

    pub fn action(&self) -> String {
        self.deal_id
            .map_or("/leads".into(), |id| format!("/leads/{id}"))
    }

    pub fn cancel(&self) -> String {
        self.deal_id
            .map_or("/leads".into(), |id| format!("/leads/{id}"))
    }

    pub fn sources(&self) -> &'static [DealSource] {
        DealSource::ALL
    }

    pub fn owner_selected(&self, id: &i64) -> bool {
        self.form.owner_id.trim() == id.to_string()
    }
}

pub static LIST: ListMeta = ListMeta {
    key: "deals",
    base: "/leads/list",
    search_label: key("deals-search"),
    search_hint: key("deals-search-hint"),
    columns: &[
        ListColumn::sorted(key("deals-col-title"), "title"),
        ListColumn::plain(key("deals-col-party")),
        ListColumn::plain(key("deals-col-stage")),
        ListColumn::sorted(key("deals-col-value"), "value"),
        ListColumn::sorted(key("deals-col-close"), "close"),
        ListColumn::plain(key("records-owner")),
        ListColumn::sorted(key("records-updated"), "updated"),
    ],
    saved_views: true,
};

#[derive(Template)]
#[template(path = "deals/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub rows: Vec<Deal>,
    pub tags: BTreeMap<i64, Vec<String>>,
    pub stages: BTreeMap<i64, String>,
}

impl ListPage {
    pub fn new(
        user: &CurrentUser,
        (opts, pager, views): (&ListOptions, Pager, Vec<ViewLink>),
        rows: Vec<Deal>,
        tags: BTreeMap<i64, Vec<String>>,
        pipelines: &[Pipeline],
        choices: FilterChoices,
    ) -> Self {
        let loc = &user.locale;
        let f = &opts.filters;
        let stage_options: Vec<(String, String)> = pipelines
            .iter()
            .flat_map(|p| {
                p.stages
                    .iter()
                    .map(|s| {
                        (
                            s.id.to_string(),
                            format!("{} · {}", p.label(loc), s.label(loc)),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let stages = pipelines
            .iter()
            .flat_map(|p| {
                p.stages
                    .iter()
                    .map(|s| (s.id.get(), s.label(loc)))
                    .collect::<Vec<_>>()
            })
            .collect();
        let filters = vec![
            FilterField::owner(choices.owners, f.owner),
            FilterField::select(
                "stage",
                key("deals-col-stage"),
                key("deals-any-stage"),
                stage_options,
                f.stage.map(|s| s.to_string()),
            ),
            FilterField::select(
                "status",
                key("deals-status"),
                key("deals-any-status"),
                DealStatus::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), loc.t(s.label_key())))
                    .collect(),
                f.status.map(|s| s.as_str().to_string()),
            ),
            FilterField::select(
                "source",
                key("deals-source"),
                key("deals-any-source"),
                DealSource::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), loc.t(s.label_key())))
                    .collect(),
                f.source.map(|s| s.as_str().to_string()),
            ),
            FilterField::names(
                "tag",
                key("records-tag"),
                key("records-any-tag"),
                &choices.tags,
                f.tag.as_deref(),
            ),
        ];
        ListPage {
            chrome: Chrome::new(user, Section::Leads),
            list: ListState::new(&LIST, opts, pager, filters).with_views(views),
            rows,
            tags,
            stages,
        }
    }

    pub fn tags_of(&self, id: &DealId) -> &[String] {
        self.tags.get(&id.get()).map_or(&[], Vec::as_slice)
    }

    pub fn stage_of(&self, d: &Deal) -> String {
        self.stages
            .get(&d.stage_id.get())
            .cloned()
            .unwrap_or_default()
    }
}
