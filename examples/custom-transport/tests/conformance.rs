//! The conformance suite on this transport, as on every built-in one: `cargo test
//! conformance_pg` runs one test per scenario against the machine's PostgreSQL (a missing
//! server is said loudly; under `CI=true` it fails).

use asyncapi::delivery::Overflow;
use asyncapi::transport::{Connect, ServerSpec, TransportError};
use asyncapi_conformance::{
    Capabilities, Harness, Settings, conformance, connect_with_settings, server,
};
use asyncapi_pg_notify::PgConnection;

struct Pg;

impl Harness for Pg {
    type Connection = PgConnection;

    /// `NOTIFY` commits before `send` returns; a notification's payload is under 8000 bytes;
    /// nothing but the payload travels; a lost session is not opened again; a full subscriber
    /// stops its session's reading, and PostgreSQL keeps the notifications.
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .largest_payload(7_000)
            .slow_consumer(Overflow::Wait)
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

    async fn connect_with_settings(
        &self,
        server: &ServerSpec,
        settings: Settings,
    ) -> Option<Result<PgConnection, TransportError>> {
        Some(connect_with_settings::<PgConnection>(server, settings).await)
    }

    /// The server trusts loopback, but knows no role `conformance-user`.
    fn refusing(&self, server: ServerSpec) -> Option<ServerSpec> {
        Some(server)
    }
}

conformance!(pg, Pg);
