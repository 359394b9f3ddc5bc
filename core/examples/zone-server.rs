//! A tiny authoritative DNS server for trying mailsrv hosts against local zone files.
//!
//! ```text
//! cargo run -p mailsrv --example zone-server -- [--listen 127.0.0.1:0] [--secure-zone FILE]... ZONE...
//! ```
//! Serves UDP and TCP on the same port (loopback by default) until killed, and prints
//! `listening on ADDR` once ready. Answers come from the same `ZoneHost` the example hosts use:
//! several zones make a hierarchy, and signed zones are served with their DNSSEC records to
//! queries with DO, so a validator (delv, drill, unbound-host) can check them
//! (`core/tests/delv.rs` does, with `testdata/dnssec/*.zone`).
//! Exit codes: 2 usage or input error; 141 stdout was closed before the address could be written
//! (nobody can learn where the server is; the same quiet end as the plan example's).
#![allow(
    clippy::disallowed_types,
    reason = "this host is a server: sockets belong here"
)]

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::process::ExitCode;
use std::sync::Arc;

use mailsrv::zone::{Transport, ZoneHost};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("zone-server: {e}");
            ExitCode::from(mailsrv::exit::USAGE)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut args = std::env::args().skip(1);
    let mut listen: SocketAddr = "127.0.0.1:0".parse().map_err(|_| "bad default address")?;
    let mut zones = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => {
                let v = args.next().ok_or("--listen needs IP:PORT")?;
                listen = v
                    .parse()
                    .map_err(|_| format!("--listen `{v}` is not IP:PORT"))?;
            }
            "--secure-zone" => zones.push((args.next().ok_or("--secure-zone needs a file")?, true)),
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            file => zones.push((file.to_owned(), false)),
        }
    }
    if zones.is_empty() {
        return Err("usage: zone-server [--listen IP:PORT] [--secure-zone FILE]... ZONE...".into());
    }
    let mut host = ZoneHost::new();
    for (path, secure) in &zones {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read zone file `{path}`: {e}"))?;
        host.add_zone(&text, None, *secure)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    let host = Arc::new(host);
    let udp = UdpSocket::bind(listen).map_err(|e| format!("cannot bind UDP {listen}: {e}"))?;
    let addr = udp.local_addr().map_err(|e| e.to_string())?;
    let tcp = TcpListener::bind(addr).map_err(|e| format!("cannot bind TCP {addr}: {e}"))?;
    let tcp_host = Arc::clone(&host);
    std::thread::spawn(move || {
        for stream in tcp.incoming() {
            let Ok(mut s) = stream else { continue };
            let host = Arc::clone(&tcp_host);
            std::thread::spawn(move || {
                loop {
                    let mut len = [0u8; 2];
                    if s.read_exact(&mut len).is_err() {
                        return;
                    }
                    let mut query = vec![0u8; usize::from(u16::from_be_bytes(len))];
                    if s.read_exact(&mut query).is_err() {
                        return;
                    }
                    let Ok(reply) = host.answer(&query, Transport::Tcp) else {
                        return;
                    };
                    let Ok(n) = u16::try_from(reply.len()) else {
                        return;
                    };
                    if s.write_all(&n.to_be_bytes())
                        .and_then(|()| s.write_all(&reply))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    let mut out = std::io::stdout().lock();
    match writeln!(out, "listening on {addr}").and_then(|()| out.flush()) {
        Ok(()) => drop(out),
        // 128 + SIGPIPE, what a shell shows for a program killed by SIGPIPE.
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {
            return Ok(ExitCode::from(mailsrv::exit::BROKEN_PIPE));
        }
        Err(e) => return Err(format!("cannot write the address: {e}")),
    }
    let mut buf = vec![0u8; 65535];
    loop {
        let (n, from) = udp.recv_from(&mut buf).map_err(|e| e.to_string())?;
        if let Ok(reply) = host.answer(&buf[..n], Transport::Udp) {
            let _ = udp.send_to(&reply, from);
        }
    }
}
