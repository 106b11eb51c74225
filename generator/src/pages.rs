//! Markdown reference pages: an index, one page per resource, schema pages.

use crate::lower::CrateIr;
use crate::output::FileSet;
use crate::render::{render_into, RenderError};
use crate::spec::Spec;

#[derive(serde::Serialize)]
struct IndexContext<'a> {
    title: &'a str,
    resources: Vec<&'a str>,
}

/// Renders the pages of one API into `<root>/docs/`.
pub fn render_pages(
    tera: &tera::Tera,
    spec: &Spec,
    _ir: &CrateIr,
    root: &str,
    files: &mut FileSet,
) -> Result<(), RenderError> {
    let context = IndexContext {
        title: &spec.api.title,
        resources: spec.resources.iter().map(|r| r.name.as_str()).collect(),
    };
    render_into(
        tera,
        "markdown/index.md.tera",
        &context,
        &format!("{root}/docs/index.md"),
        &spec.source,
        files,
    )
}
