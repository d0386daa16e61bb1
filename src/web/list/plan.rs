//! How a list page is read, chosen from its (capped) count of matches.
//!
//! With few matches the cheapest page reads them all through the filters'
//! indexes and sorts them. With many, sorting every match is the cost
//! (10,000 contacts in one city, sorted on each view): walking the sort's
//! own index and testing each row stops after one page instead. SQLite's
//! planner picks the filter's index whenever one exists, so under
//! `Plan::Walk` filters compare `+column` — the same value, but an
//! expression no index serves. (MariaDB's parser drops a unary plus and
//! decides on its own, which it does well here.)

/// Above this many matches a page walks the sort's index.
pub const DENSE: i64 = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Read the matches through the filters' indexes and sort them.
    Narrow,
    /// Walk the sort's index, testing each row against the filters.
    Walk,
}

impl Plan {
    pub fn for_count(matches: i64) -> Plan {
        if matches > DENSE {
            Plan::Walk
        } else {
            Plan::Narrow
        }
    }
}

/// Adds one filter on a column to a boxed query, as the plan wants it:
/// `filter_by_plan!(q, plan, contacts::city, "contacts.city": Nullable<Text>, |c| c.eq(city))`.
#[macro_export]
macro_rules! filter_by_plan {
    ($q:ident, $plan:expr, $col:expr, $sql:literal : $ty:ty, |$c:ident| $pred:expr) => {
        $q = match $plan {
            $crate::web::list::Plan::Walk => {
                let $c = diesel::dsl::sql::<$ty>(concat!("+", $sql));
                $q.filter($pred)
            }
            $crate::web::list::Plan::Narrow => {
                let $c = $col;
                $q.filter($pred)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_matches_walk_the_order() {
        assert_eq!(Plan::for_count(0), Plan::Narrow);
        assert_eq!(Plan::for_count(DENSE), Plan::Narrow);
        assert_eq!(Plan::for_count(DENSE + 1), Plan::Walk);
    }
}
