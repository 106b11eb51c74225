//! Which template renders which output file.

use crate::lower::CrateIr;
use crate::output::FileSet;
use crate::render::{render_into, RenderError};
use crate::spec::Spec;

#[derive(serde::Serialize)]
struct ResourceContext<'a> {
    lib: &'a str,
    resource: &'a crate::client_ir::ResourceIr,
}

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
        ("rust/README.md.tera", "README.md"),
        ("rust/lib.rs.tera", "src/lib.rs"),
        ("rust/models.rs.tera", "src/models.rs"),
        ("rust/support.rs.tera", "src/support.rs"),
        ("rust/client.rs.tera", "src/client.rs"),
        ("rust/error.rs.tera", "src/error.rs"),
        ("rust/resources/mod.rs.tera", "src/resources/mod.rs"),
        ("rust/tests/examples.rs.tera", "tests/examples.rs"),
        ("rust/tests/client.rs.tera", "tests/client.rs"),
        ("rust/tests/runtime.rs.tera", "tests/runtime.rs"),
    ] {
        render_into(tera, template, ir, &format!("{root}/{out}"), src, files)?;
    }
    for resource in &ir.resources {
        let context = ResourceContext {
            lib: &ir.lib,
            resource,
        };
        let out = format!(
            "{root}/src/resources/{}.rs",
            resource.module.trim_start_matches("r#")
        );
        render_into(
            tera,
            "rust/resources/resource.rs.tera",
            &context,
            &out,
            src,
            files,
        )?;
    }
    crate::pages::render_pages(tera, spec, ir, &root, files)?;
    Ok(())
}
