//! Readers for the objects 2.x and 3.x share (with the differences handled inline).

use indexmap::IndexMap;

use super::{Reader, component_name, extensions, key, merge_patch};
use crate::diag::Code;
use crate::model::bindings::Level;
use crate::model::security::{ApiKeyLocation, ScopedScheme};
use crate::model::*;
use crate::node::{Map, Node, Value};
use crate::pointer::JsonPointer;

impl Reader<'_, '_> {
    pub(super) fn read_info(&mut self, node: &Node, ptr: &JsonPointer) -> Info {
        let Some((node, ptr)) = self.deref(node, ptr) else {
            return Info::default();
        };
        let Some(map) = self.object(node, &ptr, "`info`") else {
            return Info::default();
        };
        let known: &[&str] = if self.version.is_v2() {
            &[
                "title",
                "version",
                "description",
                "termsOfService",
                "contact",
                "license",
            ]
        } else {
            &[
                "title",
                "version",
                "description",
                "termsOfService",
                "contact",
                "license",
                "tags",
                "externalDocs",
            ]
        };
        self.check_keys(map, &ptr, known, "the info object");
        let contact = map.get("contact").and_then(|m| {
            let p = ptr.child("contact");
            let (n, p) = self.deref(&m.value, &p)?;
            let c = self.object(n, &p, "`contact`")?;
            Some(Contact {
                name: self.string(c, "name", &p),
                url: self.string(c, "url", &p),
                email: self.string(c, "email", &p),
            })
        });
        let license = map.get("license").and_then(|m| {
            let p = ptr.child("license");
            let (n, p) = self.deref(&m.value, &p)?;
            let l = self.object(n, &p, "`license`")?;
            Some(License {
                name: self.expected_string(n, l, "name", &p, "the license object"),
                url: self.string(l, "url", &p),
            })
        });
        Info {
            title: self.expected_string(node, map, "title", &ptr, "the info object"),
            version: self.expected_string(node, map, "version", &ptr, "the info object"),
            description: self.string(map, "description", &ptr),
            terms_of_service: self.string(map, "termsOfService", &ptr),
            contact,
            license,
            tags: self.read_tags(map, &ptr),
            external_docs: self.read_external_docs(map, &ptr),
            extensions: extensions(map),
        }
    }

    pub(super) fn read_tags(&mut self, map: &Map, ptr: &JsonPointer) -> Vec<Tag> {
        let Some(member) = map.get("tags") else {
            return Vec::new();
        };
        let p = ptr.child("tags");
        let Some(items) = self.array(&member.value, &p, "`tags`") else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.read_tag(item, &p.child(i.to_string())))
            .collect()
    }

    pub(super) fn read_tag(&mut self, node: &Node, ptr: &JsonPointer) -> Option<Tag> {
        let (node, ptr) = self.deref(node, ptr)?;
        let map = self.object(node, &ptr, "a tag")?;
        Some(Tag {
            name: self.expected_string(node, map, "name", &ptr, "a tag"),
            description: self.string(map, "description", &ptr),
            external_docs: self.read_external_docs(map, &ptr),
        })
    }

    pub(super) fn read_external_docs(
        &mut self,
        map: &Map,
        ptr: &JsonPointer,
    ) -> Option<ExternalDocs> {
        let member = map.get("externalDocs")?;
        self.read_external_docs_node(&member.value, &ptr.child("externalDocs"))
    }

    pub(super) fn read_external_docs_node(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
    ) -> Option<ExternalDocs> {
        let (node, ptr) = self.deref(node, ptr)?;
        let map = self.object(node, &ptr, "`externalDocs`")?;
        Some(ExternalDocs {
            url: self.expected_string(node, map, "url", &ptr, "an external documentation object"),
            description: self.string(map, "description", &ptr),
        })
    }

    pub(super) fn read_server_variables(
        &mut self,
        map: &Map,
        ptr: &JsonPointer,
    ) -> IndexMap<String, ServerVariable> {
        let Some(member) = map.get("variables") else {
            return IndexMap::new();
        };
        let p = ptr.child("variables");
        let Some(vars) = self.object(&member.value, &p, "`variables`") else {
            return IndexMap::new();
        };
        let mut out = IndexMap::new();
        for (name, m) in vars {
            if let Some(var) = self.read_server_variable(&m.value, &p.child(name.clone())) {
                out.insert(name.clone(), var);
            }
        }
        out
    }

    pub(super) fn read_server_variable(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
    ) -> Option<ServerVariable> {
        let (node, ptr) = self.deref(node, ptr)?;
        let map = self.object(node, &ptr, "a server variable")?;
        self.check_keys(
            map,
            &ptr,
            &["enum", "default", "description", "examples"],
            "a server variable",
        );
        Some(ServerVariable {
            enum_values: self.strings(map, "enum", &ptr),
            default: self.string(map, "default", &ptr),
            description: self.string(map, "description", &ptr),
            examples: self.strings(map, "examples", &ptr),
        })
    }

    /// Reads a server (memoised). `node` must already be dereferenced.
    pub(super) fn server(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        key_name: &str,
    ) -> Option<ServerId> {
        if let Some(id) = self.memo.servers.get(&key(node)) {
            return Some(*id);
        }
        let map = self.object(node, ptr, &format!("server `{key_name}`"))?;
        let what = format!("server `{key_name}`");
        let (host, pathname, url) = if self.version.is_v2() {
            self.check_keys(
                map,
                ptr,
                &[
                    "url",
                    "protocol",
                    "protocolVersion",
                    "description",
                    "variables",
                    "security",
                    "tags",
                    "bindings",
                ],
                &what,
            );
            let url = self.required_string(node, map, "url", ptr, &what);
            let (host, pathname) = split_url(&url);
            (host, pathname, Some(url))
        } else {
            self.check_keys(
                map,
                ptr,
                &[
                    "host",
                    "protocol",
                    "protocolVersion",
                    "pathname",
                    "description",
                    "title",
                    "summary",
                    "variables",
                    "security",
                    "tags",
                    "externalDocs",
                    "bindings",
                ],
                &what,
            );
            let host = self.required_string(node, map, "host", ptr, &what);
            (host, self.string(map, "pathname", ptr), None)
        };
        let protocol = self
            .required_string(node, map, "protocol", ptr, &what)
            .to_ascii_lowercase();
        let id = ServerId(self.doc.server_table.len() as u32);
        self.memo.servers.insert(key(node), id);
        let server = Server {
            key: component_name(ptr, "servers")
                .or_else(|| ptr.tokens().last().cloned())
                .unwrap_or_else(|| key_name.to_owned()),
            host,
            protocol,
            protocol_version: self.string(map, "protocolVersion", ptr),
            pathname,
            url,
            title: self.string(map, "title", ptr),
            summary: self.string(map, "summary", ptr),
            description: self.string(map, "description", ptr),
            variables: self.read_server_variables(map, ptr),
            security: Vec::new(),
            tags: self.read_tags(map, ptr),
            external_docs: self.read_external_docs(map, ptr),
            bindings: ServerBindings::default(),
            extensions: extensions(map),
            origin: Self::origin(node, ptr),
        };
        self.doc.server_table.push(server);
        let security = self.read_security(map, ptr);
        let bindings = self.bindings_of(map, ptr, Level::Server, Self::server_binding);
        let server = &mut self.doc.server_table[id.index()];
        server.security = security;
        server.bindings = bindings;
        Some(id)
    }

    /// Reads `security` of a server or operation, in the version's form.
    pub(super) fn read_security(
        &mut self,
        map: &Map,
        ptr: &JsonPointer,
    ) -> Vec<SecurityRequirement> {
        let Some(member) = map.get("security") else {
            return Vec::new();
        };
        let p = ptr.child("security");
        let Some(items) = self.array(&member.value, &p, "`security`") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ip = p.child(i.to_string());
            if self.version.is_v2() {
                // 2.x: a map of scheme name to scopes; every entry is required.
                let Some(req) = self.object(item, &ip, "a security requirement") else {
                    continue;
                };
                out.push(self.v2_requirement(req, &ip));
            } else if let Some(req) = item.as_object()
                && is_v2_requirement(req)
            {
                // 3.x with a 2.x habit: `- mqttAuth: []` for `- $ref: '#/components/...'`.
                let names: Vec<String> = req.keys().map(|k| format!("`{k}`")).collect();
                let (schemes, all) = match names.len() {
                    1 => ("the scheme", ""),
                    _ => ("the schemes", ", all of them required"),
                };
                self.warning(
                    Code::Departure,
                    format!(
                        "in AsyncAPI {}, `security` lists security schemes (or `$ref`s to them), but this is a 2.x security requirement; read as {schemes} {} of `components.securitySchemes`{all}",
                        self.doc.asyncapi,
                        names.join(", ")
                    ),
                    item,
                    &ip,
                );
                let mut requirement = self.v2_requirement(req, &ip);
                // 3.x schemes list the scopes they need themselves.
                for s in &mut requirement.schemes {
                    if s.scopes.is_empty() {
                        s.scopes = self.doc[s.scheme].scopes.clone();
                    }
                }
                out.push(requirement);
            } else {
                let Some((n, np)) = self.deref(item, &ip) else {
                    continue;
                };
                if let Some(scheme) = self.security_scheme(n, &np) {
                    let scopes = self.doc[scheme].scopes.clone();
                    out.push(SecurityRequirement {
                        schemes: vec![ScopedScheme { scheme, scopes }],
                    });
                }
            }
        }
        out
    }

    /// A 2.x security requirement: scheme names of `components.securitySchemes`, each with the
    /// scopes it needs; every scheme is required.
    fn v2_requirement(&mut self, req: &Map, ptr: &JsonPointer) -> SecurityRequirement {
        let mut schemes = Vec::new();
        for (name, m) in req {
            let sp = ptr.child(name.clone());
            let scopes = match m.value.as_array() {
                Some(list) => list
                    .iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect(),
                None => {
                    self.error(
                        Code::InvalidValue,
                        "the scopes of a security requirement must be a sequence",
                        &m.value,
                        &sp,
                    );
                    Vec::new()
                }
            };
            match self.v2_security_scheme_by_name(name) {
                Some(scheme) => schemes.push(ScopedScheme { scheme, scopes }),
                None => {
                    let loc = self.ws.location(m.key_span, &sp);
                    self.push(
                        crate::diag::Diagnostic::error(
                            Code::UnresolvedRef,
                            format!(
                                "the security requirement names `{name}`, which is not in `components.securitySchemes`"
                            ),
                        )
                        .at(loc),
                    );
                }
            }
        }
        SecurityRequirement { schemes }
    }

    fn v2_security_scheme_by_name(&mut self, name: &str) -> Option<SecuritySchemeId> {
        if let Some(id) = self.doc.components.security_schemes.get(name) {
            return Some(*id);
        }
        let root = self.ws.root().node;
        let node = root.pointer(["components", "securitySchemes", name])?;
        let ptr = JsonPointer::root()
            .child("components")
            .child("securitySchemes")
            .child(name);
        let (node, ptr) = self.deref(node, &ptr)?;
        self.security_scheme(node, &ptr)
    }

    /// Reads a security scheme (memoised). `node` must already be dereferenced.
    pub(super) fn security_scheme(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
    ) -> Option<SecuritySchemeId> {
        if let Some(id) = self.memo.security.get(&key(node)) {
            return Some(*id);
        }
        let map = self.object(node, ptr, "a security scheme")?;
        let kind_text = self.required_string(node, map, "type", ptr, "a security scheme");
        let api_key_in = |r: &mut Self, allowed: &[&str]| -> ApiKeyLocation {
            let value = r.string(map, "in", ptr).unwrap_or_default();
            let loc = match value.as_str() {
                "user" => ApiKeyLocation::User,
                "password" => ApiKeyLocation::Password,
                "query" => ApiKeyLocation::Query,
                "header" => ApiKeyLocation::Header,
                "cookie" => ApiKeyLocation::Cookie,
                _ => ApiKeyLocation::User,
            };
            if !allowed.contains(&value.as_str()) {
                let at = map.get("in").map(|m| &m.value).unwrap_or(node);
                r.error(
                    Code::InvalidValue,
                    format!(
                        "a `{kind_text}` security scheme needs `in` to be one of {}",
                        allowed
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    at,
                    &ptr.child("in"),
                );
            }
            loc
        };
        let kind = match kind_text.as_str() {
            "userPassword" => SecuritySchemeKind::UserPassword,
            "apiKey" => match map
                .get("in")
                .filter(|m| matches!(m.value.as_str(), Some("header" | "query" | "cookie")))
            {
                // `in: header` (or `query`, `cookie`) is `httpApiKey`'s, which people write as
                // `apiKey` from OpenAPI's habit.
                Some(m) => {
                    let place = m.value.as_str().unwrap_or_default();
                    let name = self.string(map, "name", ptr);
                    let what = match &name {
                        Some(n) => format!("an `httpApiKey` in the {place} `{n}`"),
                        None => format!("an `httpApiKey` in a {place}"),
                    };
                    self.warning(
                        Code::Departure,
                        format!(
                            "an `apiKey` security scheme is sent as the user or the password (`in: user` or `in: password`); `in: {place}` is for `httpApiKey`: read as {what}"
                        ),
                        &m.value,
                        &ptr.child("in"),
                    );
                    if name.is_none() {
                        self.error(
                            Code::MissingField,
                            format!(
                                "an `apiKey` security scheme with `in: {place}` (read as `httpApiKey`) has no `name`, which says which {place} carries the key"
                            ),
                            node,
                            ptr,
                        );
                    }
                    SecuritySchemeKind::HttpApiKey {
                        name: name.unwrap_or_default(),
                        location: api_key_in(self, &["query", "header", "cookie"]),
                    }
                }
                None => SecuritySchemeKind::ApiKey {
                    location: api_key_in(self, &["user", "password"]),
                },
            },
            "X509" => SecuritySchemeKind::X509,
            "symmetricEncryption" => SecuritySchemeKind::SymmetricEncryption,
            "asymmetricEncryption" => SecuritySchemeKind::AsymmetricEncryption,
            "httpApiKey" => SecuritySchemeKind::HttpApiKey {
                name: self.required_string(
                    node,
                    map,
                    "name",
                    ptr,
                    "an `httpApiKey` security scheme",
                ),
                location: api_key_in(self, &["query", "header", "cookie"]),
            },
            "http" => SecuritySchemeKind::Http {
                scheme: self.required_string(node, map, "scheme", ptr, "an `http` security scheme"),
                bearer_format: self.string(map, "bearerFormat", ptr),
            },
            "oauth2" => SecuritySchemeKind::OAuth2 {
                flows: Box::new(self.read_flows(node, map, ptr)),
            },
            "openIdConnect" => SecuritySchemeKind::OpenIdConnect {
                url: self.required_string(
                    node,
                    map,
                    "openIdConnectUrl",
                    ptr,
                    "an `openIdConnect` security scheme",
                ),
            },
            "plain" => SecuritySchemeKind::Plain,
            "scramSha256" => SecuritySchemeKind::ScramSha256,
            "scramSha512" => SecuritySchemeKind::ScramSha512,
            "gssapi" => SecuritySchemeKind::Gssapi,
            "" => return None,
            other => {
                let at = map.get("type").map(|m| &m.value).unwrap_or(node);
                self.error(
                    Code::InvalidValue,
                    format!("unknown security scheme type `{other}`"),
                    at,
                    &ptr.child("type"),
                );
                return None;
            }
        };
        let id = SecuritySchemeId(self.doc.security_table.len() as u32);
        self.memo.security.insert(key(node), id);
        // Inline schemes (3.x allows them in `security` lists) are named after their type.
        let scheme_key =
            component_name(ptr, "securitySchemes").unwrap_or_else(|| kind_text.clone());
        let scheme = SecurityScheme {
            key: scheme_key,
            kind,
            description: self.string(map, "description", ptr),
            scopes: self.strings(map, "scopes", ptr),
            extensions: extensions(map),
            origin: Self::origin(node, ptr),
        };
        self.doc.security_table.push(scheme);
        Some(id)
    }

    fn read_flows(&mut self, node: &Node, map: &Map, ptr: &JsonPointer) -> OAuthFlows {
        let Some(member) = map.get("flows") else {
            self.error(
                Code::MissingField,
                "an `oauth2` security scheme has no `flows`",
                node,
                ptr,
            );
            return OAuthFlows::default();
        };
        let p = ptr.child("flows");
        let Some(flows) = self.object(&member.value, &p, "`flows`") else {
            return OAuthFlows::default();
        };
        let read = |r: &mut Self, name: &str| -> Option<OAuthFlow> {
            let m = flows.get(name)?;
            let fp = p.child(name);
            let f = r.object(&m.value, &fp, "an OAuth flow")?;
            let scopes_key = if r.version.is_v2() {
                "scopes"
            } else {
                "availableScopes"
            };
            let mut available_scopes = IndexMap::new();
            if let Some(s) = f.get(scopes_key).or_else(|| f.get("scopes"))
                && let Some(s) = r.object(&s.value, &fp.child(scopes_key), "the scopes")
            {
                for (k, v) in s {
                    available_scopes
                        .insert(k.clone(), v.value.as_str().unwrap_or_default().to_owned());
                }
            }
            Some(OAuthFlow {
                authorization_url: r.string(f, "authorizationUrl", &fp),
                token_url: r.string(f, "tokenUrl", &fp),
                refresh_url: r.string(f, "refreshUrl", &fp),
                available_scopes,
            })
        };
        OAuthFlows {
            implicit: read(self, "implicit"),
            password: read(self, "password"),
            client_credentials: read(self, "clientCredentials"),
            authorization_code: read(self, "authorizationCode"),
        }
    }

    /// Reads a channel parameter (2.x or 3.x form).
    pub(super) fn read_parameter(&mut self, node: &Node, ptr: &JsonPointer) -> Option<Parameter> {
        let (node, ptr) = self.deref(node, ptr)?;
        let map = self.object(node, &ptr, "a parameter")?;
        if self.version.is_v2() {
            self.check_keys(
                map,
                &ptr,
                &["description", "schema", "location"],
                "a parameter",
            );
            let schema = map
                .get("schema")
                .map(|m| self.schema(&m.value, &ptr.child("schema")));
            let mut param = Parameter {
                description: self.string(map, "description", &ptr),
                location: self.string(map, "location", &ptr),
                schema,
                ..Parameter::default()
            };
            if let Some(id) = schema {
                let s = &self.doc[id];
                param.enum_values = s
                    .enum_values
                    .iter()
                    .flatten()
                    .map(json_scalar_text)
                    .collect();
                param.default = s.default.as_ref().map(json_scalar_text);
                param.examples = s.examples.iter().map(json_scalar_text).collect();
                if param.description.is_none() {
                    param.description = s.description.clone();
                }
            }
            Some(param)
        } else {
            self.check_keys(
                map,
                &ptr,
                &["enum", "default", "description", "examples", "location"],
                "a parameter",
            );
            Some(Parameter {
                enum_values: self.strings(map, "enum", &ptr),
                default: self.string(map, "default", &ptr),
                description: self.string(map, "description", &ptr),
                examples: self.strings(map, "examples", &ptr),
                location: self.string(map, "location", &ptr),
                schema: None,
            })
        }
    }

    pub(super) fn read_parameters(
        &mut self,
        map: &Map,
        ptr: &JsonPointer,
    ) -> IndexMap<String, Parameter> {
        let Some(member) = map.get("parameters") else {
            return IndexMap::new();
        };
        let p = ptr.child("parameters");
        let Some((node, p)) = self.deref(&member.value, &p) else {
            return IndexMap::new();
        };
        let Some(params) = self.object(node, &p, "`parameters`") else {
            return IndexMap::new();
        };
        let mut out = IndexMap::new();
        for (name, m) in params {
            if let Some(param) = self.read_parameter(&m.value, &p.child(name.clone())) {
                out.insert(name.clone(), param);
            }
        }
        out
    }

    pub(super) fn read_correlation_id(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
    ) -> Option<CorrelationId> {
        let (node, ptr) = self.deref(node, ptr)?;
        let map = self.object(node, &ptr, "a correlation id")?;
        self.check_keys(map, &ptr, &["location", "description"], "a correlation id");
        Some(CorrelationId {
            location: self.required_string(node, map, "location", &ptr, "a correlation id"),
            description: self.string(map, "description", &ptr),
        })
    }

    /// Applies traits to an operation or message node, returning the merged node (or the node
    /// itself when it has no traits). 2.x traits override the object; 3.x objects override their
    /// traits (the specifications differ on this).
    pub(super) fn apply_traits(&mut self, node: &Node, ptr: &JsonPointer, what: &str) -> Node {
        self.apply_traits_from(node, ptr, what).0
    }

    /// [`Self::apply_traits`], and each trait that was applied with where it is.
    fn apply_traits_from(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        what: &str,
    ) -> (Node, Vec<(Node, JsonPointer)>) {
        let Some(map) = node.as_object() else {
            return (node.clone(), Vec::new());
        };
        let Some(traits) = map.get("traits") else {
            return (node.clone(), Vec::new());
        };
        let tp = ptr.child("traits");
        let Some(items) = self.array(&traits.value, &tp, "`traits`") else {
            return (node.clone(), Vec::new());
        };
        let mut own = map.clone();
        own.shift_remove("traits");
        let own = Node {
            value: Value::Object(own),
            span: node.span,
        };
        let mut resolved = Vec::new();
        let mut applied = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ip = tp.child(i.to_string());
            let Some((t, tptr)) = self.deref(item, &ip) else {
                continue;
            };
            if self.object(t, &tptr, &format!("a {what} trait")).is_some() {
                resolved.push(t.clone());
                applied.push((t.clone(), tptr));
            }
        }
        let merged = if self.version.is_v2() {
            resolved.iter().fold(own, |acc, t| merge_patch(&acc, t))
        } else {
            let base = resolved.iter().fold(
                Node {
                    value: Value::Object(Map::new()),
                    span: node.span,
                },
                |acc, t| merge_patch(&acc, t),
            );
            let mut merged = merge_patch(&base, &own);
            merged.span = node.span;
            merged
        };
        (merged, applied)
    }

    /// Reads a message (memoised). `node` must already be dereferenced; `fallback_key` names it
    /// when it is not a component.
    pub(super) fn message(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        fallback_key: &str,
    ) -> Option<MessageId> {
        if let Some(id) = self.memo.messages.get(&key(node)) {
            return Some(*id);
        }
        self.object(node, ptr, "a message")?;
        let (merged, traits) = self.apply_traits_from(node, ptr, "message");
        // Headers that one trait alone brings are read where that trait defines them, so that
        // every message with the trait shares one type, named after the trait.
        let own_headers = node.get("headers").is_some();
        let mut from_traits = traits.iter().filter(|(t, _)| t.get("headers").is_some());
        let headers_ptr = match (own_headers, from_traits.next(), from_traits.next()) {
            (false, Some((_, tptr)), None) => tptr.child("headers"),
            _ => ptr.child("headers"),
        };
        let map = merged.as_object()?;
        let v2 = self.version.is_v2();
        let mut known = vec![
            "headers",
            "payload",
            "correlationId",
            "contentType",
            "name",
            "title",
            "summary",
            "description",
            "tags",
            "externalDocs",
            "bindings",
            "examples",
        ];
        if v2 {
            known.extend(["messageId", "schemaFormat"]);
        }
        self.check_keys(map, ptr, &known, "a message");
        let message_id = if v2 {
            self.string(map, "messageId", ptr)
        } else {
            None
        };
        let message_key = component_name(ptr, "messages")
            .or_else(|| message_id.clone())
            .unwrap_or_else(|| fallback_key.to_owned());
        let id = MessageId(self.doc.message_table.len() as u32);
        self.memo.messages.insert(key(node), id);
        let message = Message {
            key: message_key,
            message_id,
            name: self.string(map, "name", ptr),
            title: self.string(map, "title", ptr),
            summary: self.string(map, "summary", ptr),
            description: self.string(map, "description", ptr),
            content_type: self.string(map, "contentType", ptr),
            headers: None,
            payload: None,
            correlation_id: None,
            tags: self.read_tags(map, ptr),
            external_docs: self.read_external_docs(map, ptr),
            bindings: MessageBindings::default(),
            examples: Vec::new(),
            extensions: extensions(map),
            origin: Self::origin(node, ptr),
        };
        self.doc.message_table.push(message);
        let v2_format = if v2 {
            self.string(map, "schemaFormat", ptr)
        } else {
            None
        };
        let headers = map
            .get("headers")
            .and_then(|m| self.payload(&m.value, &headers_ptr, None));
        let payload = map
            .get("payload")
            .and_then(|m| self.payload(&m.value, &ptr.child("payload"), v2_format.as_deref()));
        let correlation_id = map
            .get("correlationId")
            .and_then(|m| self.read_correlation_id(&m.value, &ptr.child("correlationId")));
        let bindings = self.bindings_of(map, ptr, Level::Message, Self::message_binding);
        let examples = self.read_examples(map, ptr);
        let message = &mut self.doc.message_table[id.index()];
        message.headers = headers;
        message.payload = payload;
        message.correlation_id = correlation_id;
        message.bindings = bindings;
        message.examples = examples;
        Some(id)
    }

    fn read_examples(&mut self, map: &Map, ptr: &JsonPointer) -> Vec<MessageExample> {
        let Some(member) = map.get("examples") else {
            return Vec::new();
        };
        let p = ptr.child("examples");
        // The specification lists examples; some tools (Microcks) write a mapping of named
        // examples, which is read with the keys as names.
        let entries: Vec<(Option<String>, &Node, JsonPointer)> = match &member.value.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| (None, n, p.child(i.to_string())))
                .collect(),
            Value::Object(named) => {
                self.warning(
                    Code::InvalidValue,
                    "`examples` must be a sequence; this mapping of named examples is read with its keys as example names",
                    &member.value,
                    &p,
                );
                named
                    .iter()
                    .map(|(k, m)| (Some(k.clone()), &m.value, p.child(k.clone())))
                    .collect()
            }
            _ => {
                self.array(&member.value, &p, "`examples`");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (key_name, item, ip) in entries {
            let Some((n, ip)) = self.deref(item, &ip) else {
                continue;
            };
            let Some(ex) = self.object(n, &ip, "a message example") else {
                continue;
            };
            self.check_keys(
                ex,
                &ip,
                &["headers", "payload", "name", "summary"],
                "a message example",
            );
            out.push(MessageExample {
                name: self.string(ex, "name", &ip).or(key_name),
                summary: self.string(ex, "summary", &ip),
                headers: ex.get("headers").map(|m| m.value.to_json()),
                payload: ex.get("payload").map(|m| m.value.to_json()),
                origin: Self::origin(n, &ip),
            });
        }
        out
    }

    /// Reads a payload or headers: a schema, a 3.x multi-format schema, or (2.x) a schema in the
    /// message's `schemaFormat`.
    fn payload(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        v2_format: Option<&str>,
    ) -> Option<SchemaPayload> {
        let asyncapi = self.doc.asyncapi.clone();
        let default_format = || {
            SchemaFormat::parse(&format!(
                "application/vnd.aai.asyncapi+json;version={asyncapi}"
            ))
        };
        let (target, tptr) = self.deref(node, ptr)?;
        let (format, schema_node, schema_ptr) =
            match (target.get("schemaFormat"), target.get("schema")) {
                (Some(f), Some(s)) if !self.version.is_v2() => {
                    let text = self.string_value(f, &tptr.child("schemaFormat"), "schemaFormat")?;
                    (SchemaFormat::parse(&text), s, tptr.child("schema"))
                }
                _ => (
                    v2_format
                        .map(SchemaFormat::parse)
                        .unwrap_or_else(default_format),
                    node,
                    ptr.clone(),
                ),
            };
        if format.is_json_schema_like() {
            let schema = self.schema(schema_node, &schema_ptr);
            return Some(SchemaPayload::Schema { format, schema });
        }
        let (raw, raw_ptr) = self.deref(schema_node, &schema_ptr)?;
        let json = raw.to_json();
        match format.kind {
            SchemaFormatKind::Avro => {
                let types = self.avro(raw, &raw_ptr);
                Some(SchemaPayload::Avro {
                    format,
                    schema: json,
                    types,
                })
            }
            _ => {
                let loc = self.loc(raw, &raw_ptr);
                self.push(
                    crate::diag::Diagnostic::note(
                        Code::SchemaFormat,
                        format!(
                            "schema format `{}` is not read by the generator; this payload is handled as raw bytes",
                            format.media_type
                        ),
                    )
                    .at(loc),
                );
                Some(SchemaPayload::Other {
                    format,
                    schema: json,
                })
            }
        }
    }
}

/// Whether a 3.x `security` entry is written as a 2.x security requirement (scheme names, each
/// with a list of scopes) rather than a security scheme or a `$ref` to one.
fn is_v2_requirement(map: &Map) -> bool {
    !map.is_empty()
        && !map.contains_key("$ref")
        && !map.contains_key("type")
        && map.values().all(|m| m.value.as_array().is_some())
}

/// Splits a 2.x server URL into host (with port) and pathname: `mqtt://broker:{port}/v1` gives
/// `broker:{port}` and `/v1`. A URL without a scheme is split the same way.
pub(crate) fn split_url(url: &str) -> (String, Option<String>) {
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => url,
    };
    // A `{variable}` may contain no `/`, so the first `/` outside braces ends the host.
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => {
                let path = &rest[i..];
                let path = if path == "/" {
                    None
                } else {
                    Some(path.to_owned())
                };
                return (rest[..i].to_owned(), path);
            }
            _ => {}
        }
    }
    (rest.to_owned(), None)
}

/// A JSON scalar as the text a parameter or variable would carry.
fn json_scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn splits_v2_urls() {
        assert_eq!(
            split_url("mqtt://api.example.com:{port}/v1/{env}"),
            ("api.example.com:{port}".into(), Some("/v1/{env}".into()))
        );
        assert_eq!(split_url("localhost:5672"), ("localhost:5672".into(), None));
        assert_eq!(split_url("ws://h/"), ("h".into(), None));
        assert_eq!(split_url("{scheme}://h"), ("h".into(), None));
    }
}
