//! The example host (`cargo run -p mailsrv --example plan`): offline from zone files, and over
//! real UDP/TCP to a DNS server on loopback, both giving the corpus's expected plans; and the
//! example hosts' quiet end (exit code 141) when the reader of their output goes away.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
#![allow(
    clippy::disallowed_types,
    reason = "the test plays a DNS server on loopback"
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use mailsrv::zone::Transport;

fn example() -> PathBuf {
    // target/debug/deps/<test> -> target/debug/examples/plan
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join("plan")
}

fn expected(name: &str) -> serde_json::Value {
    let path = common::testdata()
        .join("expected")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn zone(name: &str) -> String {
    common::testdata()
        .join("zones")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn json_output_from_zone_files_is_the_expected_plan() {
    let out = Command::new(example())
        .args([
            "--zone",
            &zone("demo.zone"),
            "--json",
            "--seed",
            "1",
            "alice@example.net",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan, expected("demo"));
}

#[test]
fn human_output_ranks_and_explains() {
    let out = Command::new(example())
        .args([
            "--zone",
            &zone("demo.zone"),
            "--seed",
            "1",
            "alice@example.net",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Incoming (imap):"), "{text}");
    assert!(
        text.contains("1. imap2.example.net:993 implicit-tls"),
        "{text}"
    );
    assert!(
        text.contains("why: implicit TLS, _imaps priority 0, weight 40/100"),
        "{text}"
    );
    assert!(text.contains("Alternative incoming (pop3)"), "{text}");
}

#[test]
fn bad_input_is_one_clear_line_and_exit_code_2() {
    let out = Command::new(example())
        .args(["--zone", &zone("demo.zone"), "alice@[192.0.2.1]"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("ADDRESS_LITERAL"), "{err}");
    let out = Command::new(example())
        .args(["--zone", "/nonexistent.zone", "a@example.net"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("cannot read zone file")
    );
}

#[test]
fn over_udp_and_tcp_to_a_loopback_server_the_plan_is_the_same() {
    let host = common::zone_host(&["many.zone"], &[]);
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = udp.local_addr().unwrap();
    let tcp = TcpListener::bind(addr).unwrap();
    let udp_host = common::zone_host(&["many.zone"], &[]);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok((n, from)) = udp.recv_from(&mut buf) {
            if let Ok(reply) = udp_host.answer(&buf[..n], Transport::Udp) {
                let _ = udp.send_to(&reply, from);
            }
        }
    });
    let tcp_queries = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = tcp_queries.clone();
    std::thread::spawn(move || {
        for stream in tcp.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut len = [0u8; 2];
            if s.read_exact(&mut len).is_err() {
                continue;
            }
            let mut q = vec![0u8; usize::from(u16::from_be_bytes(len))];
            if s.read_exact(&mut q).is_err() {
                continue;
            }
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if let Ok(reply) = host.answer(&q, Transport::Tcp) {
                let _ = s.write_all(&(reply.len() as u16).to_be_bytes());
                let _ = s.write_all(&reply);
            }
        }
    });
    let out = Command::new(example())
        .args([
            "--server",
            &addr.to_string(),
            "--json",
            "--seed",
            "1",
            "gina@many.example",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan, expected("many-records"));
    assert_eq!(
        tcp_queries.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "one TCP retry"
    );
}

#[test]
fn an_unanswering_server_gives_timeouts_and_exit_code_3() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let out = Command::new(example())
        .args([
            "--server",
            &silent.local_addr().unwrap().to_string(),
            "--timeout",
            "300",
            "--json",
            "a@example.net",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        plan["lookups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["outcome"] == "timeout")
    );
}

fn verify_example() -> PathBuf {
    example().with_file_name("verify")
}

fn cert(name: &str) -> String {
    common::testdata()
        .join("certs")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn verify_example_prints_verdicts_and_exit_codes() {
    let run = |chain: &str, now: &str, extra: &[&str]| {
        let mut args = vec![
            "--email",
            "alice@example.net",
            "--service",
            "imaps",
            "--host",
            "mail.provider.net",
            "--anchors",
        ];
        let anchors = cert("ca.pem");
        let chain = cert(chain);
        args.push(&anchors);
        args.extend(["--chain", &chain, "--now", now]);
        args.extend(extra);
        Command::new(verify_example()).args(&args).output().unwrap()
    };
    let out = run("srv-id.chain.pem", "2027-06-01T00:00:00Z", &["--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "verified");
    assert_eq!(v["matched"]["value"], "_imaps.example.net");
    let out = run("target-only.chain.pem", "2027-06-01T02:00:00+02:00", &[]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("NEEDS CONFIRMATION"));
    let out = run(
        "target-only.chain.pem",
        "2027-06-01T00:00:00Z",
        &["--dnssec-secure"],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = run("domain.chain.pem", "2040-01-01T00:00:00Z", &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reason"], "expired");
    let out = run("domain.chain.pem", "yesterday", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
}

// Requirements: S7673-4a.
#[test]
fn verify_example_takes_tlsa_records_for_port_and_host() {
    let chain = cert("self-signed.chain.pem");
    let der = &mailsrv::certificates_from_pem(&std::fs::read(&chain).unwrap()).unwrap()[0];
    let digest: String = ring::digest::digest(&ring::digest::SHA256, der)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let wrong = format!("{}0", &digest[..63]);
    let run = |digest: &str, extra: &[&str]| {
        let tlsa = format!("3 0 1 {digest}");
        let mut args = vec![
            "--email",
            "alice@example.net",
            "--service",
            "imaps",
            "--host",
            "mail.example.net",
            "--chain",
            &chain,
            "--now",
            "2027-06-01T00:00:00Z",
            "--tlsa",
            &tlsa,
        ];
        args.extend(extra);
        Command::new(verify_example()).args(&args).output().unwrap()
    };
    let out = run(&digest, &["--port", "993"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.starts_with("VERIFIED: DANE-EE:"), "{text}");
    assert!(text.contains("_993._tcp.mail.example.net"), "{text}");
    let out = run(&wrong, &["--port", "993"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("REJECTED"));
    // Without --port the records name no RRset: a usage error.
    let out = run(&digest, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--port"));
}

/// The status the example hosts end with when their stdout has no reader left: 128 + SIGPIPE,
/// what a shell shows for a program killed by SIGPIPE.
const READER_GONE: i32 = 141;

#[test]
fn a_reader_that_closes_after_the_first_line_ends_the_plan_quietly() {
    // 128 records (the core's cap per answer) under each of the six labels, with cleartext
    // fallbacks, make about 1,100 candidates: far more JSON than a pipe holds, so the example is
    // still writing when the reader closes.
    let zone = std::env::temp_dir().join(format!("mailsrv-big-{}.zone", std::process::id()));
    let mut text = String::from(
        "$ORIGIN big.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 300\n",
    );
    for label in [
        "_imaps",
        "_imap",
        "_pop3s",
        "_pop3",
        "_submissions",
        "_submission",
    ] {
        for i in 1..=128 {
            text.push_str(&format!(
                "{label}._tcp IN SRV 0 {i} 993 h{i}.big.example.\n"
            ));
        }
    }
    std::fs::write(&zone, text).unwrap();
    let mut child = Command::new(example())
        .args(["--zone", zone.to_str().unwrap(), "--json", "--seed", "1"])
        .args(["--allow-cleartext", "a@big.example"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader, the only read end of the pipe, is closed here.
    let out = child.wait_with_output().unwrap();
    std::fs::remove_file(&zone).unwrap();
    assert_eq!(first, "{\n");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(READER_GONE));
}

/// Runs `cmd` with stdout on a pipe whose read end is closed before it starts.
fn with_reader_gone(cmd: &mut Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    cmd.stdout(writer).stderr(Stdio::piped()).output().unwrap()
}

#[test]
fn verify_and_zone_server_end_quietly_without_a_reader() {
    let out = with_reader_gone(Command::new(verify_example()).args([
        "--email",
        "alice@example.net",
        "--service",
        "imaps",
        "--host",
        "mail.provider.net",
        "--anchors",
        &cert("ca.pem"),
        "--chain",
        &cert("srv-id.chain.pem"),
        "--now",
        "2027-06-01T00:00:00Z",
    ]));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(READER_GONE));
    let out = with_reader_gone(
        Command::new(example().with_file_name("zone-server")).arg(zone("demo.zone")),
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(READER_GONE));
}

/// Runs `cmd` and returns its output and peak resident set size in KB (`VmHWM`, read from
/// `/proc/<pid>/status` every 20 ms while it runs, so the last reading is from just before it
/// exits); the command is killed, and the test fails, if it runs past `guard`.
#[allow(
    clippy::disallowed_methods,
    reason = "the guard that keeps a broken host from hanging the test needs the clock"
)]
fn measured(cmd: &mut Command, guard: std::time::Duration) -> (Output, u64) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    // Drained while it runs, so that a full pipe cannot stop it.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        stdout.read_to_end(&mut v).unwrap();
        v
    });
    let started = std::time::Instant::now();
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Some(kb) = std::fs::read_to_string(&status).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        }) {
            peak = peak.max(kb);
        }
        if started.elapsed() > guard {
            child.kill().unwrap();
            panic!("still running after {guard:?}: the whole deadline was not respected");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut out = child.wait_with_output().unwrap();
    out.stdout = reader.join().unwrap();
    (out, peak)
}

/// Issue 12: a DNS server whose UDP answers are truncated and whose TCP answers drip one byte a
/// second. The example host's `--timeout` (60 s) would let it wait; `--total-timeout` ends it:
/// every lookup is a timeout (the core's failure for `TIMEOUT`), exit status 3 (the core's for
/// failed lookups), memory bounded. The guard is what fails the test if the deadline is not kept.
#[test]
fn a_tcp_server_dripping_bytes_is_cut_off_by_the_total_timeout() {
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = udp.local_addr().unwrap();
    let tcp = TcpListener::bind(addr).unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = udp.recv_from(&mut buf) {
            // The query itself, turned into a truncated response (QR and TC set, no records).
            let mut reply = buf[..n].to_vec();
            reply[2] |= 0x82;
            reply[3] = 0;
            let _ = udp.send_to(&reply, from);
        }
    });
    std::thread::spawn(move || {
        for stream in tcp.incoming() {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                // A length of 512, then one byte a second, at most 120 of them.
                let _ = s.write_all(&[0x02]);
                for _ in 0..120 {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                    if s.write_all(&[0]).is_err() {
                        return;
                    }
                }
            });
        }
    });
    let (out, rss_kb) = measured(
        Command::new(example()).args([
            "--server",
            &addr.to_string(),
            "--timeout",
            "60000",
            "--total-timeout",
            "1500",
            "--json",
            "a@example.net",
        ]),
        std::time::Duration::from_secs(30),
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lookups = plan["lookups"].as_array().unwrap();
    assert!(!lookups.is_empty());
    for l in lookups {
        assert_eq!(l["outcome"], "timeout", "{l}");
    }
    assert!(rss_kb > 0 && rss_kb < 64 * 1024, "peak RSS {rss_kb} KB");
}

/// The issue-12 answer to `query`: 1,600 SRV records naming one target (`mail.` + the domain
/// of the question, compressed) and 2,000 A records for it in the additional section, about 61 KB.
fn hostile_answer(query: &[u8]) -> Vec<u8> {
    let mut end = 12;
    while query[end] != 0 {
        end += usize::from(query[end]) + 1;
    }
    // The domain: the QNAME without its two service labels (`_imaps._tcp.`).
    let mut at = 12;
    for _ in 0..2 {
        at += usize::from(query[at]) + 1;
    }
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(&query[..2]);
    out.extend_from_slice(&[0x84, 0x00, 0, 1]); // QR AA, one question
    out.extend_from_slice(&1600u16.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&2000u16.to_be_bytes());
    out.extend_from_slice(&query[12..end + 5]);
    let mut target_at = 0;
    for i in 0..1600u16 {
        out.extend_from_slice(&[0xc0, 0x0c, 0, 33, 0, 1, 0, 0, 1, 44]);
        if i == 0 {
            let target = [&b"\x04mail"[..], &query[at..=end]].concat();
            out.extend_from_slice(&(6 + target.len() as u16).to_be_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(&i.to_be_bytes());
            out.extend_from_slice(&993u16.to_be_bytes());
            target_at = out.len() as u16;
            out.extend_from_slice(&target);
        } else {
            out.extend_from_slice(&8u16.to_be_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(&i.to_be_bytes());
            out.extend_from_slice(&993u16.to_be_bytes());
            out.extend_from_slice(&(0xc000 | target_at).to_be_bytes());
        }
    }
    for i in 0..2000u16 {
        out.extend_from_slice(&(0xc000 | target_at).to_be_bytes());
        out.extend_from_slice(&[0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 127, 1]);
        out.extend_from_slice(&i.to_be_bytes());
    }
    out
}

/// Issue 12: a DNS server answering every question with 1,600 SRV records for one target and
/// 2,000 addresses. The example host's plan is bounded (the core's caps per answer and per host)
/// and so is its memory; with cleartext fallbacks, the most candidates.
#[test]
fn hostile_64_kb_answers_give_a_bounded_plan_and_memory() {
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = udp.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = udp.recv_from(&mut buf) {
            let _ = udp.send_to(&hostile_answer(&buf[..n]), from);
        }
    });
    let (out, rss_kb) = measured(
        Command::new(example()).args([
            "--server",
            &addr.to_string(),
            "--json",
            "--seed",
            "1",
            "--allow-cleartext",
            "alice@example.net",
        ]),
        std::time::Duration::from_secs(60),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Six 61 KB datagrams at once can overflow the host's UDP receive buffer while it plans from
    // the first ones: a lost answer is a lookup timeout, typed like any other.
    let lookups = plan["lookups"].as_array().unwrap();
    assert!(
        lookups
            .iter()
            .all(|l| l["outcome"] == "records" || l["outcome"] == "timeout"),
        "{lookups:?}"
    );
    assert!(lookups.iter().any(|l| l["outcome"] == "records"));
    let candidates: Vec<_> = ["incoming", "outgoing"]
        .iter()
        .flat_map(|side| plan[side]["candidates"].as_array().unwrap())
        .collect();
    assert!(!candidates.is_empty());
    for c in candidates {
        assert!(c["addresses"].as_array().unwrap().len() <= 16, "{c}");
    }
    assert!(rss_kb > 0 && rss_kb < 64 * 1024, "peak RSS {rss_kb} KB");
}

#[test]
fn d41_trust_anchor_and_now_turn_validation_on_offline() {
    let anchor = std::env::temp_dir().join(format!("mailsrv-ta-{}.txt", std::process::id()));
    // KSK-2017 of the IANA root: zone files without a signed root cannot be secure under it.
    std::fs::write(
        &anchor,
        ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n",
    )
    .unwrap();
    let run = |now: &str| {
        Command::new(example())
            .args(["--zone", &zone("demo.zone"), "--json", "--seed", "1"])
            .args(["--trust-anchor", anchor.to_str().unwrap(), "--now", now])
            .arg("alice@example.net")
            .output()
            .unwrap()
    };
    let out = run("2026-12-01T00:00:00Z");
    let bad_now = run("2026-12-01 00:00");
    std::fs::remove_file(&anchor).unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lookups = plan["lookups"].as_array().unwrap();
    assert!(!lookups.is_empty());
    for l in lookups {
        assert_eq!(l["dnssecSource"], "validated", "{l}");
        assert_ne!(l["dnssec"], "secure", "{l}");
    }
    assert_eq!(plan["final"], true);
    assert!(
        plan["incoming"]["candidates"]
            .as_array()
            .unwrap()
            .is_empty(),
        "an unvalidated SRV answer is never used"
    );
    assert_eq!(bad_now.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_now.stderr).contains("--now"));
}

#[test]
fn d48_connect_to_sends_the_connection_elsewhere_and_keeps_the_urls_name() {
    // A listener standing in for autoconfig.example.net: it takes the TLS ClientHello and
    // closes. The URL stays the core's (port 443); only the connection moved (decision D48).
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let mut hello = vec![0u8; 4096];
        let n = stream.read(&mut hello).unwrap();
        hello.truncate(n);
        hello
    });
    let out = Command::new(example())
        .args([
            "--zone",
            &zone("demo.zone"),
            "--sources",
            "srv,autoconfig",
            "--connect-to",
            &format!("autoconfig.example.net:443:127.0.0.1:{port}"),
            "--json",
            "--seed",
            "1",
            "alice@example.net",
        ])
        .output()
        .unwrap();
    let hello = server.join().unwrap();
    // A TLS handshake record whose SNI is the URL's host, not the address connected to.
    assert_eq!(hello.first(), Some(&0x16), "not a TLS handshake");
    assert!(
        hello
            .windows(b"autoconfig.example.net".len())
            .any(|w| w == b"autoconfig.example.net"),
        "the SNI is not the URL's host"
    );
    // The failed fetch is one request's outcome; the SRV plan stands.
    assert!(out.status.success(), "{out:?}");
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["requests"][0]["outcome"], "failed");
    assert!(
        plan["requests"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://autoconfig.example.net/mail/")
    );
    assert_eq!(plan["incoming"]["status"], "found");

    for bad in ["127.0.0.1:8443", "::localhost:8443", "::127.0.0.1:70000"] {
        let out = Command::new(example())
            .args([
                "--zone",
                &zone("demo.zone"),
                "--connect-to",
                bad,
                "a@example.net",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("is not HOST:PORT:ADDR:PORT"),
            "{bad}"
        );
    }
}

#[test]
fn s7673_4a_the_plan_example_validates_tlsa_and_prints_dane_verdicts() {
    let d = common::testdata().join("dnssec");
    let dane = common::testdata().join("certs/dane");
    let run = |email: &str, chain: &str| {
        let mut cmd = Command::new(example());
        for z in [
            "root.zone",
            "test.zone",
            "dane.test.zone",
            "hosting.test.zone",
        ] {
            cmd.arg("--zone").arg(d.join(z));
        }
        let out = cmd
            .arg("--trust-anchor")
            .arg(d.join("root.anchor"))
            .args(["--now", "2027-06-01T00:00:00Z", "--seed", "1", "--chain"])
            .arg(dane.join(chain))
            .arg(email)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("alice@ee.dane.test", "ee.chain.pem");
    assert!(
        text.contains("tlsa: _993._tcp.ee.hosting.test secure"),
        "{text}"
    );
    assert!(
        text.contains("tlsa: _465._tcp.ee.hosting.test none"),
        "{text}"
    );
    assert!(text.contains("verdict: VERIFIED: DANE-EE:"), "{text}");
    let text = run("alice@ta.dane.test", "ta.chain.pem");
    assert!(text.contains("verdict: VERIFIED: DANE-TA:"), "{text}");
    let text = run("alice@wrong.dane.test", "ee.chain.pem");
    assert!(text.contains("verdict: REJECTED:"), "{text}");
}

/// A one-connection IMAPS server on loopback (rustls, the given chain and key, which need not
/// match): greets, answers CAPABILITY (SASL-IR, AUTH=PLAIN), accepts `AUTHENTICATE PLAIN` with
/// `alice@example.net` and `pw` only. Returns its port and, once joined, the lines it received
/// after the handshake (`None` when the handshake failed).
fn imaps_server(chain: &str, key: &str) -> (u16, std::thread::JoinHandle<Option<Vec<String>>>) {
    use pki_types::PrivateKeyDer;
    use pki_types::pem::PemObject;
    use std::sync::Arc;

    #[derive(Debug)]
    struct Fixed(Arc<rustls::sign::CertifiedKey>);
    impl rustls::server::ResolvesServerCert for Fixed {
        fn resolve(
            &self,
            _: rustls::server::ClientHello<'_>,
        ) -> Option<Arc<rustls::sign::CertifiedKey>> {
            Some(self.0.clone())
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs = mailsrv::certificates_from_pem(&std::fs::read(cert(chain)).unwrap()).unwrap();
    let certs = certs
        .into_iter()
        .map(pki_types::CertificateDer::from)
        .collect();
    let key = PrivateKeyDer::from_pem_file(common::testdata().join("certs").join(key)).unwrap();
    // CertifiedKey::new checks nothing: a certificate served with another key's signatures.
    let signer = provider.key_provider.load_private_key(key).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Fixed(Arc::new(rustls::sign::CertifiedKey::new(
            certs, signer,
        )))));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        let conn = rustls::ServerConnection::new(Arc::new(config)).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, stream);
        while tls.conn.is_handshaking() {
            if tls.conn.complete_io(&mut tls.sock).is_err() {
                return None;
            }
        }
        tls.write_all(b"* OK ready\r\n").ok()?;
        let mut lines = Vec::new();
        let mut reader = BufReader::new(tls);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            let l = line.trim_end().to_owned();
            line.clear();
            let tag = l.split(' ').next().unwrap_or_default().to_owned();
            let reply = if l.ends_with(" CAPABILITY") {
                format!("* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\n{tag} OK done\r\n")
            } else if l == format!("{tag} AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUubmV0AHB3") {
                format!("{tag} OK logged in\r\n")
            } else {
                format!("{tag} NO refused\r\n")
            };
            lines.push(l);
            if reader.get_mut().write_all(reply.as_bytes()).is_err() {
                break;
            }
        }
        Some(lines)
    });
    (port, server)
}

/// The `plan` example's `--probe` against [`imaps_server`] at `_imaps._tcp.example.net`.
fn probe_example(port: u16, password: &str, anchors: &str) -> (Option<i32>, String) {
    let zone =
        std::env::temp_dir().join(format!("mailsrv-probe-{}-{port}.zone", std::process::id()));
    std::fs::write(
        &zone,
        format!(
            "$ORIGIN example.net.\n$TTL 300\n@ IN SOA ns hostmaster 1 7200 900 1209600 300\n\
             _imaps._tcp IN SRV 0 1 {port} mail.example.net.\nmail IN A 127.0.0.1\n"
        ),
    )
    .unwrap();
    let mut cmd = Command::new(example());
    cmd.arg("--zone")
        .arg(&zone)
        .args(["--seed", "1", "--timeout", "20000"]);
    cmd.args(["--anchors", &cert(anchors)]);
    let out = cmd
        .args([
            "--probe",
            "--password-env",
            "MAILSRV_PROBE_PW",
            "alice@example.net",
        ])
        .env("MAILSRV_PROBE_PW", password)
        .output()
        .unwrap();
    std::fs::remove_file(&zone).unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn s8314_5_1d_the_plan_example_probe_logs_in_only_after_a_verified_certificate() {
    // The certificate names example.net (DNS-ID) under ca.pem: verified, login with the address.
    let (port, server) = imaps_server("domain.chain.pem", "domain.key");
    let (code, text) = probe_example(port, "pw", "ca.pem");
    let lines = server.join().unwrap().expect("handshake");
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains(&format!("  mail.example.net:{port} implicit-tls\n")),
        "{text}"
    );
    assert!(text.contains("    certificate: "), "{text}");
    assert!(
        text.contains("    login ok as alice@example.net\n"),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.contains("AUTHENTICATE PLAIN ")),
        "{lines:?}"
    );

    // A wrong password: both usernames refused, exit 1.
    let (port, server) = imaps_server("domain.chain.pem", "domain.key");
    let (code, text) = probe_example(port, "wrong", "ca.pem");
    server.join().unwrap().expect("handshake");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("    login refused for alice@example.net\n"),
        "{text}"
    );
    assert!(text.contains("    login refused for alice\n"), "{text}");

    // No CA in --anchors vouches for it: rejected, and nothing reaches the server (implicit TLS:
    // the negotiator aborts before reading the greeting).
    let (port, server) = imaps_server("domain.chain.pem", "domain.key");
    let (code, text) = probe_example(port, "pw", "other-ca.pem");
    let lines = server.join().unwrap().unwrap_or_default();
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("    certificate: "), "{text}");
    assert!(
        text.contains("    aborted (certificate-not-verified)"),
        "{text}"
    );
    assert!(!text.contains("login ok"), "{text}");
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn s8314_3b_the_plan_example_probe_refuses_a_server_that_lacks_the_certificates_key() {
    // The same certificate, but the handshake signed with another key: rustls checks the
    // signature with the leaf's key (the host's verifier keeps that check), so no handshake.
    let (port, server) = imaps_server("domain.chain.pem", "srv-id.key");
    let (code, text) = probe_example(port, "pw", "ca.pem");
    let lines = server.join().unwrap();
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("    error TLS_FAILED: "), "{text}");
    assert!(!text.contains("certificate:"), "{text}");
    assert!(lines.is_none(), "{lines:?}");
}
