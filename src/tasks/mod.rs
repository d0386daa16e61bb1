//! Tasks: follow-ups with a due day, an assignee and a linked record;
//! "My tasks" groups them into overdue, today and upcoming.

use crate::route_table;

route_table! {}
