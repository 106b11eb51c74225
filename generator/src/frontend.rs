//! Which front-end reads a spec folder: our YAML format (`api.yaml`, read by [`crate::load`])
//! a vendor's OpenAPI document with our overlay ([`crate::openapi`]) or Losant's API
//! description with our overlay ([`crate::losant_api`]). Both give the same
//! [`Loaded`] spec, with positions, so nothing downstream knows which one read it.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::load::{Loaded, MemoryFiles, Workspace};

/// Reads `<workspace>/<spec_dir>`; file names in diagnostics are relative to the workspace.
/// Returns the loaded spec and every problem found while loading.
pub fn load(workspace: &Path, spec_dir: &str) -> (Option<Loaded>, Vec<Diagnostic>) {
    // From here on files are read through the spec folder they must stay in.
    load_from(&Workspace {
        root: workspace,
        spec_dir,
        memory: None,
    })
}

/// [`load`] from files held in memory (keys are workspace-relative, as `load` names files);
/// only the files under `<spec_dir>/` are read, with the same checks and diagnostics.
pub fn load_memory(files: &MemoryFiles, spec_dir: &str) -> (Option<Loaded>, Vec<Diagnostic>) {
    load_from(&Workspace {
        root: Path::new(""),
        spec_dir,
        memory: Some(files),
    })
}

/// A folder without `api.yaml` that holds Losant's API description (`schemas/apiInfo.json`)
/// is read by its front-end, one that holds an OpenAPI document (or an overlay naming one) by
/// the OpenAPI front-end; any other by the YAML format's reader.
fn load_from(workspace: &Workspace) -> (Option<Loaded>, Vec<Diagnostic>) {
    if !workspace.exists(&format!("{}/api.yaml", workspace.spec_dir)) {
        if crate::losant_api::is_description(workspace) {
            return crate::losant_api::load(workspace);
        }
        if let Some(entry) = crate::openapi::find_entry(workspace) {
            return crate::openapi::load(workspace, &entry);
        }
    }
    crate::load::load_spec_format(workspace)
}
