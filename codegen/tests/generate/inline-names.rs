use ::asyncapi::__private as __rt;
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize, __rt::serde::Deserialize)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct Parcel {
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub size: ::std::option::Option<ParcelSize>,
}
impl __rt::Validate for Parcel {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("size");
            if let __rt::Some(v1) = &self.size {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
    }
}
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize, __rt::serde::Deserialize)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct ParcelSize {
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub weight: ::std::option::Option<f64>,
}
impl __rt::Validate for ParcelSize {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize, __rt::serde::Deserialize)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct ShippedPayload {
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub to: ::std::option::Option<OrderedPayloadAddress>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub parcel: ::std::option::Option<ParcelSize>,
}
impl __rt::Validate for ShippedPayload {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("to");
            if let __rt::Some(v1) = &self.to {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
        {
            let p1 = &path.key("parcel");
            if let __rt::Some(v1) = &self.parcel {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
    }
}
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize, __rt::serde::Deserialize)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct OrderedPayloadAddress {
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub street: ::std::option::Option<::std::string::String>,
    pub city: ::std::string::String,
}
impl __rt::Validate for OrderedPayloadAddress {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
#[derive(Clone, Debug, PartialEq, __rt::serde::Serialize, __rt::serde::Deserialize)]
#[serde(crate = "::asyncapi::__private::serde")]
pub struct OrderedPayload {
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub address: ::std::option::Option<OrderedPayloadAddress>,
}
impl __rt::Validate for OrderedPayload {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {
        {
            let p1 = &path.key("address");
            if let __rt::Some(v1) = &self.address {
                __rt::Validate::validate_at(v1, p1, out);
            }
        }
    }
}
