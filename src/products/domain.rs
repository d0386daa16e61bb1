//! The catalogue list's sorts and filters, and the rules of a product's
//! fields (pure).

use crate::web::list::{Col, FilterSet, Params};

crate::sort_keys! {
    /// The orders of the product list.
    pub enum ProductSort: "products.id", default Name {
        Name: "name", asc, [Col::text("products.name")];
        Sku: "sku", asc, [Col::text("products.sku_key")];
        Price: "price", asc, [Col::int("products.unit_price_minor")];
        Updated: "updated", desc, [Col::time("products.updated_at")];
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductFilters {
    /// Some(true): active only; Some(false): retired only.
    pub active: Option<bool>,
}

impl FilterSet for ProductFilters {
    fn parse(p: &Params) -> ProductFilters {
        ProductFilters {
            active: match p.get("status").trim() {
                "active" => Some(true),
                "inactive" => Some(false),
                _ => None,
            },
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        self.active
            .map(|a| vec![("status", if a { "active" } else { "inactive" }.to_string())])
            .unwrap_or_default()
    }
}

pub type ProductListOptions = crate::web::list::ListOptions<ProductSort, ProductFilters>;

pub const SKU_MAX: usize = 64;
pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2000;

/// A SKU as stored (trimmed), or None when it is empty, too long or holds
/// spaces or control characters.
pub fn sku(raw: &str) -> Option<String> {
    let t = raw.trim();
    let ok = !t.is_empty()
        && t.chars().count() <= SKU_MAX
        && !t.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| t.to_string())
}

/// The key SKUs are unique by: case does not make a new product.
pub fn sku_key(sku: &str) -> String {
    sku.to_lowercase()
}

/// A tax rate typed as a percentage ("13", "7.5", "19.25") in basis points
/// (0–100 %), exactly.
pub fn tax_rate_bp(raw: &str) -> Option<i64> {
    let t = raw.trim().trim_end_matches('%').trim();
    if t.is_empty() {
        return Some(0);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 || whole.len() > 3 {
        return None;
    }
    let bp = whole.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?;
    (bp <= 10_000).then_some(bp)
}

/// Basis points as the form shows them ("13", "7.5").
pub fn percent_text(bp: i64) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    if frac == 0 {
        whole.to_string()
    } else if frac % 10 == 0 {
        format!("{whole}.{}", frac / 10)
    } else {
        format!("{whole}.{frac:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_are_trimmed_single_words_unique_by_case() {
        assert_eq!(sku("  AB-12 "), Some("AB-12".into()));
        assert_eq!(sku("a b"), None);
        assert_eq!(sku(""), None);
        assert_eq!(sku(&"x".repeat(65)), None);
        assert_eq!(sku_key("Ab-12"), sku_key("aB-12"));
    }

    #[test]
    fn tax_rates_are_exact_percentages() {
        assert_eq!(tax_rate_bp("13"), Some(1300));
        assert_eq!(tax_rate_bp("7.5 %"), Some(750));
        assert_eq!(tax_rate_bp("19.25"), Some(1925));
        assert_eq!(tax_rate_bp(""), Some(0));
        assert_eq!(tax_rate_bp("100"), Some(10_000));
        assert_eq!(tax_rate_bp("100.01"), None);
        assert_eq!(tax_rate_bp("-1"), None);
        assert_eq!(tax_rate_bp("1.234"), None);
        assert_eq!(tax_rate_bp("abc"), None);
        for bp in [0, 5, 50, 750, 1300, 1925, 10_000] {
            assert_eq!(tax_rate_bp(&percent_text(bp)), Some(bp));
        }
    }
}
