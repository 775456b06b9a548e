//! Tests of the TLC `.cfg` reader: every keyword and value form, exact errors, snapshots of
//! the fixtures under `tests/fixtures/config/`, the public corpus, and robustness against
//! truncated and corrupted files.

use smtcheck::config::{
    default_config_path, parse_config, ConfigValue, ConstantBinding, ConstantValue, ModelConfig,
};
use smtcheck::diag::{Diagnostic, FileId, Kind, Sources};
use smtcheck::syntax::ast::{Ident, Span};
use std::path::{Path, PathBuf};

// ---- helpers ---------------------------------------------------------------------------------

fn parse(src: &str) -> ModelConfig {
    match parse_config(FileId::NONE, src) {
        Ok(config) => config,
        Err(d) => panic!("unexpected error: {d}\n{src}"),
    }
}

fn parse_err(src: &str) -> Diagnostic {
    match parse_config(FileId::NONE, src) {
        Ok(config) => panic!("expected an error, got {config:#?}"),
        Err(d) => d,
    }
}

/// An identifier with the span of its first occurrence in `src`.
fn id(src: &str, name: &str) -> Ident {
    let start = src
        .find(name)
        .unwrap_or_else(|| panic!("`{name}` not in source"));
    Ident::new(name, Span::new(start, start + name.len()))
}

/// The span of the first occurrence of `text` in `src`.
fn span_of(src: &str, text: &str) -> Span {
    let start = src
        .find(text)
        .unwrap_or_else(|| panic!("`{text}` not in source"));
    Span::new(start, start + text.len())
}

fn names(idents: &[Ident]) -> Vec<&str> {
    idents.iter().map(|i| i.name.as_str()).collect()
}

/// The value bound to the only constant of `N = <value>`.
fn value_of(src: &str) -> ConfigValue {
    let config = parse(src);
    match config.constants.as_slice() {
        [ConstantBinding {
            value: ConstantValue::Value(v),
            ..
        }] => v.clone(),
        other => panic!("expected one value binding, got {other:#?}"),
    }
}

/// Parses `src` registered as `name` and renders the error without colours.
fn render_err(name: &str, src: &str) -> String {
    let mut sources = Sources::new();
    let file = sources.add(Path::new(name), src.to_string());
    match parse_config(file, sources.text(file)) {
        Ok(config) => panic!("{name}: expected an error, got {config:#?}"),
        Err(d) => d.render(&sources, false),
    }
}

// ---- keywords --------------------------------------------------------------------------------

#[test]
fn single_name_keywords() {
    let src = "INIT Init NEXT Next SPECIFICATION Spec SYMMETRY Perms VIEW Fingerprint \
               ALIAS Pretty POSTCONDITION Post";
    let config = parse(src);
    assert_eq!(config.init, Some(id(src, "Init")));
    assert_eq!(config.next, Some(id(src, "Next")));
    assert_eq!(config.specification, Some(id(src, "Spec")));
    assert_eq!(config.symmetry, Some(id(src, "Perms")));
    assert_eq!(config.view, Some(id(src, "Fingerprint")));
    assert_eq!(config.alias, Some(id(src, "Pretty")));
    assert_eq!(config.postcondition, Some(id(src, "Post")));
}

#[test]
fn list_keywords_accept_singular_and_plural_and_accumulate() {
    let src = "INVARIANT A\nINVARIANTS B C\n  D\nPROPERTY P PROPERTIES Q\n\
               CONSTRAINT K CONSTRAINTS L ACTION_CONSTRAINT X ACTION_CONSTRAINTS Y Z";
    let config = parse(src);
    assert_eq!(names(&config.invariants), ["A", "B", "C", "D"]);
    assert_eq!(names(&config.properties), ["P", "Q"]);
    assert_eq!(names(&config.constraints), ["K", "L"]);
    assert_eq!(names(&config.action_constraints), ["X", "Y", "Z"]);
    assert_eq!(config.invariants[3], id(src, "D"));
}

#[test]
fn empty_lists_are_accepted() {
    let config = parse("INVARIANTS\nPROPERTIES\nCONSTANTS\nSPECIFICATION Spec");
    assert!(config.invariants.is_empty() && config.properties.is_empty());
    assert!(config.constants.is_empty());
    assert_eq!(
        config.specification.map(|s| s.name),
        Some("Spec".to_string())
    );
}

#[test]
fn check_deadlock_takes_a_boolean() {
    let src = "CHECK_DEADLOCK FALSE";
    assert_eq!(
        parse(src).check_deadlock,
        Some((false, span_of(src, "FALSE")))
    );
    let src = "CHECK_DEADLOCK TRUE";
    assert_eq!(
        parse(src).check_deadlock,
        Some((true, span_of(src, "TRUE")))
    );
    assert_eq!(parse("INIT I").check_deadlock, None);
}

#[test]
fn empty_and_comment_only_files_are_empty_configs() {
    assert_eq!(parse(""), ModelConfig::default());
    assert_eq!(
        parse("\\* nothing\n(* at (* all *) *)\n"),
        ModelConfig::default()
    );
}

// ---- values ----------------------------------------------------------------------------------

#[test]
fn integer_values() {
    assert_eq!(
        value_of("CONSTANT N = 3"),
        ConfigValue::Int(3, Span::new(13, 14))
    );
    assert_eq!(
        value_of("CONSTANT N = -12"),
        ConfigValue::Int(-12, Span::new(13, 16))
    );
    assert_eq!(
        value_of("CONSTANT N = - 7"),
        ConfigValue::Int(-7, Span::new(13, 16))
    );
    assert_eq!(
        value_of("CONSTANT N = -9223372036854775808"),
        ConfigValue::Int(i64::MIN, Span::new(13, 33))
    );
}

#[test]
fn string_values() {
    assert_eq!(
        value_of(r#"CONSTANT S = "a b""#),
        ConfigValue::Str("a b".into(), Span::new(13, 18))
    );
    assert_eq!(
        value_of(r#"CONSTANT S = "q\"uote""#),
        ConfigValue::Str("q\"uote".into(), Span::new(13, 22))
    );
}

#[test]
fn boolean_values() {
    assert_eq!(
        value_of("CONSTANT B = TRUE"),
        ConfigValue::Bool(true, Span::new(13, 17))
    );
    assert_eq!(
        value_of("CONSTANT B = FALSE"),
        ConfigValue::Bool(false, Span::new(13, 18))
    );
}

#[test]
fn model_values_including_self_named_ones() {
    let src = "CONSTANT Nil = Nil";
    let Ident { name, span } = id(src, "Nil");
    assert_eq!(span, Span::new(9, 12));
    assert_eq!(
        value_of(src),
        ConfigValue::ModelValue(Ident::new(name, Span::new(15, 18)))
    );
}

#[test]
fn sets_nested_and_empty() {
    let src = "CONSTANT S = {a, {1, \"x\"}, {}}";
    let expected = ConfigValue::Set(
        vec![
            ConfigValue::ModelValue(Ident::new("a", Span::new(14, 15))),
            ConfigValue::Set(
                vec![
                    ConfigValue::Int(1, Span::new(18, 19)),
                    ConfigValue::Str("x".into(), Span::new(21, 24)),
                ],
                Span::new(17, 25),
            ),
            ConfigValue::Set(vec![], Span::new(27, 29)),
        ],
        Span::new(13, 30),
    );
    assert_eq!(value_of(src), expected);
}

// ---- constants -------------------------------------------------------------------------------

#[test]
fn multi_line_constants_block_ends_at_the_next_keyword() {
    let src = "CONSTANTS\n  N = 3\n  Proc = {p1, p2}\n  Nil = Nil M=4\nINIT Init";
    let config = parse(src);
    let bound: Vec<&str> = config
        .constants
        .iter()
        .map(|b| b.name.name.as_str())
        .collect();
    assert_eq!(bound, ["N", "Proc", "Nil", "M"]);
    assert_eq!(config.constants[1].span, span_of(src, "Proc = {p1, p2}"));
    assert_eq!(config.init, Some(id(src, "Init")));
}

#[test]
fn constants_sections_accumulate() {
    let config = parse("CONSTANT A = 1\nINIT I\nCONSTANTS B = 2");
    let bound: Vec<&str> = config
        .constants
        .iter()
        .map(|b| b.name.name.as_str())
        .collect();
    assert_eq!(bound, ["A", "B"]);
}

#[test]
fn replacement_by_a_definition() {
    let src = "CONSTANT Ballot <- MCBallot";
    let config = parse(src);
    assert_eq!(
        config.constants,
        vec![ConstantBinding {
            name: id(src, "Ballot"),
            value: ConstantValue::Replace(id(src, "MCBallot")),
            span: span_of(src, "Ballot <- MCBallot"),
        }]
    );
}

#[test]
fn replacement_in_a_module() {
    let src = "CONSTANT Ballot <-[Voting] MCBallot";
    let config = parse(src);
    assert_eq!(
        config.constants,
        vec![ConstantBinding {
            name: id(src, "Ballot"),
            value: ConstantValue::ReplaceInModule {
                module: id(src, "Voting"),
                op: id(src, "MCBallot")
            },
            span: span_of(src, "Ballot <-[Voting] MCBallot"),
        }]
    );
}

#[test]
fn value_in_a_module() {
    let src = "CONSTANTS NoHash = [Nano]NoHashVal";
    let config = parse(src);
    assert_eq!(
        config.constants,
        vec![ConstantBinding {
            name: id(src, "NoHash"),
            value: ConstantValue::ValueInModule {
                module: id(src, "Nano"),
                value: ConfigValue::ModelValue(id(src, "NoHashVal")),
            },
            span: span_of(src, "NoHash = [Nano]NoHashVal"),
        }]
    );
}

// ---- comments --------------------------------------------------------------------------------

#[test]
fn comments_anywhere() {
    let src =
        "(* header (* nested *) *)\nCONSTANTS \\* the constants\n  N (* inline *) = 3 \\* three\n\
               INVARIANT Inv \\* last";
    let config = parse(src);
    assert_eq!(value_of(src), ConfigValue::Int(3, span_of(src, "3")));
    assert_eq!(config.invariants, vec![id(src, "Inv")]);
}

// ---- errors ----------------------------------------------------------------------------------

#[test]
fn missing_binding_operator_names_the_constant() {
    let src = "CONSTANTS\n  N 3";
    let d = parse_err(src);
    assert_eq!((d.kind, d.code), (Kind::Config, "E0204"));
    assert_eq!(
        d.message,
        "expected `=` or `<-` after constant `N`, found number `3`"
    );
    assert_eq!(d.labels[0].span, span_of(src, "3"));
    assert!(d.labels[0].primary);
}

#[test]
fn unknown_keyword() {
    let src = "INIT Init\nINVARIANTS A\nFOO Bar";
    // `FOO` is read as a name of the INVARIANTS list, then `Bar` too: TLC's lists run to the
    // next keyword. An unknown word at the start of the file has nothing to belong to.
    assert_eq!(names(&parse(src).invariants), ["A", "FOO", "Bar"]);
    let d = parse_err("FOO Bar");
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0202", "unknown keyword `FOO`")
    );
    assert_eq!(d.labels[0].span, Span::new(0, 3));
    let d = parse_err("INIT I = 3");
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0202", "expected a keyword, found `=`")
    );
}

#[test]
fn repeated_single_keywords_name_both_places() {
    let src = "INIT A\nNEXT N\nINIT B";
    let d = parse_err(src);
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0206", "`INIT` is given more than once")
    );
    assert_eq!(d.labels.len(), 2);
    assert_eq!(
        (d.labels[0].span, d.labels[0].primary),
        (span_of(src, "INIT B"), true)
    );
    assert_eq!(
        (d.labels[1].span, d.labels[1].primary),
        (span_of(src, "A"), false)
    );

    let src = "CHECK_DEADLOCK TRUE CHECK_DEADLOCK FALSE";
    let d = parse_err(src);
    assert_eq!(d.code, "E0206");
    assert_eq!(d.labels[1].span, span_of(src, "TRUE"));
}

#[test]
fn keyword_without_its_name() {
    let d = parse_err("SPECIFICATION");
    assert_eq!(
        (d.code, d.message.as_str()),
        (
            "E0203",
            "expected a name after `SPECIFICATION`, found end of file"
        )
    );
    assert_eq!(d.labels[0].span, Span::new(13, 13));
    let d = parse_err("INIT NEXT N");
    assert_eq!(
        d.message,
        "expected a name after `INIT`, found keyword `NEXT`"
    );
}

#[test]
fn commas_in_lists_are_rejected_as_tlc_does() {
    let src = "INVARIANTS A, B";
    let d = parse_err(src);
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0203", "unexpected `,` in the `INVARIANTS` list")
    );
    assert_eq!(d.labels[0].span, span_of(src, ","));
}

#[test]
fn malformed_values() {
    let d = parse_err("CONSTANT N =");
    assert_eq!(
        (d.code, d.message.as_str()),
        (
            "E0205",
            "expected a value for constant `N`, found end of file"
        )
    );
    let src = "CONSTANT S = {a b}";
    let d = parse_err(src);
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0205", "expected `,` or `}` in a set, found `b`")
    );
    assert_eq!(d.labels[1].span, span_of(src, "{"));
    let d = parse_err("CONSTANT S = {a,}");
    assert_eq!(d.message, "expected a value for constant `S`, found `}`");
    let d = parse_err("CONSTANT N = -x");
    assert_eq!(
        d.message,
        "expected digits after `-` in the value of `N`, found `x`"
    );
}

#[test]
fn deeply_nested_sets_are_an_error_not_a_stack_overflow() {
    let src = format!(
        "CONSTANT S = {}{}",
        "{".repeat(100_000),
        "}".repeat(100_000)
    );
    let d = parse_err(&src);
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0205", "sets are nested more than 100 deep")
    );
    let src = format!("CONSTANT S = {}{}", "{".repeat(100), "}".repeat(100));
    assert!(matches!(value_of(&src), ConfigValue::Set(..)));
}

#[test]
fn check_deadlock_needs_true_or_false() {
    let d = parse_err("CHECK_DEADLOCK yes");
    assert_eq!(
        (d.code, d.message.as_str()),
        (
            "E0207",
            "expected `TRUE` or `FALSE` after `CHECK_DEADLOCK`, found `yes`"
        )
    );
}

#[test]
fn integers_out_of_range() {
    let d = parse_err("CONSTANT N = 9223372036854775808");
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0208", "the integer `9223372036854775808` is out of range")
    );
}

#[test]
fn tlc_syntax_smtcheck_does_not_support() {
    for src in ["CONSTANT F(1) = 2", "CONSTANT M!C = 2", "TYPE_CONSTRAINT T"] {
        let d = parse_err(src);
        assert_eq!((d.kind, d.code), (Kind::Unsupported, "E0209"), "{src}");
    }
}

#[test]
fn lexical_errors() {
    let d = parse_err("CONSTANT N = 3;");
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0200", "unexpected character `;`")
    );
    let d = parse_err("(* open");
    assert_eq!(
        (d.code, d.message.as_str()),
        ("E0201", "unterminated comment")
    );
}

#[test]
fn default_config_path_replaces_the_extension() {
    assert_eq!(
        default_config_path(Path::new("dir/Spec.tla")),
        PathBuf::from("dir/Spec.cfg")
    );
}

// ---- snapshots -------------------------------------------------------------------------------

#[test]
fn ok_fixtures() {
    insta::glob!("fixtures/config/ok/*.cfg", |path| {
        let src = std::fs::read_to_string(path).unwrap_or_default();
        insta::assert_debug_snapshot!(parse(&src));
    });
}

#[test]
fn err_fixtures() {
    insta::glob!("fixtures/config/err/*.cfg", |path| {
        let src = std::fs::read_to_string(path).unwrap_or_default();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        insta::assert_snapshot!(render_err(&name, &src));
    });
}

// ---- the public corpus -----------------------------------------------------------------------

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tla-examples");
    dir.is_dir().then_some(dir)
}

/// Every `.cfg` under `dir`, sorted, so runs are deterministic.
fn cfg_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "cfg") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_corpus_cfg_parses() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not present; skipping");
        return;
    };
    let files = cfg_files(&dir);
    assert!(files.len() >= 100, "only {} cfg files found", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let Ok(src) = std::fs::read_to_string(path) else {
            continue;
        };
        let mut sources = Sources::new();
        let file = sources.add(path, src);
        if let Err(d) = parse_config(file, sources.text(file)) {
            failures.push(d.render(&sources, false));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// Whether an error's labels all point inside the text, on character boundaries.
fn labels_in_range(d: &Diagnostic, text: &str) -> bool {
    d.labels.iter().all(|l| {
        l.span.start <= l.span.end
            && l.span.end <= text.len()
            && text.is_char_boundary(l.span.start)
            && text.is_char_boundary(l.span.end)
    })
}

/// A deterministic pseudo-random sequence (xorshift), so failures reproduce.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound.max(1) as u64) as usize
    }
}

#[test]
fn truncated_and_corrupted_corpus_files_never_panic() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not present; skipping");
        return;
    };
    let noise = [
        "", "=", "<-", "{", "}", ",", "[", "]", "-", "\"", "(*", "*)", "\\*", "\n", "é", "INIT",
        "x",
    ];
    let mut rng = Xorshift(0x5eed);
    let mut cases = 0;
    for path in cfg_files(&dir) {
        let Ok(src) = std::fs::read_to_string(&path) else {
            continue;
        };
        let boundaries: Vec<usize> = (0..=src.len())
            .filter(|&i| src.is_char_boundary(i))
            .collect();
        for step in 0..24 {
            let cut = boundaries[rng.next(boundaries.len())];
            let mutated = if step % 2 == 0 {
                src[..cut].to_string()
            } else {
                let end = boundaries[rng.next(boundaries.len())].max(cut);
                format!(
                    "{}{}{}",
                    &src[..cut],
                    noise[rng.next(noise.len())],
                    &src[end..]
                )
            };
            if let Err(d) = parse_config(FileId::NONE, &mutated) {
                assert!(
                    labels_in_range(&d, &mutated),
                    "{}: bad span in {d:?}\n{mutated}",
                    path.display()
                );
                assert!(
                    d.labels.iter().any(|l| l.primary),
                    "no primary label: {d:?}"
                );
            }
            cases += 1;
        }
    }
    assert!(cases > 0);
}
