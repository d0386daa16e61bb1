//! Hand-computed cases for every metric of `insights::domain`.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn buy(y: i32, m: u32, day: u32, total: i64) -> Purchase {
    Purchase {
        day: d(y, m, day),
        total,
    }
}

#[test]
fn clv_of_1000_a_year_for_ten_years_at_five_percent_is_7721_73() {
    // 1,000.00 × (1 − 1.05^−10) / 0.05 = 7,721.7349…
    assert_eq!(discounted_clv(&[100_000; 10], 500), 772_173);
    // 500 in year 1, nothing in year 2, 300 in year 3 at 10 %:
    // 500/1.1 + 300/1.331 = 454.5454… + 225.3944… = 679.9398… → 679.94
    assert_eq!(discounted_clv(&[50_000, 0, 30_000], 1_000), 67_994);
    assert_eq!(discounted_clv(&[], 500), 0);
    // No discount: the plain sum.
    assert_eq!(discounted_clv(&[1, 2, 3], 0), 6);
}

#[test]
fn projected_clv_discounts_margin_and_retention() {
    // Full margin and retention: the textbook annuity again.
    assert_eq!(projected_clv(100_000, 10_000, 10_000, 500, 10), 772_173);
    // 1,200.00 a year at 25 % margin = 300.00; 80 % retention; 10 %; 3 years:
    // 300/1.1 + 240/1.21 + 192/1.331 = 272.7272… + 198.3471… + 144.2524… = 615.3268…
    assert_eq!(projected_clv(120_000, 2_500, 8_000, 1_000, 3), 61_533);
    assert_eq!(projected_clv(120_000, 2_500, 8_000, 1_000, 0), 0);
}

#[test]
fn yearly_revenue_counts_years_from_the_first_order() {
    let h = vec![
        buy(2025, 3, 15, 100),
        buy(2026, 3, 14, 20),
        buy(2026, 3, 15, 5),
        buy(2028, 1, 1, 7),
    ];
    assert_eq!(yearly_revenue(&h, 10), vec![120, 5, 7]);
    assert_eq!(yearly_revenue(&h, 2), vec![120, 5]);
    assert!(yearly_revenue(&[], 5).is_empty());
}

#[test]
fn one_hundred_lost_of_one_thousand_is_ten_percent_churn() {
    let start = d(2026, 1, 1);
    let end = d(2026, 3, 31);
    let mut all: Vec<History> = Vec::new();
    for i in 0..1_000 {
        let mut h = vec![buy(2025, 12, 1, 10)];
        if i >= 100 {
            h.push(buy(2026, 3, 1, 10));
        }
        all.push(h);
    }
    // Not a customer at the start: first order inside the period.
    all.push(vec![buy(2026, 2, 1, 10)]);
    // Lapsed before the start: not counted either.
    all.push(vec![buy(2025, 1, 1, 10)]);
    let c = Churn::of(&all, (start, end), 90);
    assert_eq!(
        c,
        Churn {
            at_start: 1_000,
            lost: 100
        }
    );
    assert_eq!(c.rate_bp(), Some(1_000));
    assert_eq!(Churn::of(&[], (start, end), 90).rate_bp(), None);
}

#[test]
fn the_inactivity_threshold_decides_who_is_lost() {
    // Last order 2025-12-01; the period ends 2026-03-31 (120 days later).
    let h = vec![vec![buy(2025, 12, 1, 10)]];
    let period = (d(2026, 1, 1), d(2026, 3, 31));
    assert_eq!(Churn::of(&h, period, 90).lost, 1);
    assert_eq!(Churn::of(&h, period, 121).lost, 0);
}

#[test]
fn new_and_returning_per_month() {
    let months = months_between(d(2026, 1, 1), d(2026, 3, 1));
    let a = vec![buy(2026, 1, 5, 1), buy(2026, 1, 9, 1), buy(2026, 2, 5, 1)];
    let b = vec![buy(2026, 2, 7, 1)];
    let c = vec![buy(2025, 6, 1, 1), buy(2026, 3, 1, 1)];
    let r = new_returning([&a, &b, &c], &months);
    assert_eq!(
        r,
        vec![
            NewReturning {
                new: 1,
                returning: 0
            },
            NewReturning {
                new: 1,
                returning: 1
            },
            NewReturning {
                new: 0,
                returning: 1
            },
        ]
    );
}

#[test]
fn cohorts_by_first_order_month() {
    let a = vec![buy(2026, 1, 5, 1), buy(2026, 2, 5, 1), buy(2026, 3, 1, 1)];
    let b = vec![buy(2026, 1, 20, 1), buy(2026, 3, 9, 1)];
    let c = vec![buy(2026, 2, 2, 1)];
    let old = vec![buy(2025, 1, 2, 1)];
    let got = cohorts([&a, &b, &c, &old], d(2026, 1, 1), d(2026, 3, 15));
    assert_eq!(
        got,
        vec![
            Cohort {
                month: d(2026, 1, 1),
                size: 2,
                active: vec![2, 1, 2]
            },
            Cohort {
                month: d(2026, 2, 1),
                size: 1,
                active: vec![1, 0]
            },
        ]
    );
}

#[test]
fn quintiles_rank_into_fifths_and_ties_share() {
    assert_eq!(quintiles(&[10, 20, 30, 40, 50], false), vec![1, 2, 3, 4, 5]);
    assert_eq!(
        quintiles(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], false),
        vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    );
    assert_eq!(quintiles(&[5, 5, 5, 1], false), vec![2, 2, 2, 1]);
    // Recency: fewer days is better.
    assert_eq!(quintiles(&[3, 300, 30, 90, 1], true), vec![4, 1, 3, 2, 5]);
    let s = rfm(&[(1, 9, 900), (300, 1, 10)]);
    assert_eq!(s[0].code(), "333");
    assert_eq!(s[1].code(), "111");
}

#[test]
fn lifecycle_stages_follow_the_rules() {
    let today = d(2026, 6, 30);
    let r = StageRules::default();
    assert_eq!(stage_of(&[], today, r), Stage::Prospect);
    let one = vec![buy(2026, 6, 20, 1)];
    assert_eq!(stage_of(&one, today, r), Stage::NewCustomer);
    let two = vec![buy(2026, 5, 1, 1), buy(2026, 6, 20, 1)];
    assert_eq!(stage_of(&two, today, r), Stage::Growing);
    let five: Vec<Purchase> = (1..=5).map(|m| buy(2026, m, 10, 1)).collect();
    assert_eq!(stage_of(&five, today, r), Stage::Loyal);
    // 181 days since the last order.
    let gone = vec![buy(2025, 12, 31, 1)];
    assert_eq!(stage_of(&gone, today, r), Stage::Churned);
}

#[test]
fn win_rate_average_deal_and_cycle_length() {
    let s = SalesFigures {
        won: 3,
        lost: 1,
        won_value: 100_000,
        won_days: 31,
    };
    assert_eq!(s.win_rate_bp(), Some(7_500));
    assert_eq!(s.average_deal(), 33_333);
    assert_eq!(s.cycle_days(), Some(10));
    assert_eq!(SalesFigures::default().win_rate_bp(), None);
    assert_eq!(SalesFigures::default().cycle_days(), None);
}

#[test]
fn attainment_and_commission_tiers() {
    assert_eq!(attainment_bp(75_000, 100_000), Some(7_500));
    assert_eq!(attainment_bp(1, 0), None);
    // Flat 3 % of 1,234.57 = 37.0371 → 37.04
    assert_eq!(commission(123_457, &[(0, 300)]), 3_704);
    // 5 % up to 10,000.00, 10 % above: on 15,000.00 = 500 + 500.
    let tiers = [(0, 500), (1_000_000, 1_000)];
    assert_eq!(commission(1_500_000, &tiers), 100_000);
    assert_eq!(commission(800_000, &tiers), 40_000);
    assert_eq!(commission(0, &tiers), 0);
}

#[test]
fn co_purchases_keep_pairs_with_enough_support() {
    let baskets = vec![vec![1, 2, 3], vec![1, 2], vec![3, 2], vec![2, 1, 2]];
    assert_eq!(co_purchases(&baskets, 2), vec![((1, 2), 3), ((2, 3), 2)]);
    assert_eq!(co_purchases(&baskets, 4), vec![]);
}

#[test]
fn months_between_is_inclusive() {
    let m = months_between(d(2025, 11, 20), d(2026, 2, 3));
    assert_eq!(
        m,
        vec![d(2025, 11, 1), d(2025, 12, 1), d(2026, 1, 1), d(2026, 2, 1)]
    );
}

#[test]
fn nps_is_promoters_minus_detractors_in_percent() {
    // 5 promoters, 3 passives, 2 detractors of 10: 50 % − 20 % = +30.
    let scores = [10, 9, 9, 10, 9, 8, 7, 7, 6, 0];
    assert_eq!(nps(&scores), Some(30));
    let t = NpsTally::of(scores);
    assert_eq!((t.promoters, t.passives, t.detractors), (5, 3, 2));
    // Only detractors: −100; only passives: 0; nobody: none.
    assert_eq!(nps(&[0, 3, 6]), Some(-100));
    assert_eq!(nps(&[7, 8]), Some(0));
    assert_eq!(nps(&[]), None);
    // 1 promoter, 2 detractors of 3: 33.3 − 66.7 = −33.3 → −33;
    // 2 of 3 promoters: 66.67 → 67; numbers outside 0–10 are ignored.
    assert_eq!(nps(&[10, 1, 2]), Some(-33));
    assert_eq!(nps(&[10, 10, 7, 11, -1]), Some(67));
}
