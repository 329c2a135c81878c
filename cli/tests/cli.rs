//! `asyncapi check` as users run it.

use std::path::PathBuf;
use std::process::Command;

fn asyncapi() -> Command {
    Command::new(env!("CARGO_BIN_EXE_asyncapi"))
}

fn fixture(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("asyncapi-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    let text = match name {
        "good.yaml" => {
            "asyncapi: 3.0.0\ninfo: {title: Good, version: 1.0.0}\nchannels:\n  c: {address: c}\n"
        }
        "bad.yaml" => {
            "asyncapi: 3.0.0\ninfo: {title: Bad, version: 1.0.0}\nchannels:\n  c:\n    address: 'c/{id}'\n    messages:\n      m: {$ref: '#/components/messages/Nope'}\n"
        }
        "warn.yaml" => {
            "asyncapi: 3.0.0\ninfo: {title: Warn, version: 1.0.0}\nchannels:\n  c: {address: c, parameters: {unused: {}}}\n"
        }
        other => panic!("no fixture {other}"),
    };
    std::fs::write(&path, text).expect("write fixture");
    path
}

#[test]
fn check_prints_rustc_style_lines_with_source_and_fails_on_errors() {
    let path = fixture("bad.yaml");
    let out = asyncapi().arg("check").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let p = path.display();
    assert!(
        stdout.contains(&format!(
            "{p}:5:14: warning: channel `c` uses the parameter `{{id}}` without declaring it under `parameters`; read as a parameter with no default"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{p}:7:17: error: unresolved reference `#/components/messages/Nope`"
        )),
        "{stdout}"
    );
    // The source line and a caret under the column.
    assert!(
        stdout.contains("7 |       m: {$ref: '#/components/messages/Nope'}\n  |                 ^"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 error, 1 warning, 0 notes in 1 file"),
        "{stdout}"
    );
}

#[test]
fn check_succeeds_on_a_clean_document() {
    let out = asyncapi()
        .arg("check")
        .arg(fixture("good.yaml"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 errors, 0 warnings, 0 notes in 1 file")
    );
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let path = fixture("warn.yaml");
    let out = asyncapi().arg("check").arg(&path).output().expect("runs");
    assert!(out.status.success());
    let out = asyncapi()
        .args(["check", "--deny-warnings"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn json_format_lists_every_diagnostic_with_its_location() {
    let path = fixture("bad.yaml");
    let out = asyncapi()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(value["errors"], 1);
    assert_eq!(value["warnings"], 1);
    let diags = value["diagnostics"].as_array().expect("array");
    assert_eq!(diags.len(), 2);
    assert_eq!(diags[0]["severity"], "warning");
    assert_eq!(diags[0]["code"], "departure");
    assert_eq!(diags[1]["severity"], "error");
    assert_eq!(diags[1]["code"], "unresolved-ref");
    assert_eq!(diags[1]["location"]["line"], 7);
    assert_eq!(diags[1]["location"]["column"], 17);
    assert_eq!(
        diags[1]["location"]["pointer"],
        "/channels/c/messages/m/$ref"
    );
    // The closest node that exists on the way to the target: the document root.
    assert_eq!(diags[1]["related"][0]["location"]["pointer"], "");
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let out = asyncapi()
        .args(["check", "/nonexistent/spec.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("error: cannot read `/nonexistent/spec.yaml`"),
        "{stdout}"
    );
}

#[test]
fn implementations_lists_every_built_in_transport_from_the_registry() {
    let out = asyncapi().arg("implementations").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for expected in [
        "MQTT 3.1.1\n",
        "MQTT 5\n",
        "NATS\n",
        "WebSocket\n",
        "Redis\n",
        "AMQP 0-9-1\n",
        "Kafka\n",
        "library:   rdkafka 0.39",
        "library:   lapin 4.12",
        "library:   rumqttc-v4-next 0.34",
        "library:   rumqttc-v5-next 0.34",
        "library:   redis 1.8",
        "library:   async-nats 0.51",
        "kind:      brokerless",
        "protocols: mqtt5, mqtt 5, mqtts 5, secure-mqtt 5",
    ] {
        assert!(text.contains(expected), "no {expected:?} in\n{text}");
    }

    let out = asyncapi()
        .args(["implementations", "--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let all = json.as_array().expect("an array of transports");
    assert_eq!(all.len(), 7);
    let nats = all.iter().find(|d| d["name"] == "NATS").expect("NATS");
    assert_eq!(nats["feature"], "nats");
    assert_eq!(nats["kind"], "brokered");
    assert_eq!(nats["protocols"][0]["key"], "nats");
    assert!(
        nats["security"]
            .as_array()
            .unwrap()
            .contains(&"userPassword".into())
    );
}
