//! Product queries. SKUs are unique by `sku_key` (a unique index: a
//! duplicate is the insert's unique violation, never a check first); stock
//! moves only through conditional UPDATEs with an affected-rows check.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::domain::{ProductListOptions, ProductSort, sku_key};
use crate::db::schema::products;
use crate::db::{DbConn, contains_pattern, last_insert_id, now};
use crate::domain::ids::ProductId;
use crate::web::list::{self, Key, Keyed};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = products, check_for_backend(crate::db::MultiBackend))]
pub struct Product {
    pub id: ProductId,
    pub sku: String,
    pub name: String,
    pub description: String,
    pub unit_price_minor: i64,
    pub currency: String,
    pub tax_rate_bp: i32,
    pub active: bool,
    pub track_stock: bool,
    pub on_hand: i64,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

/// A product as the form checked it.
#[derive(Debug, Clone)]
pub struct ProductInput {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub unit_price_minor: i64,
    pub currency: String,
    pub tax_rate_bp: i32,
    pub active: bool,
    pub track_stock: bool,
    pub on_hand: i64,
}

/// Why a save did not happen.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Another product has this SKU (in any case).
    DuplicateSku,
    /// Someone saved the product since the form was drawn.
    Conflict,
}

type Listed = diesel::dsl::IntoBoxed<'static, products::table, crate::db::Backend>;

fn listed(opts: &ProductListOptions) -> Listed {
    let mut q = products::table.into_boxed();
    for term in &opts.terms {
        let p = contains_pattern(term);
        q = q.filter(
            products::name
                .like(p.clone())
                .escape('\\')
                .or(products::sku.like(p).escape('\\')),
        );
    }
    if let Some(active) = opts.filters.active {
        q = q.filter(products::active.eq(active));
    }
    q
}

pub fn count_listed(c: &mut DbConn, opts: &ProductListOptions) -> QueryResult<i64> {
    list::count_capped(c, listed(opts).select(products::id))
}

pub fn list(c: &mut DbConn, opts: &ProductListOptions) -> QueryResult<Vec<Product>> {
    let mut q = listed(opts);
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    q.order(diesel::dsl::sql::<diesel::sql_types::Text>(
        &opts.order_sql(),
    ))
    .select(Product::as_select())
    .offset(opts.offset())
    .limit(opts.fetch())
    .load(c)
}

impl Keyed<ProductSort> for Product {
    fn id(&self) -> i64 {
        self.id.get()
    }

    fn keys(&self, sort: ProductSort) -> Vec<Key> {
        match sort {
            ProductSort::Name => vec![(&self.name).into()],
            ProductSort::Sku => vec![sku_key(&self.sku).as_str().into()],
            ProductSort::Price => vec![self.unit_price_minor.into()],
            ProductSort::Updated => vec![self.updated_at.into()],
        }
    }
}

pub fn get(c: &mut DbConn, id: ProductId) -> QueryResult<Option<Product>> {
    products::table
        .find(id)
        .select(Product::as_select())
        .first(c)
        .optional()
}

/// Active products whose SKU or name contains `q`, by name (the line
/// editor's search); `currency` keeps to the document's.
pub fn search(
    c: &mut DbConn,
    q: &str,
    currency: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Product>> {
    let p = contains_pattern(q.trim());
    let mut query = products::table
        .filter(products::active.eq(true))
        .filter(
            products::name
                .like(p.clone())
                .escape('\\')
                .or(products::sku.like(p).escape('\\')),
        )
        .into_boxed();
    if let Some(cur) = currency {
        query = query.filter(products::currency.eq(cur.to_string()));
    }
    query
        .order((products::name.asc(), products::id.asc()))
        .limit(limit)
        .select(Product::as_select())
        .load(c)
}

/// The active product with this SKU (any case).
pub fn by_sku(c: &mut DbConn, sku: &str) -> QueryResult<Option<Product>> {
    products::table
        .filter(products::sku_key.eq(sku_key(sku.trim())))
        .select(Product::as_select())
        .first(c)
        .optional()
}

fn is_unique_violation(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

pub fn insert(c: &mut DbConn, p: &ProductInput) -> QueryResult<Result<ProductId, Refused>> {
    let t = now();
    let done = diesel::insert_into(products::table)
        .values((
            products::sku.eq(&p.sku),
            products::sku_key.eq(sku_key(&p.sku)),
            products::name.eq(&p.name),
            products::description.eq(&p.description),
            products::unit_price_minor.eq(p.unit_price_minor),
            products::currency.eq(&p.currency),
            products::tax_rate_bp.eq(p.tax_rate_bp),
            products::active.eq(p.active),
            products::track_stock.eq(p.track_stock),
            products::on_hand.eq(p.on_hand),
            products::version.eq(1),
            products::created_at.eq(t),
            products::updated_at.eq(t),
        ))
        .execute(c);
    match done {
        Ok(_) => Ok(Ok(ProductId::new(last_insert_id(c)?))),
        Err(e) if is_unique_violation(&e) => Ok(Err(Refused::DuplicateSku)),
        Err(e) => Err(e),
    }
}

/// Saves an edit if nobody saved since `version`.
pub fn update(
    c: &mut DbConn,
    id: ProductId,
    version: i32,
    p: &ProductInput,
) -> QueryResult<Result<(), Refused>> {
    let done = diesel::update(
        products::table
            .filter(products::id.eq(id))
            .filter(products::version.eq(version)),
    )
    .set((
        products::sku.eq(&p.sku),
        products::sku_key.eq(sku_key(&p.sku)),
        products::name.eq(&p.name),
        products::description.eq(&p.description),
        products::unit_price_minor.eq(p.unit_price_minor),
        products::currency.eq(&p.currency),
        products::tax_rate_bp.eq(p.tax_rate_bp),
        products::active.eq(p.active),
        products::track_stock.eq(p.track_stock),
        products::on_hand.eq(p.on_hand),
        products::version.eq(version + 1),
        products::updated_at.eq(now()),
    ))
    .execute(c);
    match done {
        Ok(1) => Ok(Ok(())),
        Ok(_) => Ok(Err(Refused::Conflict)),
        Err(e) if is_unique_violation(&e) => Ok(Err(Refused::DuplicateSku)),
        Err(e) => Err(e),
    }
}

/// Takes `qty` units of a tracked product: one conditional UPDATE; false
/// when fewer are on hand (nothing changed). Untracked products always
/// succeed. The version moves too, so an open product form cannot write
/// back a stale quantity.
pub fn take_stock(c: &mut DbConn, id: ProductId, qty: i64) -> QueryResult<bool> {
    let n = diesel::update(
        products::table
            .filter(products::id.eq(id))
            .filter(products::track_stock.eq(true))
            .filter(products::on_hand.ge(qty)),
    )
    .set((
        products::on_hand.eq(products::on_hand - qty),
        products::version.eq(products::version + 1),
    ))
    .execute(c)?;
    if n == 1 {
        return Ok(true);
    }
    // Not taken: fine when the product does not track stock (or is gone).
    let tracked: Option<bool> = products::table
        .find(id)
        .select(products::track_stock)
        .first(c)
        .optional()?;
    Ok(tracked != Some(true))
}

/// Gives `qty` units back (a cancelled order).
pub fn return_stock(c: &mut DbConn, id: ProductId, qty: i64) -> QueryResult<()> {
    diesel::update(
        products::table
            .filter(products::id.eq(id))
            .filter(products::track_stock.eq(true)),
    )
    .set((
        products::on_hand.eq(products::on_hand + qty),
        products::version.eq(products::version + 1),
    ))
    .execute(c)?;
    Ok(())
}
