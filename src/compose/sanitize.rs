//! What HTML a mail may carry: an explicit allow-list of the tags, attributes, inline styles
//! and URL schemes the editor produces. Everything else — scripts, event handlers, forms,
//! frames, `javascript:` links, remote stylesheets — is removed before a mail is stored.

use std::collections::{HashMap, HashSet};

use ammonia::{Builder, UrlRelative};

const TAGS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "caption",
    "col",
    "colgroup",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "img",
    "li",
    "mark",
    "ol",
    "p",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Inline style properties that render in mail clients and cannot load anything.
const STYLES: &[&str] = &[
    "background-color",
    "border",
    "border-bottom",
    "border-collapse",
    "border-color",
    "border-left",
    "border-radius",
    "border-right",
    "border-spacing",
    "border-style",
    "border-top",
    "border-width",
    "color",
    "display",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "height",
    "letter-spacing",
    "line-height",
    "margin",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "margin-top",
    "max-width",
    "padding",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "padding-top",
    "text-align",
    "text-decoration",
    "vertical-align",
    "white-space",
    "width",
];

/// The class the editor gives a button-style link, styled by the mail's own stylesheet.
pub const BUTTON_CLASS: &str = "shisa-button";

/// The HTML with everything outside the allow-list removed. Merge fields (`{{氏名}}`) are
/// text and pass through unchanged.
pub fn sanitize(html: &str) -> String {
    let tag_attributes = HashMap::from([
        ("a", HashSet::from(["href", "title"])),
        ("img", HashSet::from(["src", "alt", "width", "height"])),
        (
            "td",
            HashSet::from(["colspan", "rowspan", "width", "valign"]),
        ),
        (
            "th",
            HashSet::from(["colspan", "rowspan", "width", "valign"]),
        ),
        ("col", HashSet::from(["span", "width"])),
        (
            "table",
            HashSet::from(["width", "border", "cellpadding", "cellspacing"]),
        ),
        ("font", HashSet::from(["color", "size"])),
        ("ol", HashSet::from(["start"])),
    ]);
    Builder::default()
        .tags(TAGS.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .generic_attributes(HashSet::from(["style", "align", "dir"]))
        .allowed_classes(HashMap::from([("a", HashSet::from([BUTTON_CLASS]))]))
        .url_schemes(HashSet::from(["http", "https", "mailto", "cid"]))
        .url_relative(UrlRelative::Deny)
        .filter_style_properties(STYLES.iter().copied().collect())
        .link_rel(None)
        .strip_comments(true)
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_the_editor_writes() {
        let html = "<h2 style=\"text-align:center\">ご案内</h2>\
            <p><strong>{{氏名}}</strong> 様 <span style=\"color:#c00;font-size:18px\">赤</span></p>\
            <p><a class=\"shisa-button\" href=\"https://example.jp/\">申し込む</a></p>\
            <table><tbody><tr><td colspan=\"2\">表</td></tr></tbody></table>\
            <img src=\"cid:logo@shisa\" alt=\"ロゴ\"><hr>";
        assert_eq!(sanitize(html), html);
    }

    #[test]
    fn removes_every_way_to_run_or_load_something() {
        let cases = [
            ("<p onclick=\"x()\">a</p>", "<p>a</p>"),
            ("<script>alert(1)</script><p>a</p>", "<p>a</p>"),
            ("<a href=\"javascript:alert(1)\">a</a>", "<a>a</a>"),
            ("<a href=\"/relative\">a</a>", "<a>a</a>"),
            ("<img src=\"data:text/html,x\" onerror=\"x()\">", "<img>"),
            (
                "<p style=\"background:url(https://t.example/x.gif);color:red\">a</p>",
                "<p style=\"color:red\">a</p>",
            ),
            ("<iframe src=\"https://x.example\"></iframe>a", "a"),
            ("<form><input value=\"x\"></form>a", "a"),
            ("<style>p{}</style><!-- c -->a", "a"),
            (
                "<a class=\"evil shisa-button\" href=\"https://x.jp\">a</a>",
                "<a class=\"shisa-button\" href=\"https://x.jp\">a</a>",
            ),
        ];
        for (dirty, clean) in cases {
            assert_eq!(sanitize(dirty), clean, "{dirty}");
        }
    }
}
