//! Which template renders which output file.

use crate::lower::CrateIr;
use crate::output::FileSet;
use crate::render::{render_into, RenderError};
use crate::spec::Spec;

/// Renders every file of one API's crate.
pub fn render_crate(
    tera: &tera::Tera,
    spec: &Spec,
    ir: &CrateIr,
    files: &mut FileSet,
) -> Result<(), RenderError> {
    let root = format!("generated/{}", spec.api.name);
    let src = &spec.source;
    for (template, out) in [
        ("rust/Cargo.toml.tera", "Cargo.toml"),
        ("rust/lib.rs.tera", "src/lib.rs"),
        ("rust/models.rs.tera", "src/models.rs"),
        ("rust/support.rs.tera", "src/support.rs"),
        ("rust/tests/examples.rs.tera", "tests/examples.rs"),
    ] {
        render_into(tera, template, ir, &format!("{root}/{out}"), src, files)?;
    }
    Ok(())
}
