//! `verifyChain` and `certificatesFromPem`.

use js_sys::{Array, Uint8Array};
#[cfg(feature = "dane")]
use mailsrv_core::TlsaRecord;
use mailsrv_core::{Subject, VerifyOptions, verify_chain};
use wasm_bindgen::prelude::*;

#[cfg(not(feature = "dane"))]
use crate::throw;
use crate::{bad_argument, core_error, from_js, optional, platform_to_ascii, to_js};

fn byte_list(value: &JsValue, what: &str) -> Result<Vec<Vec<u8>>, JsValue> {
    if !Array::is_array(value) {
        return Err(bad_argument(&format!(
            "{what} must be an array of Uint8Array"
        )));
    }
    Array::from(value)
        .iter()
        .map(|v| {
            v.dyn_into::<Uint8Array>()
                .map(|a| a.to_vec())
                .map_err(|_| bad_argument(&format!("{what} must be an array of Uint8Array")))
        })
        .collect()
}

/// `verifyChain(candidate, chain, anchors, nowMs, options?)`: verifies a server chain (DER
/// `Uint8Array`s, leaf first). With `options.domain` (an email domain in any form) the reference
/// identities are built by the core from it and the candidate's `service`, `host` and `trust`;
/// without it, a plan's candidate is checked against its own `referenceIdentities`.
/// `options.legacyCn` enables CN matching (D10). `options.tlsa` (presentation texts,
/// `"3 1 1 0b9f…"`) are TLSA records the caller validated with DNSSEC for the candidate's
/// `_<port>._tcp.<host>`: the core then decides by DANE (the candidate needs its `port`).
/// Without them, in the Node build, a validated plan's candidate whose `tlsa.status` is
/// `secure` brings its own `tlsa.records`, as the core's `verify_candidate` does; a
/// build without the feature `dane` (the browser module) refuses them with `INVALID_OPTION`
/// rather than verify as if they were absent. Returns the verdict.
#[wasm_bindgen(js_name = verifyChain)]
pub fn verify_chain_js(
    candidate: JsValue,
    chain: JsValue,
    anchors: JsValue,
    now_ms: f64,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct CandidateIn {
        service: mailsrv_core::Service,
        host: String,
        trust: mailsrv_core::Trust,
        #[serde(default)]
        reference_identities: Vec<mailsrv_core::ReferenceIdentity>,
        port: Option<u16>,
        /// A validated plan's TLSA lookup (Node build): used as `Subject::of` uses it.
        #[cfg(all(feature = "dane", feature = "dnssec"))]
        tlsa: Option<mailsrv_core::Tlsa>,
    }
    #[derive(serde::Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct VerifyIn {
        domain: Option<String>,
        #[serde(default)]
        legacy_cn: bool,
        #[serde(default)]
        tlsa: Vec<String>,
    }
    let c: CandidateIn = from_js(candidate, "candidate")?;
    let o: VerifyIn = optional(options, "verify options")?;
    if !(now_ms.is_finite() && now_ms >= 0.0) {
        return Err(bad_argument(
            "nowMs must be a non-negative number of milliseconds",
        ));
    }
    let subject = match o.domain {
        Some(domain) => Subject::new_with(
            &domain,
            c.service,
            &c.host,
            matches!(
                c.trust,
                mailsrv_core::Trust::DnssecSecure | mailsrv_core::Trust::Authenticated
            ),
            platform_to_ascii,
        )
        .map_err(core_error)?,
        None => Subject::with_references(c.service, &c.host, c.reference_identities),
    };
    #[cfg(not(feature = "dane"))]
    if !o.tlsa.is_empty() {
        return Err(throw(
            mailsrv_core::ErrorCode::InvalidOption.name(),
            "options.tlsa: this module (mailsrv_wasm, the browser build) has no DANE; \
             verify TLSA records with the Node entry (mailsrv_node) or the C library",
        ));
    }
    // Without records of the caller's, the candidate's own, from a validated plan (issue 15):
    // the core's rule (Subject::with_plan_tlsa, as verify_candidate applies it).
    #[cfg(all(feature = "dane", feature = "dnssec"))]
    let subject = match (&c.tlsa, c.port) {
        (Some(t), Some(port)) if o.tlsa.is_empty() => subject.with_plan_tlsa(port, t),
        _ => subject,
    };
    #[cfg(feature = "dane")]
    let subject = if o.tlsa.is_empty() {
        subject
    } else {
        let port = c.port.ok_or_else(|| {
            bad_argument(
                "TLSA records need the candidate's port (they are the records of _<port>._tcp.<host>)",
            )
        })?;
        let records = o
            .tlsa
            .iter()
            .map(|r| TlsaRecord::parse(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(core_error)?;
        subject.with_tlsa(port, records).map_err(core_error)?
    };
    let chain = byte_list(&chain, "chain")?;
    let anchors = byte_list(&anchors, "anchors")?;
    let chain: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
    let anchors: Vec<&[u8]> = anchors.iter().map(Vec::as_slice).collect();
    let verdict = verify_chain(
        &subject,
        &chain,
        &anchors,
        (now_ms / 1000.0) as u64,
        VerifyOptions {
            legacy_cn: o.legacy_cn,
        },
    )
    .map_err(core_error)?;
    to_js(&verdict)
}

/// `certificatesFromPem(text)`: the DER bytes of every CERTIFICATE block.
#[wasm_bindgen(js_name = certificatesFromPem)]
pub fn certificates_from_pem(pem: &str) -> Result<Array, JsValue> {
    let ders = mailsrv_core::certificates_from_pem(pem.as_bytes()).map_err(core_error)?;
    Ok(ders
        .iter()
        .map(|d| JsValue::from(Uint8Array::from(d.as_slice())))
        .collect())
}
