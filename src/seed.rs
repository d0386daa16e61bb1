//! `rapport seed-demo`: a realistic data set (teams, a user per role,
//! contacts with notes) for trying Rapport and for benchmarks.

use std::time::Instant;

use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::auth::password;
use crate::config::Config;
use crate::db::schema::{accounts, activities, contacts};
use crate::db::{self, DbConn, now, write_tx};
use crate::staff::{models::NewUser, repo};
use crate::startup::prepare_database;

const FIRST: &[&str] = &[
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Hedy",
    "Tim",
    "Katherine",
    "John",
    "Radia",
    "Donald",
    "Sophie",
    "Niklaus",
    "Annie",
    "Guido",
    "Lynn",
    "Bjarne",
    "Mary",
    "James",
    "Shafi",
    "Leslie",
    "Joan",
    "Vint",
    "Karen",
    "Tony",
    "Amara",
    "Kofi",
    "Yuki",
    "Mateo",
    "Lucía",
    "Søren",
    "Zoë",
    "Chiara",
    "Arjun",
    "Mei",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Lamarr",
    "Berners-Lee",
    "Johnson",
    "McCarthy",
    "Perlman",
    "Knuth",
    "Wilson",
    "Wirth",
    "Easley",
    "van Rossum",
    "Conway",
    "Stroustrup",
    "Keller",
    "Gosling",
    "Goldwasser",
    "Lamport",
    "Clarke",
    "Cerf",
    "Spärck Jones",
    "Hoare",
    "Okafor",
    "Mensah",
    "Tanaka",
    "García",
    "Fernández",
    "Kierkegaard",
    "Müller",
    "Rossi",
    "Patel",
    "Chen",
];
const COMPANIES: &[&str] = &[
    "Acme Bakery",
    "Northwind Traders",
    "Blue Harbor Dental",
    "Greenleaf Gardens",
    "Summit Accounting",
    "Riverside Veterinary",
    "Brightside Solar",
    "Oak & Iron Furniture",
    "Harbor Coffee Roasters",
    "Pinecrest Realty",
    "Metro Bike Repair",
    "Lakeside Physio",
    "Copper Kettle Catering",
    "Atlas Logistics",
    "Bluebird Print Shop",
    "Cedar Lane Builders",
    "Silverline IT",
    "Maple Street Books",
    "Sunrise Yoga",
    "Ironclad Security",
];
const CITIES: &[&str] = &[
    "London",
    "Paris",
    "Berlin",
    "Lisbon",
    "Madrid",
    "Dublin",
    "Amsterdam",
    "Oslo",
    "Accra",
    "Osaka",
];
const LIFECYCLES: &[&str] = &[
    "prospect",
    "prospect",
    "new_customer",
    "growing",
    "loyal",
    "churned",
];
const NOTES: &[&str] = &[
    "Called about renewing the service contract; wants a quote by Friday.",
    "Met at the trade fair. Interested in the premium plan for 12 seats.",
    "Asked for a discount on the annual invoice. Follow up next week.",
    "Sent the product brochure and pricing sheet.",
    "Prefers email over phone. Best reached mornings.",
    "Budget approved for Q3; decision maker is their operations lead.",
];

struct NewContactRow {
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    account_id: Option<i64>,
    city: &'static str,
    lifecycle: &'static str,
    owner_id: i64,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

struct NewActivityRow {
    contact_id: i64,
    kind: &'static str,
    body: &'static str,
    author_id: i64,
    created_at: chrono::NaiveDateTime,
}

fn ensure_team(c: &mut DbConn, name: &str) -> QueryResult<i64> {
    match repo::list_teams(c)?.into_iter().find(|t| t.name == name) {
        Some(t) => Ok(t.id),
        None => repo::insert_team(c, name),
    }
}

fn ensure_user(
    c: &mut DbConn,
    email: &str,
    name: &str,
    role: &str,
    team: Option<i64>,
    hash: &str,
) -> QueryResult<i64> {
    if let Some(u) = repo::find_by_email(c, email)? {
        return Ok(u.id);
    }
    let t = now();
    repo::insert_user(
        c,
        &NewUser {
            email,
            name,
            password_hash: hash,
            role,
            team_id: team,
            active: true,
            session_epoch: 0,
            created_at: t,
            updated_at: t,
        },
    )
}

pub fn run(config: &Config, count: u32, demo_password: &str) -> Result<String, String> {
    password::check_policy(demo_password).map_err(str::to_string)?;
    prepare_database(config).map_err(|e| e.to_string())?;
    let mut conn = db::connect(&config.database).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let hash = password::hash(demo_password).map_err(|e| e.to_string())?;
    let c = &mut conn;
    let owners = write_tx(c, |c| -> QueryResult<Vec<i64>> {
        let north = ensure_team(c, "North")?;
        let south = ensure_team(c, "South")?;
        let people = [
            ("admin@demo.rapport.test", "Avery Admin", "admin", None),
            (
                "manager@demo.rapport.test",
                "Morgan Manager",
                "manager",
                Some(north),
            ),
            (
                "sales1@demo.rapport.test",
                "Sam Seller",
                "sales",
                Some(north),
            ),
            (
                "sales2@demo.rapport.test",
                "Sasha Seller",
                "sales",
                Some(south),
            ),
            (
                "support@demo.rapport.test",
                "Skyler Support",
                "support",
                Some(south),
            ),
            (
                "marketing@demo.rapport.test",
                "Mika Marketing",
                "marketing",
                None,
            ),
        ];
        people
            .iter()
            .map(|(email, name, role, team)| ensure_user(c, email, name, role, *team, &hash))
            .collect()
    })
    .map_err(|e| e.to_string())?;

    let account_ids = write_tx(c, |c| -> QueryResult<Vec<i64>> {
        COMPANIES
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let existing: Option<i64> = accounts::table
                    .filter(accounts::name.eq(name))
                    .select(accounts::id)
                    .first(c)
                    .optional()?;
                match existing {
                    Some(id) => Ok(id),
                    None => crate::accounts::repo::insert_named(
                        c,
                        name,
                        owners[1 + i % (owners.len() - 1)],
                    ),
                }
            })
            .collect()
    })
    .map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let base = now();
    let mut made = 0u32;
    let mut notes = 0usize;
    const BATCH: u32 = 1_000;
    while made < count {
        let n = BATCH.min(count - made);
        let rows: Vec<NewContactRow> = (0..n)
            .map(|i| {
                let first = *FIRST.choose(&mut rng).unwrap_or(&"Alex");
                let last = *LAST.choose(&mut rng).unwrap_or(&"Smith");
                let company_index = rng.gen_range(0..COMPANIES.len());
                let domain = COMPANIES[company_index]
                    .to_lowercase()
                    .replace(|ch: char| !ch.is_ascii_alphanumeric(), "");
                let when =
                    base - chrono::Duration::minutes(i64::from(made + i) * 7 + rng.gen_range(0..7));
                NewContactRow {
                    first_name: first.to_string(),
                    last_name: last.to_string(),
                    email: Some(format!(
                        "{}.{}.{}@{}.example",
                        first.to_lowercase(),
                        last.to_lowercase().replace(' ', ""),
                        made + i,
                        domain
                    )),
                    phone: rng.gen_bool(0.8).then(|| {
                        format!(
                            "+1 555 {:03} {:04}",
                            rng.gen_range(100..999),
                            rng.gen_range(0..9999)
                        )
                    }),
                    account_id: Some(account_ids[company_index]),
                    city: CITIES[rng.gen_range(0..CITIES.len())],
                    lifecycle: LIFECYCLES[rng.gen_range(0..LIFECYCLES.len())],
                    owner_id: owners[1 + (made + i) as usize % (owners.len() - 1)],
                    created_at: when,
                    updated_at: when,
                }
            })
            .collect();
        let note_rows = write_tx(c, |c| -> QueryResult<usize> {
            let values: Vec<_> = rows
                .iter()
                .map(|r| {
                    (
                        contacts::first_name.eq(&r.first_name),
                        contacts::last_name.eq(&r.last_name),
                        contacts::email.eq(&r.email),
                        contacts::phone.eq(&r.phone),
                        contacts::owner_id.eq(r.owner_id),
                        contacts::account_id.eq(r.account_id),
                        contacts::city.eq(r.city),
                        contacts::lifecycle.eq(r.lifecycle),
                        contacts::created_at.eq(r.created_at),
                        contacts::updated_at.eq(r.updated_at),
                    )
                })
                .collect();
            // Multi-row inserts need the concrete backend (diesel's
            // MultiConnection does not batch).
            match c {
                DbConn::Mysql(m) => diesel::insert_into(contacts::table)
                    .values(&values)
                    .execute(m)?,
                DbConn::Sqlite(s) => diesel::insert_into(contacts::table)
                    .values(&values)
                    .execute(s)?,
            };
            let last_id = db::last_insert_id(c)?;
            // MySQL reports the first id of a multi-row insert, SQLite the last.
            let first_id = match c {
                DbConn::Mysql(_) => last_id,
                DbConn::Sqlite(_) => last_id - i64::from(n) + 1,
            };
            let acts: Vec<NewActivityRow> = (0..i64::from(n))
                .filter(|k| k % 3 == 0)
                .map(|k| NewActivityRow {
                    contact_id: first_id + k,
                    kind: "note",
                    body: NOTES[(k as usize / 3) % NOTES.len()],
                    author_id: rows[k as usize].owner_id,
                    created_at: rows[k as usize].created_at,
                })
                .collect();
            let values: Vec<_> = acts
                .iter()
                .map(|a| {
                    (
                        activities::contact_id.eq(a.contact_id),
                        activities::kind.eq(a.kind),
                        activities::body.eq(a.body),
                        activities::author_id.eq(a.author_id),
                        activities::created_at.eq(a.created_at),
                        activities::occurred_at.eq(a.created_at),
                    )
                })
                .collect();
            match c {
                DbConn::Mysql(m) => diesel::insert_into(activities::table)
                    .values(&values)
                    .execute(m),
                DbConn::Sqlite(s) => diesel::insert_into(activities::table)
                    .values(&values)
                    .execute(s),
            }
        })
        .map_err(|e| e.to_string())?;
        notes += note_rows;
        made += n;
    }
    Ok(format!(
        "seeded {made} contacts and {notes} notes in {:.1}s; demo users <role>@demo.rapport.test (sales1, sales2 for sales) with the password you gave",
        started.elapsed().as_secs_f64()
    ))
}
