//! The product form: strings in, a checked product out, errors in the
//! viewer's language beside the fields.

use serde::Deserialize;

use super::domain::{DESCRIPTION_MAX, NAME_MAX, percent_text, sku, tax_rate_bp};
use super::repo::{Product, ProductInput};
use crate::i18n::Locale;
use crate::i18n::format::{is_currency, parse_minor, plain_amount};
use crate::web::forms::FieldErrors;

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct ProductForm {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub price: String,
    pub currency: String,
    /// Percent ("13", "7.5").
    pub tax_rate: String,
    pub active: Option<String>,
    pub track_stock: Option<String>,
    pub on_hand: String,
    /// Edits only: the version the form was drawn from.
    pub version: String,
}

impl ProductForm {
    pub fn of(p: &Product) -> ProductForm {
        ProductForm {
            sku: p.sku.clone(),
            name: p.name.clone(),
            description: p.description.clone(),
            price: plain_amount(p.unit_price_minor, &p.currency),
            currency: p.currency.clone(),
            tax_rate: percent_text(i64::from(p.tax_rate_bp)),
            active: p.active.then(|| "on".into()),
            track_stock: p.track_stock.then(|| "on".into()),
            on_hand: p.on_hand.to_string(),
            version: p.version.to_string(),
        }
    }

    pub fn version(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }

    /// The product, or the errors beside the fields.
    pub fn check(&self, l: &Locale) -> Result<ProductInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let sku = sku(&self.sku);
        if sku.is_none() {
            e.add("sku", l.t("products-error-sku"));
        }
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control)
        {
            e.add(
                "name",
                l.t_num("products-error-name", "max", NAME_MAX as i64),
            );
        }
        let description = self.description.trim().to_string();
        if description.chars().count() > DESCRIPTION_MAX {
            e.add(
                "description",
                l.t_num("products-error-description", "max", DESCRIPTION_MAX as i64),
            );
        }
        let currency = self.currency.trim().to_uppercase();
        if !is_currency(&currency) {
            e.add("currency", l.t("products-error-currency"));
        }
        let price = parse_minor(&self.price, &currency);
        if price.is_none() {
            e.add("price", l.t("products-error-price"));
        }
        let tax = tax_rate_bp(&self.tax_rate);
        if tax.is_none() {
            e.add("tax_rate", l.t("products-error-tax"));
        }
        let track_stock = self.track_stock.is_some();
        let on_hand = match self.on_hand.trim() {
            "" => Some(0),
            raw => raw
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=1_000_000_000).contains(n)),
        };
        if on_hand.is_none() {
            e.add("on_hand", l.t("products-error-on-hand"));
        }
        match (sku, price, tax, on_hand) {
            (Some(sku), Some(unit_price_minor), Some(tax), Some(on_hand)) if e.is_empty() => {
                Ok(ProductInput {
                    sku,
                    name,
                    description,
                    unit_price_minor,
                    currency,
                    tax_rate_bp: i32::try_from(tax).unwrap_or(0),
                    active: self.active.is_some(),
                    track_stock,
                    on_hand,
                })
            }
            _ => Err(e),
        }
    }
}
