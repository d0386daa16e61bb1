//! CSAT per queue and per agent: the stored ratings fed to the pure
//! `domain::csat` (satisfied ÷ responses × 100).

use diesel::prelude::*;

use super::domain::csat;
use crate::db::DbConn;
use crate::db::schema::csat_ratings;
use crate::domain::ids::{QueueId, UserId};

/// (queue, CSAT %, responses) for every queue with ratings.
pub fn csat_by_queue(c: &mut DbConn) -> QueryResult<Vec<(QueueId, Option<u32>, usize)>> {
    let rows: Vec<(QueueId, i32)> = csat_ratings::table
        .select((csat_ratings::queue_id, csat_ratings::score))
        .order(csat_ratings::queue_id.asc())
        .load(c)?;
    Ok(group(rows))
}

/// (agent, CSAT %, responses) for every agent with rated tickets.
pub fn csat_by_agent(c: &mut DbConn) -> QueryResult<Vec<(UserId, Option<u32>, usize)>> {
    let rows: Vec<(Option<UserId>, i32)> = csat_ratings::table
        .select((csat_ratings::agent_id, csat_ratings::score))
        .filter(csat_ratings::agent_id.is_not_null())
        .order(csat_ratings::agent_id.asc())
        .load(c)?;
    Ok(group(
        rows.into_iter()
            .filter_map(|(a, s)| a.map(|a| (a, s)))
            .collect(),
    ))
}

/// Scores grouped by key (rows sorted by key) into (key, CSAT, count).
pub fn group<K: PartialEq + Copy>(rows: Vec<(K, i32)>) -> Vec<(K, Option<u32>, usize)> {
    let mut out: Vec<(K, Vec<i32>)> = Vec::new();
    for (k, s) in rows {
        match out.last_mut() {
            Some((last, scores)) if *last == k => scores.push(s),
            _ => out.push((k, vec![s])),
        }
    }
    out.into_iter()
        .map(|(k, s)| (k, csat(&s), s.len()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::group;

    #[test]
    fn grouped_csat() {
        let g = group(vec![(1, 5), (1, 1), (2, 4), (2, 5), (2, 2)]);
        assert_eq!(g, vec![(1, Some(50), 2), (2, Some(67), 3)]);
    }
}
