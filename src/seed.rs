//! `rapport seed-demo`: a realistic data set for trying Rapport and for the
//! benchmarks: two teams, a user per role plus sales reps, accounts (one per
//! five contacts), contacts with stages, cities, consent and tags, five
//! timeline entries per contact, and open tasks. 100,000 contacts take
//! seconds on SQLite and MariaDB: rows go in multi-row INSERTs of thousands.

use std::time::Instant;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::auth::password;
use crate::auth::policy::Role;
use crate::config::Config;
use crate::db::schema::{accounts, activities, contacts, record_tags, tasks};
use crate::db::{self, DbConn, now, write_tx};
use crate::domain::ids::TeamId;
use crate::staff::{models::NewUser, repo};
use crate::startup::prepare_database;

/// One contact in ten has a Chinese name, and one account in ten a Chinese
/// company name (city + name + trade + 有限公司), so CJK search has data.
const CN_FAMILY: &[&str] = &["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];
const CN_GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "晓明", "建华",
];
const CN_CITIES: &[&str] = &[
    "北京", "上海", "深圳", "广州", "杭州", "成都", "南京", "武汉",
];
const CN_WORDS: &[&str] = &[
    "星辰", "华夏", "东方", "宏达", "创新", "金桥", "天宇", "瑞丰", "远航", "恒通",
];
const CN_TRADES: &[&str] = &["科技", "贸易", "实业", "物流", "软件"];

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
const WORDS: &[&str] = &[
    "Acme",
    "Northwind",
    "Blue Harbor",
    "Greenleaf",
    "Summit",
    "Riverside",
    "Brightside",
    "Oak & Iron",
    "Copper Kettle",
    "Pinecrest",
    "Metro",
    "Lakeside",
    "Atlas",
    "Bluebird",
    "Cedar Lane",
    "Silverline",
    "Maple Street",
    "Sunrise",
    "Ironclad",
    "Harbor",
];
const KINDS: &[(&str, &str)] = &[
    ("Bakery", "Food"),
    ("Dental", "Health"),
    ("Gardens", "Retail"),
    ("Accounting", "Finance"),
    ("Veterinary", "Health"),
    ("Solar", "Energy"),
    ("Furniture", "Retail"),
    ("Coffee Roasters", "Food"),
    ("Realty", "Real estate"),
    ("Bike Repair", "Services"),
    ("Physio", "Health"),
    ("Catering", "Food"),
    ("Logistics", "Transport"),
    ("Print Shop", "Services"),
    ("Builders", "Construction"),
    ("IT", "Technology"),
    ("Books", "Retail"),
    ("Yoga", "Health"),
    ("Security", "Services"),
    ("Consulting", "Services"),
];
const SIZES: &[&str] = &["1-10", "11-50", "51-200", "201-1000"];
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
const CONSENTS: &[&str] = &["never_asked", "subscribed", "subscribed", "unsubscribed"];
const TAGS: &[&str] = &[
    "vip",
    "newsletter",
    "partner",
    "trade-fair-2026",
    "referral",
];
const ACTIVITIES: &[(&str, &str, &str)] = &[
    (
        "call",
        "Intro call",
        "Called about renewing the service contract; wants a quote by Friday.",
    ),
    (
        "meeting",
        "Demo",
        "Met at the trade fair. Interested in the premium plan for 12 seats.",
    ),
    (
        "note",
        "",
        "Asked for a discount on the annual invoice. Follow up next week.",
    ),
    (
        "email",
        "Pricing sheet",
        "Sent the product brochure and pricing sheet.",
    ),
    (
        "note",
        "",
        "Prefers email over phone. Best reached mornings.",
    ),
    (
        "call",
        "Budget",
        "Budget approved for Q3; decision maker is their operations lead.",
    ),
];

/// Multi-row INSERT on the concrete connection: diesel's MultiConnection
/// does not batch, the backends themselves do.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::db::DbConn::Mysql(m) => diesel::insert_into($table).values($rows).execute(m),
            $crate::db::DbConn::Sqlite(s) => diesel::insert_into($table).values($rows).execute(s),
        }
    };
}
pub(crate) use insert_rows;

#[derive(diesel::QueryableByName)]
struct SeededId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// The ids of the `count` rows just inserted into `table` in one statement,
/// read back rather than computed: on Galera (`auto_increment_increment` > 1)
/// or MariaDB's interleaved lock mode the ids of one statement step by more
/// than one (docs/concurrency.md, rule 6). MySQL reports the first id, SQLite
/// the last; the seed is the only writer, so the `count` rows from there on
/// (or up to there) are its own, and the count is checked.
pub(crate) fn inserted_ids(c: &mut DbConn, table: &str, count: usize) -> QueryResult<Vec<i64>> {
    let at = db::last_insert_id(c)?;
    let sql = match c {
        DbConn::Mysql(_) => {
            format!("SELECT id FROM {table} WHERE id >= {at} ORDER BY id LIMIT {count}")
        }
        DbConn::Sqlite(_) => {
            format!("SELECT id FROM {table} WHERE id <= {at} ORDER BY id DESC LIMIT {count}")
        }
    };
    let mut ids: Vec<i64> = diesel::sql_query(sql)
        .load::<SeededId>(c)?
        .into_iter()
        .map(|r| r.id)
        .collect();
    ids.sort_unstable();
    if ids.len() != count {
        return Err(diesel::result::Error::QueryBuilderError(
            format!("{table}: {count} rows inserted, {} read back", ids.len()).into(),
        ));
    }
    Ok(ids)
}

fn ensure_team(c: &mut DbConn, name: &str) -> QueryResult<i64> {
    match repo::list_teams(c)?.into_iter().find(|t| t.name == name) {
        Some(t) => Ok(t.id.get()),
        None => repo::insert_team(c, name).map(|t| t.get()),
    }
}

fn ensure_user(
    c: &mut DbConn,
    email: &str,
    name: &str,
    role: Role,
    team: Option<i64>,
    hash: &str,
) -> QueryResult<i64> {
    if let Some(u) = repo::find_by_email(c, email)? {
        return Ok(u.id.get());
    }
    let t = now();
    repo::insert_user(
        c,
        &NewUser {
            email,
            name,
            password_hash: hash,
            role,
            team_id: team.map(TeamId::new),
            active: true,
            session_epoch: 0,
            created_at: t,
            updated_at: t,
        },
    )
    .map(|u| u.get())
}

fn ensure_tag(c: &mut DbConn, name: &str) -> QueryResult<i64> {
    Ok(crate::tags::ensure(c, &[name.to_string()])?
        .first()
        .map(|t| t.get())
        .unwrap_or_default())
}

struct People {
    /// Everyone who owns records (not the admin).
    owners: Vec<i64>,
}

fn people(c: &mut DbConn, hash: &str) -> QueryResult<People> {
    write_tx(c, |c| {
        let north = ensure_team(c, "North")?;
        let south = ensure_team(c, "South")?;
        ensure_user(
            c,
            "admin@demo.rapport.test",
            "Avery Admin",
            Role::Admin,
            None,
            hash,
        )?;
        let mut owners = vec![
            ensure_user(
                c,
                "manager@demo.rapport.test",
                "Morgan Manager",
                Role::Manager,
                Some(north),
                hash,
            )?,
            ensure_user(
                c,
                "support@demo.rapport.test",
                "Skyler Support",
                Role::Support,
                Some(south),
                hash,
            )?,
            ensure_user(
                c,
                "marketing@demo.rapport.test",
                "Mika Marketing",
                Role::Marketing,
                None,
                hash,
            )?,
        ];
        for i in 1..=8 {
            let team = if i % 2 == 1 { north } else { south };
            owners.push(ensure_user(
                c,
                &format!("sales{i}@demo.rapport.test"),
                &format!("Sam Seller {i}"),
                Role::Sales,
                Some(team),
                hash,
            )?);
        }
        Ok(People { owners })
    })
}

/// Lower-case ASCII letters and digits of `text`; for text without any
/// (a Chinese name), `c` followed by `n`.
fn ascii_slug(text: &str, n: usize) -> String {
    let slug: String = text
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if slug.is_empty() {
        format!("c{n}")
    } else {
        slug
    }
}

fn pick<'a>(rng: &mut StdRng, items: &'a [&'a str]) -> &'a str {
    items[rng.gen_range(0..items.len())]
}

fn seed_accounts(
    c: &mut DbConn,
    rng: &mut StdRng,
    n: usize,
    owners: &[i64],
    base: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64, String)>> {
    let mut out = Vec::with_capacity(n);
    for start in (0..n).step_by(2_000) {
        let rows: Vec<_> = (start..n.min(start + 2_000))
            .map(|i| {
                let (kind, industry) = KINDS[(i / WORDS.len()) % KINDS.len()];
                let round = i / (WORDS.len() * KINDS.len());
                let name = match round {
                    _ if i % 10 == 3 => format!(
                        "{}{}{}有限公司",
                        pick(rng, CN_CITIES),
                        pick(rng, CN_WORDS),
                        pick(rng, CN_TRADES)
                    ),
                    0 => format!("{} {kind}", WORDS[i % WORDS.len()]),
                    r => format!("{} {kind} {}", WORDS[i % WORDS.len()], r + 1),
                };
                let owner = owners[rng.gen_range(0..owners.len())];
                let when = base - Duration::hours(rng.gen_range(0..24 * 700));
                let domain = format!("{}.example", ascii_slug(&name, i));
                (
                    name,
                    domain,
                    industry,
                    pick(rng, SIZES),
                    pick(rng, CITIES),
                    owner,
                    when,
                )
            })
            .collect();
        let values: Vec<_> = rows
            .iter()
            .map(|(name, domain, industry, size, city, owner, when)| {
                (
                    accounts::name.eq(name),
                    accounts::domain.eq(domain),
                    accounts::industry.eq(*industry),
                    accounts::size.eq(*size),
                    accounts::city.eq(*city),
                    accounts::owner_id.eq(*owner),
                    accounts::created_at.eq(*when),
                    accounts::updated_at.eq(*when),
                )
            })
            .collect();
        let ids = write_tx(c, |c| {
            insert_rows!(c, accounts::table, &values)?;
            inserted_ids(c, "accounts", values.len())
        })?;
        out.extend(
            rows.into_iter()
                .enumerate()
                .map(|(k, r)| (ids[k], r.5, r.0)),
        );
    }
    Ok(out)
}

/// What a demo deal is for.
const DEAL_PRODUCTS: &[&str] = &[
    "Annual licence",
    "Pilot project",
    "Support renewal",
    "Seat expansion",
    "Consulting days",
    "Hardware refresh",
];

/// `count` deals (accounts taken in turn) across the default pipeline's
/// stages: seven in ten open (spread over the open stages, some entered
/// weeks ago so they rot), two won, one lost with a reason; each with its
/// first stage change.
fn seed_deals(
    c: &mut DbConn,
    rng: &mut StdRng,
    accounts: &[(i64, i64, String)],
    count: usize,
    base: NaiveDateTime,
) -> QueryResult<usize> {
    use crate::db::schema::{deal_stage_changes, deals};
    use crate::pipelines::domain::DealStatus;
    let all = crate::pipelines::repo::all(c)?;
    let Some(pipeline) = crate::pipelines::repo::pick(&all, None).cloned() else {
        return Ok(0);
    };
    let open: Vec<_> = pipeline.open_stages().cloned().collect();
    let (Some(won), Some(lost)) = (
        pipeline.first(DealStatus::Won).cloned(),
        pipeline.first(DealStatus::Lost).cloned(),
    ) else {
        return Ok(0);
    };
    if open.is_empty() {
        return Ok(0);
    }
    let reasons = crate::pipelines::repo::reasons(c, true)?;
    let currency = crate::settings::repo::get(c)?.currency;
    if accounts.is_empty() {
        return Ok(0);
    }
    let mut made = 0;
    let picks: Vec<usize> = (0..count).collect();
    // 17 columns a row: 1,000 rows stay under SQLite's 32,766 variables.
    for chunk in picks.chunks(1_000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|&k| {
                let (account, owner, company) = &accounts[k % accounts.len()];
                // Exactly seven in ten open, whatever the count.
                let roll = k % 10;
                let stage = match roll {
                    0 | 1 => &won,
                    2 => &lost,
                    _ => &open[(k + roll) % open.len()],
                };
                let entered = base - Duration::hours(rng.gen_range(1..24 * 40));
                let value = rng.gen_range(5..500) * 10_000;
                let reason = (stage.outcome == DealStatus::Lost && !reasons.is_empty())
                    .then(|| reasons[k % reasons.len()].id);
                (
                    format!("{company} — {}", pick(rng, DEAL_PRODUCTS)),
                    *account,
                    *owner,
                    stage.clone(),
                    value,
                    entered,
                    reason,
                    (base.date() + Duration::days(rng.gen_range(-10..120))),
                )
            })
            .collect();
        let values: Vec<_> = rows
            .iter()
            .map(|r| {
                let closed = (r.3.outcome != DealStatus::Open).then_some(r.5);
                (
                    (
                        deals::title.eq(&r.0),
                        deals::account_id.eq(Some(r.1)),
                        deals::owner_id.eq(r.2),
                        deals::pipeline_id.eq(pipeline.id),
                        deals::stage_id.eq(r.3.id),
                        deals::value_minor.eq(r.4),
                        deals::currency.eq(&currency),
                        deals::expected_close.eq(Some(r.7)),
                        deals::source.eq(crate::deals::domain::DealSource::ALL
                            [r.1 as usize % crate::deals::domain::DealSource::ALL.len()]),
                        deals::status.eq(r.3.outcome),
                    ),
                    (
                        deals::lost_reason_id.eq(r.6),
                        deals::won_at.eq(closed.filter(|_| r.3.outcome == DealStatus::Won)),
                        deals::lost_at.eq(closed.filter(|_| r.3.outcome == DealStatus::Lost)),
                        deals::stage_entered_at.eq(r.5),
                        deals::version.eq(1),
                        deals::created_at.eq(r.5),
                        deals::updated_at.eq(r.5),
                    ),
                )
            })
            .collect();
        made += write_tx(c, |c| -> QueryResult<usize> {
            let n = insert_rows!(c, deals::table, &values)?;
            let ids = inserted_ids(c, "deals", values.len())?;
            let changes: Vec<_> = rows
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    (
                        deal_stage_changes::deal_id.eq(ids[k]),
                        deal_stage_changes::to_stage_id.eq(r.3.id),
                        deal_stage_changes::user_id.eq(Some(r.2)),
                        deal_stage_changes::changed_at.eq(r.5),
                    )
                })
                .collect();
            insert_rows!(c, deal_stage_changes::table, &changes)?;
            Ok(n)
        })?;
    }
    Ok(made)
}

/// Seeds `count` contacts (a fifth as many accounts), `deals` deals
/// (default: one per account) and `orders` quotes and orders (default none).
pub fn run(
    config: &Config,
    count: u32,
    deals: Option<u32>,
    orders: u32,
    demo_password: &str,
) -> Result<String, String> {
    password::check_policy(demo_password).map_err(|e| e.to_string())?;
    prepare_database(config).map_err(|e| e.to_string())?;
    let mut conn = db::connect(&config.database).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let hash = password::hash(demo_password).map_err(|e| e.to_string())?;
    let c = &mut conn;
    let err = |e: diesel::result::Error| e.to_string();
    let People { owners } = people(c, &hash).map_err(err)?;
    let tag_ids: Vec<i64> = TAGS
        .iter()
        .map(|t| ensure_tag(c, t))
        .collect::<QueryResult<_>>()
        .map_err(err)?;
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let base = now();
    let n = count as usize;
    let accounts = seed_accounts(c, &mut rng, (n / 5).max(1), &owners, base).map_err(err)?;

    let (mut made, mut entries) = (0usize, 0usize);
    while made < n {
        let batch = 2_000.min(n - made);
        let rows: Vec<_> = (0..batch)
            .map(|k| {
                let i = made + k;
                let (account, owner, company) = &accounts[rng.gen_range(0..accounts.len())];
                let (first, last) = if i % 10 == 7 {
                    (pick(&mut rng, CN_GIVEN), pick(&mut rng, CN_FAMILY))
                } else {
                    (pick(&mut rng, FIRST), pick(&mut rng, LAST))
                };
                let domain = ascii_slug(company, *account as usize);
                let email = format!(
                    "{}.{}.{i}@{domain}.example",
                    ascii_slug(first, 0),
                    ascii_slug(last, 0)
                );
                let phone = rng.gen_bool(0.8).then(|| {
                    format!(
                        "+44 20 {:04} {:04}",
                        rng.gen_range(0..9999),
                        rng.gen_range(0..9999)
                    )
                });
                let when = base - Duration::minutes((i as i64) * 3 + rng.gen_range(0..3));
                (
                    first,
                    last,
                    email,
                    phone,
                    *account,
                    *owner,
                    pick(&mut rng, CITIES),
                    pick(&mut rng, LIFECYCLES),
                    pick(&mut rng, CONSENTS),
                    when,
                )
            })
            .collect();
        let values: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    contacts::first_name.eq(r.0),
                    contacts::last_name.eq(r.1),
                    contacts::email.eq(&r.2),
                    contacts::phone.eq(&r.3),
                    contacts::account_id.eq(r.4),
                    contacts::owner_id.eq(r.5),
                    contacts::city.eq(r.6),
                    contacts::lifecycle.eq(r.7),
                    contacts::consent.eq(r.8),
                    contacts::created_at.eq(r.9),
                    contacts::updated_at.eq(r.9),
                )
            })
            .collect();
        entries += write_tx(c, |c| -> QueryResult<usize> {
            insert_rows!(c, contacts::table, &values)?;
            let ids = inserted_ids(c, "contacts", values.len())?;
            let mut acts = Vec::with_capacity(batch * 5);
            let mut tagged = Vec::new();
            let mut todo = Vec::new();
            for (k, r) in rows.iter().enumerate() {
                let id = ids[k];
                for j in 0..5 {
                    let (kind, subject, body) = ACTIVITIES[(k + j) % ACTIVITIES.len()];
                    let at = r.9 - Duration::hours(rng.gen_range(0..24 * 365));
                    acts.push((
                        activities::contact_id.eq(Some(id)),
                        activities::account_id.eq(Some(r.4)),
                        activities::kind.eq(kind),
                        activities::subject.eq((!subject.is_empty()).then_some(subject)),
                        activities::body.eq(body),
                        activities::author_id.eq(Some(r.5)),
                        activities::created_at.eq(at),
                        activities::occurred_at.eq(at),
                    ));
                }
                if k % 10 == 0 {
                    tagged.push((
                        record_tags::contact_id.eq(Some(id)),
                        record_tags::tag_id.eq(tag_ids[k / 10 % tag_ids.len()]),
                    ));
                }
                if k % 50 == 0 {
                    let due = base.date() + Duration::days(rng.gen_range(-5..15));
                    todo.push((
                        tasks::title.eq("Follow up"),
                        tasks::due_on.eq(due),
                        tasks::assignee_id.eq(r.5),
                        tasks::contact_id.eq(Some(id)),
                        tasks::created_by.eq(Some(r.5)),
                        tasks::created_at.eq(base),
                        tasks::updated_at.eq(base),
                    ));
                }
            }
            let mut n = 0;
            for chunk in acts.chunks(4_000) {
                n += insert_rows!(c, activities::table, chunk)?;
            }
            if !tagged.is_empty() {
                insert_rows!(c, record_tags::table, &tagged)?;
            }
            if !todo.is_empty() {
                insert_rows!(c, tasks::table, &todo)?;
            }
            Ok(n)
        })
        .map_err(err)?;
        made += batch;
    }
    let deal_count = deals.map_or(accounts.len(), |d| d as usize);
    let deals = seed_deals(c, &mut rng, &accounts, deal_count, base).map_err(err)?;
    let (orders, lines) =
        crate::orders::seed::seed_orders(c, &mut rng, orders as usize, base).map_err(err)?;
    crate::search::index::rebuild(c).map_err(err)?;
    // Fresh planner statistics after a bulk load (both backends plan better).
    let analyze = match c {
        DbConn::Mysql(_) => {
            "ANALYZE TABLE accounts, contacts, activities, users, tasks, search_terms, deals, products, orders, order_lines"
        }
        DbConn::Sqlite(_) => "ANALYZE",
    };
    diesel::sql_query(analyze).execute(c).map_err(err)?;
    Ok(format!(
        "seeded {made} contacts, {} accounts, {deals} deals, {orders} quotes and orders ({lines} lines) and {entries} timeline entries in {:.1}s; demo users: admin@, manager@, support@, marketing@, sales1@ … sales8@demo.rapport.test with the password you gave",
        accounts.len(),
        started.elapsed().as_secs_f64()
    ))
}
