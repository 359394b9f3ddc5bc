//! A real validator agrees with the zone host: BIND's `delv` (bind9-dnsutils, a test dependency
//! in scripts/deps.sh) asks the `zone-server` example, serving the signed hierarchy of
//! testdata/dnssec/, with the private root's trust anchor, and must find the secure names fully
//! validated (also NXDOMAIN, NODATA and wildcard answers), the unsigned delegations insecure
//! and the bogus and expired zones failing. delv checks signatures against today's clock: the
//! test zones are valid from 2026-01-01 to 2036-01-01 (testdata/README.md).

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/dnssec")
}

fn zone_server() -> PathBuf {
    // target/debug/deps/<test> -> target/debug/examples/zone-server
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap().join("examples");
    dir.join("zone-server")
}

/// The zone server, stopped (by its PID, through the handle) when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// root.anchor (unbound's format: DS records) in delv's `trust-anchors` syntax.
fn delv_anchors(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(testdata().join("root.anchor")).unwrap();
    let mut conf = String::from("trust-anchors {\n");
    for line in text
        .lines()
        .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(f[3], "DS", "{line}");
        conf.push_str(&format!(
            "  \"{}\" static-ds {} {} {} \"{}\";\n",
            f[0],
            f[4],
            f[5],
            f[6],
            f[7..].concat()
        ));
    }
    conf.push_str("};\n");
    let path = dir.join("anchors.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

#[test]
fn rfc4035_delv_validates_the_zone_hosts_signed_hierarchy() {
    assert!(
        Command::new("delv").arg("-v").output().is_ok(),
        "delv is missing: run `make deps` (bind9-dnsutils)"
    );
    let server = zone_server();
    assert!(
        server.exists(),
        "{} is missing: cargo build -p mailsrv --examples",
        server.display()
    );
    let mut zones: Vec<PathBuf> = std::fs::read_dir(testdata())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zone"))
        .collect();
    zones.sort();
    assert_eq!(zones.len(), 14);
    let mut child = Command::new(server)
        .args(["--listen", "127.0.0.1:0"])
        .args(&zones)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let (ip, port) = addr.rsplit_once(':').unwrap();
    let dir = std::env::temp_dir().join(format!("mailsrv-delv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let anchors = delv_anchors(&dir);

    let delv = |name: &str, rtype: &str| -> String {
        let out = Command::new("delv")
            .arg(format!("@{ip}"))
            .args(["-p", port, "-a"])
            .arg(&anchors)
            .args(["+root=.", "+nomtrace", name, rtype])
            .output()
            .unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let mut failures = Vec::new();
    let mut expect = |name: &str, rtype: &str, want: &[&str], reject: &[&str]| {
        let out = delv(name, rtype);
        if !want.iter().all(|w| out.contains(w)) || reject.iter().any(|r| out.contains(r)) {
            failures.push(format!("{name} {rtype}: want {want:?}, got:\n{out}"));
        }
    };
    let secure = "; fully validated";
    // Secure positive answers: NSEC, NSEC3, Ed25519, RSA (test.), a target in another zone.
    for name in [
        "_imaps._tcp.example.test.",
        "_submissions._tcp.example.test.",
        "_imaps._tcp.nsec3.test.",
        "_imaps._tcp.ed.test.",
        "_imaps._tcp.outside.test.",
    ] {
        expect(name, "SRV", &[secure, "IN\tSRV"], &[]);
    }
    expect("mail.ed.test.", "AAAA", &[secure, "2001:db8::50"], &[]);
    expect("test.", "DS", &[secure], &[]);
    // Wildcard expansions, proven by NSEC and by NSEC3.
    expect(
        "_imaps._tcp.wild.example.test.",
        "SRV",
        &[secure, "993 mail.example.test."],
        &[],
    );
    expect(
        "_imaps._tcp.wild.nsec3.test.",
        "SRV",
        &[secure, "993 mail.nsec3.test."],
        &[],
    );
    // Denials: NXDOMAIN and NODATA (also an empty non-terminal), NSEC, NSEC3 and opt-out.
    let nx = ["ncache nxdomain", "; negative response, fully validated"];
    let nodata = ["ncache nxrrset", "; negative response, fully validated"];
    expect("_imap._tcp.example.test.", "SRV", &nx, &[]);
    // Two NSECs: one covers the name, another the wildcard at its closest encloser.
    expect("nope.example.test.", "A", &nx, &[]);
    expect("_imap._tcp.nsec3.test.", "SRV", &nx, &[]);
    expect("nope.test.", "A", &nx, &[]);
    expect("mail.example.test.", "SRV", &nodata, &[]);
    expect("_tcp.example.test.", "SRV", &nodata, &[]);
    expect("mail.nsec3.test.", "SRV", &nodata, &[]);
    expect("insecure.test.", "DS", &nodata, &[]);
    // Wildcard NODATA (the wildcard has SRV only), NSEC and NSEC3; a two-label expansion.
    expect("_imaps._tcp.wild.example.test.", "A", &nodata, &[]);
    expect("_imaps._tcp.wild.nsec3.test.", "A", &nodata, &[]);
    expect(
        "x.y._tcp.wild.example.test.",
        "SRV",
        &[secure, "IN\tSRV"],
        &[],
    );
    // Ed25519 and the root's own denial.
    expect("nope.ed.test.", "A", &nx, &[]);
    expect("nope.", "A", &nx, &[]);
    // Unsigned children: insecure (NSEC at the cut; NSEC3 opt-out span).
    for name in [
        "_imaps._tcp.insecure.test.",
        "_imaps._tcp.plain.example.test.",
    ] {
        expect(name, "SRV", &["; unsigned answer", "IN\tSRV"], &[secure]);
    }
    // Bogus: data changed after signing; signatures expired.
    expect(
        "_imaps._tcp.bogus.test.",
        "SRV",
        &["resolution failed"],
        &[secure],
    );
    expect(
        "_imaps._tcp.expired.test.",
        "SRV",
        &["resolution failed", "expired"],
        &[secure],
    );
    // DANE (issue 15): signed TLSA records, one absent (NXDOMAIN), one tampered with.
    for name in [
        "_993._tcp.ee.hosting.test.",
        "_993._tcp.ta.hosting.test.",
        "_993._tcp.wrong.hosting.test.",
    ] {
        expect(name, "TLSA", &[secure, "IN\tTLSA"], &[]);
    }
    expect(
        "_imaps._tcp.ee.dane.test.",
        "SRV",
        &[secure, "ee.hosting.test."],
        &[],
    );
    expect("_465._tcp.ee.hosting.test.", "TLSA", &nx, &[]);
    expect(
        "_993._tcp.bogus.hosting.test.",
        "TLSA",
        &["resolution failed"],
        &[secure],
    );
    // DNAME (RFC 6672): the signed DNAME and the synthesised CNAME lead into example.test.;
    // a DNAME changed after signing fails.
    expect(
        "_imaps._tcp.old.dname.test.",
        "SRV",
        &[secure, "DNAME\texample.test.", "993 mail.example.test."],
        &[],
    );
    expect(
        "_imaps._tcp.bad.dname.test.",
        "SRV",
        &["resolution failed"],
        &[secure],
    );
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
