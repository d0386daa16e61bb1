//! Layout: from a [`Chart`] to the shapes and labels the template draws,
//! in the SVG's own units (a `WIDTH` × `HEIGHT` view box that scales to
//! the width of its container, a phone's included).

use super::{Chart, ChartKind, Scale, Series};

pub const WIDTH: f64 = 480.0;
/// Row charts (funnels, rankings) are drawn narrower, so their short
/// picture keeps readable text on a phone without towering on a desktop.
pub const ROWS_WIDTH: f64 = 320.0;
pub const HEIGHT: f64 = 240.0;
/// Font size of labels, in view-box units (the stylesheet uses the same).
const FONT: f64 = 12.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 26.0;
const RIGHT: f64 = 8.0;
const ROW_GAP: f64 = 0.25;
/// Series colours cycle through the stylesheet's `--chart-1` … `--chart-6`.
const COLOURS: usize = 6;

/// A grid line with its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// y of the line (x for row charts).
    pub pos: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// 1-based colour of the series.
    pub colour: usize,
    /// What a pointer over the bar shows: category, series and value.
    pub title: String,
    pub href: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// `x,y x,y …` for a `<polyline>`.
    pub points: String,
    pub colour: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    pub cx: f64,
    pub cy: f64,
    pub colour: usize,
    pub title: String,
    pub href: Option<String>,
}

/// A text placed in the chart (category names, row values).
#[derive(Clone, Debug, PartialEq)]
pub struct XLabel {
    pub x: f64,
    pub y: f64,
    pub text: String,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
}

/// One category of the figures table: its values, formatted, each with
/// the link to its records.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    pub category: String,
    pub cells: Vec<(String, Option<String>)>,
}

/// A laid-out chart, ready for `templates/partials/_chart.html`.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub width: f64,
    pub height: f64,
    /// Nothing to draw: the template says so instead of an empty frame.
    pub empty: bool,
    pub ticks: Vec<Tick>,
    /// Left edge of the plot (where tick labels end).
    pub plot_left: f64,
    pub plot_right: f64,
    /// The zero line: y for bars and lines, x for rows.
    pub zero: f64,
    pub horizontal: bool,
    pub bars: Vec<Bar>,
    pub lines: Vec<Line>,
    pub dots: Vec<Dot>,
    pub labels: Vec<XLabel>,
    /// Series names with their colour, shown when there is more than one.
    pub legend: Vec<(usize, String)>,
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

pub(super) fn layout(chart: &Chart, format: &dyn Fn(i64) -> String) -> ChartView {
    let series: Vec<&Series> = match chart.kind {
        ChartKind::Rows => chart.series.iter().take(1).collect(),
        _ => chart.series.iter().collect(),
    };
    let n = chart.categories.len();
    let value = |s: &Series, i: usize| s.values.get(i).copied().unwrap_or(0);
    let mut view = ChartView {
        id: chart.id.clone(),
        title: chart.title.clone(),
        description: chart.description.clone(),
        width: WIDTH,
        height: HEIGHT,
        empty: n == 0 || series.is_empty(),
        ticks: Vec::new(),
        plot_left: 0.0,
        plot_right: WIDTH - RIGHT,
        zero: 0.0,
        horizontal: chart.kind == ChartKind::Rows,
        bars: Vec::new(),
        lines: Vec::new(),
        dots: Vec::new(),
        labels: Vec::new(),
        legend: if series.len() > 1 {
            series
                .iter()
                .enumerate()
                .map(|(k, s)| (colour(k), s.name.clone()))
                .collect()
        } else {
            Vec::new()
        },
        headers: series.iter().map(|s| s.name.clone()).collect(),
        rows: (0..n)
            .map(|i| TableRow {
                category: chart.categories[i].clone(),
                cells: series
                    .iter()
                    .map(|s| (format(value(s, i)), s.link(i)))
                    .collect(),
            })
            .collect(),
    };
    if view.empty {
        return view;
    }
    let all = series.iter().flat_map(|s| (0..n).map(move |i| value(s, i)));
    let title = |s: &Series, i: usize| {
        if series.len() > 1 {
            format!(
                "{} · {}: {}",
                chart.categories[i],
                s.name,
                format(value(s, i))
            )
        } else {
            format!("{}: {}", chart.categories[i], format(value(s, i)))
        }
    };
    if chart.kind == ChartKind::Rows {
        let scale = Scale::nice(all, 2);
        let s = series[0];
        let label_w = chart
            .categories
            .iter()
            .map(|c| text_width(c))
            .fold(0.0, f64::max)
            .min(ROWS_WIDTH * 0.4);
        let value_w = (0..n)
            .map(|i| text_width(&format(value(s, i))))
            .fold(0.0, f64::max)
            + 6.0;
        view.width = ROWS_WIDTH;
        view.plot_left = label_w + 8.0;
        view.plot_right = ROWS_WIDTH - RIGHT - value_w;
        view.height = (n as f64) * (FONT * 2.0) + TOP;
        let band = FONT * 2.0;
        let span = view.plot_right - view.plot_left;
        view.zero = round(view.plot_left + scale.fraction(0) * span);
        for i in 0..n {
            let v = value(s, i);
            let y = TOP / 2.0 + (i as f64) * band;
            let end = view.plot_left + scale.fraction(v) * span;
            let (x0, x1) = ordered(view.zero, end);
            view.bars.push(Bar {
                x: round(x0),
                y: round(y + band * ROW_GAP / 2.0),
                w: round(x1 - x0),
                h: round(band * (1.0 - ROW_GAP)),
                colour: 1,
                title: title(s, i),
                href: s.link(i),
            });
            let mid = round(y + band / 2.0 + FONT * 0.35);
            view.labels.push(XLabel {
                x: round(view.plot_left - 6.0),
                y: mid,
                text: chart.categories[i].clone(),
                anchor: "end",
            });
            view.labels.push(XLabel {
                x: round(x1.max(view.zero) + 4.0),
                y: mid,
                text: format(v),
                anchor: "start",
            });
        }
        return view;
    }

    let scale = Scale::nice(all, 5);
    let tick_w = scale
        .ticks()
        .iter()
        .map(|t| text_width(&format(*t)))
        .fold(0.0, f64::max);
    view.plot_left = (tick_w + 8.0).min(WIDTH * 0.3);
    let bottom = HEIGHT - BOTTOM;
    let y_of = |v: i64| round(bottom - scale.fraction(v) * (bottom - TOP));
    view.zero = y_of(0);
    view.ticks = scale
        .ticks()
        .into_iter()
        .map(|t| Tick {
            pos: y_of(t),
            label: format(t),
        })
        .collect();
    let band = (view.plot_right - view.plot_left) / n as f64;
    let centre = |i: usize| view.plot_left + band * (i as f64 + 0.5);
    // Every k-th category name, so the names do not run into each other.
    let widest = chart
        .categories
        .iter()
        .map(|c| text_width(c))
        .fold(0.0, f64::max);
    let every = ((widest + 6.0) / band).ceil().max(1.0) as usize;
    for i in (0..n).step_by(every) {
        view.labels.push(XLabel {
            x: round(centre(i)),
            y: round(bottom + FONT + 4.0),
            text: chart.categories[i].clone(),
            anchor: "middle",
        });
    }
    match chart.kind {
        ChartKind::Bars => {
            let inner = band * 0.7 / series.len() as f64;
            for (k, s) in series.iter().enumerate() {
                for i in 0..n {
                    let x = centre(i) - band * 0.35 + inner * k as f64;
                    let (y0, y1) = ordered(y_of(value(s, i)), view.zero);
                    view.bars.push(Bar {
                        x: round(x),
                        y: y0,
                        w: round(inner),
                        h: round(y1 - y0),
                        colour: colour(k),
                        title: title(s, i),
                        href: s.link(i),
                    });
                }
            }
        }
        // (Row charts were laid out and returned above.)
        ChartKind::Lines | ChartKind::Rows => {
            for (k, s) in series.iter().enumerate() {
                let mut points = Vec::with_capacity(n);
                for i in 0..n {
                    let (cx, cy) = (round(centre(i)), y_of(value(s, i)));
                    points.push(format!("{cx},{cy}"));
                    view.dots.push(Dot {
                        cx,
                        cy,
                        colour: colour(k),
                        title: title(s, i),
                        href: s.link(i),
                    });
                }
                view.lines.push(Line {
                    points: points.join(" "),
                    colour: colour(k),
                });
            }
        }
    }
    view
}

fn colour(series: usize) -> usize {
    series % COLOURS + 1
}

fn ordered(a: f64, b: f64) -> (f64, f64) {
    if a <= b { (a, b) } else { (b, a) }
}

/// One decimal is plenty in a 480-unit view box, and keeps the markup short.
fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The width a label takes at `FONT`, estimated: a CJK character is about
/// square, a Latin one a bit over half as wide.
pub fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| {
            if (c as u32) >= 0x2E80 {
                FONT
            } else {
                FONT * 0.6
            }
        })
        .sum()
}
