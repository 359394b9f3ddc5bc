//! Gives the shared library its versioned SONAME (`libmailsrv.so.<major>`) on ELF targets, so
//! installed programs keep working across compatible (same-major) updates.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    if matches!(
        os.as_str(),
        "linux" | "freebsd" | "netbsd" | "openbsd" | "dragonfly"
    ) {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libmailsrv.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
