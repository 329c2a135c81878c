//! Every error of the document is reported, each at the path literal, naming the document's file,
//! line and column.

asyncapi::include_spec!("../../specs/broken.yaml", relative_to = "file");

fn main() {}
