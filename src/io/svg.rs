//! Small helpers shared by the SVG writers ([`report`](super::report) and
//! [`map`](super::map)): the document's frame, a wrapping legend, text
//! escaping and widths.

use std::fmt::Write as _;

/// Tableau 10: distinct, colour-blind friendly enough for a handful of series.
pub(crate) const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// The `i`-th series colour: the palette, then hues a golden angle apart.
pub(crate) fn colour(i: usize) -> String {
    match PALETTE.get(i) {
        Some(c) => (*c).to_string(),
        None => format!("hsl({:.0},55%,45%)", (i as f64 * 137.508) % 360.0),
    }
}

/// A whole SVG document: the root element sized `width` × `height` px, a
/// `<title>`, a white background, the title in bold at the top left, then
/// `body`, then the closing tag.
pub(crate) fn document(width: f64, height: f64, margin: f64, title: &str, body: &str) -> String {
    let title = escape(title);
    let mut svg = String::with_capacity(body.len() + 512);
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" fill="#222222">"##
    );
    let _ = writeln!(svg, "<title>{title}</title>");
    let _ = writeln!(
        svg,
        r##"<rect x="0" y="0" width="{width:.0}" height="{height:.0}" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r#"<text x="{margin:.1}" y="30.0" font-size="20" font-weight="bold">{title}</text>"#
    );
    svg.push_str(body);
    svg.push_str("</svg>");
    svg
}

/// A legend of colour swatches and labels, from (`left`, `y`) and wrapped
/// before `right`; returns the baseline of its last row.
pub(crate) fn legend<'a>(
    out: &mut String,
    items: impl IntoIterator<Item = (&'a str, String)>,
    left: f64,
    right: f64,
    mut y: f64,
) -> f64 {
    let mut x = left;
    for (label, fill) in items {
        let item_w = 14.0 + 6.0 + text_width(label, 12.0) + 18.0;
        if x > left && x + item_w > right {
            x = left;
            y += 20.0;
        }
        let _ = writeln!(
            out,
            r#"<rect x="{x:.1}" y="{:.1}" width="14" height="14" fill="{fill}"/>"#,
            y - 11.0
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{y:.1}" font-size="12">{}</text>"#,
            x + 20.0,
            escape(label)
        );
        x += item_w;
    }
    y
}

/// Rough width of `text` at `font_size` px, for laying out labels.
pub(crate) fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f64>()
        * font_size
}

/// `text` escaped for XML text and attribute values; characters XML 1.0 forbids are dropped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
