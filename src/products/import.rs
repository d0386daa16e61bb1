//! Product CSV import (`/products/import`): the contact import's upload,
//! decoding and CSV reading (`imports::read_csv_upload`, `csvsafe::Rows`:
//! UTF-8/UTF-16/Windows-1252, sniffed delimiter, line numbers), columns
//! recognised by their header names (English or Chinese), every row checked
//! by the product form's own rules, upserted by SKU (any case): a new SKU
//! is created, a known one updated with the row's non-empty cells (its
//! version moves, so an open product form cannot write back over it).
//! Problems are reported per row as the contact import reports them
//! ("line N: field: message"). A catalogue is small: the file is applied
//! in the request, in transactions of `BATCH` rows.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::ProductForm;
use super::repo::{self, Refused};
use super::views::ImportPage;
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Locale, Message, StoredMessage, key};
use crate::imports::csvsafe::{Row, Rows};
use crate::imports::{CsvUpload, UPLOAD_LIMIT_MIB, read_csv_upload};
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;
use crate::web::render::{html, page};
use crate::web::state::AppState;

type State = web::Data<AppState>;

/// Rows per transaction.
const BATCH: usize = 500;
/// The most rows one file may have (a catalogue, not a data migration).
pub const MAX_ROWS: i64 = 20_000;

/// The product fields a column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Sku,
    Name,
    Description,
    Price,
    Currency,
    TaxRate,
    Active,
    TrackStock,
    OnHand,
    Ignore,
}

impl Column {
    /// The form field it fills (and whose errors it reports).
    fn field(self) -> &'static str {
        match self {
            Column::Sku => "sku",
            Column::Name => "name",
            Column::Description => "description",
            Column::Price => "price",
            Column::Currency => "currency",
            Column::TaxRate => "tax_rate",
            Column::Active => "active",
            Column::TrackStock => "track_stock",
            Column::OnHand => "on_hand",
            Column::Ignore => "",
        }
    }
}

/// The field a header names: English or Chinese, any case, spaces,
/// dashes and underscores alike.
pub fn guess(header: &str) -> Column {
    let h: String = header
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .collect();
    match h.as_str() {
        "sku" | "code" | "productcode" | "itemcode" | "货号" | "编码" | "产品编码" => {
            Column::Sku
        }
        "name" | "product" | "productname" | "title" | "名称" | "产品名称" | "产品" => {
            Column::Name
        }
        "description" | "details" | "描述" | "说明" => Column::Description,
        "price" | "unitprice" | "listprice" | "价格" | "单价" => Column::Price,
        "currency" | "币种" | "货币" => Column::Currency,
        "tax" | "taxrate" | "tax%" | "vat" | "税率" => Column::TaxRate,
        "active" | "enabled" | "启用" | "有效" => Column::Active,
        "trackstock" | "stocktracked" | "tracked" | "跟踪库存" | "库存跟踪" => {
            Column::TrackStock
        }
        "onhand" | "stock" | "quantity" | "qty" | "库存" | "在库" | "库存数量" => {
            Column::OnHand
        }
        _ => Column::Ignore,
    }
}

/// A yes/no cell: Some(true/false), None when it says neither.
fn yes_no(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "on" | "x" | "是" | "启用" => Some(true),
        "no" | "n" | "false" | "0" | "off" | "否" | "停用" => Some(false),
        _ => None,
    }
}

/// What one row did.
enum Outcome {
    Created,
    Updated,
    /// The problems, worded later.
    Failed(StoredMessage),
}

/// The result of a whole file.
#[derive(Default)]
pub struct Summary {
    pub created: i64,
    pub updated: i64,
    /// (line, problem) of each refused row, in file order.
    pub errors: Vec<(i64, String)>,
}

/// "price: Enter a price …; tax_rate: …" as the contact import words a
/// row's problems.
fn problem(errors: &FieldErrors, columns: &[Column]) -> StoredMessage {
    let mut fields: Vec<&'static str> = columns.iter().map(|c| c.field()).collect();
    fields.extend(["sku", "name", "price", "currency", "tax_rate", "on_hand"]);
    let mut seen = Vec::new();
    let each: Vec<StoredMessage> = fields
        .into_iter()
        .filter(|f| !f.is_empty())
        .filter_map(|f| {
            if seen.contains(&f) {
                return None;
            }
            seen.push(f);
            let text = errors.get(f)?;
            Some(
                StoredMessage::new(key("import-row-field-error"))
                    .text("field", f)
                    .text("message", text),
            )
        })
        .collect();
    StoredMessage::list(key("import-row-errors"), each)
        .unwrap_or_else(|| StoredMessage::new(key("import-row-invalid")))
}

/// The form a row makes: onto the existing product's values (cells that
/// are empty keep them), or a new product's defaults (the workspace's
/// currency, tax 0, active).
fn form_of(
    row: &Row,
    columns: &[Column],
    existing: Option<&repo::Product>,
    currency: &str,
    l: &Locale,
    e: &mut FieldErrors,
) -> ProductForm {
    let mut f = match existing {
        Some(p) => ProductForm::of(p),
        None => ProductForm {
            currency: currency.to_string(),
            tax_rate: "0".into(),
            active: Some("on".into()),
            ..ProductForm::default()
        },
    };
    for (col, cell) in columns.iter().zip(&row.cells) {
        if cell.trim().is_empty() {
            continue;
        }
        let flag = |e: &mut FieldErrors, field: &str| match yes_no(cell) {
            Some(b) => b.then(|| "on".to_string()),
            None => {
                e.add(field, l.t("products-import-error-yes-no"));
                None
            }
        };
        match col {
            // A known SKU keeps its spelling (it matched in any case).
            Column::Sku if existing.is_none() => f.sku = cell.clone(),
            Column::Sku => {}
            Column::Name => f.name = cell.clone(),
            Column::Description => f.description = cell.clone(),
            Column::Price => f.price = cell.clone(),
            Column::Currency => f.currency = cell.clone(),
            Column::TaxRate => f.tax_rate = cell.trim().trim_end_matches('%').to_string(),
            Column::Active => f.active = flag(e, "active"),
            Column::TrackStock => f.track_stock = flag(e, "track_stock"),
            Column::OnHand => f.on_hand = cell.clone(),
            Column::Ignore => {}
        }
    }
    f
}

/// Applies one row inside the batch's transaction.
fn apply_row(
    c: &mut DbConn,
    row: &Row,
    columns: &[Column],
    currency: &str,
    l: &Locale,
) -> AppResult<Outcome> {
    let sku_cell = columns
        .iter()
        .zip(&row.cells)
        .find(|(col, _)| **col == Column::Sku)
        .map(|(_, cell)| cell.trim().to_string())
        .unwrap_or_default();
    let existing = if sku_cell.is_empty() {
        None
    } else {
        repo::by_sku(c, &sku_cell)?
    };
    let mut e = FieldErrors::new();
    let form = form_of(row, columns, existing.as_ref(), currency, l, &mut e);
    let input = match form.check(l) {
        Ok(input) if e.is_empty() => input,
        Ok(_) => return Ok(Outcome::Failed(problem(&e, columns))),
        Err(more) => {
            e.absorb(more, str::to_string);
            return Ok(Outcome::Failed(problem(&e, columns)));
        }
    };
    let done = match &existing {
        Some(p) => repo::update(c, p.id, p.version, &input)?.map(|()| Outcome::Updated),
        None => repo::insert(c, &input)?.map(|_| Outcome::Created),
    };
    Ok(match done {
        Ok(o) => o,
        // Another writer got there first (a SKU made or a product saved
        // since the row was read): the row is refused, not lost silently.
        Err(Refused::DuplicateSku | Refused::Conflict) => {
            let mut e = FieldErrors::new();
            e.add("sku", l.t("products-import-error-changed"));
            Outcome::Failed(problem(&e, columns))
        }
    })
}

/// Applies a whole file (already checked to have a header and rows).
pub fn apply(
    c: &mut DbConn,
    text: &str,
    actor: i64,
    l: &Locale,
) -> AppResult<Result<Summary, Message>> {
    let currency = crate::settings::repo::get(c)?.currency;
    let mut rows = Rows::new(text);
    let unreadable = |_| AppError::refused(key("error-import-unreadable-csv"));
    let Some(header) = rows.next_row().map_err(unreadable)? else {
        return Ok(Err(Message::Key(key("error-import-empty"), vec![])));
    };
    let columns: Vec<Column> = crate::imports::csvsafe::header_names(&header)
        .iter()
        .map(|h| guess(h))
        .collect();
    if !columns.contains(&Column::Sku) {
        return Ok(Err(Message::Key(
            key("products-import-error-no-sku"),
            vec![],
        )));
    }
    let mut all = Vec::new();
    while let Some(r) = rows.next_row().map_err(unreadable)? {
        all.push(r);
    }
    let mut summary = Summary::default();
    for batch in all.chunks(BATCH) {
        let outcomes = write_tx(c, |c| {
            batch
                .iter()
                .map(|r| apply_row(c, r, &columns, &currency, l).map(|o| (r.line, o)))
                .collect::<AppResult<Vec<_>>>()
        })?;
        for (line, o) in outcomes {
            match o {
                Outcome::Created => summary.created += 1,
                Outcome::Updated => summary.updated += 1,
                Outcome::Failed(m) => summary.errors.push((line, m.text_in(l))),
            }
        }
    }
    audit::record(
        c,
        Entry {
            actor: Some(actor),
            action: AuditAction::Import,
            entity: AuditEntity::Product,
            entity_id: None,
            summary: StoredMessage::new(key("audit-products-imported"))
                .num("created", summary.created)
                .num("updated", summary.updated)
                .num("errors", summary.errors.len() as i64),
        },
    )?;
    Ok(Ok(summary))
}

/// `GET /products/import`
pub async fn form(user: CurrentUser) -> AppResult<HttpResponse> {
    page(&ImportPage::new(&user, None, None))
}

/// `POST /products/import` (multipart): the file applied, the counts and
/// each refused row on the page (422 when nothing could be read).
pub async fn upload(
    user: CurrentUser,
    state: State,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let l = user.locale;
    let refuse = |status: StatusCode, m: Message| {
        html(status, &ImportPage::new(&user, Some(l.message(&m)), None))
    };
    let text = match read_csv_upload(&req, payload).await {
        CsvUpload::File { text, rows, .. } if rows <= MAX_ROWS => text,
        CsvUpload::File { .. } => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                Message::Key(
                    key("products-import-error-too-many"),
                    vec![("max", Arg::Num(MAX_ROWS))],
                ),
            );
        }
        CsvUpload::TooLarge => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                Message::Key(
                    key("error-import-too-large"),
                    vec![("mib", Arg::Num(UPLOAD_LIMIT_MIB as i64))],
                ),
            );
        }
        CsvUpload::Refused(m) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, m),
    };
    let actor = user.id;
    let done = state.db(move |c| apply(c, &text, actor, &l)).await?;
    match done {
        Ok(summary) => page(&ImportPage::new(&user, None, Some(summary))),
        Err(m) => refuse(StatusCode::UNPROCESSABLE_ENTITY, m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised_in_either_language() {
        assert_eq!(guess("SKU"), Column::Sku);
        assert_eq!(guess("Unit price"), Column::Price);
        assert_eq!(guess("tax_rate"), Column::TaxRate);
        assert_eq!(guess("Track stock"), Column::TrackStock);
        assert_eq!(guess("On hand"), Column::OnHand);
        assert_eq!(guess("单价"), Column::Price);
        assert_eq!(guess("税率"), Column::TaxRate);
        assert_eq!(guess("colour"), Column::Ignore);
        assert_eq!(yes_no("Yes"), Some(true));
        assert_eq!(yes_no("否"), Some(false));
        assert_eq!(yes_no("maybe"), None);
    }
}
