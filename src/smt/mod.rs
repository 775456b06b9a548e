//! The Z3 encoding (work in progress).

#[cfg(test)]
mod tests {
    #[test]
    fn z3_links() {
        let x = z3::ast::Int::new_const("x");
        let s = z3::Solver::new();
        s.assert(x.gt(3));
        assert_eq!(s.check(), z3::SatResult::Sat);
    }
}
