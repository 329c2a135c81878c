//! Recursion: a type that contains itself without indirection gets a `Box` on each reference
//! that closes the cycle (strongly connected components, Tarjan's algorithm).

use super::{Additional, RustType, TypeId, TypeKind, TypeSpace};

impl TypeSpace {
    /// Wraps in `Box` every reference that would make a type contain itself without indirection.
    pub(super) fn box_recursion(&mut self) {
        let n = self.defs.len();
        let edges: Vec<Vec<usize>> = self
            .defs
            .iter()
            .map(|d| {
                let mut out = Vec::new();
                for ty in def_types(&d.kind) {
                    direct_targets(ty, &mut out);
                }
                out
            })
            .collect();
        let scc = tarjan(n, &edges);
        for i in 0..n {
            let component = scc[i];
            let wrap = |ty: &mut RustType| box_direct(ty, &|t: TypeId| scc[t.index()] == component);
            match &mut self.defs[i].kind {
                TypeKind::Struct { fields, additional } => {
                    for f in fields {
                        wrap(&mut f.ty);
                    }
                    if let Additional::Map(ty) = additional {
                        wrap(ty);
                    }
                }
                TypeKind::Union { variants, .. } => {
                    for v in variants {
                        wrap(&mut v.ty);
                    }
                }
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => wrap(ty),
                TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => {}
            }
        }
    }
}

fn def_types(kind: &TypeKind) -> Vec<&RustType> {
    match kind {
        TypeKind::Struct { fields, additional } => {
            let mut v: Vec<&RustType> = fields.iter().map(|f| &f.ty).collect();
            if let Additional::Map(ty) = additional {
                v.push(ty);
            }
            v
        }
        TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
    }
}

/// Named types a value of `ty` holds inline (not behind a `Vec`, map or `Box`).
fn direct_targets(ty: &RustType, out: &mut Vec<usize>) {
    match ty {
        RustType::Named(t) => out.push(t.index()),
        RustType::Option(inner) => direct_targets(inner, out),
        RustType::Tuple(items) => items.iter().for_each(|i| direct_targets(i, out)),
        _ => {}
    }
}

fn box_direct(ty: &mut RustType, same: &dyn Fn(TypeId) -> bool) {
    match ty {
        RustType::Named(t) if same(*t) => *ty = RustType::Box(Box::new(RustType::Named(*t))),
        RustType::Option(inner) => box_direct(inner, same),
        RustType::Tuple(items) => items.iter_mut().for_each(|i| box_direct(i, same)),
        _ => {}
    }
}

/// Strongly connected components (Tarjan), iteratively; returns the component of each node.
/// A node alone in its component is still its own component, so a self-reference is boxed too.
fn tarjan(n: usize, edges: &[Vec<usize>]) -> Vec<usize> {
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}
