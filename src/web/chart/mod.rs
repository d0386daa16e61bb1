//! Server-rendered SVG charts (no JavaScript, no charting library): the
//! pipeline forecast and funnel, and the Insights dashboards, draw through
//! this one piece.
//!
//! A caller describes the data — categories, one or more series of integer
//! values (minor units, counts, percentages), optional links from each
//! point to the records behind it — and a formatter for values in the
//! viewer's language and currency. [`Chart::render`] lays it out into a
//! [`ChartView`] with every coordinate computed here, so the template
//! (`templates/partials/_chart.html`) only places shapes. Each chart comes
//! with a title, a description and a table of the same figures behind a
//! `<details>` toggle: the table carries the links for keyboard and screen
//! reader users, the SVG is one labelled image.

mod scale;
mod view;

pub use scale::Scale;
pub use view::{Bar, ChartView, Dot, Line, TableRow, Tick, XLabel};

/// How the series are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars, series side by side within each category.
    Bars,
    /// One line per series across the categories (time series).
    Lines,
    /// Horizontal bars, one row per category (funnels, rankings); the
    /// first series only.
    Rows,
}

/// One named series of values, one per category.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub values: Vec<i64>,
    /// Where each point leads (the records behind it), if anywhere.
    pub links: Vec<Option<String>>,
}

impl Series {
    pub fn new(name: impl Into<String>, values: Vec<i64>) -> Series {
        Series {
            name: name.into(),
            values,
            links: Vec::new(),
        }
    }

    /// Links each point to a page (same order as the values).
    pub fn links(mut self, links: Vec<Option<String>>) -> Series {
        self.links = links;
        self
    }

    fn link(&self, i: usize) -> Option<String> {
        self.links.get(i).cloned().flatten()
    }
}

/// A chart before layout.
#[derive(Clone, Debug)]
pub struct Chart {
    /// The DOM id prefix (unique on the page).
    pub id: String,
    pub title: String,
    pub description: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

impl Chart {
    pub fn new(kind: ChartKind, id: impl Into<String>, title: impl Into<String>) -> Chart {
        Chart {
            id: id.into(),
            title: title.into(),
            description: String::new(),
            kind,
            categories: Vec::new(),
            series: Vec::new(),
        }
    }

    pub fn describe(mut self, description: impl Into<String>) -> Chart {
        self.description = description.into();
        self
    }

    pub fn categories(mut self, categories: Vec<String>) -> Chart {
        self.categories = categories;
        self
    }

    pub fn series(mut self, series: Series) -> Chart {
        self.series.push(series);
        self
    }

    /// Lays the chart out; `format` writes a value as the viewer reads it.
    pub fn render(&self, format: impl Fn(i64) -> String) -> ChartView {
        view::layout(self, &format)
    }
}

#[cfg(test)]
mod tests;
