//! Where a page sits in its list: numbers for "26–50 of 1,000+" and the
//! cursors of the previous and next pages.

use crate::i18n::Locale;

#[derive(Clone, Debug, Default)]
pub struct Pager {
    pub page: i64,
    pub per_page: i64,
    /// Matches counted, up to the cap.
    pub total: i64,
    /// `total` is the real count (not capped).
    pub exact: bool,
    /// Rows on this page.
    pub shown: i64,
    pub has_prev: bool,
    pub has_next: bool,
    /// Cursor of the next page (`after=`).
    pub next: Option<String>,
    /// Cursor of the previous page (`before=`); None with `has_prev` is page 1.
    pub prev: Option<String>,
}

impl Pager {
    pub fn first_row(&self) -> i64 {
        if self.shown == 0 {
            0
        } else {
            (self.page - 1) * self.per_page + 1
        }
    }

    pub fn last_row(&self) -> i64 {
        (self.first_row() + self.shown - 1).max(0)
    }

    pub fn last_page(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }

    /// "320", or "1,000+" when capped.
    pub fn total_label(&self, loc: &Locale) -> String {
        let grouped = loc.number(self.total);
        if self.exact {
            grouped
        } else {
            format!("{grouped}+")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Pager;
    use crate::i18n::Locale;

    #[test]
    fn labels_and_rows() {
        let p = Pager {
            page: 3,
            per_page: 25,
            total: 1000,
            exact: false,
            shown: 25,
            ..Pager::default()
        };
        assert_eq!((p.first_row(), p.last_row()), (51, 75));
        assert_eq!(p.total_label(&Locale::default()), "1,000+");
        let empty = Pager {
            page: 1,
            per_page: 25,
            exact: true,
            ..Pager::default()
        };
        assert_eq!(
            (empty.first_row(), empty.last_row(), empty.last_page()),
            (0, 0, 1)
        );
    }
}
