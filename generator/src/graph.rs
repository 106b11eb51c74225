//! Graph algorithms over schema references, shared by validation and lowering.

/// The strongly connected components of a graph (`edges[n]`: the nodes `n` points to), as
/// the component of each node (Tarjan's algorithm, without recursion). Components are numbered
/// as they complete: an edge never leads to a higher-numbered component.
pub fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low) = (vec![UNSEEN; n], vec![0; n]);
    let mut component = vec![UNSEEN; n];
    let mut on_stack = vec![false; n];
    let (mut stack, mut work) = (Vec::new(), Vec::new());
    let (mut counter, mut components) = (0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        // (node, how many of its edges were followed)
        work.push((root, 0));
        while let Some(&(v, i)) = work.last() {
            if let Some(&w) = edges[v].get(i) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if order[w] == UNSEEN {
                    order[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(u, _)) = work.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}
