asyncapi::include_spec!("../../specs/e2e.yaml", relative_to = "file", flavour = "spicy");

fn main() {}
