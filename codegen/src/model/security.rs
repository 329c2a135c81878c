//! Security schemes and requirements.

use indexmap::IndexMap;

use super::{Extensions, Origin, SecuritySchemeId};

/// A security scheme (`components.securitySchemes`).
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityScheme {
    /// The key under `components.securitySchemes`; a scheme written inline in a `security` list is
    /// named after its type (`oauth2`).
    pub key: String,
    /// What kind of scheme, with its settings.
    pub kind: SecuritySchemeKind,
    /// Description.
    pub description: Option<String>,
    /// Scopes a server or operation requires (3.0 `scopes`; for 2.x the scopes listed in the
    /// requirement).
    pub scopes: Vec<String>,
    /// `x-*` fields.
    pub extensions: Extensions,
    /// Where it is defined.
    pub origin: Origin,
}

/// Where an API key is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// In the user field (`apiKey` scheme).
    User,
    /// In the password field (`apiKey` scheme).
    Password,
    /// In a query parameter (`httpApiKey`).
    Query,
    /// In a header (`httpApiKey`).
    Header,
    /// In a cookie (`httpApiKey`).
    Cookie,
}

/// The kinds of security scheme the specification defines.
#[derive(Clone, Debug, PartialEq)]
pub enum SecuritySchemeKind {
    /// `userPassword`
    UserPassword,
    /// `apiKey`, sent as user or password.
    ApiKey {
        /// Where it goes.
        location: ApiKeyLocation,
    },
    /// `X509` client certificate.
    X509,
    /// `symmetricEncryption`
    SymmetricEncryption,
    /// `asymmetricEncryption`
    AsymmetricEncryption,
    /// `httpApiKey`
    HttpApiKey {
        /// Header, query parameter or cookie name.
        name: String,
        /// Where it goes.
        location: ApiKeyLocation,
    },
    /// `http` (RFC 7235 schemes: basic, bearer, ...).
    Http {
        /// The scheme name (`bearer`, `basic`, ...).
        scheme: String,
        /// Bearer token format hint.
        bearer_format: Option<String>,
    },
    /// `oauth2`
    OAuth2 {
        /// Flows.
        flows: Box<OAuthFlows>,
    },
    /// `openIdConnect`
    OpenIdConnect {
        /// The OpenID Connect discovery URL.
        url: String,
    },
    /// SASL `plain`
    Plain,
    /// SASL `scramSha256`
    ScramSha256,
    /// SASL `scramSha512`
    ScramSha512,
    /// SASL `gssapi`
    Gssapi,
}

/// OAuth2 flows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OAuthFlows {
    /// Implicit flow.
    pub implicit: Option<OAuthFlow>,
    /// Resource owner password flow.
    pub password: Option<OAuthFlow>,
    /// Client credentials flow.
    pub client_credentials: Option<OAuthFlow>,
    /// Authorization code flow.
    pub authorization_code: Option<OAuthFlow>,
}

/// One OAuth2 flow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OAuthFlow {
    /// Authorization URL.
    pub authorization_url: Option<String>,
    /// Token URL.
    pub token_url: Option<String>,
    /// Refresh URL.
    pub refresh_url: Option<String>,
    /// Scope name to description (`availableScopes` in 3.0, `scopes` in 2.x).
    pub available_scopes: IndexMap<String, String>,
}

/// One way of meeting security: every scheme listed, each with the scopes it needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SecurityRequirement {
    /// The schemes that must all be satisfied.
    pub schemes: Vec<ScopedScheme>,
}

/// A scheme with the scopes a requirement asks of it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScopedScheme {
    /// The scheme.
    pub scheme: SecuritySchemeId,
    /// Scopes required.
    pub scopes: Vec<String>,
}
