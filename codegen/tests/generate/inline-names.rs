use ::asyncapi::__private as __rt;
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parcel {
    pub size: ::std::option::Option<ParcelSize>,
}
__rt::object! {
    Parcel { optional size = "size" }
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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParcelSize {
    pub weight: ::std::option::Option<f64>,
}
__rt::object! {
    ParcelSize { optional weight = "weight" }
}
impl __rt::Validate for ParcelSize {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShippedPayload {
    pub to: ::std::option::Option<OrderedPayloadAddress>,
    pub parcel: ::std::option::Option<ParcelSize>,
}
__rt::object! {
    ShippedPayload { optional to = "to", optional parcel = "parcel" }
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
#[derive(Clone, Debug, PartialEq)]
pub struct OrderedPayloadAddress {
    pub street: ::std::option::Option<::std::string::String>,
    pub city: ::std::string::String,
}
__rt::object! {
    OrderedPayloadAddress { optional street = "street", required city = "city" }
}
impl __rt::Validate for OrderedPayloadAddress {
    #[allow(unused_variables)]
    fn validate_at(&self, path: &__rt::Path<'_>, out: &mut __rt::Violations) {}
}
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderedPayload {
    pub address: ::std::option::Option<OrderedPayloadAddress>,
}
__rt::object! {
    OrderedPayload { optional address = "address" }
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
