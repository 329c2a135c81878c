//! `conformance!(transport, harness)`: one `#[test]` per scenario of the conformance suite,
//! named `conformance_<transport>_<scenario>`. Re-exported by `asyncapi-rs-conformance`, whose
//! documentation says how to use it; the code it writes names that crate as
//! `::asyncapi_conformance`.

use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Expr, Ident, Token};

/// Each scenario: the test's name after the transport's, and its `Scenario` variant.
const SCENARIOS: &[(&str, &str)] = &[
    ("round_trip_from_both_perspectives", "RoundTrip"),
    ("a_large_payload_arrives_whole", "LargePayload"),
    (
        "a_malformed_payload_is_an_error_and_the_stream_goes_on",
        "Malformed",
    ),
    (
        "an_invalid_payload_is_an_error_and_the_stream_goes_on",
        "Invalid",
    ),
    (
        "a_closed_port_is_a_typed_error_naming_the_server",
        "ClosedPort",
    ),
    (
        "an_unknown_host_is_a_typed_error_naming_the_server",
        "UnknownHost",
    ),
    ("close_ends_subscriptions_and_later_sends_fail", "Close"),
    ("no_secret_in_errors_debug_or_log_lines", "Secrets"),
    ("tls_with_a_certificate_authority_made_now", "Tls"),
    ("a_send_to_a_server_that_has_gone_is_an_error", "SendToGone"),
    ("a_server_that_stops_answering_fails_in_time", "Stalled"),
    ("one_error_per_break_then_the_messages_again", "Reconnect"),
    (
        "a_nacked_message_comes_again_an_acked_one_not",
        "Redelivery",
    ),
    (
        "without_reconnection_a_break_ends_the_subscription",
        "NoReconnect",
    ),
    (
        "a_slow_consumer_loses_nothing_unsaid_within_its_bound",
        "SlowConsumer",
    ),
    ("group_members_share_each_message_once", "GroupShares"),
    ("group_a_late_member_gets_only_new_work", "GroupLateMember"),
    (
        "group_what_a_dead_member_held_goes_to_another",
        "GroupHandover",
    ),
    (
        "group_subscriptions_are_refused_without_groups",
        "GroupRefused",
    ),
];

struct Input {
    transport: Ident,
    harness: Expr,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Input> {
        let transport = input.parse()?;
        input.parse::<Token![,]>()?;
        let harness = input.parse()?;
        input.parse::<Option<Token![,]>>()?;
        Ok(Input { transport, harness })
    }
}

/// One test per scenario, `conformance_<transport>_<scenario>`, each running the harness the
/// expression builds (evaluated per test inside an `async` block on the scenario's runtime).
#[proc_macro]
pub fn conformance(input: TokenStream) -> TokenStream {
    let Input { transport, harness } = syn::parse_macro_input!(input as Input);
    let tests = SCENARIOS.iter().map(|(name, variant)| {
        let test = format_ident!("conformance_{}_{}", transport, name);
        let variant = format_ident!("{}", variant);
        quote! {
            #[test]
            fn #test() {
                ::asyncapi_conformance::run(
                    || async { #harness },
                    ::asyncapi_conformance::Scenario::#variant,
                );
            }
        }
    });
    quote!(#(#tests)*).into()
}
