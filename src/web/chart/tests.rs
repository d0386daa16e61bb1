use super::view::{HEIGHT, text_width};
use super::*;

fn plain(v: i64) -> String {
    v.to_string()
}

fn scale(lo: i64, hi: i64, step: i64) -> Scale {
    Scale { lo, hi, step }
}

#[test]
fn the_scale_includes_zero_and_rounds_out_to_a_nice_step() {
    assert_eq!(Scale::nice([0, 7_721], 5), scale(0, 8_000, 2_000));
    assert_eq!(Scale::nice([120, 480], 5), scale(0, 600, 200));
    assert_eq!(Scale::nice([-30, 70], 5), scale(-50, 100, 50));
    assert_eq!(Scale::nice([-100, -5], 5), scale(-100, 0, 50));
    // Nothing but zeros still gives a range to draw in.
    assert_eq!(Scale::nice([0, 0], 5), scale(0, 1, 1));
    assert_eq!(Scale::nice([0, 1_000], 5).ticks(), vec![0, 500, 1_000]);
    assert_eq!(Scale::nice([0, 7_721], 5).fraction(2_000), 0.25);
}

#[test]
fn huge_values_do_not_overflow() {
    let s = Scale::nice([i64::MAX, i64::MIN], 5);
    assert!(s.lo <= i64::MIN / 2 && s.hi >= i64::MAX / 2);
    assert!(!s.ticks().is_empty());
}

fn forecast() -> Chart {
    Chart::new(ChartKind::Bars, "forecast", "Forecast")
        .describe("Weighted value by month")
        .categories(vec!["Dec".into(), "Jan".into(), "Feb".into()])
        .series(Series::new("Weighted", vec![400, 0, 200]).links(vec![
            Some("/leads?close=2026-12".into()),
            None,
            None,
        ]))
}

#[test]
fn bars_stand_on_the_zero_line_in_proportion_to_their_values() {
    let v = forecast().render(plain);
    assert!(!v.empty);
    assert_eq!(v.bars.len(), 3);
    let (a, b, c) = (&v.bars[0], &v.bars[1], &v.bars[2]);
    for bar in &v.bars {
        assert!(
            (bar.y + bar.h - v.zero).abs() < 0.2,
            "bar ends on zero: {bar:?}"
        );
    }
    assert_eq!(b.h, 0.0);
    assert!(
        (a.h - 2.0 * c.h).abs() < 0.2,
        "400 is twice 200: {a:?} {c:?}"
    );
    assert!(a.x < b.x && b.x < c.x);
    assert_eq!(a.title, "Dec: 400");
    assert_eq!(a.href.as_deref(), Some("/leads?close=2026-12"));
    assert_eq!(b.href, None);
    // One series: no legend; grid labels through the formatter.
    assert!(v.legend.is_empty());
    assert_eq!(v.ticks.first().map(|t| t.label.as_str()), Some("0"));
    assert!(v.ticks.iter().all(|t| t.pos >= 0.0 && t.pos <= HEIGHT));
}

#[test]
fn the_table_holds_every_figure_with_its_link() {
    let v = forecast().render(|m| format!("¥{m}"));
    assert_eq!(v.headers, vec!["Weighted".to_string()]);
    assert_eq!(v.rows.len(), 3);
    assert_eq!(v.rows[0].category, "Dec");
    assert_eq!(
        v.rows[0].cells,
        vec![("¥400".to_string(), Some("/leads?close=2026-12".to_string()))]
    );
    assert_eq!(v.rows[2].cells[0].0, "¥200");
}

#[test]
fn negative_values_hang_below_the_zero_line() {
    let v = Chart::new(ChartKind::Bars, "nps", "NPS")
        .categories(vec!["Q1".into(), "Q2".into()])
        .series(Series::new("NPS", vec![-20, 40]))
        .render(plain);
    let (neg, pos) = (&v.bars[0], &v.bars[1]);
    assert!((neg.y - v.zero).abs() < 0.2 && neg.h > 0.0);
    assert!((pos.y + pos.h - v.zero).abs() < 0.2);
    assert!((pos.h - 2.0 * neg.h).abs() < 0.3);
}

#[test]
fn several_series_sit_side_by_side_with_a_legend() {
    let v = Chart::new(ChartKind::Bars, "fva", "Forecast and actual")
        .categories(vec!["Jan".into(), "Feb".into()])
        .series(Series::new("Forecast", vec![10, 20]))
        .series(Series::new("Actual", vec![12, 18]))
        .render(plain);
    assert_eq!(v.bars.len(), 4);
    assert_eq!(v.legend, vec![(1, "Forecast".into()), (2, "Actual".into())]);
    let (f_jan, a_jan) = (&v.bars[0], &v.bars[2]);
    assert!(a_jan.x > f_jan.x && a_jan.x < v.bars[1].x);
    assert_eq!(a_jan.colour, 2);
    assert_eq!(f_jan.title, "Jan · Forecast: 10");
    assert_eq!(v.rows[1].cells.len(), 2);
}

#[test]
fn lines_put_one_dot_per_point() {
    let v = Chart::new(ChartKind::Lines, "trend", "Trend")
        .categories(vec!["a".into(), "b".into(), "c".into()])
        .series(Series::new("s", vec![1, 3, 2]))
        .render(plain);
    assert_eq!(v.dots.len(), 3);
    assert_eq!(v.lines.len(), 1);
    assert_eq!(v.lines[0].points.split(' ').count(), 3);
    assert!(v.dots[1].cy < v.dots[0].cy, "higher value is drawn higher");
}

#[test]
fn rows_grow_rightwards_with_labels_beside_them() {
    let v = Chart::new(ChartKind::Rows, "funnel", "Funnel")
        .categories(vec![
            "Qualified".into(),
            "Proposal".into(),
            "北京星辰".into(),
        ])
        .series(Series::new("Deals", vec![100, 50, 25]))
        .render(plain);
    assert!(v.horizontal);
    assert_eq!(v.bars.len(), 3);
    assert!((v.bars[0].w - 2.0 * v.bars[1].w).abs() < 0.3);
    assert!(v.bars.iter().all(|b| (b.x - v.zero).abs() < 0.2));
    assert!(v.bars[1].y > v.bars[0].y);
    // Category before the bar, value after it.
    let names: Vec<&str> = v.labels.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        names,
        vec!["Qualified", "100", "Proposal", "50", "北京星辰", "25"]
    );
    assert!(v.plot_left >= text_width("Qualified"));
    assert!(v.height >= 3.0 * 20.0);
}

#[test]
fn crowded_category_names_are_thinned_out() {
    let months: Vec<String> = (1..=24).map(|m| format!("2026年{m}月")).collect();
    let v = Chart::new(ChartKind::Bars, "m", "Months")
        .categories(months)
        .series(Series::new("s", (1..=24).collect()))
        .render(plain);
    assert!(
        v.labels.len() < 24 && v.labels.len() >= 3,
        "{}",
        v.labels.len()
    );
    for pair in v.labels.windows(2) {
        assert!(pair[1].x - pair[0].x >= text_width(&pair[0].text));
    }
    // The table still lists every month.
    assert_eq!(v.rows.len(), 24);
}

#[test]
fn no_categories_is_an_empty_chart() {
    let v = Chart::new(ChartKind::Bars, "e", "Empty").render(plain);
    assert!(v.empty && v.bars.is_empty() && v.rows.is_empty());
}

mod markup {
    use askama::Template;

    use super::*;
    use crate::i18n::{Lang, Locale};

    struct Chrome {
        locale: Locale,
    }

    #[derive(Template)]
    #[template(
        source = "{% import \"partials/_chart.html\" as charts %}{% call charts::chart(c) %}{% endcall %}",
        ext = "html"
    )]
    struct Page {
        chrome: Chrome,
        c: ChartView,
    }

    fn render(lang: Lang, c: ChartView) -> String {
        let chrome = Chrome {
            locale: Locale::new(lang, chrono_tz::UTC),
        };
        Page { chrome, c }.render().expect("renders")
    }

    #[test]
    fn the_chart_is_a_hidden_picture_plus_a_table_with_the_links() {
        let view = forecast()
            .categories(vec!["<b>Dec</b>".into(), "Jan".into(), "Feb".into()])
            .render(plain);
        let html = render(Lang::En, view);
        assert!(
            html.contains(r#"<svg viewBox="0 0 480 240" aria-hidden="true""#),
            "{html}"
        );
        // The bar links out of the tab order; the table's link in it.
        assert!(html.contains(r#"<a href="/leads?close=2026-12" tabindex="-1"><rect class="s1""#));
        assert!(html.contains(r#"<td class="num"><a href="/leads?close=2026-12">400</a></td>"#));
        assert!(html.contains("<summary>Show the figures as a table</summary>"));
        // Names are text, never markup.
        assert!(!html.contains("<b>Dec"), "{html}");
        assert!(
            html.contains("&#60;b&#62;Dec") || html.contains("&lt;b&gt;Dec"),
            "{html}"
        );
    }

    #[test]
    fn an_empty_chart_says_so_in_the_viewers_language() {
        let html = render(
            Lang::ZhCn,
            Chart::new(ChartKind::Bars, "e", "预测").render(plain),
        );
        assert!(html.contains("当前筛选下还没有数据。"), "{html}");
        assert!(!html.contains("<svg"));
    }
}
