use askama::Template;

use super::domain::{ProductListOptions, percent_text};
use super::forms::ProductForm;
use super::repo::Product;
use crate::domain::ids::ProductId;
use crate::i18n::key;
use crate::web::forms::FieldErrors;
use crate::web::list::{Column, FilterField, ListMeta, ListState, Pager};
use crate::web::{Chrome, CurrentUser, Section};

pub static LIST: ListMeta = ListMeta {
    key: "products",
    base: "/products",
    search_label: key("products-search"),
    search_hint: key("products-search-hint"),
    columns: &[
        Column::sorted(key("products-col-sku"), "sku"),
        Column::sorted(key("products-col-name"), "name"),
        Column::sorted(key("products-col-price"), "price"),
        Column::plain(key("products-col-tax")),
        Column::plain(key("products-col-stock")),
        Column::plain(key("products-col-status")),
    ],
    saved_views: false,
};

#[derive(Template)]
#[template(path = "products/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub products: Vec<Product>,
    pub can_write: bool,
}

impl ListPage {
    pub fn new(
        user: &CurrentUser,
        opts: &ProductListOptions,
        pager: Pager,
        products: Vec<Product>,
    ) -> Self {
        let statuses = vec![
            ("active".into(), user.locale.t("products-active")),
            ("inactive".into(), user.locale.t("products-inactive")),
        ];
        let status = opts
            .filters
            .active
            .map(|a| if a { "active" } else { "inactive" }.to_string());
        let filters = vec![FilterField::select(
            "status",
            key("products-col-status"),
            key("products-any-status"),
            statuses,
            status,
        )];
        ListPage {
            chrome: Chrome::new(user, Section::Orders),
            list: ListState::new(&LIST, opts, pager, filters),
            products,
            can_write: user.can(crate::auth::policy::Action::ProductsWrite),
        }
    }

    pub fn tax(&self, p: &Product) -> String {
        format!("{} %", percent_text(i64::from(p.tax_rate_bp)))
    }
}

#[derive(Template)]
#[template(path = "products/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    /// None while creating.
    pub product_id: Option<ProductId>,
    pub form: ProductForm,
    pub errors: FieldErrors,
    pub currencies: &'static [(&'static str, &'static str, u32)],
}

impl FormPage {
    pub fn new(
        user: &CurrentUser,
        product_id: Option<ProductId>,
        form: ProductForm,
        errors: FieldErrors,
    ) -> Self {
        FormPage {
            chrome: Chrome::new(user, Section::Orders),
            product_id,
            form,
            errors,
            currencies: crate::i18n::format::CURRENCIES,
        }
    }

    pub fn action(&self) -> String {
        match self.product_id {
            Some(id) => format!("/products/{id}"),
            None => "/products".into(),
        }
    }

    pub fn title(&self) -> &'static str {
        if self.product_id.is_some() {
            key("products-edit")
        } else {
            key("products-new")
        }
    }

    pub fn checked(&self, v: &Option<String>) -> String {
        if v.is_some() {
            "on".into()
        } else {
            String::new()
        }
    }
}

/// The line editor's product search: an option list (no JSON), each
/// option's value the SKU the line field takes.
#[derive(Template)]
#[template(path = "products/_options.html")]
pub struct Options {
    pub chrome: Chrome,
    pub products: Vec<Product>,
}

/// `/products/import`: the upload form and, after an upload, its result.
#[derive(Template)]
#[template(path = "products/import.html")]
pub struct ImportPage {
    pub chrome: Chrome,
    /// Why the file was refused.
    pub error: Option<String>,
    pub summary: Option<super::import::Summary>,
}

impl ImportPage {
    pub fn new(
        user: &CurrentUser,
        error: Option<String>,
        summary: Option<super::import::Summary>,
    ) -> Self {
        ImportPage {
            chrome: Chrome::new(user, Section::Orders),
            error,
            summary,
        }
    }

    pub fn max_rows(&self) -> i64 {
        super::import::MAX_ROWS
    }

    pub fn line_label(&self, line: &i64) -> String {
        self.chrome
            .locale
            .t_num("products-import-line", "line", *line)
    }
}
