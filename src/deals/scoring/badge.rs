//! The score a card and a deal page show: the model's score when the job
//! has scored the deal, else the stage's default probability, labelled as
//! such (no model yet, too little history, or a deal created or moved
//! since the last run). Text says what colour says.

use crate::i18n::{Locale, key};

/// Scores from here up are "high"; below `MEDIUM` "low".
pub const HIGH: i32 = 70;
pub const MEDIUM: i32 = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Badge {
    /// The model's score, 0–100.
    Model(i32),
    /// No score from the model: the stage's default probability.
    Stage(i32),
}

impl Badge {
    pub fn of(score: Option<i32>, stage_probability: i32) -> Badge {
        match score {
            Some(s) => Badge::Model(s.clamp(0, 100)),
            None => Badge::Stage(stage_probability.clamp(0, 100)),
        }
    }

    /// The colour band (a CSS class suffix): high, medium, low, or stage.
    pub fn band(self) -> &'static str {
        match self {
            Badge::Model(s) if s >= HIGH => "high",
            Badge::Model(s) if s >= MEDIUM => "medium",
            Badge::Model(_) => "low",
            Badge::Stage(_) => "stage",
        }
    }

    /// The band's name (a message key).
    fn band_key(self) -> &'static str {
        match self.band() {
            "high" => key("scoring-band-high"),
            "medium" => key("scoring-band-medium"),
            "low" => key("scoring-band-low"),
            _ => key("scoring-band-stage"),
        }
    }

    pub fn is_model(self) -> bool {
        matches!(self, Badge::Model(_))
    }

    pub fn percent(self) -> i32 {
        match self {
            Badge::Model(s) | Badge::Stage(s) => s,
        }
    }

    /// The short text on the badge: "Score 72" or "Stage 40%".
    pub fn text(self, loc: &Locale) -> String {
        match self {
            Badge::Model(s) => loc.t_num("scoring-badge-model", "score", i64::from(s)),
            Badge::Stage(p) => loc.t_num("scoring-badge-stage", "percent", i64::from(p)),
        }
    }

    /// What the badge means, for its title and for screen readers.
    pub fn label(self, loc: &Locale) -> String {
        let band = loc.t(self.band_key());
        match self {
            Badge::Model(s) => loc.t_args(
                "scoring-badge-model-label",
                &[
                    ("score", crate::i18n::Arg::Num(i64::from(s))),
                    ("band", crate::i18n::Arg::from(band.as_str())),
                ],
            ),
            Badge::Stage(p) => loc.t_num("scoring-badge-stage-label", "percent", i64::from(p)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_score_has_a_band_and_the_fallback_is_the_stage() {
        assert_eq!(Badge::of(Some(85), 40), Badge::Model(85));
        assert_eq!(Badge::of(Some(85), 40).band(), "high");
        assert_eq!(Badge::of(Some(70), 40).band(), "high");
        assert_eq!(Badge::of(Some(69), 40).band(), "medium");
        assert_eq!(Badge::of(Some(40), 40).band(), "medium");
        assert_eq!(Badge::of(Some(39), 40).band(), "low");
        assert_eq!(Badge::of(None, 40), Badge::Stage(40));
        assert_eq!(Badge::of(None, 40).band(), "stage");
        assert_eq!(Badge::of(Some(140), 40), Badge::Model(100));
    }

    #[test]
    fn the_badge_says_in_words_what_it_is() {
        let en = Locale::new(crate::i18n::Lang::En, chrono_tz::UTC);
        assert_eq!(Badge::Model(72).text(&en), "Score 72");
        assert_eq!(Badge::Stage(40).text(&en), "Stage 40%");
        assert!(
            Badge::Model(72).label(&en).contains("high"),
            "{}",
            Badge::Model(72).label(&en)
        );
        assert!(Badge::Stage(40).label(&en).contains("stage"));
    }
}
