//! The product catalogue (`/products`): a list on `web::list` (search by
//! SKU or name, active filter, sorts), create/edit forms for admins and
//! managers, and the option list the order line editor searches as the
//! user types. SKUs are unique regardless of case (`products.sku_key`).
//! Stock (`on_hand`) changes only through conditional UPDATEs: the form
//! sets it with the product's version, orders take and give it back with
//! `take_stock` / `return_stock`.

pub mod domain;
mod forms;
mod handlers;
mod import;
pub mod repo;
mod views;

pub use repo::{return_stock, take_stock};

use crate::auth::policy::Action::{ProductsRead, ProductsWrite};
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/products" => Staff(ProductsRead), handlers::list;
    GET "/products/search" => Staff(ProductsRead), handlers::search;
    GET "/products/new" => Staff(ProductsWrite), handlers::new_form;
    GET "/products/import" => Staff(ProductsWrite), import::form;
    POST "/products/import" => Staff(ProductsWrite), import::upload;
    POST "/products" => Staff(ProductsWrite), handlers::create;
    GET "/products/{id}/edit" => Staff(ProductsWrite), handlers::edit_form;
    POST "/products/{id}" => Staff(ProductsWrite), handlers::update;
}
