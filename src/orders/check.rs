//! From the posted form to a document: the customer within the viewer's
//! scope, each line's product snapshot (looked up by SKU when the SKU is
//! new to the line, kept otherwise), quantities, prices and discounts,
//! then every amount through `domain::pricing`. Errors go beside the
//! field they are about; the form comes back with the snapshots filled in.

use super::domain::{self, DocAmounts, LineAmounts, TaxMode};
use super::forms::OrderForm;
use super::repo::{Doc, NewLine};
use crate::db::DbConn;
use crate::domain::ids::ProductId;
use crate::domain::pricing::{PricingError, Totals};
use crate::error::AppResult;
use crate::i18n::format::{is_currency, parse_minor, plain_amount};
use crate::products::domain::{percent_text, tax_rate_bp};
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;

/// What checking gave: the document when it is valid, the totals when
/// the amounts could be computed (shown even beside other errors).
pub struct Checked {
    pub doc: Option<Doc>,
    pub totals: Option<Totals>,
    pub errors: FieldErrors,
}

/// Fills each line's snapshot from the catalogue when its SKU is new to it.
fn fill_lines(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &mut OrderForm,
    currency: &str,
    e: &mut FieldErrors,
) -> AppResult<()> {
    let l = &user.locale;
    for (i, line) in form.lines.iter_mut().enumerate() {
        let sku = line.sku.trim().to_string();
        if sku.is_empty() {
            if !line.name.trim().is_empty() {
                e.add(&format!("sku_{i}"), l.t("orders-error-sku"));
            }
            continue;
        }
        // The SKU field shows "SKU · name · price" when picked from a
        // list without JavaScript in some browsers: the SKU is the first word.
        let sku = sku.split(' ').next().unwrap_or("").to_string();
        let snapshot_holds = !line.pid.trim().is_empty()
            && !line.name.trim().is_empty()
            && line.snap.trim().eq_ignore_ascii_case(&sku);
        if snapshot_holds {
            line.sku = sku;
            continue;
        }
        match crate::products::repo::by_sku(c, &sku)? {
            Some(p) if p.active => {
                if p.currency != currency {
                    e.add(
                        &format!("sku_{i}"),
                        l.t_str("orders-error-product-currency", "currency", &p.currency),
                    );
                }
                line.sku = p.sku.clone();
                line.snap = p.sku.clone();
                line.pid = p.id.to_string();
                line.name = p.name.clone();
                line.price = plain_amount(p.unit_price_minor, &p.currency);
                line.tax = percent_text(i64::from(p.tax_rate_bp));
                if line.qty.trim().is_empty() {
                    line.qty = "1".into();
                }
            }
            _ => {
                line.pid.clear();
                line.snap.clear();
                line.name.clear();
                e.add(
                    &format!("sku_{i}"),
                    l.t_str("orders-error-no-product", "sku", &sku),
                );
            }
        }
    }
    Ok(())
}

pub fn check(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &mut OrderForm,
    existing_owner: Option<i64>,
) -> AppResult<Checked> {
    let l = &user.locale;
    let mut e = FieldErrors::new();
    let currency = form.currency.trim().to_uppercase();
    if !is_currency(&currency) {
        e.add("currency", l.t("products-error-currency"));
    }
    fill_lines(c, user, form, &currency, &mut e)?;

    let contact_id = match form.contact.trim() {
        "" => None,
        raw => {
            let found = crate::deals::save::contact(c, user, raw)?;
            if found.is_none() {
                e.add("contact", l.t("deals-error-contact"));
            }
            found
        }
    };
    let account_id = match form.account.trim() {
        "" => None,
        name => {
            let found = crate::accounts::repo::find_visible_by_name(c, &user.viewer(), name)?;
            if found.is_none() {
                e.add("account", l.t("deals-error-account"));
            }
            found.map(|(id, _)| id)
        }
    };
    if form.contact.trim().is_empty() && form.account.trim().is_empty() {
        e.add("account", l.t("orders-error-customer"));
    }
    let fallback = existing_owner.unwrap_or(user.id);
    let owner_id = crate::staff::assign::resolve_owner(c, user, &form.owner_id, fallback, &mut e)?;

    let mode = TaxMode::parse(form.tax_mode.trim()).unwrap_or(TaxMode::Exclusive);
    let (discount_kind, discount_value) = domain::parse_discount(&form.discount, &currency)
        .unwrap_or_else(|| {
            e.add("discount", l.t("orders-error-discount"));
            (domain::DiscountKind::None, 0)
        });
    let shipping = match form.shipping.trim() {
        "" => 0,
        raw => parse_minor(raw, &currency).unwrap_or_else(|| {
            e.add("shipping", l.t("products-error-price"));
            0
        }),
    };
    let shipping_tax_bp = tax_rate_bp(&form.shipping_tax).unwrap_or_else(|| {
        e.add("shipping_tax", l.t("products-error-tax"));
        0
    });
    let notes = form.notes.trim().to_string();

    let mut amounts = Vec::new();
    let mut snapshots = Vec::new();
    let mut positions = Vec::new();
    for (i, line) in form.lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        let q = domain::parse_quantity(&line.qty);
        if q.is_none() {
            e.add(&format!("qty_{i}"), l.t("orders-error-quantity"));
        }
        let price = parse_minor(&line.price, &currency);
        if price.is_none() {
            e.add(&format!("price_{i}"), l.t("products-error-price"));
        }
        let tax = tax_rate_bp(&line.tax);
        let disc = domain::parse_discount(&line.disc, &currency);
        if disc.is_none() {
            e.add(&format!("disc_{i}"), l.t("orders-error-discount"));
        }
        if let (Some(q), Some(price), Some(tax), Some((dk, dv))) = (q, price, tax, disc) {
            amounts.push(LineAmounts {
                quantity_milli: q,
                unit_price: price,
                discount_kind: dk,
                discount_value: dv,
                tax_rate_bp: tax,
            });
            snapshots.push((
                ProductId::parse(&line.pid),
                line.sku.trim().to_string(),
                line.name.trim().to_string(),
            ));
            positions.push(i);
        }
    }
    let doc_amounts = DocAmounts {
        discount_kind,
        discount_value,
        shipping,
        shipping_tax_bp,
        mode,
    };
    let totals = match domain::totals(&amounts, &doc_amounts) {
        Ok(t) => Some(t),
        Err(err) => {
            let (field, key) = match err {
                PricingError::Quantity(n) => {
                    (format!("qty_{}", positions[n - 1]), "orders-error-quantity")
                }
                PricingError::Price(n) => (
                    format!("price_{}", positions[n - 1]),
                    "products-error-price",
                ),
                PricingError::LineDiscount(n) => (
                    format!("disc_{}", positions[n - 1]),
                    "orders-error-line-discount",
                ),
                PricingError::TaxRate => ("shipping_tax".into(), "products-error-tax"),
                PricingError::OrderDiscount => ("discount".into(), "orders-error-order-discount"),
                PricingError::Shipping => ("shipping".into(), "products-error-price"),
                PricingError::TooLarge => ("discount".into(), "orders-error-too-large"),
            };
            e.add(&field, l.t(key));
            None
        }
    };
    if amounts.is_empty() && e.is_empty() {
        e.add("lines", l.t("orders-error-no-lines"));
    }
    let doc = match (&totals, e.is_empty()) {
        (Some(t), true) => Some(Doc {
            contact_id,
            account_id,
            owner_id,
            currency: currency.clone(),
            tax_mode: mode,
            discount_kind,
            discount_value,
            shipping_minor: shipping,
            shipping_tax_bp: i32::try_from(shipping_tax_bp).unwrap_or(0),
            subtotal_minor: t.subtotal,
            discount_minor: t.order_discount,
            tax_minor: t.tax,
            total_minor: t.total,
            notes,
            lines: amounts
                .iter()
                .zip(snapshots)
                .zip(&t.lines)
                .map(|((a, (pid, sku, name)), lt)| NewLine {
                    product_id: pid,
                    sku,
                    name,
                    unit_price_minor: a.unit_price,
                    tax_rate_bp: i32::try_from(a.tax_rate_bp).unwrap_or(0),
                    quantity_milli: a.quantity_milli,
                    discount_kind: a.discount_kind,
                    discount_value: a.discount_value,
                    net_minor: lt.net,
                    tax_minor: lt.tax,
                    total_minor: lt.total,
                })
                .collect(),
        }),
        _ => None,
    };
    // Line totals by form position, for the editor.
    Ok(Checked {
        doc,
        totals: totals.map(|t| reindex(t, &positions, form.lines.len())),
        errors: e,
    })
}

/// Totals whose `lines` follow the form's rows (blank rows get zeros).
fn reindex(mut t: Totals, positions: &[usize], rows: usize) -> Totals {
    let zero = crate::domain::pricing::LineTotals {
        gross: 0,
        line_discount: 0,
        net: 0,
        order_discount: 0,
        taxable: 0,
        tax: 0,
        total: 0,
    };
    let mut out = vec![zero; rows];
    for (lt, &pos) in t.lines.iter().zip(positions) {
        if pos < rows {
            out[pos] = *lt;
        }
    }
    t.lines = out;
    t
}
