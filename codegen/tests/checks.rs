//! The checks the loader makes over a whole document, on small in-memory documents: operations
//! on root channels, parameters and variables declared, names that collide as Rust identifiers
//! (`x-rust-name` included), AMQP virtual hosts against the server's URL, protocols without a
//! transport, every problem reported at once.

mod common;

use common::{HEAD, diags, loaded_has_errors, only};

use asyncapi_rs_codegen::Severity;
use asyncapi_rs_codegen::diag::Code;

#[test]
fn x_rust_names_that_collide_are_reported_where_they_are_written() {
    let d = diags(&[(
        "a.yaml",
        &format!(
            "{HEAD}channels:\n  a:\n    x-rust-name: b\n    messages:\n      m: {{x-rust-name: Same, payload: {{type: string}}}}\n      n: {{x-rust-name: Same, payload: {{type: string}}}}\n  b: {{}}\noperations:\n  first: {{action: send, channel: {{$ref: '#/channels/a'}}}}\n  second: {{action: send, channel: {{$ref: '#/channels/a'}}, x-rust-name: First}}\n  third: {{action: send, channel: {{$ref: '#/channels/a'}}, x-rust-name: 3}}\n"
        ),
    )]);
    let c = only(&d, Code::NameCollision);
    let messages: Vec<(&str, u32)> = c
        .iter()
        .map(|d| (d.message.as_str(), d.location.as_ref().unwrap().line))
        .collect();
    // In the order of the document.
    assert_eq!(
        messages,
        [
            (
                "message `n` asks with `x-rust-name` for the Rust type `messages::Same`, which message `m` has; the generator calls it `Same2`",
                8
            ),
            (
                "channel `b` becomes the Rust module `channels::b`, which channel `a` has; the generator calls it `b2`",
                9
            ),
            (
                "operation `first` becomes the Rust type `operations::First`, which operation `second` has; the generator calls it `First2`",
                11
            ),
        ],
        "{d:#?}"
    );
    assert!(c.iter().all(|d| d.related.len() == 1));
    let ignored = only(&d, Code::InvalidValue);
    assert_eq!(ignored.len(), 1, "{d:#?}");
    assert!(
        ignored[0]
            .message
            .contains("`x-rust-name` of operation `third` must be a string")
    );
}

#[test]
fn operation_channel_must_be_a_root_channel_and_messages_must_belong_to_it() {
    let d = diags(&[(
        "a.yaml",
        &format!(
            "{HEAD}channels:\n  a: {{address: a, messages: {{m: {{payload: {{type: string}}}}}}}}\n  b: {{address: b, messages: {{n: {{payload: {{type: string}}}}}}}}\noperations:\n  o1: {{action: send, channel: {{$ref: '#/components/channels/x'}}}}\n  o2: {{action: send, channel: {{$ref: '#/channels/a'}}, messages: [{{$ref: '#/channels/b/messages/n'}}]}}\ncomponents:\n  channels:\n    x: {{address: x}}\n"
        ),
    )]);
    let channel_errors = only(&d, Code::OperationChannel);
    assert_eq!(channel_errors.len(), 1, "{d:#?}");
    assert_eq!(channel_errors[0].location.as_ref().unwrap().line, 7);
    let message_errors = only(&d, Code::OperationMessage);
    assert_eq!(message_errors.len(), 1, "{d:#?}");
    assert!(
        message_errors[0]
            .message
            .contains("channel `a` does not carry")
    );
    assert_eq!(message_errors[0].location.as_ref().unwrap().line, 8);
}

#[test]
fn address_parameters_undeclared_are_read_as_declared_with_a_warning() {
    let d = diags(&[(
        "a.yaml",
        &format!(
            "{HEAD}channels:\n  c:\n    address: 'users/{{id}}/{{kind}}'\n    parameters: {{id: {{}}, unused: {{}}}}\n"
        ),
    )]);
    let undeclared = only(&d, Code::Departure);
    assert_eq!(undeclared.len(), 1, "{d:#?}");
    assert!(undeclared[0].message.contains("`{kind}`"));
    let at = undeclared[0].location.as_ref().unwrap();
    assert_eq!((at.line, at.pointer.as_str()), (5, "/channels/c/address"));
    let p = only(&d, Code::Parameter);
    assert_eq!(p.len(), 1, "{d:#?}");
    assert_eq!(p[0].severity, Severity::Warning);
    assert!(p[0].message.contains("`unused`"));
    assert!(!loaded_has_errors(&d));
}

#[test]
fn server_variables_must_be_declared_and_defaults_valid() {
    let d = diags(&[(
        "a.yaml",
        &format!(
            "{HEAD}servers:\n  s:\n    host: 'h:{{port}}'\n    pathname: '/{{env}}'\n    protocol: mqtt\n    variables: {{port: {{default: '1', enum: ['2', '3']}}}}\n"
        ),
    )]);
    let p = only(&d, Code::Departure);
    assert_eq!(p.len(), 1, "{d:#?}");
    assert!(p[0].message.contains("`{env}`"));
    assert_eq!(
        p[0].location.as_ref().unwrap().pointer,
        "/servers/s/pathname"
    );
    let v = only(&d, Code::InvalidValue);
    assert_eq!(v.len(), 1);
    assert!(v[0].message.contains("default `1`"));
}

#[test]
fn names_that_collide_as_rust_identifiers_are_reported() {
    let d = diags(&[(
        "a.yaml",
        &format!(
            "{HEAD}components:\n  schemas:\n    user_signed_up: {{type: object, properties: {{fooBar: {{}}, foo_bar: {{}}}}}}\n    UserSignedUp: {{type: string}}\n"
        ),
    )]);
    let c = only(&d, Code::NameCollision);
    assert_eq!(c.len(), 2, "{d:#?}");
    assert!(c.iter().any(|d| d.message.contains("`UserSignedUp`")));
    assert!(c.iter().any(|d| d.message.contains("`foo_bar`")));
    assert!(c.iter().all(|d| !d.related.is_empty()));
}

#[test]
fn amqp_binding_virtual_hosts_are_checked_against_2x_server_urls() {
    let d = diags(&[(
        "a.yaml",
        "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nservers:\n  orders: {url: 'amqp://rabbit/orders', protocol: amqp}\n  plain: {url: 'amqp://rabbit:5672', protocol: amqp}\n  root: {url: 'amqp://rabbit/%2f', protocol: amqp}\nchannels:\n  a:\n    bindings: {amqp: {is: routingKey, exchange: {name: a, vhost: /}}}\n    publish: {operationId: onA}\n  b:\n    servers: [plain, root]\n    bindings: {amqp: {is: queue, queue: {name: b, vhost: orders}}}\n    publish: {operationId: onB}\n",
    )]);
    let warnings: Vec<(&str, u32)> = only(&d, Code::Binding)
        .iter()
        .map(|d| (d.message.as_str(), d.location.as_ref().unwrap().line))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "the exchange of channel `a` is in the AMQP virtual host `/`, but server `orders` connects to the virtual host `orders` (the path of its URL `amqp://rabbit/orders`); the AMQP transport refuses the channel on that server",
                9
            ),
            (
                "the queue of channel `b` is in the AMQP virtual host `orders`, but server `plain` connects to the virtual host `/` (its URL `amqp://rabbit:5672` names none: the default); the AMQP transport refuses the channel on that server",
                13
            ),
            (
                "the queue of channel `b` is in the AMQP virtual host `orders`, but server `root` connects to the virtual host `/` (the path of its URL `amqp://rabbit/%2f`); the AMQP transport refuses the channel on that server",
                13
            ),
        ],
        "{d:#?}"
    );
    // The related location is the server's URL.
    let first = only(&d, Code::Binding)[0];
    assert_eq!(first.related[0].location.line, 4);
    assert_eq!(first.related[0].location.pointer, "/servers/orders/url");
}

#[test]
fn unknown_protocols_are_a_note() {
    let d = diags(&[(
        "a.yaml",
        &format!("{HEAD}servers:\n  s: {{host: h, protocol: mercure}}\n"),
    )]);
    let n = only(&d, Code::UnknownProtocol);
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].severity, Severity::Note);
}

#[test]
fn every_problem_is_reported_at_once() {
    let d = diags(&[(
        "a.yaml",
        "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nchannels:\n  a: {address: 'x/{p'}\n  b: {$ref: '#/nowhere'}\noperations:\n  o: {action: jump, channel: {$ref: '#/channels/a'}}\n  p: {action: send}\n",
    )]);
    let errors: Vec<_> = d.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 4, "{d:#?}");
    // Sorted by position.
    let lines: Vec<u32> = errors
        .iter()
        .map(|d| d.location.as_ref().unwrap().line)
        .collect();
    assert_eq!(lines, [4, 5, 7, 8]);
}
