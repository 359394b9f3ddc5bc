//! Reading an autoconfig document's bytes into an XML tree, safely: bounded, UTF-8 only, never a
//! DTD.
//!
//! The XML crate is roxmltree: a read-only tree parser in safe Rust with one small dependency
//! (memchr), no I/O of any kind (it cannot fetch an external entity or DTD), a refusal of DTDs
//! by default (`allow_dtd: false`), protection against entity-expansion loops, and a node cap
//! (`nodes_limit`). A tree suits documents of a few kilobytes read once; quick-xml, the
//! streaming alternative, would leave entity handling, nesting and well-formedness checks to
//! this code. roxmltree accepts an empty `<!DOCTYPE x>` and any declared encoding, so both are
//! checked here first, and it bounds nodes but not depth, so depth is checked on its tree.

use roxmltree::{Document, ParsingOptions};

use crate::error::{Error, ErrorCode};
use crate::limits::{AUTOCONFIG_MAX_BYTES, AUTOCONFIG_MAX_DEPTH, AUTOCONFIG_MAX_NODES};

/// The document's bytes as an XML tree, or the typed reason it is refused: over
/// [`AUTOCONFIG_MAX_BYTES`], nodes or depth (`AUTOCONFIG_TOO_LARGE`); not UTF-8, a NUL byte
/// (UTF-16) or another declared encoding (`AUTOCONFIG_ENCODING`); any DOCTYPE or ENTITY
/// declaration, even inside a comment (`AUTOCONFIG_DOCTYPE`); not well-formed, an entity
/// reference other than the five predefined ones included (`AUTOCONFIG_MALFORMED`).
/// A UTF-8 byte-order mark is skipped.
pub(crate) fn read(bytes: &[u8]) -> Result<Document<'_>, Error> {
    if bytes.len() > AUTOCONFIG_MAX_BYTES {
        return Err(Error::new(
            ErrorCode::AutoconfigTooLarge,
            format!(
                "the document is {} bytes long; at most {AUTOCONFIG_MAX_BYTES} are read",
                bytes.len()
            ),
        ));
    }
    let encoding = |why: String| Error::new(ErrorCode::AutoconfigEncoding, why);
    if bytes.starts_with(&[0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(encoding(
            "the document starts with a UTF-16 byte-order mark; only UTF-8 is read".into(),
        ));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(encoding(format!(
            "the document has a NUL byte at offset {at} (UTF-16 or binary); only UTF-8 is read"
        )));
    }
    let text = core::str::from_utf8(bytes).map_err(|e| {
        encoding(format!(
            "the document is not valid UTF-8 (at byte {})",
            e.valid_up_to()
        ))
    })?;
    if let Some(declared) = declared_encoding(text)
        && !["utf-8", "utf8", "us-ascii"]
            .iter()
            .any(|ok| declared.eq_ignore_ascii_case(ok))
    {
        return Err(encoding(format!(
            "the document declares the encoding `{}`; only UTF-8 is read",
            declared.escape_debug()
        )));
    }
    refuse_declarations(text)?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: AUTOCONFIG_MAX_NODES,
        entity_resolver: None,
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        let code = match e {
            roxmltree::Error::DtdDetected => ErrorCode::AutoconfigDoctype,
            roxmltree::Error::NodesLimitReached
            | roxmltree::Error::AttributesLimitReached
            | roxmltree::Error::NamespacesLimitReached => ErrorCode::AutoconfigTooLarge,
            _ => ErrorCode::AutoconfigMalformed,
        };
        Error::new(code, format!("the XML reader refused the document: {e}"))
    })?;
    check_depth(&doc)?;
    Ok(doc)
}

/// The `encoding` pseudo-attribute of the XML declaration, if the document has one.
fn declared_encoding(text: &str) -> Option<&str> {
    let declaration = text.strip_prefix("<?xml")?;
    let declaration = &declaration[..declaration.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(&value[..value.find(quote)?])
}

/// Refuses any DOCTYPE or ENTITY declaration, wherever it is (a comment or CDATA section too:
/// a document that needs one is not an autoconfig document). Compared without case, so that
/// no spelling reaches the XML reader.
fn refuse_declarations(text: &str) -> Result<(), Error> {
    for keyword in ["<!DOCTYPE", "<!ENTITY"] {
        let found = text
            .as_bytes()
            .windows(keyword.len())
            .position(|w| w.eq_ignore_ascii_case(keyword.as_bytes()));
        if let Some(at) = found {
            return Err(Error::new(
                ErrorCode::AutoconfigDoctype,
                format!(
                    "the document has `{keyword}` at byte {at}; DTDs and entities are refused \
                     (nothing is expanded or fetched)"
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a tree nested deeper than [`AUTOCONFIG_MAX_DEPTH`] elements. Nodes come in document
/// order, each after its parent, so one pass over a table indexed by node id gives every depth.
fn check_depth(doc: &Document<'_>) -> Result<(), Error> {
    let mut depths: Vec<usize> = Vec::new();
    for node in doc.root().descendants() {
        let parent = node.parent().map_or(0, |p| {
            depths.get(p.id().get_usize()).copied().unwrap_or_default()
        });
        let depth = parent + usize::from(node.is_element());
        let id = node.id().get_usize();
        if depths.len() <= id {
            depths.resize(id + 1, 0);
        }
        depths[id] = depth;
        if depth > AUTOCONFIG_MAX_DEPTH {
            return Err(Error::new(
                ErrorCode::AutoconfigTooLarge,
                format!(
                    "elements are nested more than {AUTOCONFIG_MAX_DEPTH} deep (at `{}`)",
                    node.tag_name().name()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_encoding_is_read_from_the_declaration_only() {
        assert_eq!(
            declared_encoding("<?xml version=\"1.0\" encoding = 'ISO-8859-1'?><a/>"),
            Some("ISO-8859-1")
        );
        assert_eq!(
            declared_encoding("<?xml version=\"1.0\"?><a encoding='x'/>"),
            None
        );
        assert_eq!(declared_encoding("<a/>"), None);
    }
}
