//! Concurrency: N confirmations at once get N distinct numbers with no
//! gap; two people confirming the last unit — exactly one wins, the other
//! is told which product ran short; a replayed (or double-clicked) form
//! key answers with its first result and never makes a second document.

use super::*;

/// Signs `n` separate sessions of the admin in (separate connections).
async fn sessions(app: &TestApp, n: usize) -> Vec<Client> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(app.login(ADMIN_EMAIL).await);
    }
    out
}

#[tokio::test]
async fn parallel_confirmations_get_unique_gap_free_numbers() {
    const N: usize = 8;
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    let stocked = product(&app, &mut admin, "S-1", "2.00", "0", Some(1_000)).await;
    let mut ids = Vec::new();
    for _ in 0..N {
        ids.push(quote(&mut admin, "cora@test.example", &[("S-1", "2", "")]).await);
    }
    let clients = sessions(&app, N).await;
    let mut tasks = Vec::new();
    for (mut c, id) in clients.into_iter().zip(ids.clone()) {
        let version = state(&app, id).3.to_string();
        tasks.push(tokio::spawn(async move {
            let k = key();
            c.post(
                &format!("/orders/{id}/status"),
                &[
                    ("to", "confirm"),
                    ("version", version.as_str()),
                    ("idem", k.as_str()),
                ],
            )
            .await
            .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("task"), StatusCode::SEE_OTHER);
    }
    let year = chrono::Utc::now().format("%Y").to_string();
    let mut numbers: Vec<String> = ids.iter().filter_map(|id| state(&app, *id).1).collect();
    numbers.sort();
    let expected: Vec<String> = (1..=N).map(|n| format!("SO-{year}-{n:06}")).collect();
    assert_eq!(numbers, expected, "unique and gap-free");
    assert_eq!(on_hand(&app, stocked), 1_000 - 2 * N as i64);
}

#[tokio::test]
async fn the_last_unit_goes_to_exactly_one_confirmation_and_a_refused_one_leaves_no_gap() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    let last = product(&app, &mut admin, "LAST-1", "5.00", "0", Some(1)).await;
    let one = quote(&mut admin, "cora@test.example", &[("LAST-1", "1", "")]).await;
    let two = quote(&mut admin, "cora@test.example", &[("LAST-1", "1", "")]).await;
    let clients = sessions(&app, 2).await;
    let mut tasks = Vec::new();
    for (mut c, id) in clients.into_iter().zip([one, two]) {
        let version = state(&app, id).3.to_string();
        tasks.push(tokio::spawn(async move {
            let k = key();
            let res = c
                .post(
                    &format!("/orders/{id}/status"),
                    &[
                        ("to", "confirm"),
                        ("version", version.as_str()),
                        ("idem", k.as_str()),
                    ],
                )
                .await;
            let status = res.status();
            (status, res.text().await.unwrap_or_default())
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("task"));
    }
    let won = results
        .iter()
        .filter(|r| r.0 == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(
        won,
        1,
        "exactly one winner: {:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    let lost = results
        .iter()
        .find(|r| r.0 != StatusCode::SEE_OTHER)
        .expect("a loser");
    assert_eq!(lost.0, StatusCode::CONFLICT);
    assert!(
        lost.1.contains("Not enough stock of LAST-1 (LAST-1)"),
        "the message names the product"
    );
    assert_eq!(on_hand(&app, last), 0);
    let statuses: Vec<String> = [one, two].iter().map(|id| state(&app, *id).0).collect();
    assert_eq!(statuses.iter().filter(|s| *s == "confirmed").count(), 1);
    assert_eq!(statuses.iter().filter(|s| *s == "draft").count(), 1);

    // The refused confirmation gave its number back: the next one is 2.
    product(&app, &mut admin, "MORE-1", "1.00", "0", Some(5)).await;
    let three = quote(&mut admin, "cora@test.example", &[("MORE-1", "1", "")]).await;
    assert_eq!(
        step(&app, &mut admin, three, "confirm", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(state(&app, three).1, Some(format!("SO-{year}-000002")));
}

#[tokio::test]
async fn a_replayed_form_key_answers_with_the_first_result() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    let p = product(&app, &mut admin, "K-1", "1.00", "0", Some(10)).await;

    // Create: sent twice in a row, then twice at once: one document each.
    let form = quote_form("cora@test.example", &[("K-1", "1", "")], &key());
    let first = post_pairs(&mut admin, "/orders", &form).await;
    let again = post_pairs(&mut admin, "/orders", &form).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&first), location(&again));
    assert_eq!(count_orders(&app), 1);

    let form = quote_form("cora@test.example", &[("K-1", "2", "")], &key());
    let clients = sessions(&app, 2).await;
    let mut tasks = Vec::new();
    for mut c in clients {
        let form = form.clone();
        tasks.push(tokio::spawn(async move {
            let res = post_pairs(&mut c, "/orders", &form).await;
            (res.status(), location(&res))
        }));
    }
    let mut locs = Vec::new();
    for t in tasks {
        let (status, loc) = t.await.expect("task");
        assert_eq!(status, StatusCode::SEE_OTHER);
        locs.push(loc);
    }
    assert_eq!(locs[0], locs[1], "the double click made one document");
    assert_eq!(count_orders(&app), 2);

    // Confirm: the same key twice (a double click) confirms once; the
    // second answer is the first one's, not an error.
    let id = id_in(&locs[0]);
    let v = state(&app, id).3.to_string();
    let k = key();
    let form = [
        ("to", "confirm"),
        ("version", v.as_str()),
        ("idem", k.as_str()),
    ];
    let a = admin.post(&format!("/orders/{id}/status"), &form).await;
    let b = admin.post(&format!("/orders/{id}/status"), &form).await;
    assert_eq!(
        (a.status(), b.status()),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    assert_eq!(location(&b), format!("/orders/{id}"));
    assert_eq!(on_hand(&app, p), 8, "stock taken once");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(state(&app, id).1, Some(format!("SO-{year}-000001")));
}
