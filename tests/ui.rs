//! Compile-pass and compile-fail cases of the macros (trybuild): the `.stderr` files show the
//! exact diagnostics a user sees, with the document's file, line and column.

#[test]
fn macros() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
