//! How a list page is read, chosen from its (capped) count of matches.
//!
//! With few matches the cheapest page reads them all through the filters'
//! indexes and sorts them. With many, sorting every match is the cost
//! (10,000 contacts in one city, sorted on each view): walking the sort's
//! own index and testing each row stops after one page instead. The
//! planners pick the filter's index whenever one exists, so under
//! `Plan::Walk` a filter is written so that it cannot drive: `+column` on
//! SQLite (`db::unindexed`), `(… OR FALSE)` on MariaDB, which keeps an
//! `IN (subquery)` from becoming a semi-join (`db::no_semijoin`).

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

    /// The plan of the `word`th search word (from 0): the first drives as
    /// the plan says, the others only test the rows it finds. (As
    /// semi-joins of their own, MariaDB joined the owner and account of
    /// every match of the first word before testing the second.)
    pub fn for_word(self, word: usize) -> Plan {
        if word == 0 { self } else { Plan::Walk }
    }
}

/// Adds one filter on a column to a boxed query, as the plan wants it, in
/// the connection's dialect (`db::dialect(conn)`):
/// `filter_by_plan!(q, plan, dialect, contacts::city, "contacts.city": Nullable<Text>, |c| c.eq(city))`.
#[macro_export]
macro_rules! filter_by_plan {
    ($q:ident, $plan:expr, $dialect:expr, $col:expr, $sql:literal : $ty:ty, |$c:ident| $pred:expr) => {
        $q = match $plan {
            $crate::web::list::Plan::Walk => match $dialect {
                $crate::db::Dialect::Sqlite => {
                    let $c = diesel::dsl::sql::<$ty>(&$crate::db::unindexed($sql));
                    $q.filter($pred)
                }
                $crate::db::Dialect::Mysql => {
                    let $c = $col;
                    $q.filter($pred.or($crate::db::no_semijoin()))
                }
            },
            $crate::web::list::Plan::Narrow => {
                let $c = $col;
                $q.filter($pred)
            }
        }
    };
}

/// Keeps the rows with a search term of `kind` starting with `prefix`, as
/// the plan wants it: under `Plan::Narrow` the word's matches drive (`id IN
/// (the word's terms)`, read from the terms' index); under `Plan::Walk`
/// each row the sort's index yields is probed for the word among its own
/// terms (`ix_search_terms_record`), written as a scalar subquery that
/// neither planner turns into a join or a materialised set (MariaDB
/// materialised all 123,000 terms starting "so" of 200,000 orders, 177 ms,
/// to test a page of 26 rows; as a probe that page takes 0.6 ms):
/// `filter_by_word!(q, plan, Kind::Order, prefix, orders::id, "orders.id")`.
#[macro_export]
macro_rules! filter_by_word {
    ($q:ident, $plan:expr, $kind:expr, $prefix:expr, $col:expr, $sql:literal) => {
        $q = match $plan {
            $crate::web::list::Plan::Walk => {
                let (lo, hi) = $crate::search::index::prefix_range($prefix);
                $q.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(
                        "(SELECT 1 FROM search_terms st WHERE st.record_type = ",
                    )
                    .bind::<diesel::sql_types::Text, _>($kind.as_str())
                    .sql(concat!(" AND st.record_id = ", $sql, " AND st.term >= "))
                    .bind::<diesel::sql_types::Text, _>(lo)
                    .sql(" AND st.term < ")
                    .bind::<diesel::sql_types::Text, _>(hi)
                    .sql(" LIMIT 1) IS NOT NULL"),
                )
            }
            $crate::web::list::Plan::Narrow => {
                $q.filter($col.eq_any($crate::search::prefix_subquery($kind, $prefix)))
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
