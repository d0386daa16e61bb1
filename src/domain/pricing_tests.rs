use proptest::prelude::*;

use super::*;

fn line(quantity_milli: i64, unit_price: i64, tax_rate_bp: i64) -> LineInput {
    LineInput {
        quantity_milli,
        unit_price,
        discount: Discount::None,
        tax_rate_bp,
    }
}

fn order(lines: Vec<LineInput>) -> OrderInput {
    OrderInput {
        lines,
        ..OrderInput::default()
    }
}

#[test]
fn rounding_is_half_away_from_zero_everywhere() {
    for den in 1..=40i128 {
        for num in -2_000..=2_000i128 {
            let exact = num as f64 / den as f64;
            let expected = (exact.abs() + 0.5).floor() * exact.signum();
            assert_eq!(round_div(num, den) as f64, expected, "{num}/{den}");
        }
    }
    assert_eq!(round_div(5, 2), 3);
    assert_eq!(round_div(-5, 2), -3);
    assert_eq!(round_div(4, 3), 1);
}

#[test]
fn a_line_with_tax_on_top() {
    // 3 × 19.99 at 19 %: 59.97 + 11.39 (11.3943) = 71.36.
    let t = compute(&order(vec![line(3_000, 1_999, 1_900)])).expect("computes");
    assert_eq!(t.lines[0].gross, 5_997);
    assert_eq!(t.lines[0].tax, 1_139);
    assert_eq!(t.lines[0].total, 7_136);
    assert_eq!((t.subtotal, t.tax, t.total), (5_997, 1_139, 7_136));
}

#[test]
fn fractional_quantities_round_the_line_once() {
    // 1.5 h at 0.03 = 0.045 → 0.05.
    let t = compute(&order(vec![line(1_500, 3, 0)])).expect("computes");
    assert_eq!(t.lines[0].gross, 5);
}

#[test]
fn discounts_on_the_line_and_on_the_order() {
    let mut input = order(vec![
        line(1_000, 1_000, 0),
        line(1_000, 2_000, 0),
        line(1_000, 3_000, 0),
    ]);
    input.lines[0].discount = Discount::Percent(1_250);
    input.lines[1].discount = Discount::Amount(100);
    input.discount = Discount::Amount(100);
    let t = compute(&input).expect("computes");
    let nets: Vec<i64> = t.lines.iter().map(|l| l.net).collect();
    assert_eq!(nets, vec![875, 1_900, 3_000]);
    // 100 over 875 : 1900 : 3000 is 15.15, 32.90, 51.95: floors 15, 32, 51
    // and the two left over to the largest remainders (.95, then .90).
    let shares: Vec<i64> = t.lines.iter().map(|l| l.order_discount).collect();
    assert_eq!(shares, vec![15, 33, 52]);
    assert_eq!((t.subtotal, t.order_discount, t.total), (5_775, 100, 5_675));
}

#[test]
fn prices_that_include_tax() {
    let mut input = order(vec![line(1_000, 11_300, 1_300)]);
    input.mode = TaxMode::Inclusive;
    input.shipping = 1_060;
    input.shipping_tax_rate_bp = 600;
    let t = compute(&input).expect("computes");
    // ¥113.00 including 13 % is ¥100.00 + ¥13.00; shipping ¥10.60 incl. 6 %.
    assert_eq!((t.lines[0].tax, t.lines[0].total), (1_300, 11_300));
    assert_eq!(t.shipping_tax, 60);
    assert_eq!((t.tax, t.total), (1_360, 12_360));
}

#[test]
fn tax_is_summed_per_rate() {
    let mut input = order(vec![
        line(1_000, 10_000, 1_300),
        line(2_000, 500, 600),
        line(1_000, 999, 1_300),
    ]);
    input.shipping = 2_000;
    input.shipping_tax_rate_bp = 600;
    let t = compute(&input).expect("computes");
    assert_eq!(
        t.taxes,
        vec![
            TaxLine {
                rate_bp: 600,
                taxable: 1_000 + 2_000,
                tax: 60 + 120
            },
            TaxLine {
                rate_bp: 1_300,
                taxable: 10_999,
                tax: 1_300 + 130
            },
        ]
    );
    assert_eq!(t.tax, 1_610);
    assert_eq!(t.total, 10_999 + 1_000 + 2_000 + 1_610);
}

#[test]
fn bad_amounts_are_refused_with_the_field_at_fault() {
    let ok = line(1_000, 100, 0);
    let refused = |input: OrderInput| compute(&input).err();
    assert_eq!(
        refused(order(vec![ok, line(0, 100, 0)])),
        Some(PricingError::Quantity(2))
    );
    assert_eq!(
        refused(order(vec![line(-1, 100, 0)])),
        Some(PricingError::Quantity(1))
    );
    assert_eq!(
        refused(order(vec![line(1_000, -1, 0)])),
        Some(PricingError::Price(1))
    );
    assert_eq!(
        refused(order(vec![line(1_000, 1, 10_001)])),
        Some(PricingError::TaxRate)
    );
    for d in [
        Discount::Amount(101),
        Discount::Amount(-1),
        Discount::Percent(10_001),
        Discount::Percent(-5),
    ] {
        let l = LineInput { discount: d, ..ok };
        assert_eq!(
            refused(order(vec![l])),
            Some(PricingError::LineDiscount(1)),
            "{d:?}"
        );
        let mut o = order(vec![ok]);
        o.discount = d;
        assert_eq!(refused(o), Some(PricingError::OrderDiscount), "{d:?}");
    }
    let mut o = order(vec![ok]);
    o.shipping = -1;
    assert_eq!(refused(o), Some(PricingError::Shipping));
    assert_eq!(
        refused(order(vec![line(i64::MAX, i64::MAX, 0)])),
        Some(PricingError::TooLarge)
    );
    assert_eq!(
        refused(order(vec![
            line(1_000, i64::MAX, 0),
            line(1_000, i64::MAX, 0)
        ])),
        Some(PricingError::TooLarge)
    );
    // A full discount is fine: the line costs nothing.
    let free = LineInput {
        discount: Discount::Percent(10_000),
        ..ok
    };
    assert_eq!(compute(&order(vec![free])).map(|t| t.total), Ok(0));
    assert_eq!(compute(&order(vec![])).map(|t| t.total), Ok(0));
}

fn discount(max: i64) -> impl Strategy<Value = Discount> {
    prop_oneof![
        Just(Discount::None),
        (0..=10_000i64).prop_map(Discount::Percent),
        (0..=max.max(0)).prop_map(Discount::Amount),
    ]
}

/// Realistic documents: up to 40 lines of up to 100,000 units at up to
/// 10,000,000.00, any rate, any discount that is allowed.
fn document() -> impl Strategy<Value = OrderInput> {
    let a_line =
        (1..=100_000_000i64, 0..=1_000_000_000i64, 0..=10_000i64).prop_flat_map(|(q, p, rate)| {
            let gross = i64::try_from(round_div(i128::from(q) * i128::from(p), 1000)).unwrap_or(0);
            discount(gross).prop_map(move |d| LineInput {
                quantity_milli: q,
                unit_price: p,
                discount: d,
                tax_rate_bp: rate,
            })
        });
    (
        proptest::collection::vec(a_line, 0..40),
        0..=10_000_000i64,
        0..=10_000i64,
        any::<bool>(),
        0..=10_000i64,
    )
        .prop_map(|(lines, shipping, ship_rate, inclusive, pct)| OrderInput {
            lines,
            // A percentage is always within the subtotal; amounts are tried below.
            discount: Discount::Percent(pct),
            shipping,
            shipping_tax_rate_bp: ship_rate,
            mode: if inclusive {
                TaxMode::Inclusive
            } else {
                TaxMode::Exclusive
            },
        })
}

proptest! {
    #[test]
    fn the_total_is_the_sum_of_the_rounded_lines(input in document()) {
        let t = compute(&input).expect("a realistic document computes");
        let lines: i64 = t.lines.iter().map(|l| l.total).sum();
        let shipping = match input.mode {
            TaxMode::Exclusive => t.shipping + t.shipping_tax,
            TaxMode::Inclusive => t.shipping,
        };
        prop_assert_eq!(t.total, lines + shipping);
        prop_assert_eq!(t.subtotal, t.lines.iter().map(|l| l.net).sum::<i64>());
        prop_assert_eq!(t.order_discount, t.lines.iter().map(|l| l.order_discount).sum::<i64>());
        prop_assert_eq!(t.tax, t.lines.iter().map(|l| l.tax).sum::<i64>() + t.shipping_tax);
        prop_assert_eq!(t.tax, t.taxes.iter().map(|x| x.tax).sum::<i64>());
    }

    #[test]
    fn nothing_is_ever_negative(input in document()) {
        let t = compute(&input).expect("computes");
        prop_assert!(t.total >= 0);
        for (l, i) in t.lines.iter().zip(&input.lines) {
            prop_assert!(l.gross >= 0 && l.net >= 0 && l.taxable >= 0 && l.tax >= 0 && l.total >= 0);
            prop_assert!(l.line_discount <= l.gross && l.order_discount <= l.net);
            prop_assert!(l.tax <= l.taxable || input.mode == TaxMode::Exclusive);
            // Exclusive tax is the rule applied to the line, once.
            if input.mode == TaxMode::Exclusive {
                prop_assert_eq!(i128::from(l.tax), round_div(i128::from(l.taxable) * i128::from(i.tax_rate_bp), 10_000));
            }
        }
    }

    #[test]
    fn an_order_discount_of_any_allowed_amount_is_shared_exactly(input in document(), fraction in 0.0..=1.0f64) {
        let subtotal = compute(&OrderInput { discount: Discount::None, ..input.clone() })
            .expect("computes").subtotal;
        let amount = ((subtotal as f64) * fraction).floor() as i64;
        let t = compute(&OrderInput { discount: Discount::Amount(amount.min(subtotal)), ..input })
            .expect("computes");
        prop_assert_eq!(t.order_discount, amount.min(subtotal));
        prop_assert_eq!(t.lines.iter().map(|l| l.order_discount).sum::<i64>(), t.order_discount);
        prop_assert!(t.lines.iter().all(|l| l.order_discount <= l.net));
    }

    #[test]
    fn any_numbers_give_an_answer_never_a_panic(
        q in any::<i64>(), p in any::<i64>(), rate in any::<i64>(), d in any::<i64>(), ship in any::<i64>()
    ) {
        let input = OrderInput {
            lines: vec![LineInput { quantity_milli: q, unit_price: p, discount: Discount::Amount(d), tax_rate_bp: rate }],
            discount: Discount::Percent(d),
            shipping: ship,
            shipping_tax_rate_bp: rate,
            mode: TaxMode::Exclusive,
        };
        let _ = compute(&input);
    }
}
