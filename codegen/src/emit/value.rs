//! Rust code that builds a value the generator holds: a [`serde::Serializer`] whose output is
//! tokens, for the runtime's binding types (`asyncapi_bindings`), so that the generator writes
//! them out field by field from their one declaration instead of a hand-kept list of its own.
//!
//! A struct becomes `{ let mut v: path::Name = Default::default(); v.field = value; ...; v }`
//! (which builds `#[non_exhaustive]` structs from outside their crate too), with only the fields
//! that differ from their default (`None`, an empty `Vec`) assigned; strings become
//! `Cow::Borrowed` literals; integers keep their type; a unit enum variant is `path::Name::V`.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde::Serialize;
use serde::ser::{self, Impossible};

/// The expression that builds `value`; its types are named below `path` (`…::bindings`).
pub(crate) fn expression(path: &TokenStream, value: &impl Serialize) -> TokenStream {
    match value.serialize(Tokens { path }) {
        Ok(out) => out.tokens,
        // The binding types are structs, options, texts, integers, booleans, vectors and pairs:
        // all written above. Anything else is a generator bug, reported where it compiles.
        Err(Unsupported(what)) => {
            let message = format!("asyncapi-rs: cannot write a binding value holding {what}");
            quote!(::std::compile_error!(#message))
        }
    }
}

/// Statements that set, on `target` (a place of a struct type, `spec.bindings`), every field of
/// `value` (a struct of that type) that differs from its default.
pub(crate) fn assignments(
    path: &TokenStream,
    target: &TokenStream,
    value: &impl Serialize,
) -> TokenStream {
    match value.serialize(Tokens { path }) {
        Ok(Out {
            fields: Some(fields),
            ..
        }) => fields
            .into_iter()
            .map(|(field, value)| quote!(#target.#field = #value;))
            .collect(),
        Ok(out) => {
            let tokens = out.tokens;
            quote!(#target = #tokens;)
        }
        Err(Unsupported(what)) => {
            let message = format!("asyncapi-rs: cannot write a binding value holding {what}");
            quote!(::std::compile_error!(#message);)
        }
    }
}

/// What a value serialised to: its expression, whether it is its type's default (a field left
/// out), and for a struct its fields that are not.
struct Out {
    tokens: TokenStream,
    default: bool,
    fields: Option<Vec<(Ident, TokenStream)>>,
}

impl Out {
    fn of(tokens: TokenStream) -> Out {
        Out {
            tokens,
            default: false,
            fields: None,
        }
    }
}

#[derive(Debug)]
struct Unsupported(&'static str);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write {}", self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsupported("a value that failed to serialise")
    }
}

#[derive(Clone, Copy)]
struct Tokens<'a> {
    path: &'a TokenStream,
}

macro_rules! literal {
    ($($method:ident($ty:ty) => $make:ident),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<Out, Unsupported> {
            let lit = Literal::$make(v);
            Ok(Out::of(quote!(#lit)))
        })*
    };
}

impl<'a> ser::Serializer for Tokens<'a> {
    type Ok = Out;
    type Error = Unsupported;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Impossible<Out, Unsupported>;
    type SerializeTupleVariant = Impossible<Out, Unsupported>;
    type SerializeMap = Impossible<Out, Unsupported>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Impossible<Out, Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<Out, Unsupported> {
        Ok(Out::of(quote!(#v)))
    }

    literal! {
        serialize_i8(i8) => i8_suffixed,
        serialize_i16(i16) => i16_suffixed,
        serialize_i32(i32) => i32_suffixed,
        serialize_i64(i64) => i64_suffixed,
        serialize_u8(u8) => u8_suffixed,
        serialize_u16(u16) => u16_suffixed,
        serialize_u32(u32) => u32_suffixed,
        serialize_u64(u64) => u64_suffixed,
    }

    fn serialize_f32(self, _: f32) -> Result<Out, Unsupported> {
        Err(Unsupported("a float"))
    }

    fn serialize_f64(self, _: f64) -> Result<Out, Unsupported> {
        Err(Unsupported("a float"))
    }

    fn serialize_char(self, v: char) -> Result<Out, Unsupported> {
        Ok(Out::of(quote!(#v)))
    }

    fn serialize_str(self, v: &str) -> Result<Out, Unsupported> {
        Ok(Out::of(quote!(__rt::Cow::Borrowed(#v))))
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<Out, Unsupported> {
        Err(Unsupported("bytes"))
    }

    fn serialize_none(self) -> Result<Out, Unsupported> {
        Ok(Out {
            tokens: quote!(__rt::None),
            default: true,
            fields: None,
        })
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Out, Unsupported> {
        let inner = value.serialize(self)?.tokens;
        Ok(Out::of(quote!(__rt::Some(#inner))))
    }

    fn serialize_unit(self) -> Result<Out, Unsupported> {
        Ok(Out::of(quote!(())))
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Out, Unsupported> {
        Err(Unsupported("a unit struct"))
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Out, Unsupported> {
        let (path, name, variant) = (self.path, ident(name), ident(variant));
        Ok(Out::of(quote!(#path::#name::#variant)))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Out, Unsupported> {
        Err(Unsupported("a newtype"))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Out, Unsupported> {
        Err(Unsupported("an enum variant with data"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Unsupported> {
        Ok(Seq {
            tokens: self,
            items: Vec::new(),
            tuple: false,
        })
    }

    fn serialize_tuple(self, _: usize) -> Result<Seq<'a>, Unsupported> {
        Ok(Seq {
            tokens: self,
            items: Vec::new(),
            tuple: true,
        })
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported("a tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported("an enum variant with data"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported("a map"))
    }

    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'a>, Unsupported> {
        Ok(Struct {
            tokens: self,
            name,
            fields: Vec::new(),
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported("an enum variant with data"))
    }
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

struct Seq<'a> {
    tokens: Tokens<'a>,
    items: Vec<TokenStream>,
    tuple: bool,
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.items.push(value.serialize(self.tokens)?.tokens);
        Ok(())
    }

    fn finish(self) -> Out {
        let items = self.items;
        if self.tuple {
            return Out::of(quote!((#(#items),*)));
        }
        Out {
            default: items.is_empty(),
            tokens: quote!(::std::vec![#(#items),*]),
            fields: None,
        }
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = Out;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.push(value)
    }
    fn end(self) -> Result<Out, Unsupported> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = Out;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.push(value)
    }
    fn end(self) -> Result<Out, Unsupported> {
        Ok(self.finish())
    }
}

struct Struct<'a> {
    tokens: Tokens<'a>,
    name: &'static str,
    fields: Vec<(Ident, TokenStream)>,
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = Out;
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        let out = value.serialize(self.tokens)?;
        if !out.default {
            self.fields.push((ident(key), out.tokens));
        }
        Ok(())
    }

    fn end(self) -> Result<Out, Unsupported> {
        let path = self.tokens.path;
        let name = ident(self.name);
        let sets = self.fields.iter().map(|(f, v)| quote!(v.#f = #v;));
        let tokens = if self.fields.is_empty() {
            quote!(<#path::#name as ::std::default::Default>::default())
        } else {
            quote!({
                let mut v: #path::#name = ::std::default::Default::default();
                #(#sets)*
                v
            })
        };
        Ok(Out {
            tokens,
            default: false,
            fields: Some(self.fields),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asyncapi_bindings::{AmqpChannel, AmqpExchange, Bindings, WsChannel};

    fn text(tokens: TokenStream) -> String {
        tokens.to_string()
    }

    #[test]
    fn structs_are_built_field_by_field_leaving_defaults_out() {
        let path = quote!(__rt::bindings);
        let mut exchange = AmqpExchange::default();
        exchange.name = Some("orders".into());
        exchange.durable = Some(true);
        let mut channel = AmqpChannel::default();
        channel.is = Some("routingKey".into());
        channel.exchange = Some(exchange);
        let got = text(expression(&path, &channel));
        assert_eq!(
            got,
            text(quote!({
                let mut v: __rt::bindings::AmqpChannel = ::std::default::Default::default();
                v.is = __rt::Some(__rt::Cow::Borrowed("routingKey"));
                v.exchange = __rt::Some({
                    let mut v: __rt::bindings::AmqpExchange = ::std::default::Default::default();
                    v.name = __rt::Some(__rt::Cow::Borrowed("orders"));
                    v.durable = __rt::Some(true);
                    v
                });
                v
            }))
        );
    }

    #[test]
    fn assignments_set_only_what_is_given() {
        let path = quote!(__rt::bindings);
        let mut ws = WsChannel::default();
        ws.query = vec![("v".into(), "2".into())];
        let mut bindings = Bindings::default();
        bindings.ws = Some(ws);
        let got = text(assignments(&path, &quote!(spec.bindings), &bindings));
        assert_eq!(
            got,
            text(quote!(spec.bindings.ws = __rt::Some({
                let mut v: __rt::bindings::WsChannel = ::std::default::Default::default();
                v.query = ::std::vec![(__rt::Cow::Borrowed("v"), __rt::Cow::Borrowed("2"))];
                v
            });))
        );
        assert!(assignments(&path, &quote!(spec.bindings), &Bindings::default()).is_empty());
    }
}
