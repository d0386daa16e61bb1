//! The value axis: a range that includes zero, rounded out to a "nice" step
//! (1, 2 or 5 times a power of ten) so the grid lines fall on round numbers.

/// A value range with its grid step; `lo <= 0 <= hi`, both multiples of `step`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    pub lo: i64,
    pub hi: i64,
    pub step: i64,
}

impl Scale {
    /// The smallest nice range holding `values` and zero, with at most
    /// `max_ticks` grid lines (at least 2).
    pub fn nice(values: impl IntoIterator<Item = i64>, max_ticks: usize) -> Scale {
        let (mut min, mut max) = (0i64, 0i64);
        for v in values {
            min = min.min(v);
            max = max.max(v);
        }
        if min == max {
            max = min + 1;
        }
        let span = i128::from(max) - i128::from(min);
        let intervals = i128::try_from(max_ticks.max(2) - 1).unwrap_or(1);
        let raw = (span + intervals - 1) / intervals;
        let mut magnitude: i128 = 1;
        while magnitude * 10 <= raw {
            magnitude *= 10;
        }
        let step = [1, 2, 5, 10]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10 * magnitude);
        let lo = i128::from(min).div_euclid(step) * step;
        let hi = -((-i128::from(max)).div_euclid(step) * step);
        let clamp = |v: i128| i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX });
        Scale {
            lo: clamp(lo),
            hi: clamp(hi),
            step: clamp(step),
        }
    }

    /// The grid values from `lo` to `hi`.
    pub fn ticks(&self) -> Vec<i64> {
        let mut out = Vec::new();
        let mut v = self.lo;
        while v <= self.hi {
            out.push(v);
            match v.checked_add(self.step) {
                Some(next) => v = next,
                None => break,
            }
        }
        out
    }

    /// Where `v` falls between `lo` (0.0) and `hi` (1.0).
    pub fn fraction(&self, v: i64) -> f64 {
        let span = (self.hi as f64) - (self.lo as f64);
        if span <= 0.0 {
            return 0.0;
        }
        ((v as f64) - (self.lo as f64)) / span
    }
}
