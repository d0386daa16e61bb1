//! `GET /orders/export.csv`: the order list as filtered and sorted on the
//! page (record scope applied), through the contacts export's CSV writer
//! (`imports::csv_bytes`: BOM, CRLF, formula-safe cells), headers in the
//! viewer's language, amounts as plain numbers, times in UTC. Audited.

use actix_web::{HttpResponse, web};

use super::list::{self as order_list, OrderListOptions};
use super::repo::Reach;
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::error::AppResult;
use crate::i18n::{StoredMessage, key};
use crate::imports::{EXPORT_MAX, csv_bytes, csv_response};
use crate::web::CurrentUser;
use crate::web::list::Params;
use crate::web::state::AppState;

const HEADERS: [&str; 10] = [
    key("orders-csv-number"),
    key("orders-csv-quote-number"),
    key("orders-csv-order-number"),
    key("orders-csv-status"),
    key("orders-csv-account"),
    key("orders-csv-contact"),
    key("orders-csv-owner"),
    key("orders-csv-currency"),
    key("orders-csv-total"),
    key("orders-csv-created-at"),
];

pub async fn orders(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = OrderListOptions::parse(&query)?;
    let (viewer, actor, loc) = (user.viewer(), user.id, user.locale);
    let body = state
        .db(move |c| {
            let reach = Reach::of(c, &viewer)?;
            let rows = order_list::all_matching(c, &reach, &opts, loc.tz, EXPORT_MAX)?;
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let contact = r
                        .contact_first
                        .as_ref()
                        .map(|_| {
                            crate::domain::person_name(
                                r.contact_first.as_deref().unwrap_or(""),
                                r.contact_last.as_deref().unwrap_or(""),
                            )
                        })
                        .unwrap_or_default();
                    vec![
                        r.number(),
                        r.quote_number.clone().unwrap_or_default(),
                        r.order_number.clone().unwrap_or_default(),
                        r.status.as_str().to_string(),
                        r.account_name.clone().unwrap_or_default(),
                        contact,
                        r.owner_name.clone().unwrap_or_default(),
                        r.currency.clone(),
                        crate::i18n::format::plain_amount(r.total_minor, &r.currency),
                        r.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    ]
                })
                .collect();
            let headers = HEADERS.map(|k| loc.t(k));
            let body = csv_bytes(&headers, &cells)?;
            audit::record(
                c,
                Entry {
                    actor: Some(actor),
                    action: AuditAction::Export,
                    entity: AuditEntity::Order,
                    entity_id: None,
                    summary: StoredMessage::new(key("audit-orders-exported"))
                        .num("count", i64::try_from(rows.len()).unwrap_or(i64::MAX)),
                },
            )?;
            Ok(body)
        })
        .await?;
    let name = format!("orders-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok(csv_response(&name, body))
}
