//! The example host (`cargo run -p mailsrv --example plan`): offline from zone files, and over
//! real UDP/TCP to a DNS server on loopback, both giving the corpus's expected plans.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
#![allow(
    clippy::disallowed_types,
    reason = "the test plays a DNS server on loopback"
)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::path::PathBuf;
use std::process::Command;

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
