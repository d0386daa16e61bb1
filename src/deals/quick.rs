//! Quick-add in a board column: a title and a value (the currency defaults
//! to the workspace's), and optionally a contact's email or an account's
//! name, become a deal in that column's stage, owned by the
//! user. Without JavaScript a plain POST that returns to the board with its
//! filters; with htmx the answer is the fresh board (the new card in its
//! column, the header totals updated). A refused form comes back in its
//! column with the errors beside the fields (422). The deal goes through
//! the deal form's save (`save::save`), so validation, owner rules, the
//! first stage change and the audit entry are one path.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::board::BoardQuery;
use super::domain::DealSource;
use super::forms::{DealForm, QuickForm, back_to, query_of};
use super::handlers::board_page;
use super::save::{Party, Saved, save};
use super::views::{BoardPage, QuickAdd};
use crate::domain::ids::StageId;
use crate::error::{AppError, AppResult};
use crate::i18n::{key, set_flash};
use crate::pipelines::repo as pipelines;
use crate::web::forms::FieldErrors;
use crate::web::render::{after_post, html};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};

/// `POST /leads/stages/{id}/deals`.
pub async fn create(
    user: CurrentUser,
    state: web::Data<AppState>,
    htmx: Htmx,
    session: Session,
    path: web::Path<StageId>,
    form: web::Form<QuickForm>,
) -> AppResult<HttpResponse> {
    let stage_id = path.into_inner();
    let mut form = form.into_inner();
    let back = back_to(&form.back);
    form.back = back.clone();
    let mut query = BoardQuery::parse(&query_of(&back));
    let (u, fragment) = (user.clone(), htmx.fragment());
    let answer: Result<Option<BoardPage>, BoardPage> = state
        .db(move |c| {
            let stage = pipelines::stage(c, stage_id)?
                .filter(|s| s.is_open())
                .ok_or(AppError::NotFound)?;
            query.pipeline = Some(stage.pipeline_id.get());
            let (contact, account) = form.party_fields();
            let deal = DealForm {
                title: form.title.clone(),
                contact,
                account,
                value: form.value.clone(),
                currency: form.currency.clone(),
                source: DealSource::Other.as_str().into(),
                stage_id: stage_id.to_string(),
                owner_id: u.id.to_string(),
                ..DealForm::default()
            };
            match save(c, &u, &deal, None, Party::Optional)? {
                Saved::Done(_) if fragment => Ok(Ok(Some(board_page(c, &u, query)?))),
                Saved::Done(_) => Ok(Ok(None)),
                Saved::Invalid(e) => {
                    let mut errors = FieldErrors::new();
                    errors.absorb(e, |f| match f {
                        "contact" | "account" => "party".into(),
                        other => other.into(),
                    });
                    let mut view = board_page(c, &u, query)?;
                    view.quick = QuickAdd {
                        stage: Some(stage_id),
                        form,
                        errors,
                    };
                    Ok(Err(view))
                }
                Saved::Conflict => Err(AppError::NotFound),
            }
        })
        .await?;
    match answer {
        Ok(Some(view)) => html(StatusCode::OK, &view.as_board()),
        Ok(None) => {
            set_flash(&session, key("deals-flash-created"));
            Ok(after_post(htmx, &back))
        }
        Err(view) if fragment => html(StatusCode::UNPROCESSABLE_ENTITY, &view.as_board()),
        Err(view) => html(StatusCode::UNPROCESSABLE_ENTITY, &view),
    }
}
