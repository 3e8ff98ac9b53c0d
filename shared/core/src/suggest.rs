//! "Did you mean …?" for names the user typed: classes, plans, payload enums.

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The known words close enough to `word` to be what was meant, best first: equal but for case, `_`,
/// `-`, `.` and spaces; starting with it (2 characters at least); or a normalised Damerau-Levenshtein
/// similarity of at least 0.75. The one rule behind every "did you mean" of the suite (verbs, classes,
/// plans, payload enums).
pub fn similar<'a>(word: &str, known: &[&'a str]) -> Vec<&'a str> {
    let w = norm(word);
    let mut scored: Vec<(f64, &'a str)> = known
        .iter()
        .filter_map(|k| {
            let n = norm(k);
            let score = if n == w {
                2.0
            } else if w.len() >= 2 && n.starts_with(&w) {
                1.0 + strsim::normalized_damerau_levenshtein(&w, &n)
            } else {
                strsim::normalized_damerau_levenshtein(&w, &n)
            };
            (score >= 0.75).then_some((score, *k))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<&'a str> = Vec::new();
    for (_, k) in scored {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// The closest known word, if any is close enough (see [`similar`]).
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    similar(word, known).into_iter().next()
}

/// ` (did you mean "X"?)`, or nothing when no known word is close.
pub fn did_you_mean(word: &str, known: &[&str]) -> String {
    match closest(word, known) {
        Some(s) => format!(" (did you mean \"{s}\"?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_suggested_and_far_ones_are_not() {
        let classes = ["cassandra", "kafka", "spark", "zeppelin"];
        assert_eq!(closest("cassandraa", &classes), Some("cassandra"));
        assert_eq!(closest("KAFKA", &classes), Some("kafka"));
        assert_eq!(closest("postgres", &classes), None);
        assert_eq!(
            did_you_mean("sprak", &classes),
            " (did you mean \"spark\"?)"
        );
    }
}
