// Known-answer vectors from the RFCs (included by signature.rs's tests). Each passes only if
// the signed data, key decoding and ring call are right; each is also broken once (one bit of
// the data) to show the check can fail.

// RFC 5702 §6.1: RSA/SHA-256 with a 512-bit key, refused by the 1024-bit floor.
const RFC5702_KEY8: &str = "example.net. 3600 IN DNSKEY 256 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=";
const RFC5702_SIG8: &str = "www.example.net. 3600 IN RRSIG A 8 3 3600 20300101000000 20000101000000 9033 example.net. kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/lPtPiVYP4bwg==";
// RFC 5702 §6.2: RSA/SHA-512, 1024-bit key.
const RFC5702_KEY10: &str = "example.net. 3600 IN DNSKEY 256 3 10 AwEAAdHoNTOW+et86KuJOWRDp1pndvwb6Y83nSVXXyLA3DLroROUkN6X0O6pnWnjJQujX/AyhqFDxj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8gpMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL";
const RFC5702_SIG10: &str = "www.example.net. 3600 IN RRSIG A 10 3 3600 20300101000000 20000101000000 3740 example.net. tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw=";
const RFC5702_A: &str = "www.example.net. 3600 IN A 192.0.2.91";
// RFC 6605 §6.1 (P-256) and §6.2 (P-384).
const RFC6605_KEY13: &str = "example.net. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==";
const RFC6605_SIG13: &str = "www.example.net. 3600 IN RRSIG A 13 3 3600 20100909100439 20100812100439 55648 example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==";
const RFC6605_KEY14: &str = "example.net. 3600 IN DNSKEY 257 3 14 xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40";
const RFC6605_SIG14: &str = "www.example.net. 3600 IN RRSIG A 14 3 3600 20100909102025 20100812102025 10771 example.net. /L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuzWTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm";
const RFC6605_A: &str = "www.example.net. 3600 IN A 192.0.2.1";
// RFC 8080 §6.1 as corrected by erratum 4935 (labels 2).
const RFC8080_KEY15: &str = "example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=";
const RFC8080_SIG15: &str = "example.com. 3600 IN RRSIG MX 15 2 3600 20150819220000 20150729220000 3613 example.com. oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==";
const RFC8080_MX: &str = "example.com. 3600 IN MX 10 mail.example.com.";

#[test]
fn rfc5702_6_2_rsasha512_example_verifies() {
    check(RFC5702_KEY10, &[RFC5702_A, RFC5702_SIG10], "20200101000000").unwrap();
    let bad = RFC5702_A.replace("192.0.2.91", "192.0.2.92");
    assert_eq!(
        check(RFC5702_KEY10, &[&bad, RFC5702_SIG10], "20200101000000"),
        Err(SigError::BadSignature)
    );
}

#[test]
fn rfc5702_6_1_rsa_keys_under_1024_bits_are_refused() {
    let e = check(RFC5702_KEY8, &[RFC5702_A, RFC5702_SIG8], "20200101000000").unwrap_err();
    assert_eq!(e, SigError::BadKey("RSA modulus of 512 bits".into()));
}

#[test]
fn rfc6605_6_1_ecdsa_p256_example_verifies() {
    check(RFC6605_KEY13, &[RFC6605_A, RFC6605_SIG13], "20100901000000").unwrap();
    let bad = RFC6605_A.replace("192.0.2.1", "192.0.2.2");
    assert_eq!(
        check(RFC6605_KEY13, &[&bad, RFC6605_SIG13], "20100901000000"),
        Err(SigError::BadSignature)
    );
}

#[test]
fn rfc6605_6_2_ecdsa_p384_example_verifies() {
    check(RFC6605_KEY14, &[RFC6605_A, RFC6605_SIG14], "20100901000000").unwrap();
}

#[test]
fn rfc8080_6_1_ed25519_example_verifies() {
    check(RFC8080_KEY15, &[RFC8080_MX, RFC8080_SIG15], "20150801000000").unwrap();
    let bad = RFC8080_MX.replace("10 mail", "20 mail");
    assert_eq!(
        check(RFC8080_KEY15, &[&bad, RFC8080_SIG15], "20150801000000"),
        Err(SigError::BadSignature)
    );
}

#[test]
fn rfc4035_5_3_1_validity_window_uses_now() {
    assert_eq!(
        check(RFC6605_KEY13, &[RFC6605_A, RFC6605_SIG13], "20100910000000"),
        Err(SigError::Expired)
    );
    assert_eq!(
        check(RFC6605_KEY13, &[RFC6605_A, RFC6605_SIG13], "20100801000000"),
        Err(SigError::NotYetValid)
    );
}

#[test]
fn rfc4035_5_3_2_wildcard_owner_is_rebuilt_from_labels() {
    // The RFC 8080 example signed `example.com.` (labels 2); the same RRset at a name below
    // it, expanded from a wildcard `*.example.com.`, would be signed over `*.example.com.`:
    // with labels 2, the signed owner becomes `*.example.com.`, so the apex signature fails.
    let set = &rrsets(&[
        parse_rr(&RFC8080_MX.replace("example.com. 3600 IN MX", "x.example.com. 3600 IN MX"), None)
            .unwrap(),
    ])[0];
    let sig = Rrsig::from_rdata(&parse_rr(RFC8080_SIG15, None).unwrap().rdata).unwrap();
    let data = signed_data(set, &sig);
    let star = Name::from_ascii("*.example.com.").unwrap();
    assert!(data.windows(star.wire().len()).any(|w| w == star.wire()));
}

#[test]
fn rfc4034_3_1_3_labels_above_owner_and_revoked_keys_are_refused() {
    let key = parse_rr(RFC6605_KEY13, None).unwrap();
    let mut dnskey = Dnskey::from_rdata(&key.rdata).unwrap();
    let recs = [parse_rr(RFC6605_A, None).unwrap(), parse_rr(RFC6605_SIG13, None).unwrap()];
    let set = &rrsets(&recs)[0];
    let mut sig = Rrsig::from_rdata(&set.sigs[0]).unwrap();
    let now = parse_time("20100901000000").unwrap();
    assert!(key_fits(&sig, &key.owner, &dnskey));
    // RFC 5011 §3: a revoked key (its tag changes with the flag) never signs, even when an
    // RRSIG names its new tag.
    dnskey.flags |= crate::dnssec::key::FLAG_REVOKE;
    sig.key_tag = dnskey.key_tag();
    assert!(!key_fits(&sig, &key.owner, &dnskey));
    dnskey.flags &= !crate::dnssec::key::FLAG_REVOKE;
    sig.key_tag = dnskey.key_tag();
    sig.labels = 4;
    assert_eq!(
        verify(set, &sig, &key.owner, &dnskey, now),
        Err(SigError::Mismatch("labels above the owner's"))
    );
}
