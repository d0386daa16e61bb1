//! Open and click tracking: the pixel and the rewritten links in the
//! message a real SMTP server received, counts per recipient and over
//! time, redirects only to the campaign's own links, the per-campaign
//! switches and the workspace's "individual tracking" setting.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rapport::db::schema::{campaign_events, campaign_recipients, workspace_settings};
use reqwest::StatusCode;

use super::signups::altered;
use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

const BODY: &str = "Hello {{ contact.first_name }},\n\n\
    [Spring sale](https://shop.example/spring?a=1&b=2) and [the docs](https://docs.example/start).\n\n\
    [View online]({{ web_version_url }})\n";

/// `(attribute value)` of every `href="…"` and `src="…"` in the HTML part.
fn attrs(m: &str, name: &str) -> Vec<String> {
    let html = decoded(m);
    let html = html.split("Content-Type: text/html").nth(1).unwrap_or("");
    html.split(&format!("{name}=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|v| v.replace("&amp;", "&"))
        .collect()
}

fn path_of(url: &str) -> String {
    url.trim_start_matches("http://127.0.0.1").to_string()
}

fn message_to<'a>(messages: &'a [String], to: &str) -> &'a String {
    messages
        .iter()
        .find(|m| envelope_to(m) == to)
        .unwrap_or_else(|| panic!("{to}'s message"))
}

type Row = (i64, Option<NaiveDateTime>, Option<NaiveDateTime>);

fn recipient_row(c: &mut DbConn, campaign: i64, email: &str) -> Row {
    campaign_recipients::table
        .filter(campaign_recipients::campaign_id.eq(campaign))
        .filter(campaign_recipients::email.eq(email))
        .select((
            campaign_recipients::id,
            campaign_recipients::opened_at,
            campaign_recipients::clicked_at,
        ))
        .first(c)
        .expect("ledger row")
}

fn events(c: &mut DbConn, campaign: i64, kind: &str) -> Vec<Option<i64>> {
    campaign_events::table
        .filter(campaign_events::campaign_id.eq(campaign))
        .filter(campaign_events::kind.eq(kind))
        .order(campaign_events::id)
        .select(campaign_events::recipient_id)
        .load(c)
        .expect("events")
}

#[tokio::test]
async fn opens_and_clicks_are_counted_and_links_redirect_only_where_the_campaign_pointed() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, "lyon", 3, "Lyon", "subscribed");
    let seg = segment(&mut admin, "Lyon", "Lyon").await;
    let tracked = [
        ("body", BODY),
        ("track_opens", "on"),
        ("track_clicks", "on"),
    ];
    let id = campaign(&mut admin, "Tracked", seg, &tracked).await;
    launch(&mut admin, id).await;
    let mut c = app.conn();
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    drive(&runner, &mut c, id, Duration::from_secs(60));
    let messages = sink.messages();
    assert_eq!(messages.len(), 3);

    // The message: a pixel, both web links through /c/, the recipient's own
    // links (web version, unsubscribe) direct; the text part keeps addresses.
    let m = message_to(&messages, "lyon0@test.example");
    let pixels: Vec<String> = attrs(m, "src")
        .into_iter()
        .filter(|s| s.starts_with("http://127.0.0.1/o/"))
        .collect();
    assert_eq!(pixels.len(), 1, "one open pixel");
    let hrefs = attrs(m, "href");
    let clicks: Vec<&String> = hrefs
        .iter()
        .filter(|h| h.starts_with("http://127.0.0.1/c/"))
        .collect();
    assert_eq!(clicks.len(), 2, "two tracked links in {hrefs:?}");
    assert!(
        !hrefs.iter().any(|h| h.contains("shop.example")),
        "{hrefs:?}"
    );
    assert!(hrefs.iter().any(|h| h.starts_with("http://127.0.0.1/w/")));
    assert!(hrefs.iter().any(|h| h.starts_with("http://127.0.0.1/u/")));
    assert!(
        decoded(m).contains("https://shop.example/spring?a=1&b=2"),
        "text part"
    );

    // Opening twice: two opens, one person.
    let anon = app.client();
    let pixel = path_of(&pixels[0]);
    for _ in 0..2 {
        let res = anon.get(&pixel).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers().get("content-type").unwrap().to_str().unwrap(),
            "image/gif"
        );
    }
    let (row0, opened, clicked) = recipient_row(&mut c, id, "lyon0@test.example");
    assert!(opened.is_some() && clicked.is_none());
    assert_eq!(events(&mut c, id, "open"), vec![Some(row0), Some(row0)]);

    // A click redirects to the link's own address and counts.
    let shop = path_of(clicks[0]);
    let res = anon.get(&shop).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "https://shop.example/spring?a=1&b=2");
    let (_, _, clicked) = recipient_row(&mut c, id, "lyon0@test.example");
    assert!(clicked.is_some());

    // Someone else's message: a click alone counts as an open too.
    let m1 = message_to(&messages, "lyon1@test.example");
    let docs1 = attrs(m1, "href")
        .into_iter()
        .filter(|h| h.starts_with("http://127.0.0.1/c/"))
        .nth(1)
        .expect("docs link");
    let res = anon.get(&path_of(&docs1)).await;
    assert_eq!(location(&res), "https://docs.example/start");
    let (_, opened1, clicked1) = recipient_row(&mut c, id, "lyon1@test.example");
    assert!(opened1.is_some() && clicked1.is_some());

    // Forged: another link id with this token, a token altered, an open
    // token used as a click: 404, nothing counted.
    let (token, link) = shop
        .trim_start_matches("/c/")
        .split_once('/')
        .expect("token/link");
    let link: i64 = link.parse().unwrap();
    let other_link = path_of(&docs1).rsplit('/').next().unwrap().to_string();
    let forged_token = altered(token);
    let open_token = pixel.trim_start_matches("/o/");
    for forged in [
        format!("/c/{token}/{other_link}"),
        format!("/c/{token}/{}", link + 1000),
        format!("/c/{forged_token}/{link}"),
        format!("/c/{open_token}/{link}"),
    ] {
        assert_eq!(
            anon.get(&forged).await.status(),
            StatusCode::NOT_FOUND,
            "{forged}"
        );
    }
    // An altered pixel still answers an image but counts nothing.
    let bad_pixel = altered(&pixel);
    assert_eq!(anon.get(&bad_pixel).await.status(), StatusCode::OK);
    assert_eq!(events(&mut c, id, "click").len(), 2);
    assert_eq!(events(&mut c, id, "open").len(), 2);

    // The statistics page.
    let (status, doc) = admin.get_html(&format!("/campaigns/{id}/stats")).await;
    assert_eq!(status, StatusCode::OK);
    let figure = |doc: &scraper::Html, id: &str| {
        texts(doc, &format!("#stat-{id} dd"))
            .first()
            .cloned()
            .unwrap_or_default()
    };
    assert!(figure(&doc, "sent").starts_with('3'));
    assert!(
        figure(&doc, "unique-opens").starts_with("2 "),
        "{}",
        figure(&doc, "unique-opens")
    );
    assert!(figure(&doc, "unique-opens").contains("66.7 %"));
    assert!(figure(&doc, "unique-clicks").starts_with("2 "));
    assert_eq!(figure(&doc, "opens"), "2");
    assert_eq!(figure(&doc, "clicks"), "2");
    let links = texts(&doc, "#link-clicks tbody th");
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links.contains(&"https://shop.example/spring?a=1&b=2".to_string()));
    assert_eq!(texts(&doc, "#over-time svg").len(), 1, "chart drawn");
    let (_, show) = admin.get_html(&format!("/campaigns/{id}")).await;
    assert!(!texts(&show, "#stats-link").is_empty());

    // Individual tracking off: counted without the recipient, the ledger row untouched.
    diesel::update(workspace_settings::table)
        .set(workspace_settings::track_individuals.eq(false))
        .execute(&mut c)
        .unwrap();
    let m2 = message_to(&messages, "lyon2@test.example");
    let pixel2 = attrs(m2, "src")
        .into_iter()
        .find(|s| s.starts_with("http://127.0.0.1/o/"))
        .expect("pixel");
    anon.get(&path_of(&pixel2)).await;
    let (_, opened2, _) = recipient_row(&mut c, id, "lyon2@test.example");
    assert!(opened2.is_none(), "not kept per recipient");
    assert_eq!(events(&mut c, id, "open").last(), Some(&None));

    // A campaign with tracking off: no pixel, links as written.
    let plain = campaign(&mut admin, "Untracked", seg, &[("body", BODY)]).await;
    launch(&mut admin, plain).await;
    drive(&runner, &mut c, plain, Duration::from_secs(60));
    let all = sink.messages();
    let untracked = all
        .iter()
        .filter(|m| {
            header(m, "Message-ID").is_some_and(|h| h.contains(&format!("campaign-{plain}.")))
        })
        .collect::<Vec<_>>();
    assert_eq!(untracked.len(), 3);
    for m in untracked {
        assert!(!attrs(m, "src").iter().any(|s| s.contains("/o/")));
        let hrefs = attrs(m, "href");
        assert!(
            hrefs
                .iter()
                .any(|h| h == "https://shop.example/spring?a=1&b=2"),
            "{hrefs:?}"
        );
        assert!(!hrefs.iter().any(|h| h.contains("/c/")));
    }
}

#[tokio::test]
async fn an_unsubscribe_shows_in_the_statistics() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, "nice", 2, "Nice", "subscribed");
    let seg = segment(&mut admin, "Nice", "Nice").await;
    let id = campaign(&mut admin, "Unsub", seg, &[]).await;
    launch(&mut admin, id).await;
    let mut c = app.conn();
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    drive(&runner, &mut c, id, Duration::from_secs(60));
    let messages = sink.messages();
    let m = message_to(&messages, "nice0@test.example");
    let unsub = path_of(
        header(m, "List-Unsubscribe")
            .unwrap()
            .trim_matches(['<', '>']),
    );
    let anon = app.client();
    for _ in 0..2 {
        let res = one_click(&anon, &unsub).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert_eq!(
        events(&mut c, id, "unsub").len(),
        1,
        "a repeated POST counts once"
    );
    let (_, doc) = admin.get_html(&format!("/campaigns/{id}/stats")).await;
    let unsubscribed = texts(&doc, "#stat-unsubscribed dd");
    assert!(unsubscribed[0].starts_with("1 "), "{unsubscribed:?}");
    assert!(unsubscribed[0].contains("50.0 %"));
    let table = texts(&doc, "#over-time table td");
    assert!(table.iter().any(|t| t == "1"), "{table:?}");
}
