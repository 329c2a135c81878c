//! A TCP relay in front of a server, to break connections with as a network fault would.

use std::path::Path;

/// A TCP relay on a free loopback port in front of `upstream`, whose connections a test can
/// cut at once, as a network fault would (no goodbye on either side), stall (the connections
/// stay open and carry nothing more, as a peer behind a dead route), and which can refuse new
/// connections for a while (the "network" is down).
pub struct Relay {
    /// The port it listens on.
    pub port: u16,
    /// Whatever must live as long as the relay: a server of the harness's own behind it.
    keep: Option<Box<dyn std::any::Any + Send + Sync>>,
    links: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
    down: std::sync::Arc<std::sync::atomic::AtomicBool>,
    stalled: tokio::sync::watch::Sender<bool>,
}

impl Relay {
    /// A relay of plain TCP.
    pub async fn start(upstream: std::net::SocketAddr) -> Relay {
        let listener = Relay::listener().await;
        Relay::start_with(listener, upstream, None)
    }

    /// A relay of plain TCP whose upstream is chosen once its port is known: `upstream` is
    /// given the port and returns the address to relay to, and something to keep as long as
    /// the relay (a server that tells its clients to connect to the relay's port, as Kafka's
    /// advertised listeners do).
    pub async fn start_for<F, K>(upstream: impl FnOnce(u16) -> F) -> Relay
    where
        F: std::future::Future<Output = (std::net::SocketAddr, K)>,
        K: Send + Sync + 'static,
    {
        let listener = Relay::listener().await;
        let port = listener.local_addr().unwrap().port();
        let (address, keep) = upstream(port).await;
        let mut relay = Relay::start_with(listener, address, None);
        relay.keep = Some(Box::new(keep));
        relay
    }

    async fn listener() -> tokio::net::TcpListener {
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap()
    }

    /// A relay that speaks TLS to its clients (certificate and key from PEM files; clients
    /// must present a certificate of `client_ca` when it is given) and plain TCP to
    /// `upstream`: a TLS listener in front of a broker that has none.
    pub async fn start_tls(
        upstream: std::net::SocketAddr,
        certificate: &Path,
        key: &Path,
        client_ca: Option<&Path>,
    ) -> Relay {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let pems = |path: &Path| {
            CertificateDer::pem_file_iter(path)
                .expect("a PEM file")
                .collect::<Result<Vec<_>, _>>()
                .expect("PEM certificates")
        };
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("TLS versions");
        let builder = match client_ca {
            Some(ca) => {
                let mut roots = rustls::RootCertStore::empty();
                for certificate in pems(ca) {
                    roots.add(certificate).expect("a CA certificate");
                }
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                    std::sync::Arc::new(roots),
                    provider,
                )
                .build()
                .expect("a client verifier");
                builder.with_client_cert_verifier(verifier)
            }
            None => builder.with_no_client_auth(),
        };
        let config = builder
            .with_single_cert(
                pems(certificate),
                PrivateKeyDer::from_pem_file(key).expect("a PEM key"),
            )
            .expect("a server certificate");
        let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
        Relay::start_with(Relay::listener().await, upstream, Some(acceptor))
    }

    fn start_with(
        listener: tokio::net::TcpListener,
        upstream: std::net::SocketAddr,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) -> Relay {
        let port = listener.local_addr().unwrap().port();
        let links = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let down = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (kept, refusing) = (std::sync::Arc::clone(&links), std::sync::Arc::clone(&down));
        let (stalled, stall) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            while let Ok((mut near, _)) = listener.accept().await {
                if refusing.load(std::sync::atomic::Ordering::SeqCst) {
                    continue;
                }
                let Ok(mut far) = tokio::net::TcpStream::connect(upstream).await else {
                    continue;
                };
                let tls = tls.clone();
                let mut stall = stall.clone();
                let link = tokio::spawn(async move {
                    // Stalled: nothing more is carried, and both sockets stay open until cut.
                    let stalled = async move {
                        let _ = stall.wait_for(|stalled| *stalled).await;
                    };
                    match tls {
                        Some(acceptor) => {
                            // A client the TLS handshake refuses gets no further.
                            if let Ok(mut near) = acceptor.accept(near).await {
                                tokio::select! {
                                    _ = tokio::io::copy_bidirectional(&mut near, &mut far) => {}
                                    () = stalled => std::future::pending::<()>().await,
                                }
                            }
                        }
                        None => {
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut near, &mut far) => {}
                                () = stalled => std::future::pending::<()>().await,
                            }
                        }
                    }
                });
                kept.lock().unwrap().push(link.abort_handle());
            }
        });
        Relay {
            port,
            keep: None,
            links,
            down,
            stalled,
        }
    }

    /// Stops carrying anything on every connection, open or new, keeping them open (neither
    /// end sees it end): what a client must notice through its own timeouts.
    pub fn stall(&self) {
        self.stalled.send_replace(true);
    }

    /// Drops every relayed connection: both ends see the TCP connection end mid-stream.
    pub fn cut(&self) {
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    /// Cuts every connection and refuses new ones until [`Relay::up`].
    pub fn down(&self) {
        self.down.store(true, std::sync::atomic::Ordering::SeqCst);
        self.cut();
    }

    /// Relays new connections again.
    pub fn up(&self) {
        self.down.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}
