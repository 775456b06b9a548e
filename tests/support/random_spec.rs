//! A seeded generator of small random TLA+ specs, module text and model file, so that the whole
//! pipeline (parser, config reader, sema, types, folding, encoder, evaluator) is exercised.
//!
//! Every spec is finite by construction: integers stay in `0..4` (`% 4`), function indices in
//! `0..3` (`% 3`), sets are subsets of `0..3` (`\cap 0..3`), so the explicit explorer can
//! enumerate it. Every action assigns or leaves `UNCHANGED` each variable, as TLC requires.
//! The same seed always gives the same text.

use std::fmt::Write;

/// A generated spec: the module `name` and its `.cfg`.
pub struct RandomSpec {
    pub name: String,
    pub tla: String,
    pub cfg: String,
}

/// splitmix64: tiny, fast, and good enough to pick among a few choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
}

/// The kinds of state variable the generator declares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An integer in `0..3`.
    Int,
    Bool,
    /// A subset of `0..3`.
    Set,
    /// A function `[0..2 -> 0..3]`.
    Fun,
    /// A record `[a : 0..3, b : BOOLEAN]`.
    Rec,
}

const KINDS: [Kind; 5] = [Kind::Int, Kind::Bool, Kind::Set, Kind::Fun, Kind::Rec];

struct Var {
    name: String,
    kind: Kind,
}

/// Writes expressions over the declared variables (and, inside an action, its parameter).
struct Gen<'a> {
    rng: &'a mut Rng,
    vars: &'a [Var],
    /// The action parameter in scope, an integer in `0..3`.
    param: Option<&'a str>,
}

impl Gen<'_> {
    fn var_of(&mut self, kind: Kind) -> Option<String> {
        let names: Vec<&str> = self
            .vars
            .iter()
            .filter(|v| v.kind == kind)
            .map(|v| v.name.as_str())
            .collect();
        if names.is_empty() {
            None
        } else {
            Some(names[self.rng.below(names.len())].to_string())
        }
    }

    /// An integer expression whose value lies in `0..4` (at most 4, for a cardinality).
    fn int(&mut self, depth: usize) -> String {
        let leaf = depth == 0 || self.rng.chance(35);
        if leaf {
            return match self.rng.below(4) {
                0 => self.var_of(Kind::Int),
                1 => self.param.map(str::to_string),
                _ => None,
            }
            .unwrap_or_else(|| self.rng.below(4).to_string());
        }
        let d = depth - 1;
        match self.rng.below(8) {
            0 => format!("(({} + {}) % 4)", self.int(d), self.int(d)),
            1 => format!("(({} - {}) % 4)", self.int(d), self.int(d)),
            2 => format!("(({} * {}) % 4)", self.int(d), self.int(d)),
            3 => format!(
                "(IF {} THEN {} ELSE {})",
                self.bool(d),
                self.int(d),
                self.int(d)
            ),
            4 => match self.var_of(Kind::Fun) {
                Some(f) => format!("{f}[{}]", self.index(d)),
                None => self.int(d),
            },
            5 => match self.var_of(Kind::Rec) {
                Some(r) => format!("{r}.a"),
                None => self.int(d),
            },
            // Over a filter of a range, which the encoder counts; the same as the set's own
            // cardinality, since every set here is a subset of 0..3.
            6 => format!("Cardinality({{i \\in 0..3 : i \\in {}}})", self.set(d)),
            _ => self.int(0),
        }
    }

    /// An index into a function's domain `0..2`.
    fn index(&mut self, depth: usize) -> String {
        if self.rng.chance(40) {
            self.rng.below(3).to_string()
        } else {
            format!("({} % 3)", self.int(depth))
        }
    }

    fn bool(&mut self, depth: usize) -> String {
        let leaf = depth == 0 || self.rng.chance(30);
        if leaf {
            return match self.rng.below(3) {
                0 => self.var_of(Kind::Bool),
                1 => self.var_of(Kind::Rec).map(|r| format!("{r}.b")),
                _ => None,
            }
            .unwrap_or_else(|| format!("({} {} {})", self.int(0), self.comparison(), self.int(0)));
        }
        let d = depth - 1;
        match self.rng.below(10) {
            0 => format!("({} {} {})", self.int(d), self.comparison(), self.int(d)),
            1 => format!("(~{})", self.bool(d)),
            2 => format!("({} /\\ {})", self.bool(d), self.bool(d)),
            3 => format!("({} \\/ {})", self.bool(d), self.bool(d)),
            4 => format!("({} => {})", self.bool(d), self.bool(d)),
            5 => format!("({} \\in {})", self.int(d), self.set(d)),
            6 => format!("({} \\subseteq {})", self.set(d), self.set(d)),
            7 => format!("(\\E i \\in {} : {})", self.set(d), self.about_i(d)),
            8 => format!("(\\A i \\in {} : {})", self.set(d), self.about_i(d)),
            _ => match self.var_of(Kind::Fun) {
                Some(f) => format!("({f} = {})", self.fun(d)),
                None => self.bool(d),
            },
        }
    }

    /// A condition on the bound integer `i`.
    fn about_i(&mut self, depth: usize) -> String {
        let other = self.int(depth);
        match self.rng.below(3) {
            0 => format!("i {} {other}", self.comparison()),
            1 => match self.var_of(Kind::Fun) {
                Some(f) => format!("{f}[i % 3] {} {other}", self.comparison()),
                None => format!("i /= {other}"),
            },
            _ => format!("((i + {other}) % 4) \\in {}", self.set(0)),
        }
    }

    fn comparison(&mut self) -> &'static str {
        ["=", "/=", "<", "<=", ">", ">="][self.rng.below(6)]
    }

    /// A set of integers, a subset of `0..3`.
    fn set(&mut self, depth: usize) -> String {
        let leaf = depth == 0 || self.rng.chance(35);
        if leaf {
            return match self.rng.below(4) {
                0 | 1 => self.var_of(Kind::Set),
                2 => Some(format!("{}..{}", self.rng.below(3), self.rng.below(4))),
                _ => None,
            }
            .unwrap_or_else(|| format!("{{{}}}", self.rng.below(4)));
        }
        let d = depth - 1;
        match self.rng.below(6) {
            0 => format!("({} \\cup {})", self.set(d), self.set(d)),
            1 => format!("({} \\ {})", self.set(d), self.set(d)),
            2 => format!("({} \\cap {})", self.set(d), self.set(d)),
            3 => format!("{{{}, {}}}", self.int(d), self.int(d)),
            4 => format!("{{i \\in {} : {}}}", self.set(d), self.about_i(d)),
            _ => format!("{{(i + 1) % 4 : i \\in {}}}", self.set(d)),
        }
    }

    fn fun(&mut self, depth: usize) -> String {
        let current = self.var_of(Kind::Fun);
        match (current, self.rng.below(3)) {
            (Some(f), 0) => format!(
                "[{f} EXCEPT ![{}] = {}]",
                self.index(depth),
                self.int(depth)
            ),
            (Some(f), 1) => format!(
                "[{f} EXCEPT ![{}] = (@ + {}) % 4]",
                self.index(depth),
                self.int(depth)
            ),
            _ => format!("[i \\in 0..2 |-> (i + {}) % 4]", self.int(depth)),
        }
    }

    fn rec(&mut self, depth: usize) -> String {
        let current = self.var_of(Kind::Rec);
        match (current, self.rng.below(3)) {
            (Some(r), 0) => format!("[{r} EXCEPT !.a = {}]", self.int(depth)),
            (Some(r), 1) => format!("[{r} EXCEPT !.b = {}]", self.bool(depth)),
            _ => format!("[a |-> {}, b |-> {}]", self.int(depth), self.bool(depth)),
        }
    }

    /// A new value for a variable of `kind`, within its range.
    fn update(&mut self, kind: Kind) -> String {
        match kind {
            Kind::Int => self.int(2),
            Kind::Bool => self.bool(2),
            Kind::Set => format!("({} \\cap 0..3)", self.set(2)),
            Kind::Fun => self.fun(1),
            Kind::Rec => self.rec(1),
        }
    }
}

/// An initial value (or set of them) for a variable of `kind`: constants only.
fn initial(rng: &mut Rng, name: &str, kind: Kind) -> String {
    let from_set = rng.chance(35);
    match (kind, from_set) {
        (Kind::Int, false) => format!("{name} = {}", rng.below(4)),
        (Kind::Int, true) => format!("{name} \\in 0..{}", rng.between(1, 2)),
        (Kind::Bool, false) => format!("{name} = {}", ["TRUE", "FALSE"][rng.below(2)]),
        (Kind::Bool, true) => format!("{name} \\in BOOLEAN"),
        (Kind::Set, false) => format!("{name} = {{{}}}", rng.below(4)),
        (Kind::Set, true) => format!("{name} \\in SUBSET (0..{})", rng.below(3)),
        (Kind::Fun, false) => format!("{name} = [i \\in 0..2 |-> {}]", rng.below(4)),
        (Kind::Fun, true) => format!("{name} \\in [0..2 -> 0..1]"),
        (Kind::Rec, false) => format!("{name} = [a |-> {}, b |-> FALSE]", rng.below(4)),
        (Kind::Rec, true) => format!("{name} \\in [a : 0..1, b : BOOLEAN]"),
    }
}

/// The spec for `seed`.
pub fn random_spec(seed: u64) -> RandomSpec {
    let mut rng = Rng(seed);
    let vars: Vec<Var> = (0..rng.between(1, 3))
        .map(|i| {
            let kind = KINDS[rng.below(KINDS.len())];
            Var {
                name: format!("{}{i}", prefix(kind)),
                kind,
            }
        })
        .collect();
    let names: Vec<&str> = vars.iter().map(|v| v.name.as_str()).collect();
    let name = format!("Random{seed}");
    let mut tla = String::new();
    let _ = writeln!(tla, "---- MODULE {name} ----");
    let _ = writeln!(tla, "EXTENDS Integers, FiniteSets");
    let _ = writeln!(tla, "VARIABLES {}", names.join(", "));
    let _ = writeln!(tla);
    let inits: Vec<String> = vars
        .iter()
        .map(|v| initial(&mut rng, &v.name, v.kind))
        .collect();
    let _ = writeln!(tla, "Init == {}", inits.join(" /\\ "));
    let actions = rng.between(1, 4);
    for a in 0..actions {
        let _ = writeln!(tla, "{}", action(&mut rng, &vars, a));
    }
    let disjuncts: Vec<String> = (0..actions).map(|a| format!("A{a}")).collect();
    let _ = writeln!(tla, "Next == {}", disjuncts.join(" \\/ "));
    let invariants = rng.between(1, 2);
    for i in 0..invariants {
        let mut gen = Gen {
            rng: &mut rng,
            vars: &vars,
            param: None,
        };
        let _ = writeln!(tla, "Inv{i} == {}", gen.bool(3));
    }
    let _ = writeln!(tla, "====");
    let mut cfg = String::from("INIT Init\nNEXT Next\n");
    for i in 0..invariants {
        let _ = writeln!(cfg, "INVARIANT Inv{i}");
    }
    let deadlock = rng.chance(30);
    let _ = writeln!(
        cfg,
        "CHECK_DEADLOCK {}",
        if deadlock { "TRUE" } else { "FALSE" }
    );
    RandomSpec { name, tla, cfg }
}

fn prefix(kind: Kind) -> &'static str {
    match kind {
        Kind::Int => "n",
        Kind::Bool => "b",
        Kind::Set => "s",
        Kind::Fun => "f",
        Kind::Rec => "r",
    }
}

/// Action `A{index}`: sometimes a parameter, a guard, and a new value or `UNCHANGED` for
/// each variable.
fn action(rng: &mut Rng, vars: &[Var], index: usize) -> String {
    let param_set = if rng.chance(50) {
        Some(parameter_set(rng, vars))
    } else {
        None
    };
    let mut gen = Gen {
        rng,
        vars,
        param: param_set.as_ref().map(|_| "p"),
    };
    let mut conjuncts = Vec::new();
    if gen.rng.chance(70) {
        conjuncts.push(gen.bool(2));
    }
    let mut unchanged = Vec::new();
    for var in vars {
        if gen.rng.chance(65) {
            conjuncts.push(format!("{}' = {}", var.name, gen.update(var.kind)));
        } else {
            unchanged.push(var.name.as_str());
        }
    }
    if !unchanged.is_empty() {
        conjuncts.push(format!("UNCHANGED <<{}>>", unchanged.join(", ")));
    }
    let body = conjuncts.join(" /\\ ");
    match param_set {
        Some(set) => format!("A{index} == \\E p \\in {set} : ({body})"),
        None => format!("A{index} == {body}"),
    }
}

/// The set an action parameter ranges over: a constant range, or a set-valued variable (whose
/// value may be empty, disabling the action).
fn parameter_set(rng: &mut Rng, vars: &[Var]) -> String {
    let sets: Vec<&Var> = vars.iter().filter(|v| v.kind == Kind::Set).collect();
    if !sets.is_empty() && rng.chance(40) {
        sets[rng.below(sets.len())].name.clone()
    } else {
        format!("0..{}", rng.between(1, 3))
    }
}
