use proptest::prelude::*;

use super::*;

#[test]
fn the_workflow_moves_forward_and_cancels_until_fulfilled() {
    use OrderStatus::*;
    use Transition as T;
    assert_eq!(next(Draft, T::Send), Some(Sent));
    assert_eq!(next(Sent, T::Accept), Some(Accepted));
    assert_eq!(next(Sent, T::Withdraw), Some(Draft));
    assert_eq!(next(Draft, T::Withdraw), None);
    assert_eq!(next(Accepted, T::Withdraw), None);
    assert_eq!(next(Accepted, T::Confirm), Some(Confirmed));
    assert_eq!(next(Draft, T::Confirm), Some(Confirmed));
    assert_eq!(next(Confirmed, T::Fulfil), Some(Fulfilled));
    assert_eq!(next(Fulfilled, T::Close), Some(Closed));
    for s in [Draft, Sent, Accepted, Confirmed] {
        assert_eq!(next(s, T::Cancel), Some(Cancelled), "{s:?}");
    }
    for s in [Fulfilled, Closed, Cancelled] {
        assert_eq!(next(s, T::Cancel), None, "{s:?}");
    }
    // Nothing leaves the end states; nothing confirms twice.
    for t in Transition::ALL {
        assert_eq!(next(Closed, *t), None);
        assert_eq!(next(Cancelled, *t), None);
    }
    assert_eq!(next(Confirmed, T::Confirm), None);
    assert_eq!(next(Draft, T::Accept), None);
    assert_eq!(offered(Confirmed), vec![T::Fulfil, T::Cancel]);
}

#[test]
fn only_unconfirmed_quotes_are_editable_and_orders_hold_stock() {
    for s in OrderStatus::ALL {
        assert_eq!(
            s.is_editable(),
            matches!(s, OrderStatus::Draft | OrderStatus::Sent)
        );
        assert_eq!(s.holds_stock(), s.is_order());
    }
    assert!(!OrderStatus::Cancelled.holds_stock());
}

#[test]
fn discounts_quantities_and_numbers_as_typed() {
    assert_eq!(parse_discount("", "EUR"), Some((DiscountKind::None, 0)));
    assert_eq!(
        parse_discount("10%", "EUR"),
        Some((DiscountKind::Percent, 1000))
    );
    assert_eq!(
        parse_discount("7.5 %", "EUR"),
        Some((DiscountKind::Percent, 750))
    );
    assert_eq!(
        parse_discount("4.99", "EUR"),
        Some((DiscountKind::Amount, 499))
    );
    assert_eq!(parse_discount("101%", "EUR"), None);
    assert_eq!(parse_discount("-1", "EUR"), None);
    assert_eq!(parse_discount("1.5", "JPY"), None);
    for (k, v) in [(DiscountKind::Percent, 750), (DiscountKind::Amount, 499)] {
        assert_eq!(
            parse_discount(&discount_text(k, v, "EUR"), "EUR"),
            Some((k, v))
        );
    }
    assert_eq!(parse_quantity("2"), Some(2000));
    assert_eq!(parse_quantity("1.5"), Some(1500));
    assert_eq!(parse_quantity(".125"), Some(125));
    assert_eq!(parse_quantity("0"), None);
    assert_eq!(parse_quantity("1.0001"), None);
    assert_eq!(parse_quantity("-1"), None);
    assert_eq!(parse_quantity("abc"), None);
    assert_eq!(quantity_text(1500), "1.5");
    assert_eq!(quantity_text(2000), "2");
    assert_eq!(quantity_text(125), "0.125");
    assert_eq!(stock_units(1000), 1);
    assert_eq!(stock_units(1001), 2);
    assert_eq!(number("SO", 2026, 123), "SO-2026-000123");
    assert!(valid_prefix("QT") && !valid_prefix("") && !valid_prefix("A B"));
}

fn a_line() -> impl Strategy<Value = LineAmounts> {
    (
        1i64..50_000,
        0i64..10_000_000,
        0i64..=10_000,
        prop_oneof![Just(0i64), Just(700), Just(1300), Just(2000)],
        0u8..3,
    )
        .prop_map(|(q, price, d, tax, k)| {
            let gross = (i128::from(q) * i128::from(price) / 1000) as i64;
            let (discount_kind, discount_value) = match k {
                0 => (DiscountKind::None, 0),
                1 => (DiscountKind::Percent, d),
                _ => (DiscountKind::Amount, gross.min(d * 100)),
            };
            LineAmounts {
                quantity_milli: q,
                unit_price: price,
                discount_kind,
                discount_value,
                tax_rate_bp: tax,
            }
        })
}

proptest! {
    /// A document's totals are the sum of its rounded lines, whatever the
    /// discounts, and never negative.
    #[test]
    fn document_totals_add_up_and_are_never_negative(
        lines in proptest::collection::vec(a_line(), 0..30),
        pct in 0i64..=10_000,
        shipping in 0i64..100_000,
        inclusive in any::<bool>(),
    ) {
        let doc = DocAmounts {
            discount_kind: DiscountKind::Percent,
            discount_value: pct,
            shipping,
            shipping_tax_bp: 1300,
            mode: if inclusive { TaxMode::Inclusive } else { TaxMode::Exclusive },
        };
        // A line whose amount discount rounds above its gross is refused,
        // never negative; skip those draws.
        if let Ok(t) = totals(&lines, &doc) {
            let lines_total: i64 = t.lines.iter().map(|l| l.total).sum();
            let shipping_total = if inclusive { shipping } else { shipping + t.shipping_tax };
            prop_assert_eq!(t.total, lines_total + shipping_total);
            prop_assert_eq!(t.subtotal, t.lines.iter().map(|l| l.net).sum::<i64>());
            prop_assert_eq!(t.tax, t.lines.iter().map(|l| l.tax).sum::<i64>() + t.shipping_tax);
            prop_assert!(t.total >= 0 && t.tax >= 0 && t.subtotal >= 0);
            for l in &t.lines {
                prop_assert!(l.net >= 0 && l.total >= 0 && l.tax >= 0);
            }
        }
    }
}

#[test]
fn a_quote_link_opens_until_the_end_of_its_last_day() {
    let sent = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    let last = valid_until(sent, 30);
    assert_eq!(
        last,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 27).expect("date")
    );
    // The workspace's validity, kept within 1..=365 days.
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).expect("date");
    assert_eq!(valid_until(sent, 7), day(12, 4));
    assert_eq!(valid_until(sent, 0), day(11, 28));
    assert_eq!(
        valid_until(sent, 9_999),
        chrono::NaiveDate::from_ymd_opt(2027, 11, 27).expect("date")
    );
    let end = chrono::NaiveDate::from_ymd_opt(2026, 12, 28)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("time")
        .and_utc()
        .timestamp();
    assert_eq!(link_expiry(last), end);
}
