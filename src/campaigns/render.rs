//! Turning a campaign into one recipient's message. The author's subject
//! and body are minijinja templates run in a sandbox: no loader (no
//! includes of files), HTML autoescape for the HTML part, and a fuel
//! budget so a loop cannot run away. Markdown bodies go through
//! pulldown-cmark; the HTML is sanitised with ammonia (after the merge, so
//! nothing a contact's name holds survives as markup), wrapped in a
//! responsive layout with the unsubscribe footer, and a plain-text part
//! is generated beside it.

use std::collections::HashSet;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::domain::{BodyFormat, EmailLayout, is_header_safe};

/// Instructions a template may run per message.
const FUEL: u64 = 50_000;
/// Longest rendered body (a runaway loop stops at the fuel first).
const BODY_MAX: usize = 1_000_000;

/// What merge fields see of a contact (`{{ contact.first_name }}`).
#[derive(Serialize, Clone, Debug, Default)]
pub struct MergeContact {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub city: String,
    pub country: String,
    pub title: String,
}

/// The recipient's own links and the footer's words (in their language).
#[derive(Clone, Debug, Default)]
pub struct Footer {
    pub unsubscribe_url: String,
    pub web_version_url: String,
    /// The recipient's preference page (`/p/…`).
    pub preferences_url: String,
    /// "Unsubscribe", "View in browser", "Preferences", "You receive this because …".
    pub unsubscribe_label: String,
    pub web_version_label: String,
    pub preferences_label: String,
    pub reason: String,
    pub company: String,
    /// The workspace's name, for the layouts that show it.
    pub brand: String,
    /// The open-tracking pixel (`tracking::open_url`), when opens are tracked.
    pub open_pixel_url: Option<String>,
    /// An NPS survey's question under the body (`nps::question`).
    pub nps: Option<NpsQuestion>,
}

/// The 0–10 question of an NPS survey: its words and, per score, the
/// recipient's signed answer link (`links[score]`).
#[derive(Clone, Debug, Default)]
pub struct NpsQuestion {
    pub question: String,
    pub low: String,
    pub high: String,
    pub links: Vec<String>,
}

/// The question as a row of eleven linked numbers (never click-tracked).
fn nps_html(q: &NpsQuestion) -> String {
    let cells: String = q
        .links
        .iter()
        .enumerate()
        .map(|(score, url)| {
            format!(
                r#"<a href="{}" style="display:inline-block;min-width:28px;margin:2px;padding:6px 4px;border:1px solid #c7ccd4;border-radius:4px;text-align:center;text-decoration:none;color:#1f2328">{score}</a>"#,
                escape(url)
            )
        })
        .collect();
    format!(
        r#"<div class="nps" style="margin:24px 0 8px"><p><strong>{}</strong></p><p>{cells}</p><p style="font-size:12px;color:#6b7280">0 = {} · 10 = {}</p></div>"#,
        escape(&q.question),
        escape(&q.low),
        escape(&q.high)
    )
}

fn nps_text(q: &NpsQuestion) -> String {
    let mut out = format!("\n\n{}\n(0 = {}, 10 = {})\n", q.question, q.low, q.high);
    for (score, url) in q.links.iter().enumerate() {
        out.push_str(&format!("{score}: {url}\n"));
    }
    out
}

#[derive(Serialize)]
struct Ctx<'a> {
    contact: &'a MergeContact,
    unsubscribe_url: &'a str,
    web_version_url: &'a str,
    preferences_url: &'a str,
}

/// A template error, for the form (which field) or the ledger.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RenderError {
    pub field: &'static str,
    pub message: String,
}

fn err(field: &'static str, e: impl std::fmt::Display) -> RenderError {
    RenderError {
        field,
        message: e.to_string(),
    }
}

/// One recipient's message.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// The sandbox every user-authored template runs in (campaign mails,
/// canned ticket replies): no loader (no includes of files), a fuel budget,
/// undefined merge fields render empty, and HTML autoescape only for
/// templates named `*.html`.
pub fn sandbox() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_fuel(Some(FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env
}

/// A plain-text template (no escaping) checked in the sandbox: a syntax
/// error, or a merge field outside `known` (full dotted paths such as
/// `ticket.subject`; a bare root such as `ticket` is accepted too), comes
/// back as the message to show beside the field.
pub fn check_text(source: &str, known: &[&str]) -> Result<(), String> {
    let mut env = sandbox();
    env.add_template_owned("text.txt", source.to_string())
        .map_err(|e| e.to_string())?;
    let t = env.get_template("text.txt").map_err(|e| e.to_string())?;
    let mut unknown: Vec<String> = t
        .undeclared_variables(true)
        .into_iter()
        .filter(|v| {
            !known.iter().any(|k| {
                *k == v.as_str() || (!v.contains('.') && k.split('.').next() == Some(v.as_str()))
            })
        })
        .collect();
    unknown.sort();
    match unknown.first() {
        None => Ok(()),
        Some(first) => Err(format!("unknown merge field: {first}")),
    }
}

/// Renders a plain-text template (no escaping) with `ctx` in the sandbox.
pub fn render_text(source: &str, ctx: impl Serialize) -> Result<String, RenderError> {
    let mut env = sandbox();
    env.add_template_owned("text.txt", source.to_string())
        .map_err(|e| err("body", e))?;
    let t = env.get_template("text.txt").map_err(|e| err("body", e))?;
    let out = t.render(ctx).map_err(|e| err("body", e))?;
    if out.len() > BODY_MAX {
        return Err(err("body", "too long"));
    }
    Ok(out)
}

/// A campaign's templates, parsed once per lane slice.
pub struct Prepared {
    env: Environment<'static>,
    format: BodyFormat,
    layout: EmailLayout,
    sanitizer: ammonia::Builder<'static>,
}

impl Prepared {
    /// Parses subject and body; a syntax error names its field.
    pub fn new(subject: &str, format: BodyFormat, body: &str) -> Result<Prepared, RenderError> {
        let mut env = sandbox();
        env.add_template_owned("subject.txt", subject.to_string())
            .map_err(|e| err("subject", e))?;
        env.add_template_owned("body.html", body.to_string())
            .map_err(|e| err("body", e))?;
        env.add_template_owned("body.txt", body.to_string())
            .map_err(|e| err("body", e))?;
        Ok(Prepared {
            env,
            format,
            layout: EmailLayout::Card,
            sanitizer: sanitizer(),
        })
    }

    /// The same templates in another layout.
    pub fn with_layout(mut self, layout: EmailLayout) -> Prepared {
        self.layout = layout;
        self
    }

    fn run(&self, name: &str, field: &'static str, ctx: &Ctx) -> Result<String, RenderError> {
        let t = self.env.get_template(name).map_err(|e| err(field, e))?;
        let out = t.render(ctx).map_err(|e| err(field, e))?;
        if out.len() > BODY_MAX {
            return Err(err(field, "too long"));
        }
        Ok(out)
    }

    /// The message for one contact.
    pub fn render(&self, contact: &MergeContact, footer: &Footer) -> Result<Rendered, RenderError> {
        self.render_tracked(contact, footer, &|html| html.to_string())
    }

    /// The message for one contact, its sanitised body's links passed
    /// through `links` (click tracking) before the layout goes around it.
    pub fn render_tracked(
        &self,
        contact: &MergeContact,
        footer: &Footer,
        links: &dyn Fn(&str) -> String,
    ) -> Result<Rendered, RenderError> {
        let ctx = Ctx {
            contact,
            unsubscribe_url: &footer.unsubscribe_url,
            web_version_url: &footer.web_version_url,
            preferences_url: &footer.preferences_url,
        };
        let subject = self.run("subject.txt", "subject", &ctx)?.trim().to_string();
        if !is_header_safe(&subject) {
            return Err(err("subject", "line break in the subject"));
        }
        let merged_html = self.run("body.html", "body", &ctx)?;
        let body_html = match self.format {
            BodyFormat::Markdown => markdown(&merged_html),
            BodyFormat::Html => merged_html,
        };
        let clean = self.sanitizer.clean(&body_html).to_string();
        let mut text_body = match self.format {
            BodyFormat::Markdown => self.run("body.txt", "body", &ctx)?,
            BodyFormat::Html => html_to_text(&clean),
        };
        let mut body = links(&clean);
        if let Some(q) = &footer.nps {
            body.push_str(&nps_html(q));
            text_body = format!("{}{}", text_body.trim_end(), nps_text(q));
        }
        Ok(Rendered {
            html: layout(self.layout, &subject, &body, footer),
            text: text_footer(&text_body, footer),
            subject,
        })
    }

    /// The body alone, sanitised, for the web version page.
    pub fn web_body(
        &self,
        contact: &MergeContact,
        footer: &Footer,
    ) -> Result<(String, String), RenderError> {
        let r = self.render(contact, footer)?;
        let ctx = Ctx {
            contact,
            unsubscribe_url: &footer.unsubscribe_url,
            web_version_url: &footer.web_version_url,
            preferences_url: &footer.preferences_url,
        };
        let merged = self.run("body.html", "body", &ctx)?;
        let html = match self.format {
            BodyFormat::Markdown => markdown(&merged),
            BodyFormat::Html => merged,
        };
        Ok((r.subject, self.sanitizer.clean(&html).to_string()))
    }
}

/// The sanitiser of every HTML mail body Rapport shows or sends: no
/// scripts, event handlers or `javascript:` links; inline styles kept.
pub fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["style", "align", "width", "height", "bgcolor"]);
    b.add_tags(["center", "font"]);
    b.url_schemes(HashSet::from(["http", "https", "mailto"]));
    b
}

fn markdown(src: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let parser = Parser::new_ext(src, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The footer's lines (reason, links, company) and the open pixel, the
/// same in every layout; `colour` is the footer's text colour.
fn footer_html(f: &Footer, colour: &str) -> String {
    let pixel = f
        .open_pixel_url
        .as_deref()
        .map(|u| {
            format!(
                r#"<img src="{}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">"#,
                escape(u)
            )
        })
        .unwrap_or_default();
    format!(
        r#"<div class="foot" style="color:{colour}"><p>{reason}</p><p><a href="{unsub}">{unsub_label}</a> · <a href="{prefs}">{prefs_label}</a> · <a href="{web}">{web_label}</a></p><p>{company}</p></div>{pixel}"#,
        reason = escape(&f.reason),
        unsub = escape(&f.unsubscribe_url),
        unsub_label = escape(&f.unsubscribe_label),
        prefs = escape(&f.preferences_url),
        prefs_label = escape(&f.preferences_label),
        web = escape(&f.web_version_url),
        web_label = escape(&f.web_version_label),
        company = escape(&f.company),
    )
}

/// A whole message around a sanitised body, in one of the layouts. Each is
/// one column of at most 600–640 px that becomes the full width on a
/// phone, with its styles in the head (clients that drop them still get a
/// readable single column).
fn layout(kind: EmailLayout, subject: &str, body: &str, f: &Footer) -> String {
    let head = |style: &str| {
        format!(
            r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title>
<style>{style}</style>
</head>"#,
            escape(subject)
        )
    };
    const TYPE: &str = "font:16px/1.55 -apple-system,Segoe UI,Roboto,Helvetica,Arial,'PingFang SC','Microsoft YaHei',sans-serif;color:#1f2328";
    match kind {
        EmailLayout::Card => format!(
            r#"{head}<body><div class="wrap"><div class="card">
{body}
</div>{foot}</div></body></html>"#,
            head = head(&format!(
                "body{{margin:0;padding:0;background:#f4f5f7}}.wrap{{width:100%;background:#f4f5f7;padding:16px 0}}.card{{max-width:600px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;{TYPE}}}.card img{{max-width:100%;height:auto}}.foot{{max-width:600px;margin:12px auto 0;font:12px/1.5 Helvetica,Arial,sans-serif;text-align:center;padding:0 16px}}.foot a{{color:inherit}}@media (max-width:620px){{.card{{border-radius:0;padding:16px}}}}"
            )),
            foot = footer_html(f, "#6b7280"),
        ),
        EmailLayout::Newsletter => format!(
            r#"{head}<body><div class="wrap"><div class="band"><div class="brand">{brand}</div></div><div class="main">
<h1 class="title">{title}</h1>
{body}
</div>{foot}</div></body></html>"#,
            head = head(&format!(
                "body{{margin:0;padding:0;background:#eef2f7}}.wrap{{width:100%;background:#eef2f7;padding:0 0 16px}}.band{{background:#1f4e79;padding:20px 16px}}.brand{{max-width:640px;margin:0 auto;color:#fff;font:600 20px/1.3 Helvetica,Arial,'PingFang SC',sans-serif;letter-spacing:.02em}}.main{{max-width:640px;margin:0 auto;background:#fff;padding:28px 32px;{TYPE}}}.main img{{max-width:100%;height:auto}}.main a{{color:#1f4e79}}.title{{font-size:24px;line-height:1.3;margin:0 0 16px;color:#0f2a44}}.foot{{max-width:640px;margin:16px auto 0;font:12px/1.5 Helvetica,Arial,sans-serif;text-align:center;padding:0 16px}}.foot a{{color:inherit}}@media (max-width:660px){{.main{{padding:20px 16px}}.title{{font-size:21px}}}}"
            )),
            brand = escape(if f.brand.is_empty() {
                subject
            } else {
                &f.brand
            }),
            title = escape(subject),
            foot = footer_html(f, "#4b5563"),
        ),
        EmailLayout::Plain => format!(
            r#"{head}<body><div class="letter">
{body}
{foot}</div></body></html>"#,
            head = head(&format!(
                "body{{margin:0;padding:0;background:#fff}}.letter{{max-width:640px;padding:16px;{TYPE}}}.letter img{{max-width:100%;height:auto}}.foot{{margin-top:32px;border-top:1px solid #e5e7eb;padding-top:8px;font:12px/1.5 Helvetica,Arial,sans-serif}}.foot a{{color:inherit}}"
            )),
            foot = footer_html(f, "#6b7280"),
        ),
    }
}

fn text_footer(text: &str, f: &Footer) -> String {
    let mut out = text.trim_end().replace("\r\n", "\n");
    out.push_str(&format!(
        "\n\n-- \n{}\n{}: {}\n{}: {}\n{}: {}\n",
        f.reason,
        f.unsubscribe_label,
        f.unsubscribe_url,
        f.preferences_label,
        f.preferences_url,
        f.web_version_label,
        f.web_version_url
    ));
    if !f.company.is_empty() {
        out.push_str(&f.company);
        out.push('\n');
    }
    out.replace('\n', "\r\n")
}

fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A readable plain-text part from sanitised HTML: block ends become line
/// breaks, a link keeps its address in brackets, tags go, entities decode.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut href: Option<String> = None;
    while let Some(start) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..start]));
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("br", _) => out.push('\n'),
            (
                "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "table" | "ul"
                | "ol",
                true,
            ) => out.push_str("\n\n"),
            ("li", false) => out.push_str("\n- "),
            ("a", false) => {
                href = tag
                    .split("href=\"")
                    .nth(1)
                    .and_then(|h| h.split('"').next())
                    .map(decode_entities);
            }
            ("a", true) => {
                if let Some(h) = href.take() {
                    out.push_str(&format!(" ({h})"));
                }
            }
            _ => {}
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(&decode_entities(rest));
    // At most one empty line in a row.
    let mut text = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ada() -> MergeContact {
        MergeContact {
            first_name: "<b>Ada</b>".into(),
            last_name: "Lovelace".into(),
            email: "ada@example.com".into(),
            ..MergeContact::default()
        }
    }

    #[test]
    fn plain_text_templates_are_checked_and_rendered_in_the_same_sandbox() {
        let known = ["ticket.subject", "agent.name"];
        assert_eq!(
            check_text("Re {{ ticket.subject }} / {{ agent.name }}", &known),
            Ok(())
        );
        assert!(check_text("{{ ticket.subject", &known).is_err());
        assert_eq!(
            check_text("{{ ticket.nope }} {{ zzz }}", &known),
            Err("unknown merge field: ticket.nope".into())
        );
        let ctx = serde_json::json!({"ticket": {"subject": "<b>x</b>"}});
        assert_eq!(
            render_text("{{ ticket.subject }}{{ ticket.gone }}", &ctx).unwrap(),
            "<b>x</b>",
            "plain text: not escaped; an undefined field is empty"
        );
        assert!(render_text("{% for i in range(100000) %}{{ i }}{% endfor %}", &ctx).is_err());
    }

    #[test]
    fn merge_fields_are_escaped_in_html_and_plain_in_text() {
        let p = Prepared::new(
            "Hi {{ contact.first_name }}",
            BodyFormat::Markdown,
            "Hello **{{ contact.first_name }}**",
        )
        .unwrap();
        let r = p.render(&ada(), &Footer::default()).unwrap();
        assert_eq!(r.subject, "Hi <b>Ada</b>");
        assert!(
            r.html.contains("<strong>&lt;b&gt;Ada&lt;/b&gt;</strong>"),
            "{}",
            r.html
        );
        assert!(r.text.contains("Hello **<b>Ada</b>**"));
    }

    #[test]
    fn authored_html_is_sanitised() {
        let p = Prepared::new(
            "x",
            BodyFormat::Html,
            r#"<p onclick="x()">Hi</p><script>alert(1)</script><a href="javascript:x">l</a>"#,
        )
        .unwrap();
        let r = p.render(&ada(), &Footer::default()).unwrap();
        assert!(!r.html.contains("script"));
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("javascript:"));
    }

    #[test]
    fn a_runaway_loop_runs_out_of_fuel() {
        let p = Prepared::new(
            "x",
            BodyFormat::Html,
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        )
        .unwrap();
        assert!(p.render(&ada(), &Footer::default()).is_err());
    }

    #[test]
    fn there_is_no_loader() {
        // Not even the statement exists: nothing reads a file.
        for src in [
            r#"{% include "/etc/passwd" %}"#,
            r#"{% import "x" as y %}"#,
            r#"{% extends "x" %}"#,
        ] {
            let refused = Prepared::new("x", BodyFormat::Html, src)
                .and_then(|p| p.render(&ada(), &Footer::default()))
                .is_err();
            assert!(refused, "{src}");
        }
    }

    #[test]
    fn a_merged_line_break_in_the_subject_is_refused() {
        let mut c = ada();
        c.first_name = "x\r\nBcc: y@z".into();
        let p = Prepared::new("Hi {{ contact.first_name }}!", BodyFormat::Html, "b").unwrap();
        assert_eq!(
            p.render(&c, &Footer::default()).unwrap_err().field,
            "subject"
        );
    }

    #[test]
    fn syntax_errors_name_their_field() {
        assert_eq!(
            Prepared::new("{{ x", BodyFormat::Html, "b")
                .err()
                .unwrap()
                .field,
            "subject"
        );
        assert_eq!(
            Prepared::new("s", BodyFormat::Html, "{% if %}")
                .err()
                .unwrap()
                .field,
            "body"
        );
    }

    #[test]
    fn text_from_html_keeps_links_and_paragraphs() {
        let t = html_to_text(
            r#"<p>Hello &amp; welcome</p><p><a href="https://x.example/a">Shop</a></p>"#,
        );
        assert_eq!(t, "Hello & welcome\n\nShop (https://x.example/a)");
    }
}
