//! Deterministic corruptions of source text, for tests that no input makes a stage panic.

/// Variants of `text`: truncated at many points, with a character deleted, doubled or replaced
/// by a troublesome one at many positions. Deterministic: positions are spread evenly.
pub fn mutilations(text: &str) -> Vec<String> {
    const STEPS: usize = 40;
    const NASTY: [&str; 8] = [")", "/\\", "\"", "(*", "<<", "\\E", "∈", "\n"];
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let stride = (boundaries.len() / STEPS).max(1);
    let mut out = Vec::new();
    for (k, &at) in boundaries.iter().enumerate().step_by(stride) {
        let next = boundaries.get(k + 1).copied().unwrap_or(at);
        out.push(text[..at].to_string());
        out.push(format!("{}{}", &text[..at], &text[next..]));
        out.push(format!("{}{}", &text[..next], &text[at..]));
        out.push(format!(
            "{}{}{}",
            &text[..at],
            NASTY[k % NASTY.len()],
            &text[next..]
        ));
    }
    out
}
