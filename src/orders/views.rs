use askama::Template;

use super::domain::{OrderStatus, TaxMode, Transition, discount_text, quantity_text};
use super::forms::{LineForm, OrderForm};
use super::list::{OrderListOptions, Row};
use super::repo::{Line, Order};
use crate::domain::ids::OrderId;
use crate::domain::pricing::{TaxLine, Totals};
use crate::i18n::{Locale, key};
use crate::products::domain::percent_text;
use crate::records::views::TimelinePanel;
use crate::web::forms::FieldErrors;
use crate::web::list::{Column, FilterField, ListMeta, ListState, Pager};
use crate::web::{Chrome, CurrentUser, Section};

pub static LIST: ListMeta = ListMeta {
    key: "orders",
    base: "/orders",
    search_label: key("orders-search"),
    search_hint: key("orders-search-hint"),
    columns: &[
        Column::plain(key("orders-col-number")),
        Column::plain(key("orders-col-customer")),
        Column::plain(key("orders-col-status")),
        Column::plain(key("records-owner")),
        Column::sorted(key("orders-col-total"), "total"),
        Column::sorted(key("orders-col-created"), "created"),
    ],
    saved_views: false,
};

#[derive(Template)]
#[template(path = "orders/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub rows: Vec<Row>,
    pub can_write: bool,
    /// The filtered set's (currency, documents, total), per currency.
    pub totals: Vec<(String, i64, i64)>,
    /// A search matched more documents than are summed: no totals.
    pub unsummed: bool,
    /// The export of the filtered list (`/orders/export.csv?…`).
    pub export_url: String,
}

/// The choices of the list's menus.
pub struct ListChoices {
    /// The owners the viewer may filter by.
    pub owners: Vec<(i64, String)>,
    /// The chosen customer (value, name), if any: the menu's one option.
    pub customer: Option<(String, String)>,
}

impl ListPage {
    pub fn new(
        user: &CurrentUser,
        opts: &OrderListOptions,
        pager: Pager,
        rows: Vec<Row>,
        totals: Option<Vec<(String, i64, i64)>>,
        choices: ListChoices,
    ) -> Self {
        let statuses = OrderStatus::ALL
            .iter()
            .map(|s| (s.as_str().into(), user.locale.t(s.label_key())))
            .collect();
        let f = &opts.filters;
        let filters = vec![
            FilterField::select(
                "status",
                key("orders-col-status"),
                key("orders-any-status"),
                statuses,
                f.status.map(|s| s.as_str().into()),
            ),
            FilterField::select(
                "customer",
                key("orders-col-customer"),
                key("quotes-any-customer"),
                choices.customer.iter().cloned().collect(),
                f.customer.map(|c| c.value()),
            ),
            FilterField::owner(choices.owners, f.owner),
            FilterField::date("from", key("quotes-filter-from"), f.from),
            FilterField::date("to", key("quotes-filter-to"), f.to),
        ];
        ListPage {
            chrome: Chrome::new(user, Section::Orders),
            list: ListState::new(&LIST, opts, pager, filters),
            rows,
            can_write: user.can(crate::auth::policy::Action::OrdersWrite),
            unsummed: totals.is_none(),
            totals: totals.unwrap_or_default(),
            export_url: format!("/orders/export.csv?{}", opts.view_query()),
        }
    }

    /// "12 documents · $1,234.50" for one currency's totals.
    pub fn total_line(&self, t: &(String, i64, i64)) -> String {
        let loc = &self.chrome.locale;
        loc.t_args(
            "quotes-list-total",
            &[
                ("count", crate::i18n::Arg::Num(t.1)),
                (
                    "total",
                    crate::i18n::Arg::from(loc.money(t.2, &t.0).as_str()),
                ),
            ],
        )
    }
}

/// The one-screen editor: document fields, lines, totals.
#[derive(Template)]
#[template(path = "orders/form.html", blocks = ["editor", "totals"])]
pub struct EditorPage {
    pub chrome: Chrome,
    pub order_id: Option<OrderId>,
    pub form: OrderForm,
    pub errors: FieldErrors,
    pub totals: Option<Totals>,
    pub currencies: &'static [(&'static str, &'static str, u32)],
    pub owners: Vec<(i64, String)>,
    /// A message above the form (a conflict).
    pub notice: Option<String>,
    /// The totals are swapped alone: line amounts ride along out of band.
    pub oob: bool,
}

impl EditorPage {
    pub fn new(
        user: &CurrentUser,
        order_id: Option<OrderId>,
        form: OrderForm,
        errors: FieldErrors,
        totals: Option<Totals>,
        owners: Vec<(i64, String)>,
    ) -> Self {
        EditorPage {
            chrome: Chrome::new(user, Section::Orders),
            order_id,
            form,
            errors,
            totals,
            currencies: crate::i18n::format::CURRENCIES,
            owners,
            notice: None,
            oob: false,
        }
    }

    pub fn action(&self) -> String {
        match self.order_id {
            Some(id) => format!("/orders/{id}"),
            None => "/orders".into(),
        }
    }

    pub fn title(&self) -> &'static str {
        if self.order_id.is_some() {
            key("orders-edit")
        } else {
            key("orders-new")
        }
    }

    pub fn modes(&self) -> &'static [TaxMode] {
        TaxMode::ALL
    }

    pub fn lines(&self) -> &[LineForm] {
        &self.form.lines
    }

    pub fn err(&self, field: &str, i: &usize) -> Option<&String> {
        self.errors.get(&format!("{field}_{i}"))
    }

    pub fn line_total(&self, i: &usize) -> String {
        self.totals
            .as_ref()
            .and_then(|t| t.lines.get(*i))
            .filter(|l| l.total != 0 || l.net != 0)
            .map(|l| self.money(&l.net))
            .unwrap_or_default()
    }

    pub fn money(&self, minor: &i64) -> String {
        self.chrome.locale.money(*minor, self.currency())
    }

    pub fn currency(&self) -> &str {
        self.form.currency.trim()
    }

    pub fn owner_selected(&self, id: &i64) -> bool {
        self.form.owner_id.trim() == id.to_string()
    }

    pub fn rate(&self, t: &TaxLine) -> String {
        percent_text(t.rate_bp)
    }
}

#[derive(Template)]
#[template(path = "orders/show.html")]
pub struct ShowPage {
    pub chrome: Chrome,
    pub order: Order,
    pub lines: Vec<Line>,
    pub taxes: Vec<TaxLine>,
    pub transitions: Vec<Transition>,
    pub timeline: TimelinePanel,
    pub notice: Option<String>,
    pub can_write: bool,
    /// "Customers who bought this also bought" (insights::recommend).
    pub recommended: Vec<crate::insights::recommend::Recommendation>,
    /// The one-time key of the status forms on this page.
    pub idem: String,
    /// A sent quote's public address (for the customer).
    pub public_link: Option<String>,
    /// Whether the viewer may open a ticket about the order.
    pub can_open_ticket: bool,
}

impl DocView for ShowPage {
    fn doc_locale(&self) -> &Locale {
        &self.chrome.locale
    }

    fn doc(&self) -> &Order {
        &self.order
    }
}

impl ShowPage {
    pub fn is_cancel(&self, t: &Transition) -> bool {
        *t == Transition::Cancel
    }

    /// The new-ticket form filled in with this order and its contact.
    pub fn ticket_href(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("order", &self.order.number());
        if let Some(e) = &self.order.contact_email {
            q.append_pair("email", e);
        }
        if let Some(n) = self.order.contact_name() {
            q.append_pair("name", &n);
        }
        format!("/tickets/new?{}", q.finish())
    }

    /// Until when the customer link opens.
    pub fn link_hint(&self) -> Option<String> {
        let loc = &self.chrome.locale;
        self.order
            .valid_until
            .map(|d| loc.t_str("quotes-public-link-hint", "date", &loc.day(d)))
    }
}

/// The helpers `orders/_lines.html` calls on the page that includes it.
pub trait DocView {
    fn doc_locale(&self) -> &Locale;
    fn doc(&self) -> &Order;

    fn money(&self, minor: &i64) -> String {
        self.doc_locale().money(*minor, &self.doc().currency)
    }

    fn qty(&self, l: &Line) -> String {
        quantity_text(l.quantity_milli)
    }

    fn line_tax(&self, l: &Line) -> String {
        percent_text(i64::from(l.tax_rate_bp))
    }

    fn disc(&self, l: &Line) -> String {
        discount_text(l.discount_kind, l.discount_value, &self.doc().currency)
    }

    fn tax(&self, bp: &i64) -> String {
        percent_text(*bp)
    }

    fn title(&self) -> &'static str {
        if self.doc().status.is_order() {
            key("orders-print-order")
        } else {
            key("orders-print-quote")
        }
    }
}

/// The printable document: no app chrome, in the customer's language.
#[derive(Template)]
#[template(path = "orders/print.html")]
pub struct PrintPage {
    pub locale: Locale,
    pub order: Order,
    pub lines: Vec<Line>,
    pub taxes: Vec<TaxLine>,
    pub company_name: String,
    pub company_address: String,
}

impl DocView for PrintPage {
    fn doc_locale(&self) -> &Locale {
        &self.locale
    }

    fn doc(&self) -> &Order {
        &self.order
    }
}

/// The quote as its customer sees it through the emailed link
/// (`/q/{token}`): the printable document, its state, and while it is
/// sent, the form to accept it by typing a name.
#[derive(Template)]
#[template(path = "orders/public.html")]
pub struct PublicQuotePage {
    pub locale: Locale,
    pub order: Order,
    pub lines: Vec<Line>,
    pub taxes: Vec<TaxLine>,
    pub company_name: String,
    pub company_address: String,
    pub token: String,
    pub csrf: String,
    /// The name as typed, kept when the form comes back.
    pub name: String,
    /// Beside the name field.
    pub error: Option<String>,
    /// Above the form: why the acceptance did not happen.
    pub notice: Option<String>,
}

impl PublicQuotePage {
    pub fn new(doc: PrintPage, token: String, csrf: String) -> Self {
        PublicQuotePage {
            locale: doc.locale,
            order: doc.order,
            lines: doc.lines,
            taxes: doc.taxes,
            company_name: doc.company_name,
            company_address: doc.company_address,
            token,
            csrf,
            name: String::new(),
            error: None,
            notice: None,
        }
    }

    pub fn can_accept(&self) -> bool {
        self.order.status == OrderStatus::Sent
    }

    /// Where the quote stands, when it can no longer be accepted.
    pub fn state(&self) -> Option<&'static str> {
        match self.order.status {
            OrderStatus::Sent | OrderStatus::Draft => None,
            OrderStatus::Cancelled => Some(key("quotes-state-cancelled")),
            _ => Some(key("quotes-state-accepted")),
        }
    }
}

impl DocView for PublicQuotePage {
    fn doc_locale(&self) -> &Locale {
        &self.locale
    }

    fn doc(&self) -> &Order {
        &self.order
    }
}

/// Every refused link (altered, expired, withdrawn): the same 404, said
/// plainly in the reader's language.
#[derive(Template)]
#[template(path = "orders/link_gone.html")]
pub struct LinkGonePage {
    pub locale: Locale,
}
