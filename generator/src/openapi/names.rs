//! The rule that names resources and actions from an OpenAPI document (written down in
//! `spec/README.md`, "Names from an OpenAPI document"):
//!
//! - a tag becomes a resource named by its words in lower camel case (`Orgs API Tokens` →
//!   `orgsApiTokens`, accessor `orgs_api_tokens()`); operations without a tag are grouped by
//!   the first literal segment of their path (`/pets/{id}` → `pets`);
//! - an operation becomes an action named by its `operationId` without the words of its
//!   resource's tag: every word after the first that equals a tag word (ignoring case and a
//!   plural `s`) is dropped, as are two words that together make a tag word (`Site` `Groups`
//!   under `Orgs Sitegroups`) (`countOrgDeviceEvents` under `Orgs Devices` → `countEvents`,
//!   `listOrgApiTokens` under `Orgs API Tokens` → `list`); an operation without
//!   `operationId` is named from its method and path (`get /pets/{petId}` → `getPetsByPetId`)
//!   first;
//! - when two actions of a resource would get the same name, each of them keeps its whole
//!   `operationId` instead;
//! - `x-name` on a tag or an operation (set in the overlay) replaces the rule's name.

/// The words of an identifier or phrase: split at every character that is not a letter or
/// digit and before each upper-case letter that starts a word (`listOrgAPITokens` → list, Org,
/// API, Tokens).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            // An acronym's plural (`MSPs`, `VPNs`: a lower-case `s` that ends the word) stays
            // one word.
            let plural_s = chars.get(i + 1) == Some(&'s')
                && chars
                    .get(i + 2)
                    .is_none_or(|n| n.is_ascii_uppercase() || n.is_ascii_digit());
            let starts_word = c.is_ascii_uppercase()
                && i > 0
                && (chars[i - 1].is_ascii_lowercase()
                    || chars[i - 1].is_ascii_digit()
                    || (chars[i - 1].is_ascii_uppercase()
                        && chars.get(i + 1).is_some_and(char::is_ascii_lowercase)
                        && !plural_s));
            if starts_word && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Words joined in lower camel case (`["Orgs", "API", "Tokens"]` → `orgsApiTokens`).
pub fn lower_camel(words: &[String]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        let lower = w.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.extend(chars);
            }
        }
    }
    // A name starts with a letter.
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'n');
    }
    out
}

/// The resource name of a tag.
pub fn resource_name(tag: &str) -> String {
    lower_camel(&words(tag))
}

/// Whether two words are the same but for case and a plural ending.
fn same_word(a: &str, b: &str) -> bool {
    let singular = |w: &str| {
        let w = w.to_ascii_lowercase();
        if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() > 1) {
            format!("{stem}y")
        } else if let Some(stem) = w.strip_suffix("es").filter(|s| s.ends_with(['s', 'x'])) {
            stem.to_string()
        } else if let Some(stem) = w
            .strip_suffix('s')
            .filter(|s| s.len() > 1 && !s.ends_with('s'))
        {
            stem.to_string()
        } else {
            w
        }
    };
    singular(a) == singular(b)
}

/// The action name of an operation id under a tag: the id without the tag's words (see the
/// module docs). The first word always stays.
pub fn action_name(operation_id: &str, tag: &str) -> String {
    let tag_words = words(tag);
    let id_words = words(operation_id);
    let is_tag_word = |w: &str| tag_words.iter().any(|t| same_word(t, w));
    let mut kept: Vec<String> = Vec::new();
    let mut i = 0;
    while i < id_words.len() {
        // Two words that make one tag word (`Site` `Groups` under `Orgs Sitegroups`) go together.
        if i > 0
            && i + 1 < id_words.len()
            && is_tag_word(&format!("{}{}", id_words[i], id_words[i + 1]))
        {
            i += 2;
            continue;
        }
        if i == 0 || !is_tag_word(&id_words[i]) {
            kept.push(id_words[i].clone());
        }
        i += 1;
    }
    lower_camel(&kept)
}

/// The name of an operation without `operationId`: its method and path
/// (`get /pets/{petId}` → `getPetsByPetId`).
pub fn synthetic_operation_id(method: &str, path: &str) -> String {
    let mut all = vec![method.to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            all.push("by".into());
            all.extend(words(param));
        } else {
            all.extend(words(segment));
        }
    }
    lower_camel(&all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_camel_case_acronyms_and_separators() {
        assert_eq!(words("listOrgAPITokens"), ["list", "Org", "API", "Tokens"]);
        assert_eq!(words("Orgs API Tokens"), ["Orgs", "API", "Tokens"]);
        assert_eq!(words("get_site-stats v2"), ["get", "site", "stats", "v2"]);
        // An acronym's plural is one word; an acronym before a word is not.
        assert_eq!(words("MSPs"), ["MSPs"]);
        assert_eq!(words("Orgs VPNs"), ["Orgs", "VPNs"]);
        assert_eq!(words("listIDsOfOrgs"), ["list", "IDs", "Of", "Orgs"]);
        assert_eq!(words("APIService"), ["API", "Service"]);
        assert_eq!(words("HTTPs3"), ["HTTPs3"]);
    }

    #[test]
    fn tags_become_lower_camel_resources() {
        assert_eq!(resource_name("Orgs API Tokens"), "orgsApiTokens");
        assert_eq!(resource_name("Self API Token"), "selfApiToken");
        assert_eq!(resource_name("pet"), "pet");
        assert_eq!(resource_name("3rd party"), "n3rdParty");
        assert_eq!(resource_name("MSPs"), "msps");
        assert_eq!(resource_name("Orgs VPNs"), "orgsVpns");
    }

    #[test]
    fn the_tag_words_are_stripped_from_operation_ids() {
        assert_eq!(
            action_name("countOrgDeviceEvents", "Orgs Devices"),
            "countEvents"
        );
        assert_eq!(action_name("listOrgApiTokens", "Orgs API Tokens"), "list");
        assert_eq!(action_name("searchMspOrgGroup", "MSPs"), "searchOrgGroup");
        assert_eq!(action_name("createApiToken", "Self API Token"), "create");
        assert_eq!(
            action_name("getSiteDeviceStats", "Sites Devices"),
            "getStats"
        );
        assert_eq!(action_name("findPetsByStatus", "pet"), "findByStatus");
        assert_eq!(action_name("listCategories", "Category"), "list");
        assert_eq!(action_name("addAddresses", "Address"), "add");
        assert_eq!(action_name("listOrgSiteGroups", "Orgs Sitegroups"), "list");
        assert_eq!(action_name("listOrgWxTunnels", "Orgs WxTunnels"), "list");
        // The first word stays even when it is a tag word.
        assert_eq!(action_name("petsList", "pets"), "petsList");
    }

    #[test]
    fn operations_without_id_are_named_from_method_and_path() {
        assert_eq!(
            synthetic_operation_id("GET", "/pets/{petId}"),
            "getPetsByPetId"
        );
        assert_eq!(
            synthetic_operation_id("post", "/store/order"),
            "postStoreOrder"
        );
    }
}
