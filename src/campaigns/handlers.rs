//! Campaign pages for staff: list, editor, page with live progress,
//! preview as a chosen contact, test send to oneself, launch or schedule,
//! pause, resume and cancel (each a conditional state change).

use actix_session::Session;
use actix_web::{HttpResponse, web};
use chrono::{NaiveDateTime, TimeZone};

use super::domain::Command;
use super::engine;
use super::forms::{CampaignForm, STARTER_BODY, tick};
use super::repo;
use super::views::{FormPage, ListPage, PreviewPage, ShowPage};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::set_flash;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, invalid, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let campaigns = state.db(|c| Ok(repo::list(c, 200)?)).await?;
    page(&ListPage::new(&user, campaigns))
}

/// The addresses a campaign may come from: the workspace's sender
/// (`RAPPORT_MAIL_FROM`), the verified senders (`/campaigns/senders`) and
/// the signed-in user's own address.
pub(super) async fn senders(state: &AppState, user: &CurrentUser) -> AppResult<Vec<String>> {
    let verified = state
        .db(|c| Ok(super::senders::repo::verified_emails(c)?))
        .await?;
    let mut out = Vec::new();
    if let Ok(m) = crate::mail::mailbox(&state.config.mail_from) {
        out.push(m.email.to_string().to_lowercase());
    }
    for address in verified.into_iter().chain([user.email.to_lowercase()]) {
        if !out.contains(&address) {
            out.push(address);
        }
    }
    Ok(out)
}

fn segment_menu(c: &mut DbConn) -> diesel::QueryResult<Vec<(i64, String)>> {
    Ok(crate::segments::repo::list(c)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

fn form_page(
    user: &CurrentUser,
    id: Option<i64>,
    form: CampaignForm,
    errors: FieldErrors,
    segments: Vec<(i64, String)>,
    senders: Vec<String>,
) -> FormPage {
    FormPage {
        chrome: Chrome::new(user, Section::Campaigns),
        campaign_id: id,
        form,
        errors,
        segments,
        senders,
    }
}

pub async fn new_form(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let segments = state.db(|c| Ok(segment_menu(c)?)).await?;
    let senders = senders(&state, &user).await?;
    let from_name = crate::mail::mailbox(&state.config.mail_from)
        .ok()
        .and_then(|m| m.name)
        .unwrap_or_default();
    let form = CampaignForm {
        from_name,
        from_addr: senders.first().cloned().unwrap_or_default(),
        body_format: "markdown".into(),
        body: STARTER_BODY.into(),
        rate_per_sec: "0".into(),
        concurrency: "4".into(),
        track_opens: tick(true),
        track_clicks: tick(true),
        ..CampaignForm::default()
    };
    page(&form_page(
        &user,
        None,
        form,
        FieldErrors::new(),
        segments,
        senders,
    ))
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (c, segments) = state
        .db(move |c| {
            let campaign = repo::get(c, id)?.ok_or(AppError::NotFound)?;
            Ok((campaign, segment_menu(c)?))
        })
        .await?;
    if let Some(series) = c.series_id {
        return Ok(crate::web::render::see_other(&format!(
            "/campaigns/series/{series}/steps/{id}"
        )));
    }
    if !c.state().is_editable() {
        return Ok(crate::web::render::see_other(&format!("/campaigns/{id}")));
    }
    let senders = senders(&state, &user).await?;
    page(&form_page(
        &user,
        Some(id),
        CampaignForm::of(&c),
        FieldErrors::new(),
        segments,
        senders,
    ))
}

async fn submit(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: Option<i64>,
    body: Params,
) -> AppResult<HttpResponse> {
    let form = CampaignForm::from_params(&body);
    let senders = senders(&state, &user).await?;
    let draft = form.draft(&senders, &user.locale);
    let by = user.id;
    let version = form.version();
    let outcome = state
        .db(move |c| {
            if let Some(id) = id {
                series_step_refused(&repo::get(c, id)?.ok_or(AppError::NotFound)?)?;
            }
            let draft = match draft {
                Ok(d) => d,
                Err(e) => return Ok(Err((e, segment_menu(c)?))),
            };
            if let Some(seg) = draft.segment_id
                && crate::segments::repo::get(c, seg)?.is_none()
            {
                let mut e = FieldErrors::new();
                e.add("segment_id", "?");
                return Ok(Err((e, segment_menu(c)?)));
            }
            let saved = write_tx(c, |tx| match id {
                Some(id) => Ok(repo::update(tx, id, version.unwrap_or(-1), &draft)?.then_some(id)),
                None => repo::insert(tx, &draft, by).map(Some),
            })?;
            Ok(Ok(saved))
        })
        .await?;
    match outcome {
        Ok(Some(saved)) => {
            set_flash(&session, "campaigns-saved");
            Ok(after_post(htmx, &format!("/campaigns/{saved}")))
        }
        Ok(None) => Err(AppError::conflict("campaigns-changed-meanwhile")),
        Err((mut errors, segments)) => {
            if errors.get("segment_id") == Some(&"?".to_string()) {
                errors = FieldErrors::new();
                errors.add("segment_id", user.locale.t("campaigns-bad-choice"));
            }
            invalid(&form_page(&user, id, form, errors, segments, senders))
        }
    }
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    submit(user, state, htmx, session, None, body.into_inner()).await
}

pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    submit(
        user,
        state,
        htmx,
        session,
        Some(path.into_inner()),
        body.into_inner(),
    )
    .await
}

fn load_show(c: &mut DbConn, user: &CurrentUser, id: i64) -> AppResult<ShowPage> {
    let campaign = repo::get(c, id)?.ok_or(AppError::NotFound)?;
    let segment = match campaign.segment_id {
        Some(s) => crate::segments::repo::get(c, s)?,
        None => None,
    };
    let audience = match (&segment, campaign.state().is_editable()) {
        (Some(s), true) => Some(crate::segments::repo::count_mailable(c, &s.parsed())?),
        _ => None,
    };
    let contacts = match &segment {
        Some(s) => crate::segments::repo::sample(c, &s.parsed(), 20)?
            .into_iter()
            .map(|r| (r.id, format!("{} {}", r.first_name, r.last_name)))
            .collect(),
        None => Vec::new(),
    };
    Ok(ShowPage {
        chrome: Chrome::new(user, Section::Campaigns),
        progress: repo::progress_of(c, &campaign)?,
        failures: super::ledger::failures(c, id, 20)?,
        segment_name: segment.map(|s| s.name),
        audience,
        contacts,
        campaign,
    })
}

pub async fn show(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let view = state.db(move |c| load_show(c, &u, id)).await?;
    if let Some(series) = view.campaign.series_id {
        return Ok(crate::web::render::see_other(&format!(
            "/campaigns/series/{series}"
        )));
    }
    page(&view)
}

/// A welcome series' step is edited, paused and resumed with its series.
fn series_step_refused(c: &repo::Campaign) -> AppResult<()> {
    match c.series_id {
        Some(_) => Err(AppError::conflict("campaigns-series-step-of-series")),
        None => Ok(()),
    }
}

/// `GET /campaigns/{id}/progress`: the progress block alone (htmx polls
/// it), or the whole page without htmx.
pub async fn progress(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    if htmx.request {
        // The block alone, polled every second while sending: the counts
        // and failures only, not the segment's audience and sample.
        let view = state.db(move |c| load_progress(c, &u, id)).await?;
        return page(&view.as_progress());
    }
    let view = state.db(move |c| load_show(c, &u, id)).await?;
    page(&view)
}

fn load_progress(c: &mut DbConn, user: &CurrentUser, id: i64) -> AppResult<ShowPage> {
    let campaign = repo::get(c, id)?.ok_or(AppError::NotFound)?;
    Ok(ShowPage {
        chrome: Chrome::new(user, Section::Campaigns),
        progress: repo::progress_of(c, &campaign)?,
        failures: super::ledger::failures(c, id, 20)?,
        segment_name: None,
        audience: None,
        contacts: Vec::new(),
        campaign,
    })
}

/// First and last name, email, city, country, title.
type MergeRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A contact of the campaign's segment (or any contact) as merge data.
pub(super) fn merge_for(
    c: &mut DbConn,
    contact: i64,
) -> diesel::QueryResult<Option<super::render::MergeContact>> {
    use crate::db::schema::contacts;
    use diesel::prelude::*;
    let row: Option<MergeRow> = contacts::table
        .find(contact)
        .select((
            contacts::first_name,
            contacts::last_name,
            contacts::email,
            contacts::city,
            contacts::country,
            contacts::title,
        ))
        .first(c)
        .optional()?;
    Ok(
        row.map(|(first_name, last_name, email, city, country, title)| {
            super::render::MergeContact {
                first_name,
                last_name,
                email: email.unwrap_or_default(),
                city: city.unwrap_or_default(),
                country: country.unwrap_or_default(),
                title: title.unwrap_or_default(),
            }
        }),
    )
}

/// A contact's merge data, or the signed-in user's own when there is no
/// such contact (a segment without members yet).
fn merge_or_self(
    c: &mut DbConn,
    contact: i64,
    u: &CurrentUser,
) -> AppResult<super::render::MergeContact> {
    Ok(
        merge_for(c, contact)?.unwrap_or_else(|| super::render::MergeContact {
            first_name: u.name.clone(),
            email: u.email.clone(),
            ..Default::default()
        }),
    )
}

/// The campaign, the contact a preview is for (the one asked for, else
/// the segment's first) and their merge data.
fn preview_of(
    c: &mut DbConn,
    u: &CurrentUser,
    id: i64,
    wanted: Option<i64>,
) -> AppResult<(ShowPage, i64, super::render::MergeContact)> {
    let show = load_show(c, u, id)?;
    let contact_id = wanted
        .or_else(|| show.contacts.first().map(|(id, _)| *id))
        .unwrap_or(0);
    let merge = merge_or_self(c, contact_id, u)?;
    Ok((show, contact_id, merge))
}

/// `GET /campaigns/{id}/preview/message?contact_id=`: the whole message as
/// that contact gets it, in its layout, as a page of its own (an email's
/// policy: its styles apply, nothing runs).
pub async fn preview_message(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let wanted = query.get("contact_id").trim().parse::<i64>().ok();
    let links = crate::signed::PublicLinks::new(&state.config.secret_key, &state.config.base_url);
    let u = user.clone();
    let html = state
        .db(move |c| {
            let (show, _, merge) = preview_of(c, &u, id, wanted)?;
            let mut footer = engine::campaign_footer(&show.campaign, &links, &u.locale, "", 0);
            footer.brand = crate::settings::repo::get(c)?.company_name;
            let r = show
                .campaign
                .prepared()
                .and_then(|p| p.render(&merge, &footer))
                .map_err(|_| AppError::conflict("campaigns-template-broken"))?;
            Ok(r.html)
        })
        .await?;
    Ok(super::public::mail_document(html))
}

pub async fn preview(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let wanted = query.get("contact_id").trim().parse::<i64>().ok();
    let links = crate::signed::PublicLinks::new(&state.config.secret_key, &state.config.base_url);
    let u = user.clone();
    let view = state
        .db(move |c| {
            let (show, contact_id, merge) = preview_of(c, &u, id, wanted)?;
            let footer = engine::campaign_footer(&show.campaign, &links, &u.locale, "", 0);
            let campaign = show.campaign.clone();
            let rendered = campaign.prepared().and_then(|p| {
                p.web_body(&merge, &footer)
                    .map(|b| (b, p.render(&merge, &footer)))
            });
            let (subject, html, text, error) = match rendered {
                Ok(((subject, html), Ok(r))) => (subject, html, r.text, None),
                Ok((_, Err(e))) | Err(e) => (
                    String::new(),
                    String::new(),
                    String::new(),
                    Some(e.to_string()),
                ),
            };
            Ok(PreviewPage {
                chrome: Chrome::new(&u, Section::Campaigns),
                campaign,
                contacts: show.contacts,
                contact_id,
                subject,
                html,
                text,
                error,
            })
        })
        .await?;
    page(&view)
}

/// `POST /campaigns/{id}/test`: the message, as the first contact of the
/// segment, to the signed-in user's own address through the outbox.
pub async fn test_send(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let links = crate::signed::PublicLinks::new(&state.config.secret_key, &state.config.base_url);
    let u = user.clone();
    state
        .db(move |c| {
            let show = load_show(c, &u, id)?;
            let campaign = show.campaign;
            let contact = show.contacts.first().map(|(id, _)| *id).unwrap_or(0);
            let merge = merge_or_self(c, contact, &u)?;
            let footer = engine::campaign_footer(&campaign, &links, &u.locale, "", 0);
            let r = campaign
                .prepared()
                .and_then(|p| p.render(&merge, &footer))
                .map_err(|_| AppError::conflict("campaigns-template-broken"))?;
            let subject = format!("[{}] {}", u.locale.t("campaigns-test-tag"), r.subject);
            let email =
                crate::mail::Email::new(&campaign.from_header(), &u.email, &subject, r.text)
                    .map_err(|_| AppError::conflict("campaigns-template-broken"))?
                    .html(r.html);
            write_tx(c, |tx| crate::mail::outbox::enqueue(tx, &email))?;
            Ok(())
        })
        .await?;
    set_flash(&session, "campaigns-test-sent");
    Ok(after_post(htmx, &format!("/campaigns/{id}")))
}

/// `POST /campaigns/{id}/launch` (`when`: empty = now, else a local time
/// in the user's zone, `YYYY-MM-DDTHH:MM`).
pub async fn launch(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let when = body.get("when").trim().to_string();
    let at = if when.is_empty() {
        None
    } else {
        let local = NaiveDateTime::parse_from_str(&when, "%Y-%m-%dT%H:%M")
            .map_err(|_| AppError::refused("campaigns-bad-time"))?;
        let utc = user
            .locale
            .tz
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.naive_utc())
            .ok_or_else(|| AppError::refused("campaigns-bad-time"))?;
        Some(utc)
    };
    state
        .db(move |c| {
            let campaign = repo::get(c, id)?.ok_or(AppError::NotFound)?;
            if !campaign.state().is_editable() || campaign.segment_id.is_none() {
                return Err(AppError::conflict("campaigns-cannot-launch"));
            }
            match at {
                Some(at) if at > crate::db::now() => {
                    let delay = (at - crate::db::now()).to_std().unwrap_or_default();
                    write_tx(c, |tx| {
                        if repo::schedule(tx, id, at)? {
                            engine::queue_lanes(tx, id, Some(delay))?;
                        }
                        Ok::<_, diesel::result::Error>(())
                    })?;
                }
                _ => {
                    if engine::launch(c, &campaign)?.is_none() {
                        return Err(AppError::conflict("campaigns-cannot-launch"));
                    }
                }
            }
            Ok(())
        })
        .await?;
    set_flash(&session, "campaigns-launched");
    Ok(after_post(htmx, &format!("/campaigns/{id}")))
}

async fn command(
    _user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: i64,
    cmd: Command,
) -> AppResult<HttpResponse> {
    state
        .db(move |c| {
            series_step_refused(&repo::get(c, id)?.ok_or(AppError::NotFound)?)?;
            let moved = write_tx(c, |tx| {
                let moved = repo::command(tx, id, cmd)?;
                if moved && cmd == Command::Resume {
                    engine::queue_lanes(tx, id, None)?;
                }
                Ok::<_, diesel::result::Error>(moved)
            })?;
            if moved {
                Ok(())
            } else {
                Err(AppError::conflict("campaigns-cannot-change"))
            }
        })
        .await?;
    set_flash(
        &session,
        match cmd {
            Command::Pause => "campaigns-paused",
            Command::Resume => "campaigns-resumed",
            Command::Cancel => "campaigns-cancelled",
        },
    );
    Ok(after_post(htmx, &format!("/campaigns/{id}")))
}

pub async fn pause(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    command(
        user,
        state,
        htmx,
        session,
        path.into_inner(),
        Command::Pause,
    )
    .await
}

pub async fn resume(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    command(
        user,
        state,
        htmx,
        session,
        path.into_inner(),
        Command::Resume,
    )
    .await
}

pub async fn cancel(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    command(
        user,
        state,
        htmx,
        session,
        path.into_inner(),
        Command::Cancel,
    )
    .await
}
