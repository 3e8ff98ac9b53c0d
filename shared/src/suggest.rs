//! "Did you mean …?" for names the user typed: classes, plans, payload enums.

/// The closest known word, if it is close enough to be what was meant (case, `_`, `-`, `.` and spaces
/// ignored; normalised Damerau-Levenshtein similarity of at least 0.75).
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let w = norm(word);
    if let Some(exact) = known.iter().find(|k| norm(k) == w) {
        return Some(exact);
    }
    known
        .iter()
        .map(|k| (k, strsim::normalized_damerau_levenshtein(&w, &norm(k))))
        .filter(|(_, score)| *score >= 0.75)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| *k)
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
