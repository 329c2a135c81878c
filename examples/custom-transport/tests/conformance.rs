//! The conformance suite on this transport, as on every built-in one: `cargo test
//! conformance_pg` runs one test per scenario against the machine's PostgreSQL (a missing
//! server is said loudly; under `CI=true` it fails).

use asyncapi::transport::{Connect, ServerSpec, TransportError};
use asyncapi_conformance::{Capabilities, Harness, conformance, server};
use asyncapi_pg_notify::PgConnection;

struct Pg;

impl Harness for Pg {
    type Connection = PgConnection;

    /// `NOTIFY` commits before `send` returns; a notification's payload is under 8000 bytes;
    /// nothing but the payload travels; a lost session is not opened again.
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .largest_payload(7_000)
    }

    fn server(&self) -> ServerSpec {
        server("postgres", "postgres://postgres@127.0.0.1:5432/postgres")
    }

    async fn connect(&self, server: &ServerSpec) -> Result<PgConnection, TransportError> {
        PgConnection::connect_to(server).await
    }

    async fn close(&self, connection: &PgConnection) -> Result<(), TransportError> {
        connection.close().await
    }

    /// The server trusts loopback, but knows no role `conformance-user`.
    fn refusing(&self, server: ServerSpec) -> Option<ServerSpec> {
        Some(server)
    }
}

conformance!(pg, Pg);
