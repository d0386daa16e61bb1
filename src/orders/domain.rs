//! The rules of a quote or order, pure: its status and the transitions
//! between them, which states may still be edited, document numbers, how
//! a discount is typed, and how lines become `domain::pricing` input.

use crate::domain::pricing::{self, Discount, LineInput, OrderInput, PricingError, Totals};
use crate::i18n::key;

crate::text_enum! {
    /// Where a document is in its life (`orders.status`).
    pub enum OrderStatus {
        /// A quote being written.
        Draft = "draft",
        /// The quote went to the customer (it has its QT number).
        Sent = "sent",
        /// The customer accepted the quote.
        Accepted = "accepted",
        /// An order: numbered (SO), stock taken, no longer editable.
        Confirmed = "confirmed",
        Fulfilled = "fulfilled",
        Closed = "closed",
        /// Withdrawn (a quote) or cancelled (an order, stock given back).
        Cancelled = "cancelled",
    }
}

crate::text_enum! {
    /// What a person can do to a document's status.
    pub enum Transition {
        Send = "send",
        /// Take a sent quote back to draft: its public links stop working.
        Withdraw = "withdraw",
        Accept = "accept",
        Confirm = "confirm",
        Fulfil = "fulfil",
        Close = "close",
        Cancel = "cancel",
    }
}

impl OrderStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            OrderStatus::Draft => key("orders-status-draft"),
            OrderStatus::Sent => key("orders-status-sent"),
            OrderStatus::Accepted => key("orders-status-accepted"),
            OrderStatus::Confirmed => key("orders-status-confirmed"),
            OrderStatus::Fulfilled => key("orders-status-fulfilled"),
            OrderStatus::Closed => key("orders-status-closed"),
            OrderStatus::Cancelled => key("orders-status-cancelled"),
        }
    }

    /// Lines, customer and amounts may change only while a quote is being
    /// written or has been sent; from confirmation on, only the status moves.
    pub fn is_editable(self) -> bool {
        matches!(self, OrderStatus::Draft | OrderStatus::Sent)
    }

    /// An order (confirmed or later), as opposed to a quote.
    pub fn is_order(self) -> bool {
        matches!(
            self,
            OrderStatus::Confirmed | OrderStatus::Fulfilled | OrderStatus::Closed
        )
    }

    /// The statuses that count as revenue (orders, not quotes nor cancelled).
    pub fn revenue() -> Vec<OrderStatus> {
        OrderStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.is_order())
            .collect()
    }

    /// Stock is held for the document (taken at confirmation).
    pub fn holds_stock(self) -> bool {
        self.is_order()
    }
}

impl Transition {
    pub fn label_key(self) -> &'static str {
        match self {
            Transition::Send => key("quotes-do-send"),
            Transition::Withdraw => key("quotes-do-withdraw"),
            Transition::Accept => key("orders-do-accept"),
            Transition::Confirm => key("orders-do-confirm"),
            Transition::Fulfil => key("orders-do-fulfil"),
            Transition::Close => key("orders-do-close"),
            Transition::Cancel => key("orders-do-cancel"),
        }
    }
}

/// The status `t` leads to from `from`, or None when it is not allowed.
/// Cancelling is possible until the goods went out (fulfilled).
pub fn next(from: OrderStatus, t: Transition) -> Option<OrderStatus> {
    use OrderStatus::*;
    use Transition as T;
    match (from, t) {
        (Draft, T::Send) => Some(Sent),
        (Sent, T::Withdraw) => Some(Draft),
        (Sent, T::Accept) => Some(Accepted),
        (Draft | Sent | Accepted, T::Confirm) => Some(Confirmed),
        (Confirmed, T::Fulfil) => Some(Fulfilled),
        (Fulfilled, T::Close) => Some(Closed),
        (Draft | Sent | Accepted | Confirmed, T::Cancel) => Some(Cancelled),
        _ => None,
    }
}

/// The transitions a document in `s` offers.
pub fn offered(s: OrderStatus) -> Vec<Transition> {
    Transition::ALL
        .iter()
        .copied()
        .filter(|t| next(s, *t).is_some())
        .collect()
}

crate::text_enum! {
    /// How a discount was typed (`discount_kind` columns).
    pub enum DiscountKind {
        None = "none",
        Percent = "percent",
        Amount = "amount",
    }
}

crate::text_enum! {
    /// Whether the document's prices include tax.
    pub enum TaxMode {
        Exclusive = "exclusive",
        Inclusive = "inclusive",
    }
}

impl TaxMode {
    pub fn label_key(self) -> &'static str {
        match self {
            TaxMode::Exclusive => key("orders-tax-exclusive"),
            TaxMode::Inclusive => key("orders-tax-inclusive"),
        }
    }

    pub fn pricing(self) -> pricing::TaxMode {
        match self {
            TaxMode::Exclusive => pricing::TaxMode::Exclusive,
            TaxMode::Inclusive => pricing::TaxMode::Inclusive,
        }
    }
}

/// The stored pair as `pricing`'s discount.
pub fn discount(kind: DiscountKind, value: i64) -> Discount {
    match kind {
        DiscountKind::None => Discount::None,
        DiscountKind::Percent => Discount::Percent(value),
        DiscountKind::Amount => Discount::Amount(value),
    }
}

/// A discount as typed: "" (none), "10%" / "7.5 %" (a percentage, to the
/// basis point) or an amount in the document's currency ("5", "4.99").
pub fn parse_discount(raw: &str, currency: &str) -> Option<(DiscountKind, i64)> {
    let t = raw.trim();
    if t.is_empty() {
        return Some((DiscountKind::None, 0));
    }
    if let Some(p) = t.strip_suffix('%') {
        let bp = crate::products::domain::tax_rate_bp(p)?;
        return Some((DiscountKind::Percent, bp));
    }
    crate::i18n::format::parse_minor(t, currency).map(|m| (DiscountKind::Amount, m))
}

/// The stored discount as the form shows it.
pub fn discount_text(kind: DiscountKind, value: i64, currency: &str) -> String {
    match kind {
        DiscountKind::None => String::new(),
        DiscountKind::Percent => format!("{}%", crate::products::domain::percent_text(value)),
        DiscountKind::Amount => crate::i18n::format::plain_amount(value, currency),
    }
}

/// A quantity as typed ("2", "1.5", "0.125"), in thousandths; None unless
/// it is more than zero with at most three decimals.
pub fn parse_quantity(raw: &str) -> Option<i64> {
    let t = raw.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && frac.is_empty()
        || !digits(whole)
        || !digits(frac)
        || frac.len() > 3
        || whole.len() > 9
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = format!("{frac:0<3}").parse().ok()?;
    let q = w * 1000 + f;
    (q > 0).then_some(q)
}

/// Thousandths as the form shows them ("2", "1.5").
pub fn quantity_text(milli: i64) -> String {
    let (w, f) = (milli / 1000, milli % 1000);
    if f == 0 {
        w.to_string()
    } else {
        format!("{w}.{f:03}").trim_end_matches('0').to_string()
    }
}

/// Whole units a quantity takes from stock (part units count as one).
pub fn stock_units(quantity_milli: i64) -> i64 {
    (quantity_milli + 999) / 1000
}

/// One line's numbers as the document holds them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineAmounts {
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub discount_kind: DiscountKind,
    pub discount_value: i64,
    pub tax_rate_bp: i64,
}

/// The document-level numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocAmounts {
    pub discount_kind: DiscountKind,
    pub discount_value: i64,
    pub shipping: i64,
    pub shipping_tax_bp: i64,
    pub mode: TaxMode,
}

/// Every amount of a document, by the one rounding rule (`domain::pricing`).
pub fn totals(lines: &[LineAmounts], doc: &DocAmounts) -> Result<Totals, PricingError> {
    pricing::compute(&OrderInput {
        lines: lines
            .iter()
            .map(|l| LineInput {
                quantity_milli: l.quantity_milli,
                unit_price: l.unit_price,
                discount: discount(l.discount_kind, l.discount_value),
                tax_rate_bp: l.tax_rate_bp,
            })
            .collect(),
        discount: discount(doc.discount_kind, doc.discount_value),
        shipping: doc.shipping,
        shipping_tax_rate_bp: doc.shipping_tax_bp,
        mode: doc.mode.pricing(),
    })
}

/// How long a sent quote (and its public link) stays valid, in days,
/// unless the workspace settings say otherwise.
pub const QUOTE_VALID_DAYS: i32 = 30;

/// The validity a workspace may set, in days.
pub const QUOTE_VALIDITY: std::ops::RangeInclusive<i32> = 1..=365;

/// The last day a quote sent on `today`, valid for `days`, can be accepted.
pub fn valid_until(today: chrono::NaiveDate, days: i32) -> chrono::NaiveDate {
    let days =
        u64::try_from(days.clamp(*QUOTE_VALIDITY.start(), *QUOTE_VALIDITY.end())).unwrap_or(1);
    today
        .checked_add_days(chrono::Days::new(days))
        .unwrap_or(today)
}

/// When a link valid until the end of `day` (UTC) stops opening, in Unix
/// seconds.
pub fn link_expiry(day: chrono::NaiveDate) -> i64 {
    day.succ_opt()
        .unwrap_or(day)
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0)
}

/// `SO-2026-000123`: the prefix, the year and six digits (more once a
/// year passes a million documents).
pub fn number(prefix: &str, year: i32, n: i64) -> String {
    format!("{prefix}-{year}-{n:06}")
}

/// A prefix an admin may set: 1–10 letters, digits or dashes.
pub fn valid_prefix(p: &str) -> bool {
    (1..=10).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
