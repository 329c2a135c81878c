//! The loader (and the generator behind it) never panics, whatever the bytes: deterministic mutations of valid documents (a
//! cheap, always-on complement to the cargo-fuzz target in `fuzz/`).

use asyncapi_rs_codegen::emit::{EmitOptions, emit_types, format_file};
use asyncapi_rs_codegen::types::TypeSpace;
use asyncapi_rs_codegen::{LoadOptions, MemoryReader, load};

const SEEDS: &[&str] = &[
    r##"asyncapi: 3.0.0
info: {title: T, version: '1'}
servers:
  s: {host: 'h:{port}', protocol: mqtt, variables: {port: {default: '1'}}, bindings: {mqtt: {qos: 1, clientId: x}}}
channels:
  c:
    address: 'a/{id}'
    parameters: {id: {enum: [x]}}
    messages:
      m: {$ref: '#/components/messages/M'}
    bindings: {ws: {query: {type: object}}, amqp: {is: queue, queue: {name: q}}}
operations:
  o: {action: send, channel: {$ref: '#/channels/c'}, messages: [{$ref: '#/channels/c/messages/m'}], reply: {channel: {$ref: '#/channels/c'}}, traits: [{summary: t}]}
components:
  messages:
    M: {payload: {$ref: '#/components/schemas/S'}, traits: [{headers: {type: object}}], bindings: {kafka: {key: {type: string}}}}
  schemas:
    S: {type: object, properties: {a: {$ref: '#/components/schemas/S'}, b: {type: [string, 'null'], oneOf: [{const: 1}], discriminator: {propertyName: a, mapping: {x: S}}}}}
  securitySchemes:
    k: {type: oauth2, flows: {implicit: {availableScopes: {a: b}}}}
"##,
    r##"{"asyncapi": "2.6.0", "info": {"title": "T", "version": "1"},
 "servers": {"s": {"url": "mqtt://h/{p}", "protocol": "mqtt", "security": [{"k": []}], "variables": {"p": {}}}},
 "channels": {"a/{id}": {"parameters": {"id": {"schema": {"type": "string"}}},
   "subscribe": {"traits": [{"$ref": "#/components/operationTraits/t"}], "message": {"oneOf": [{"$ref": "#/components/messages/m"}, {"payload": {"items": [true, false]}}]}}}},
 "components": {"messages": {"m": {"schemaFormat": "application/vnd.apache.avro;version=1.9.0", "payload": {"type": "record"}}},
   "operationTraits": {"t": {"bindings": {"kafka": {"groupId": "g"}}}},
   "securitySchemes": {"k": {"type": "apiKey", "in": "user"}}}}"##,
    "a: &x [1, *x]\nb: &y {<<: *y}\n",
    "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n    größe²:\n      properties: {ключ: {type: string}, 2nd: {enum: [a, ä, '', '1']}, self: {}, type: {}, _: {}}\n    self: {oneOf: [{const: 1}, {type: [string, integer]}, {$ref: '#/components/schemas/self'}]}\n",
];

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INSERTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    "\n",
    "  ",
    "\t",
    "'",
    "\"",
    "&a ",
    "*a",
    "<<: ",
    "$ref: '#/'",
    "$ref: '#/channels'",
    "$ref: 'x.yaml'",
    "~",
    "%",
    "\\u",
    "- ",
    "---\n",
    "#",
    "!!int ",
    "{{",
    "}}",
    "\u{feff}",
    "é",
];

fn mutate(seed: &str, rng: &mut Rng) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 => bytes.truncate(at),
            1 if at < bytes.len() => {
                let end = (at + 1 + rng.below(8)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 => {
                let insert = INSERTS[rng.below(INSERTS.len())].as_bytes();
                bytes.splice(at..at, insert.iter().copied());
            }
            _ if !bytes.is_empty() => {
                let from = rng.below(bytes.len());
                let len = rng.below(40).min(bytes.len() - from);
                let chunk: Vec<u8> = bytes[from..from + len].to_vec();
                bytes.splice(at..at, chunk);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_documents_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut runs = 0;
    for seed in SEEDS {
        for _ in 0..5000 {
            let text = mutate(seed, &mut rng);
            let reader = MemoryReader::new()
                .with("doc.yaml", text.as_str())
                .with("x.yaml", text.as_str());
            let options = LoadOptions::default().with_reader(reader);
            let loaded = load("doc.yaml", &options);
            // Whatever loaded, the generator plans and emits it without panicking.
            if let Some(doc) = &loaded.document {
                let space = TypeSpace::build(doc);
                let _ = format_file(&emit_types(&space, &EmitOptions::default()));
            }
            // Whatever happened, every diagnostic is located in a file we gave it.
            for d in &loaded.diagnostics {
                if let Some(loc) = &d.location {
                    assert!(loc.line >= 1 && loc.column >= 1, "{d}");
                }
            }
            runs += 1;
        }
    }
    assert_eq!(runs, 5000 * SEEDS.len());
}
