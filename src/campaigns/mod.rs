//! Marketing campaigns (`/campaigns`): a message written in Markdown or
//! HTML with merge fields (`render`: minijinja sandbox, ammonia, plain-text
//! part), sent to a segment's subscribed contacts through SMTP by the
//! sending engine (`engine`, `ledger`: a per-recipient ledger claimed with
//! leases — exactly once, see docs/campaigns.md), with live progress,
//! pause, resume and cancel; public unsubscribe (one-click, RFC 8058) and
//! web-version pages (`public`), the recipient's preference page
//! (`preferences`), public sign-up pages with double opt-in (`signups`),
//! verified senders (`senders`) and welcome series (`series`:
//! automations sent by the same ledger).

mod archive;
pub mod bench;
pub mod domain;
pub mod engine;
mod forms;
mod handlers;
pub mod insights;
pub mod ledger;
pub mod nps;
pub mod preferences;
mod public;
pub mod render;
pub mod repo;
pub mod senders;
pub mod series;
pub mod signups;
mod stats;
pub mod tracking;
mod views;

use crate::auth::policy::Action::Campaigns;
use crate::route_table;
use crate::web::Access::{Public, Staff};

/// `contacts.consent_source` of an unsubscribe through campaign `id`.
pub fn unsubscribe_source(id: i64) -> String {
    format!("campaign:{id}:unsubscribe")
}

/// `contacts.consent_source` of a hard bounce in campaign `id`.
pub fn bounce_source(id: i64) -> String {
    format!("campaign:{id}:bounce")
}

route_table! {
    GET "/campaigns" => Staff(Campaigns), handlers::list;
    GET "/campaigns/signups" => Staff(Campaigns), signups::admin::list;
    GET "/campaigns/signups/new" => Staff(Campaigns), signups::admin::new_form;
    POST "/campaigns/signups" => Staff(Campaigns), signups::admin::create;
    GET "/campaigns/signups/{id}" => Staff(Campaigns), signups::admin::edit_form;
    POST "/campaigns/signups/{id}" => Staff(Campaigns), signups::admin::update;
    POST "/campaigns/signups/{id}/active" => Staff(Campaigns), signups::admin::set_active;
    GET "/campaigns/senders" => Staff(Campaigns), senders::admin::list;
    POST "/campaigns/senders" => Staff(Campaigns), senders::admin::create;
    POST "/campaigns/senders/{id}/resend" => Staff(Campaigns), senders::admin::resend;
    POST "/campaigns/senders/{id}/delete" => Staff(Campaigns), senders::admin::delete;
    GET "/campaigns/series" => Staff(Campaigns), series::handlers::list;
    GET "/campaigns/series/new" => Staff(Campaigns), series::handlers::new_form;
    POST "/campaigns/series" => Staff(Campaigns), series::handlers::create;
    GET "/campaigns/series/{id}" => Staff(Campaigns), series::handlers::show;
    GET "/campaigns/series/{id}/edit" => Staff(Campaigns), series::handlers::edit_form;
    POST "/campaigns/series/{id}" => Staff(Campaigns), series::handlers::update;
    POST "/campaigns/series/{id}/activate" => Staff(Campaigns), series::handlers::activate;
    POST "/campaigns/series/{id}/pause" => Staff(Campaigns), series::handlers::pause;
    GET "/campaigns/series/{id}/steps/new" => Staff(Campaigns), series::handlers::step_new;
    POST "/campaigns/series/{id}/steps" => Staff(Campaigns), series::handlers::step_create;
    GET "/campaigns/series/{id}/steps/{other}" => Staff(Campaigns), series::handlers::step_edit;
    POST "/campaigns/series/{id}/steps/{other}" => Staff(Campaigns), series::handlers::step_update;
    POST "/campaigns/series/{id}/steps/{other}/delete" => Staff(Campaigns), series::handlers::step_delete;
    POST "/campaigns/series/{id}/steps/{other}/move" => Staff(Campaigns), series::handlers::step_move;
    GET "/campaigns/new" => Staff(Campaigns), handlers::new_form;
    POST "/campaigns" => Staff(Campaigns), handlers::create;
    GET "/campaigns/{id}" => Staff(Campaigns), handlers::show;
    GET "/campaigns/{id}/edit" => Staff(Campaigns), handlers::edit_form;
    POST "/campaigns/{id}" => Staff(Campaigns), handlers::update;
    GET "/campaigns/{id}/progress" => Staff(Campaigns), handlers::progress;
    GET "/campaigns/{id}/stats" => Staff(Campaigns), stats::page;
    GET "/campaigns/{id}/preview" => Staff(Campaigns), handlers::preview;
    GET "/campaigns/{id}/preview/message" => Staff(Campaigns), handlers::preview_message;
    POST "/campaigns/{id}/test" => Staff(Campaigns), handlers::test_send;
    POST "/campaigns/{id}/launch" => Staff(Campaigns), handlers::launch;
    POST "/campaigns/{id}/pause" => Staff(Campaigns), handlers::pause;
    POST "/campaigns/{id}/resume" => Staff(Campaigns), handlers::resume;
    POST "/campaigns/{id}/cancel" => Staff(Campaigns), handlers::cancel;
    GET "/u/{token:[A-Za-z0-9_-]+}" => Public, public::unsubscribe_page;
    POST "/u/{token:[A-Za-z0-9_-]+}" => Public, public::unsubscribe;
    GET "/w/{token:[A-Za-z0-9_-]+}" => Public, public::web_version;
    GET "/nps/{token:[A-Za-z0-9_-]+}" => Public, nps::answer;
    POST "/nps/{token:[A-Za-z0-9_-]+}" => Public, nps::save_comment;
    GET "/archive" => Public, archive::list;
    GET "/archive/{id}" => Public, archive::show;
    GET "/o/{token:[A-Za-z0-9_-]+}" => Public, public::open;
    GET "/c/{token:[A-Za-z0-9_-]+}/{link}" => Public, public::click;
    GET "/p/{token:[A-Za-z0-9_-]+}" => Public, preferences::show;
    POST "/p/{token:[A-Za-z0-9_-]+}" => Public, preferences::save;
    GET "/senders/verify/{token:[A-Za-z0-9_-]+}" => Public, senders::public::verify_page;
    POST "/senders/verify/{token:[A-Za-z0-9_-]+}" => Public, senders::public::verify;
    GET "/s/confirm/{token:[A-Za-z0-9_-]+}" => Public, signups::public::confirm_page;
    POST "/s/confirm/{token:[A-Za-z0-9_-]+}" => Public, signups::public::confirm;
    GET "/s/{slug:[a-z0-9-]+}" => Public, signups::public::form;
    POST "/s/{slug:[a-z0-9-]+}" => Public, signups::public::submit;
}
