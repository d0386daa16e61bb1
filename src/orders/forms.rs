//! The order form as posted: document fields and any number of lines
//! (`sku_N`, `qty_N`, `price_N`, `disc_N` and the product snapshot
//! `pid_N`, `name_N`, `tax_N`), read from the raw pairs so a line can be
//! added or removed without JavaScript (`op=add`, `op=remove:N`).

use crate::web::list::Params;

/// Lines beyond this many are ignored (a document is not a catalogue).
pub const MAX_LINES: usize = 200;
/// Blank lines a new form starts with.
pub const START_LINES: usize = 3;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineForm {
    pub sku: String,
    pub qty: String,
    pub price: String,
    pub disc: String,
    /// The product the line was filled from, and its snapshot.
    pub pid: String,
    pub name: String,
    pub tax: String,
    /// The SKU the snapshot was taken for: a different typed SKU takes a
    /// new snapshot from the catalogue.
    pub snap: String,
}

impl LineForm {
    pub fn is_blank(&self) -> bool {
        self.sku.trim().is_empty() && self.name.trim().is_empty()
    }
}

#[derive(Clone, Debug, Default)]
pub struct OrderForm {
    pub contact: String,
    pub account: String,
    pub currency: String,
    pub owner_id: String,
    pub tax_mode: String,
    pub discount: String,
    pub shipping: String,
    pub shipping_tax: String,
    pub notes: String,
    pub lines: Vec<LineForm>,
    /// Edits only: the version the form was drawn from.
    pub version: String,
    /// The form's one-time key (duplicate-submit protection).
    pub idem: String,
    /// `add`, `remove:N` or empty.
    pub op: String,
    /// What an htmx recalculation wants back: `totals` or the editor.
    pub view: String,
}

fn take(p: &Params, k: &str, max: usize) -> String {
    p.get(k).chars().take(max).collect()
}

impl OrderForm {
    pub fn parse(p: &Params) -> OrderForm {
        let mut idx: Vec<usize> =
            p.0.iter()
                .filter_map(|(k, _)| {
                    ["sku_", "qty_", "name_"]
                        .iter()
                        .find_map(|pre| k.strip_prefix(pre))
                        .and_then(|n| n.parse::<usize>().ok())
                })
                .filter(|n| *n < 10_000)
                .collect();
        idx.sort_unstable();
        idx.dedup();
        idx.truncate(MAX_LINES);
        let lines = idx
            .into_iter()
            .map(|n| LineForm {
                sku: take(p, &format!("sku_{n}"), 64),
                qty: take(p, &format!("qty_{n}"), 20),
                price: take(p, &format!("price_{n}"), 20),
                disc: take(p, &format!("disc_{n}"), 20),
                pid: take(p, &format!("pid_{n}"), 20),
                name: take(p, &format!("name_{n}"), 200),
                tax: take(p, &format!("tax_{n}"), 10),
                snap: take(p, &format!("snap_{n}"), 64),
            })
            .collect();
        OrderForm {
            contact: take(p, "contact", 320),
            account: take(p, "account", 200),
            currency: take(p, "currency", 3),
            owner_id: take(p, "owner_id", 20),
            tax_mode: take(p, "tax_mode", 10),
            discount: take(p, "discount", 20),
            shipping: take(p, "shipping", 20),
            shipping_tax: take(p, "shipping_tax", 10),
            notes: take(p, "notes", 2000),
            lines,
            version: take(p, "version", 12),
            idem: take(p, "idem", 64),
            op: take(p, "op", 20),
            view: take(p, "view", 10),
        }
    }

    /// Applies `op` (add a blank line, remove one); true when it did.
    pub fn apply_op(&mut self) -> bool {
        let op = std::mem::take(&mut self.op);
        if op == "add" {
            if self.lines.len() < MAX_LINES {
                self.lines.push(LineForm::default());
            }
            return true;
        }
        if let Some(n) = op
            .strip_prefix("remove:")
            .and_then(|n| n.parse::<usize>().ok())
        {
            if n < self.lines.len() {
                self.lines.remove(n);
            }
            return true;
        }
        false
    }

    pub fn version(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_in_index_order_and_ops_add_or_remove() {
        let p = Params::from_query(
            "sku_2=B&qty_2=1&sku_0=A&qty_0=2&name_0=Apple&notes=hi&op=remove:0&sku_x=1",
        );
        let mut f = OrderForm::parse(&p);
        assert_eq!(f.lines.len(), 2);
        assert_eq!(f.lines[0].sku, "A");
        assert_eq!(f.lines[1].sku, "B");
        assert!(f.apply_op());
        assert_eq!(f.lines.len(), 1);
        assert_eq!(f.lines[0].sku, "B");
        f.op = "add".into();
        assert!(f.apply_op());
        assert_eq!(f.lines.len(), 2);
        assert!(f.lines[1].is_blank());
        assert!(!f.apply_op());
    }
}
