//! Channel addresses with `{parameters}`: building the concrete address from parameter values,
//! parsing the values back out of a concrete address, and turning a template into a protocol's
//! subscription pattern in the wildcard syntax a transport supplies ([`Wildcards`]).
//!
//! ```
//! use asyncapi_runtime::address::{AddressTemplate, Wildcards};
//!
//! // MQTT topic filters, as the MQTT transport describes them.
//! const MQTT: Wildcards = Wildcards::new('/', "+", "#")
//!     .forbidding(&['+', '#', '\0'])
//!     .rest_matches_parent(true)
//!     .single_matches_empty(true);
//!
//! let t = AddressTemplate::parse("smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured").unwrap();
//! let address = t.build(&[("streetlightId", "lamp-7")]).unwrap();
//! assert_eq!(t.extract(&address).unwrap(), [("streetlightId".to_owned(), "lamp-7".to_owned())]);
//! assert_eq!(
//!     t.pattern(&[], &MQTT).unwrap(),
//!     "smartylighting/streetlights/1/0/event/+/lighting/measured"
//! );
//! ```

use std::fmt;

/// Why an address template or a parameter value cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// A `{` without its `}` (or the reverse), or an empty `{}`.
    #[error("invalid address template `{template}`: {reason}")]
    Template {
        /// The template.
        template: String,
        /// What is wrong.
        reason: String,
    },
    /// A parameter has no value.
    #[error("address `{template}` needs a value for `{name}`")]
    Missing {
        /// The template.
        template: String,
        /// The parameter.
        name: String,
    },
    /// A value cannot stand in an address of this protocol.
    #[error("`{value}` cannot be the `{name}` of `{template}`: {reason}")]
    Value {
        /// The template.
        template: String,
        /// The parameter.
        name: String,
        /// The value.
        value: String,
        /// Why.
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Literal(String),
    Param(String),
}

/// Where `literal` first stands in `text`. Literals between parameters are short (`/`, `.`,
/// `/measured`), for which looking for the first byte and checking the rest beats building
/// `str::find`'s two-way searcher; matching whole UTF-8 sequences always lands on a character
/// boundary.
fn find_literal(text: &str, literal: &str) -> Option<usize> {
    let Some(&first) = literal.as_bytes().first() else {
        return Some(0);
    };
    if !first.is_ascii() {
        return text.find(literal);
    }
    // Candidates by the first byte (`str::find` of a `char` runs `memchr`, a word at a time),
    // each checked for the rest: levels are short and separators rare, so this beats a
    // substring searcher's set-up.
    let mut from = 0;
    while let Some(i) = text[from..].find(char::from(first)) {
        let at = from + i;
        if text.as_bytes()[at..].starts_with(literal.as_bytes()) {
            return Some(at);
        }
        // `first` is ASCII: the byte after it starts a character.
        from = at + 1;
    }
    None
}

/// A channel address such as `lights/{id}/measured`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressTemplate {
    source: String,
    parts: Vec<Part>,
}

/// The wildcard syntax of a protocol's subscriptions, as data a transport supplies: the
/// separator between levels, the token for any one level and the token for every remaining
/// level, and the characters a level may not hold.
///
/// ```
/// use asyncapi_runtime::address::Wildcards;
///
/// // AMQP topic exchanges: `.`-separated words, `*` one word, `#` zero or more words.
/// const AMQP_TOPIC: Wildcards = Wildcards::new('.', "*", "#")
///     .forbidding(&['.', '*', '#'])
///     .rest_matches_parent(true);
/// assert!(AMQP_TOPIC.matches("lights.*.on", "lights.7.on"));
/// assert!(AMQP_TOPIC.matches("lights.#", "lights"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wildcards {
    separator: char,
    single: &'static str,
    rest: &'static str,
    forbidden: &'static [char],
    rest_matches_parent: bool,
    single_matches_empty: bool,
    glob: bool,
}

impl Wildcards {
    /// Levels separated by `separator`, `single` for any one level, `rest` for every remaining
    /// level (which needs at least one level, unless [`rest_matches_parent`](Self::rest_matches_parent)
    /// says otherwise). A level may hold anything but the separator and the two tokens, and an
    /// empty level matches `single` only with [`single_matches_empty`](Self::single_matches_empty).
    pub const fn new(separator: char, single: &'static str, rest: &'static str) -> Wildcards {
        Wildcards {
            separator,
            single,
            rest,
            forbidden: &[],
            rest_matches_parent: false,
            single_matches_empty: false,
            glob: false,
        }
    }

    /// Whether `single` matches any run of characters, separators included, so that it can
    /// stand for a parameter inside a level (Redis's glob patterns: `lights-*`).
    pub const fn glob(mut self, yes: bool) -> Wildcards {
        self.glob = yes;
        self
    }

    /// The characters a parameter value may not hold, because they would change the meaning of
    /// the address (the separator, the wildcards, white space where the protocol splits on it).
    pub const fn forbidding(mut self, forbidden: &'static [char]) -> Wildcards {
        self.forbidden = forbidden;
        self
    }

    /// Whether `rest` also matches the level before it (MQTT: `a/#` matches `a`).
    pub const fn rest_matches_parent(mut self, yes: bool) -> Wildcards {
        self.rest_matches_parent = yes;
        self
    }

    /// Whether `single` matches an empty level (MQTT: `a/+` matches `a/`).
    pub const fn single_matches_empty(mut self, yes: bool) -> Wildcards {
        self.single_matches_empty = yes;
        self
    }

    /// The separator between levels.
    pub const fn separator(&self) -> char {
        self.separator
    }

    /// The token that matches any one level.
    pub const fn single(&self) -> &'static str {
        self.single
    }

    /// The token that matches every remaining level.
    pub const fn rest(&self) -> &'static str {
        self.rest
    }

    /// Why `value` cannot be one level of an address, if it cannot.
    pub fn check_value(&self, value: &str) -> Result<(), String> {
        if value.is_empty() {
            return Err("it is empty".to_owned());
        }
        match value
            .chars()
            .find(|c| *c == self.separator || self.forbidden.contains(c))
        {
            Some(c) => Err(format!("it contains {c:?}")),
            None if value == self.single || value == self.rest => {
                Err(format!("it is the wildcard `{value}`"))
            }
            None => Ok(()),
        }
    }

    /// Whether the concrete `address` matches the subscription `pattern`.
    pub fn matches(&self, pattern: &str, address: &str) -> bool {
        // A pattern takes the address that spells it (its wildcards take themselves): the
        // common case of a subscription to one concrete address, without splitting either.
        if pattern == address {
            return true;
        }
        let sep = self.separator;
        let mut p = pattern.split(sep);
        let mut a = address.split(sep);
        loop {
            match (p.next(), a.next()) {
                (Some(r), level) if r == self.rest => {
                    return level.is_some() || self.rest_matches_parent;
                }
                (Some(s), Some(level)) if s == self.single => {
                    if level.is_empty() && !self.single_matches_empty {
                        return false;
                    }
                }
                (Some(s), Some(level)) if s == level => {}
                (None, None) => return true,
                _ => return false,
            }
        }
    }
}

impl AddressTemplate {
    /// Parses a template.
    pub fn parse(template: &str) -> Result<AddressTemplate, AddressError> {
        let err = |reason: &str| AddressError::Template {
            template: template.to_owned(),
            reason: reason.to_owned(),
        };
        let mut parts = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                None => {
                    parts.push(Part::Literal(rest.to_owned()));
                    break;
                }
                Some(i) if rest.as_bytes()[i] == b'}' => return Err(err("`}` without `{`")),
                Some(i) => {
                    if i > 0 {
                        parts.push(Part::Literal(rest[..i].to_owned()));
                    }
                    let after = &rest[i + 1..];
                    let end = after.find('}').ok_or_else(|| err("`{` without `}`"))?;
                    let name = &after[..end];
                    if name.is_empty() || name.contains('{') {
                        return Err(err("a parameter needs a name"));
                    }
                    if matches!(parts.last(), Some(Part::Param(_))) {
                        return Err(err("two parameters must be separated by text"));
                    }
                    parts.push(Part::Param(name.to_owned()));
                    rest = &after[end + 1..];
                }
            }
        }
        Ok(AddressTemplate {
            source: template.to_owned(),
            parts,
        })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The parameter names, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Param(n) => Some(n.as_str()),
            Part::Literal(_) => None,
        })
    }

    /// The concrete address for these parameter values (every parameter needs one).
    pub fn build(&self, values: &[(&str, &str)]) -> Result<String, AddressError> {
        let value_of = |name: &String| -> Result<&str, AddressError> {
            let value = values
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| *v)
                .ok_or_else(|| AddressError::Missing {
                    template: self.source.clone(),
                    name: name.clone(),
                })?;
            if value.is_empty() {
                return Err(AddressError::Value {
                    template: self.source.clone(),
                    name: name.clone(),
                    value: value.to_owned(),
                    reason: "it is empty".to_owned(),
                });
            }
            Ok(value)
        };
        // Room for the template and every value: one allocation, never grown.
        let room = self.source.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>();
        let mut out = String::with_capacity(room);
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Param(name) => out.push_str(value_of(name)?),
            }
        }
        Ok(out)
    }

    /// Like [`build`](Self::build), also refusing values that would change the meaning of an
    /// address of this protocol (`a/b` as one MQTT level, `*` in a NATS subject, ...).
    pub fn build_for(
        &self,
        values: &[(&str, &str)],
        style: &Wildcards,
    ) -> Result<String, AddressError> {
        for (name, value) in values {
            style
                .check_value(value)
                .map_err(|reason| AddressError::Value {
                    template: self.source.clone(),
                    name: (*name).to_owned(),
                    value: (*value).to_owned(),
                    reason,
                })?;
        }
        self.build(values)
    }

    /// The one pattern a subscription listens to in a protocol with wildcards `style`:
    /// [`patterns`](Self::patterns) with no values listed and room for one.
    pub fn pattern(
        &self,
        fixed: &[(&str, &str)],
        style: &Wildcards,
    ) -> Result<String, AddressError> {
        let mut patterns = self.patterns(fixed, &[], style, 1)?.patterns;
        Ok(patterns.swap_remove(0))
    }

    /// What a subscription listens to in a protocol with wildcards `style`, as at most `most`
    /// patterns (at least one): each parameter with a value in `fixed` stands as that value; a
    /// free parameter that is a whole level stands as the one-level wildcard; a free parameter
    /// inside a level (`orders/{region}/created` on AMQP or NATS, whose levels are
    /// `.`-separated, or `room-{n}` on MQTT) stands as one pattern per value of `enums` when it
    /// is listed there and the patterns fit in `most`, else the level stands as the one-level
    /// wildcard (with a glob's wildcard, in its place), which takes more than the template: such
    /// [`Patterns`] are not [`exact`](Patterns::is_exact), and what they take is checked
    /// against the template ([`AddressTemplate::matches`]).
    pub fn patterns(
        &self,
        fixed: &[(&str, &str)],
        enums: &[(&str, &[&str])],
        style: &Wildcards,
        most: usize,
    ) -> Result<Patterns, AddressError> {
        let sep = style.separator();
        // The template's levels, each a run of literal text and parameters.
        let mut levels: Vec<Vec<&Part>> = vec![Vec::new()];
        let mut pieces: Vec<Part> = Vec::new();
        for part in &self.parts {
            match part {
                Part::Param(_) => pieces.push(part.clone()),
                Part::Literal(text) => {
                    for (i, piece) in text.split(sep).enumerate() {
                        if i > 0 {
                            pieces.push(Part::Literal(sep.to_string()));
                        }
                        if !piece.is_empty() {
                            pieces.push(Part::Literal(piece.to_owned()));
                        }
                    }
                }
            }
        }
        let boundary = sep.to_string();
        for piece in &pieces {
            match (piece, levels.last_mut()) {
                (Part::Literal(t), _) if *t == boundary => levels.push(Vec::new()),
                (other, Some(level)) => level.push(other),
                (other, None) => levels.push(vec![other]),
            }
        }
        let value_err = |name: &str, value: &str, reason: String| AddressError::Value {
            template: self.source.clone(),
            name: name.to_owned(),
            value: value.to_owned(),
            reason,
        };
        // Each level's alternatives: (exact ones when enumerated, the broad one).
        let mut exact = true;
        let mut wild = false;
        // (the listed values' alternatives, the broad pattern, whether it holds a wildcard)
        let mut choices: Vec<(Option<Vec<String>>, String, bool)> =
            Vec::with_capacity(levels.len());
        for level in &levels {
            let free: Vec<&str> = level
                .iter()
                .filter_map(|p| match p {
                    Part::Param(n) if !fixed.iter().any(|(f, _)| f == n) => Some(n.as_str()),
                    _ => None,
                })
                .collect();
            let mut text = String::new();
            let mut broad = String::new();
            for part in level {
                match part {
                    Part::Literal(t) => {
                        text.push_str(t);
                        broad.push_str(t);
                    }
                    Part::Param(name) => match fixed.iter().find(|(n, _)| n == name) {
                        Some((_, value)) => {
                            style
                                .check_value(value)
                                .map_err(|reason| value_err(name, value, reason))?;
                            text.push_str(value);
                            broad.push_str(value);
                        }
                        None => {
                            text.push('{');
                            text.push_str(name);
                            text.push('}');
                            broad.push_str(style.single());
                        }
                    },
                }
            }
            if free.is_empty() {
                choices.push((None, text, false));
                continue;
            }
            if level.len() == 1 {
                // A whole level: the one-level wildcard takes exactly what the template does.
                choices.push((None, style.single().to_owned(), true));
                continue;
            }
            let broad = if style.glob {
                broad
            } else {
                style.single().to_owned()
            };
            // One alternative per combination of the free parameters' listed values.
            let mut alternatives = vec![String::new()];
            let mut enumerable = true;
            for part in level {
                let values: Vec<&str> = match part {
                    Part::Literal(t) => vec![t.as_str()],
                    Part::Param(name) => match fixed.iter().find(|(n, _)| n == name) {
                        Some((_, v)) => vec![*v],
                        None => match enums.iter().find(|(n, _)| n == name) {
                            Some((_, values))
                                if !values.is_empty()
                                    && values.iter().all(|v| style.check_value(v).is_ok()) =>
                            {
                                values.to_vec()
                            }
                            _ => {
                                enumerable = false;
                                break;
                            }
                        },
                    },
                };
                alternatives = alternatives
                    .iter()
                    .flat_map(|a| values.iter().map(move |v| format!("{a}{v}")))
                    .collect();
                if alternatives.len() > most {
                    enumerable = false;
                    break;
                }
            }
            if !enumerable {
                exact = false;
            }
            choices.push((enumerable.then_some(alternatives), broad, true));
        }
        let count = choices
            .iter()
            .map(|(alternatives, _, _)| alternatives.as_ref().map_or(1, Vec::len))
            .try_fold(1usize, |n, k| n.checked_mul(k))
            .unwrap_or(usize::MAX);
        let enumerate = count <= most.max(1);
        let mut patterns = vec![String::new()];
        for (i, (alternatives, broad, broad_wild)) in choices.iter().enumerate() {
            let options: Vec<&str> = match alternatives {
                Some(values) if enumerate => values.iter().map(String::as_str).collect(),
                Some(_) => {
                    exact = false;
                    wild = true;
                    vec![broad.as_str()]
                }
                None => {
                    wild |= *broad_wild;
                    vec![broad.as_str()]
                }
            };
            patterns = patterns
                .iter()
                .flat_map(|p| {
                    options.iter().map(move |o| {
                        if i == 0 {
                            (*o).to_owned()
                        } else {
                            format!("{p}{sep}{o}")
                        }
                    })
                })
                .collect();
        }
        // Listed values can spell one pattern twice (`{a}-{b}` of `x-y`, `x` and `y`, `-y`).
        let mut seen = std::collections::HashSet::new();
        patterns.retain(|p| seen.insert(p.clone()));
        Ok(Patterns {
            patterns,
            exact,
            wild,
        })
    }

    /// The parameter values of a concrete address, or `None` when the address does not fit the
    /// template. A value is never empty and never holds the text that follows its parameter in
    /// the template (so `{id}` in `a/{id}/b` stops at the next `/b`).
    pub fn extract(&self, address: &str) -> Option<Vec<(String, String)>> {
        let captures = self.captures(address)?;
        Some(
            captures
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    /// [`extract`](Self::extract) without copying: the names borrowed from the template, the
    /// values from the address, held inline (no allocation) for up to four parameters. What
    /// generated code reads a received message's parameters from.
    pub fn captures<'t, 'a>(&'t self, address: &'a str) -> Option<Captures<'t, 'a>> {
        let mut out = Captures::default();
        let mut rest = address;
        let mut parts = self.parts.iter().peekable();
        while let Some(part) = parts.next() {
            match part {
                Part::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
                Part::Param(name) => {
                    let value = match parts.peek() {
                        Some(Part::Literal(next)) => &rest[..find_literal(rest, next)?],
                        _ => rest,
                    };
                    if value.is_empty() {
                        return None;
                    }
                    out.push(name, value);
                    rest = &rest[value.len()..];
                }
            }
        }
        rest.is_empty().then_some(out)
    }

    /// Whether a concrete address fits the template, with `fixed` parameters at their values.
    pub fn matches(&self, address: &str, fixed: &[(&str, &str)]) -> bool {
        self.captures(address).is_some_and(|values| {
            fixed
                .iter()
                .all(|(n, v)| values.iter().any(|(vn, vv)| vn == n && vv == v))
        })
    }
}

/// The patterns a subscription listens to ([`AddressTemplate::patterns`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patterns {
    patterns: Vec<String>,
    exact: bool,
    wild: bool,
}

impl Patterns {
    /// The patterns, one at least.
    pub fn as_slice(&self) -> &[String] {
        &self.patterns
    }

    /// Whether they take exactly the addresses the template takes (with the fixed parameters
    /// at their values); otherwise they take more, to be checked against the template.
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// Whether any of them holds a wildcard (otherwise each is a concrete address).
    pub fn has_wildcards(&self) -> bool {
        self.wild
    }
}

/// An address template embedded in generated code as text, parsed the first time it is used:
/// `static TEMPLATE: LazyTemplate = LazyTemplate::new("lights/{id}");`.
#[derive(Debug)]
pub struct LazyTemplate {
    source: &'static str,
    parsed: std::sync::OnceLock<Result<AddressTemplate, AddressError>>,
}

impl LazyTemplate {
    /// A template from its text.
    pub const fn new(source: &'static str) -> LazyTemplate {
        LazyTemplate {
            source,
            parsed: std::sync::OnceLock::new(),
        }
    }

    /// The parsed template, or why the text is not one.
    pub fn get(&self) -> Result<&AddressTemplate, &AddressError> {
        self.parsed
            .get_or_init(|| AddressTemplate::parse(self.source))
            .as_ref()
    }

    /// [`AddressTemplate::build`] of the parsed template.
    pub fn build(&self, values: &[(&str, &str)]) -> Result<String, AddressError> {
        self.get().map_err(Clone::clone)?.build(values)
    }

    /// [`AddressTemplate::extract`] of the parsed template (`None` when it does not parse).
    pub fn extract(&self, address: &str) -> Option<Vec<(String, String)>> {
        self.get().ok()?.extract(address)
    }

    /// [`AddressTemplate::captures`] of the parsed template (`None` when it does not parse).
    pub fn captures<'t, 'a>(&'t self, address: &'a str) -> Option<Captures<'t, 'a>> {
        self.get().ok()?.captures(address)
    }
}

/// The parameter values of one concrete address ([`AddressTemplate::captures`]): `(name, value)`
/// pairs in the template's order, inline up to four.
#[derive(Clone, Debug, Default)]
pub struct Captures<'t, 'a> {
    inline: [(&'t str, &'a str); 4],
    len: usize,
    more: Vec<(&'t str, &'a str)>,
}

impl<'t, 'a> Captures<'t, 'a> {
    fn push(&mut self, name: &'t str, value: &'a str) {
        if self.len < self.inline.len() && self.more.is_empty() {
            self.inline[self.len] = (name, value);
            self.len += 1;
        } else {
            if self.more.is_empty() {
                self.more.extend_from_slice(&self.inline[..self.len]);
            }
            self.more.push((name, value));
        }
    }

    /// The pairs, in the template's order.
    pub fn as_slice(&self) -> &[(&'t str, &'a str)] {
        if self.more.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.more
        }
    }
}

impl<'t, 'a> std::ops::Deref for Captures<'t, 'a> {
    type Target = [(&'t str, &'a str)];

    fn deref(&self) -> &Self::Target {
        self.as_slice()
    }
}

/// Why `value` is not one of a parameter's `values`: "`x` is not one of `a`, `b`".
pub fn not_one_of(value: &str, values: &[&str]) -> String {
    let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    format!("`{value}` is not one of {}", listed.join(", "))
}

/// The value of parameter `name` among `values` (from [`AddressTemplate::extract`]), parsed as
/// a `T`: `None` when it is missing or does not parse.
pub fn param<T, N, V>(values: &[(N, V)], name: &str) -> Option<T>
where
    T: std::str::FromStr,
    N: AsRef<str>,
    V: AsRef<str>,
{
    values
        .iter()
        .find(|(n, _)| n.as_ref() == name)
        .and_then(|(_, v)| v.as_ref().parse().ok())
}

impl fmt::Display for AddressTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MQTT's syntax, as the MQTT transport supplies it.
    const MQTT: Wildcards = Wildcards::new('/', "+", "#")
        .forbidding(&['+', '#', '\0'])
        .rest_matches_parent(true)
        .single_matches_empty(true);
    /// NATS's syntax, as the NATS transport supplies it.
    const NATS: Wildcards =
        Wildcards::new('.', "*", ">").forbidding(&['*', '>', ' ', '\t', '\r', '\n']);
    /// AMQP topic exchanges', as the AMQP transport supplies it.
    const AMQP: Wildcards = Wildcards::new('.', "*", "#")
        .forbidding(&['.', '*', '#'])
        .rest_matches_parent(true);

    #[test]
    fn literals_are_found_like_str_find() {
        for (text, literal) in [
            ("lamp-7/measured", "/measured"),
            ("a.b.c", "."),
            ("grüße/x", "/x"),
            ("ab", "abc"),
            ("abab/c", "b/"),
            ("nothing", "/"),
            ("", "x"),
            ("aaab", "ab"),
            ("a/b//c", "//"),
            ("x€y€/z", "€/"),
            ("grüße", "e"),
        ] {
            assert_eq!(
                find_literal(text, literal),
                text.find(literal),
                "{text:?} {literal:?}"
            );
        }
    }

    #[test]
    fn build_extract_round_trip() {
        let t = AddressTemplate::parse("lights/{id}/dim/{level}").unwrap();
        assert_eq!(t.params().collect::<Vec<_>>(), ["id", "level"]);
        let a = t.build(&[("level", "50"), ("id", "x")]).unwrap();
        assert_eq!(a, "lights/x/dim/50");
        assert_eq!(
            t.extract(&a).unwrap(),
            [("id".into(), "x".into()), ("level".into(), "50".into())]
        );
        assert!(t.extract("lights//dim/50").is_none());
        assert!(t.extract("lights/x/dim").is_none());
        assert!(t.matches("lights/x/dim/5", &[("id", "x")]));
        assert!(!t.matches("lights/y/dim/5", &[("id", "x")]));
        assert!(matches!(
            t.build(&[("id", "x")]),
            Err(AddressError::Missing { .. })
        ));
    }

    #[test]
    fn captures_borrow_inline_and_beyond_four_parameters() {
        let t = AddressTemplate::parse("{a}/{b}.{c}/{d}/{e}/x{f}").unwrap();
        let c = t.captures("1/2.3/4/5/x6").unwrap();
        assert_eq!(
            c.as_slice(),
            [
                ("a", "1"),
                ("b", "2"),
                ("c", "3"),
                ("d", "4"),
                ("e", "5"),
                ("f", "6")
            ]
        );
        assert_eq!(param::<u8, _, _>(&c, "f"), Some(6));
        let two = AddressTemplate::parse("rooms/{room}/{device}").unwrap();
        assert_eq!(
            &*two.captures("rooms/7/lamp").unwrap(),
            [("room", "7"), ("device", "lamp")]
        );
        assert!(two.captures("rooms/7").is_none());
        assert_eq!(
            two.extract("rooms/7/lamp").unwrap(),
            [
                ("room".to_owned(), "7".to_owned()),
                ("device".to_owned(), "lamp".to_owned())
            ]
        );
    }

    #[test]
    fn templates_are_checked() {
        for bad in ["a/{", "a/}", "a/{}", "{a}{b}"] {
            assert!(AddressTemplate::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(AddressTemplate::parse("plain").unwrap().params().count(), 0);
    }

    #[test]
    fn patterns_and_wildcards() {
        let t = AddressTemplate::parse("lights.{id}.{event}").unwrap();
        assert_eq!(t.pattern(&[("event", "on")], &NATS).unwrap(), "lights.*.on");
        assert!(t.pattern(&[("event", "a.b")], &NATS).is_err());
        // A free parameter inside a level: the level becomes the one-level wildcard, which
        // takes more than the template (checked on receive), or one pattern per listed value.
        let slashed = AddressTemplate::parse("lights/{id}/on").unwrap();
        assert_eq!(slashed.pattern(&[], &MQTT).unwrap(), "lights/+/on");
        assert!(slashed.patterns(&[], &[], &MQTT, 8).unwrap().is_exact());
        let broad = slashed.patterns(&[], &[], &NATS, 8).unwrap();
        assert_eq!(
            (broad.as_slice(), broad.is_exact()),
            (&["*".to_owned()][..], false)
        );
        let listed = slashed
            .patterns(&[], &[("id", &["1", "2"])], &NATS, 8)
            .unwrap();
        assert_eq!(listed.as_slice(), ["lights/1/on", "lights/2/on"]);
        assert!(listed.is_exact() && !listed.has_wildcards());
        assert!(broad.has_wildcards());
        // More combinations than room: broad again.
        let crowded = slashed
            .patterns(&[], &[("id", &["1", "2", "3"])], &NATS, 2)
            .unwrap();
        assert_eq!(
            (crowded.as_slice(), crowded.is_exact()),
            (&["*".to_owned()][..], false)
        );
        // A listed value that cannot stand in a pattern (a wildcard) is not listed.
        let wild = slashed
            .patterns(&[], &[("id", &["1", "*"])], &NATS, 8)
            .unwrap();
        assert!(!wild.is_exact());
        assert_eq!(
            slashed.pattern(&[("id", "7")], &NATS).unwrap(),
            "lights/7/on"
        );
        let amqp = AddressTemplate::parse("shop.orders/{region}/created.v1").unwrap();
        assert_eq!(
            amqp.patterns(&[], &[("region", &["emea", "apac"])], &AMQP, 8)
                .unwrap()
                .as_slice(),
            ["shop.orders/emea/created.v1", "shop.orders/apac/created.v1"]
        );
        assert_eq!(amqp.pattern(&[], &AMQP).unwrap(), "shop.*.v1");
        let glued = AddressTemplate::parse("room-{n}/{topic}").unwrap();
        assert_eq!(glued.pattern(&[("topic", "x")], &MQTT).unwrap(), "+/x");
        assert_eq!(glued.pattern(&[("n", "1")], &MQTT).unwrap(), "room-1/+");
        // A glob's wildcard stands in place, inside the level.
        const GLOB: Wildcards = Wildcards::new(':', "*", "*").glob(true);
        let keyed = AddressTemplate::parse("lights-{id}:on").unwrap();
        let globbed = keyed.patterns(&[], &[], &GLOB, 1).unwrap();
        assert_eq!(globbed.as_slice(), ["lights-*:on"]);
        assert!(!globbed.is_exact());
        assert!(keyed.matches("lights-7:on", &[]) && !keyed.matches("lights-7:off", &[]));
        assert!(
            t.build_for(&[("id", "a/b"), ("event", "x")], &MQTT)
                .is_err()
        );
        assert!(MQTT.matches("a/+/c", "a/b/c"));
        assert!(MQTT.matches("a/#", "a"));
        assert!(MQTT.matches("a/#", "a/b/c"));
        assert!(!MQTT.matches("a/+", "a/b/c"));
        assert!(NATS.matches("a.*.c", "a.b.c"));
        assert!(NATS.matches("a.>", "a.b.c"));
        assert!(!NATS.matches("a.*", "a.b.c"));
        assert!(!NATS.matches("a.>", "a"));
    }
}
