asyncapi::include_spec!("../../specs/no-such-file.yaml", relative_to = "file");

fn main() {}
