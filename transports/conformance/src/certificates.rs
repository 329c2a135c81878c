//! A certificate authority made at test time, with `openssl`, for TLS scenarios and tests.

/// A certificate authority and a server certificate for 127.0.0.1, made with `openssl` in
/// `dir`: `(ca.pem, server.pem, server.key)`. `None` (loudly; a failure under CI) without openssl.
pub fn make_certificates(
    dir: &std::path::Path,
) -> Option<(std::path::PathBuf, std::path::PathBuf, std::path::PathBuf)> {
    std::fs::create_dir_all(dir).expect("certificate folder");
    let run = |args: &[&str]| {
        std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").expect("extension file");
    let ok = run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        "/CN=asyncapi-rs test CA",
        "-days",
        "1",
    ]) && run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]) && run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "1",
        "-extfile",
        "san.ext",
    ]);
    if !ok {
        crate::missing("openssl IS MISSING OR FAILED: the TLS test did NOT run");
        return None;
    }
    // Test keys only: readable by brokers that drop root privileges (Mosquitto runs as its own
    // user).
    use std::os::unix::fs::PermissionsExt;
    for f in ["ca.pem", "server.pem", "server.key"] {
        let _ = std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o644));
    }
    Some((
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    ))
}
