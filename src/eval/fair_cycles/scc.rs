//! Strongly connected components (Tarjan's algorithm, without recursion, so a long chain of
//! states cannot overflow the stack).

use std::collections::HashMap;

/// The strongly connected components of the graph on `nodes` whose edges `successors` gives
/// (it must only name nodes among `nodes`).
pub fn components(nodes: &[usize], successors: &dyn Fn(usize) -> Vec<usize>) -> Vec<Vec<usize>> {
    let mut tarjan = Tarjan {
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: HashMap::new(),
        found: Vec::new(),
    };
    for &root in nodes {
        if !tarjan.index.contains_key(&root) {
            tarjan.visit(root, successors);
        }
    }
    tarjan.found
}

struct Tarjan {
    index: HashMap<usize, usize>,
    low: HashMap<usize, usize>,
    stack: Vec<usize>,
    on_stack: HashMap<usize, bool>,
    found: Vec<Vec<usize>>,
}

impl Tarjan {
    fn visit(&mut self, root: usize, successors: &dyn Fn(usize) -> Vec<usize>) {
        // Each frame: a node and the successors it has still to look at.
        let mut frames: Vec<(usize, Vec<usize>)> = Vec::new();
        self.open(root, successors, &mut frames);
        while let Some((node, pending)) = frames.last_mut() {
            let node = *node;
            match pending.pop() {
                Some(next) if !self.index.contains_key(&next) => {
                    self.open(next, successors, &mut frames)
                }
                Some(next) => {
                    if self.on_stack.get(&next) == Some(&true) {
                        let lowest = self.low[&node].min(self.index[&next]);
                        self.low.insert(node, lowest);
                    }
                }
                None => {
                    frames.pop();
                    if let Some((parent, _)) = frames.last() {
                        let lowest = self.low[parent].min(self.low[&node]);
                        self.low.insert(*parent, lowest);
                    }
                    if self.low[&node] == self.index[&node] {
                        self.close(node);
                    }
                }
            }
        }
    }

    fn open(
        &mut self,
        node: usize,
        successors: &dyn Fn(usize) -> Vec<usize>,
        frames: &mut Vec<(usize, Vec<usize>)>,
    ) {
        let index = self.index.len();
        self.index.insert(node, index);
        self.low.insert(node, index);
        self.stack.push(node);
        self.on_stack.insert(node, true);
        frames.push((node, successors(node)));
    }

    /// Pops the component whose root is `root`.
    fn close(&mut self, root: usize) {
        let mut component = Vec::new();
        while let Some(node) = self.stack.pop() {
            self.on_stack.insert(node, false);
            component.push(node);
            if node == root {
                break;
            }
        }
        self.found.push(component);
    }
}
