//! The pipeline board journey: deals made through the form, then one card
//! dragged with the mouse (real WebDriver pointer events: press, move,
//! release) from "Qualified" to "Proposal". The card lands in the new
//! column, the column counts and totals change at once, and after a reload
//! the move is still there — it went through the card's own move form
//! (static/js/board.js fills it in), version check and all.

use fantoccini::Locator;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::elements::Element;

use crate::harness::{Browser, browse, spawn_app};

/// A column of the board: its stage id and what its header says.
struct Column {
    stage: String,
    name: String,
}

async fn columns(b: &Browser) -> Vec<Column> {
    let mut out = Vec::new();
    let sections =
        b.c.find_all(Locator::Css("#board section.board-column"))
            .await
            .expect("the board's columns");
    for s in sections {
        let stage = s
            .attr("data-stage-id")
            .await
            .ok()
            .flatten()
            .expect("a column names its stage");
        let name = s
            .find(Locator::Css("h2"))
            .await
            .expect("a column header")
            .text()
            .await
            .unwrap_or_default();
        out.push(Column { stage, name });
    }
    out
}

async fn stage_of(b: &Browser, name: &str) -> String {
    columns(b)
        .await
        .into_iter()
        .find(|c| c.name.starts_with(name))
        .map(|c| c.stage)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn column_css(stage: &str) -> String {
    format!("#board section.board-column[data-stage-id='{stage}']")
}

async fn count(b: &Browser, stage: &str) -> String {
    b.text(&format!("{} h2 .count", column_css(stage))).await
}

async fn total(b: &Browser, stage: &str) -> String {
    b.text(&format!("{} .column-total .total", column_css(stage)))
        .await
}

async fn cards(b: &Browser, stage: &str) -> Vec<String> {
    b.texts(&format!("{} li.deal-card a.deal-title", column_css(stage)))
        .await
}

async fn new_deal(b: &Browser, title: &str, value: &str, stage: &str) {
    b.goto("/leads/new").await;
    b.fill("#title", title).await;
    b.fill("#contact", "grace@navy.example").await;
    b.fill("#value", value).await;
    b.find("#stage_id")
        .await
        .select_by_label(stage)
        .await
        .expect("choose the stage");
    b.click_button("Save deal").await;
    b.wait_path("the new deal's page", |p| {
        p.strip_prefix("/leads/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
    })
    .await;
}

/// Presses on `from`, moves in steps (each a pointermove), releases on `to`.
async fn drag(b: &Browser, from: Element, to: Element) {
    let mut mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: from,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        });
    for step in 1..=4 {
        mouse = mouse.then(PointerAction::MoveBy {
            duration: Some(std::time::Duration::from_millis(40)),
            x: 5.0 * f64::from(step),
            y: 3.0,
        });
    }
    mouse = mouse
        .then(PointerAction::MoveToElement {
            element: to,
            duration: Some(std::time::Duration::from_millis(150)),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    b.c.perform_actions(mouse).await.expect("drag and drop");
}

#[tokio::test]
async fn a_card_dragged_to_another_column_moves_there_and_stays() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, true).await;
    b.first_run_setup().await;
    b.create_contact("Grace", "Hopper", "grace@navy.example", "US Navy")
        .await;
    new_deal(&b, "Northwind pilot", "1200", "New business · Qualified").await;
    new_deal(&b, "Harbor renewal", "300", "New business · Qualified").await;

    b.goto("/leads").await;
    let qualified = stage_of(&b, "Qualified").await;
    let proposal = stage_of(&b, "Proposal").await;
    assert_eq!(count(&b, &qualified).await, "2");
    assert_eq!(count(&b, &proposal).await, "0");
    let both = total(&b, &qualified).await;
    assert!(cards(&b, &proposal).await.is_empty());
    let card = b
        .c
        .find(Locator::XPath(
            "//li[contains(@class,'deal-card')][.//a[normalize-space()='Northwind pilot']]//span[contains(@class,'deal-value')]",
        ))
        .await
        .expect("the pilot's card");
    let pilot_value = card.text().await.expect("the card's value");
    let target = b.find(&format!("{} h2", column_css(&proposal))).await;
    b.mark_page().await;

    drag(&b, card, target).await;

    b.wait("the card in Proposal", async || {
        (cards(&b, &proposal).await == ["Northwind pilot"]).then_some(())
    })
    .await;
    b.wait("Proposal's header to count it", async || {
        (count(&b, &proposal).await == "1").then_some(())
    })
    .await;
    assert!(b.page_is_marked().await, "moved without a page load");
    assert_eq!(count(&b, &qualified).await, "1");
    assert_eq!(cards(&b, &qualified).await, ["Harbor renewal"]);
    assert_eq!(total(&b, &proposal).await, pilot_value);
    assert_ne!(
        total(&b, &qualified).await,
        both,
        "Qualified lost the pilot's value"
    );
    b.screenshot(&format!("board-after-drag-{}", app.db.backend()))
        .await;

    // Reloaded, the move is what the server holds.
    b.c.refresh().await.expect("reload the board");
    b.wait("the board again", async || {
        (cards(&b, &proposal).await == ["Northwind pilot"]).then_some(())
    })
    .await;
    assert_eq!(cards(&b, &qualified).await, ["Harbor renewal"]);

    // A click on a card is not a drag: nothing moves.
    let harbor = b
        .c
        .find(Locator::XPath(
            "//li[contains(@class,'deal-card')][.//a[normalize-space()='Harbor renewal']]//span[contains(@class,'deal-value')]",
        ))
        .await
        .expect("the renewal's card");
    harbor.click().await.expect("click the card");
    assert_eq!(cards(&b, &qualified).await, ["Harbor renewal"]);
    assert_eq!(b.url().await.path(), "/leads");

    b.assert_quiet_console().await;
    b.c.close().await.expect("close the browser session");
}

/// A column of the close-month board by its key ("none", "2026-12").
fn month_css(key: &str) -> String {
    format!("#board section.month-column[data-drop='{key}']")
}

async fn month_cards(b: &Browser, key: &str) -> Vec<String> {
    b.texts(&format!("{} li.deal-card a.deal-title", month_css(key)))
        .await
}

#[tokio::test]
async fn a_card_dragged_to_another_month_gets_that_close_date() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, true).await;
    b.first_run_setup().await;
    b.create_contact("Grace", "Hopper", "grace@navy.example", "US Navy")
        .await;
    new_deal(&b, "Undated pilot", "800", "New business · Lead").await;

    b.goto("/leads/forecast/board").await;
    // The columns: overdue, no date, six months, later.
    let keys = {
        let mut out = Vec::new();
        for s in
            b.c.find_all(Locator::Css("#board section.month-column"))
                .await
                .expect("the month columns")
        {
            out.push(s.attr("data-drop").await.ok().flatten().unwrap_or_default());
        }
        out
    };
    assert_eq!(keys.len(), 9, "{keys:?}");
    let next = keys[3].clone();
    assert_eq!(month_cards(&b, "none").await, ["Undated pilot"]);
    assert!(month_cards(&b, &next).await.is_empty());
    let card = b
        .find(&format!("{} li.deal-card .deal-value", month_css("none")))
        .await;
    let target = b.find(&format!("{} h2", month_css(&next))).await;
    b.mark_page().await;

    drag(&b, card, target).await;

    b.wait("the card in next month", async || {
        (month_cards(&b, &next).await == ["Undated pilot"]).then_some(())
    })
    .await;
    b.wait("next month's header to count it", async || {
        (b.text(&format!("{} h2 .count", month_css(&next))).await == "1").then_some(())
    })
    .await;
    assert!(b.page_is_marked().await, "moved without a page load");
    assert!(month_cards(&b, "none").await.is_empty());
    // Without a date it takes the month's last day.
    let close = b
        .text(&format!("{} li.deal-card time", month_css(&next)))
        .await;
    assert!(close.starts_with(&next), "{close} in {next}");
    b.screenshot(&format!("months-after-drag-{}", app.db.backend()))
        .await;

    b.c.refresh().await.expect("reload the board");
    b.wait("the month board again", async || {
        (month_cards(&b, &next).await == ["Undated pilot"]).then_some(())
    })
    .await;
    b.assert_quiet_console().await;
    b.c.close().await.expect("close the browser session");
}
