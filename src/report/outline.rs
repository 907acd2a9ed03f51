//! One document outline that report.md and report.html both walk: headings, paragraphs, tables, figures and
//! lists, numbered as they are rendered (Table 1, Figure 1, …). A family builds its outline once; each format
//! renders it.

use super::folder::Chart;
use super::tables::{html_escape, md_escape, Table};
use base64::Engine;

/// One block of a report document.
pub enum Block {
    Heading(String),
    /// A paragraph; `zh` marks Chinese text (the HTML says so for fonts and screen readers).
    Paragraph {
        text: String,
        zh: bool,
    },
    Table(Table),
    Figure(Chart),
    List(Vec<String>),
}

/// A report document: its title and blocks.
pub struct Outline {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Outline {
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n", md_escape(&self.title));
        let (mut tables, mut figures) = (0, 0);
        for b in &self.blocks {
            match b {
                Block::Heading(h) => out += &format!("## {}\n\n", md_escape(h)),
                Block::Paragraph { text, .. } => out += &format!("{}\n\n", md_escape(text)),
                Block::Table(t) => {
                    tables += 1;
                    out += &format!("{}\n", t.to_markdown(tables));
                }
                Block::Figure(c) => {
                    figures += 1;
                    out += &format!(
                        "**Figure {figures}.** {}\n\n![{}](charts/{})\n\n",
                        md_escape(&c.caption),
                        md_escape(&c.caption),
                        c.name
                    );
                }
                Block::List(items) => {
                    for i in items {
                        out += &format!("- {}\n", md_escape(i));
                    }
                    out += "\n";
                }
            }
        }
        out
    }

    pub fn html(&self) -> String {
        let e = html_escape;
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{}</style></head><body>\n<h1>{}</h1>\n",
            e(&self.title),
            super::document::CSS,
            e(&self.title)
        );
        let (mut tables, mut figures) = (0, 0);
        for b in &self.blocks {
            match b {
                Block::Heading(h) => out += &format!("<h2>{}</h2>\n", e(h)),
                Block::Paragraph { text, zh } => {
                    out += &format!(
                        "<p{}>{}</p>\n",
                        if *zh { " lang=\"zh\"" } else { "" },
                        e(text)
                    )
                }
                Block::Table(t) => {
                    tables += 1;
                    out += &t.to_html(tables);
                }
                Block::Figure(c) => {
                    figures += 1;
                    let mime = if c.name.ends_with(".svg") {
                        "image/svg+xml"
                    } else {
                        "image/png"
                    };
                    let data = base64::engine::general_purpose::STANDARD.encode(&c.bytes);
                    out += &format!(
                        "<figure><img alt=\"{}\" src=\"data:{mime};base64,{data}\"><figcaption><b>Figure {figures}.</b> {}</figcaption></figure>\n",
                        e(&c.caption),
                        e(&c.caption)
                    );
                }
                Block::List(items) => {
                    out += "<ul>\n";
                    for i in items {
                        out += &format!("<li>{}</li>\n", e(i));
                    }
                    out += "</ul>\n";
                }
            }
        }
        out + "</body></html>\n"
    }
}
