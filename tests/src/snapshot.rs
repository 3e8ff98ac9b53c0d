//! Tables made comparable from run to run, for snapshots (`insta` in the end-to-end tests): the
//! namespace, ages, UUIDs and long hex ids redacted, column gaps made even, and a describe's Events made
//! stable (rows sorted, repeat counts hidden).

/// Replace what changes from run to run: the namespace, ages, UUIDs and long hex ids; column gaps become
/// three spaces (widths depend on the replaced values).
pub fn redact(text: &str, ns: &str) -> String {
    let text = text.replace(ns, "NS");
    let mut out = String::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let cells: Vec<String> = line
            .trim_start()
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|cell| {
                cell.split(' ')
                    .map(redact_token)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        out.push_str(&" ".repeat(indent));
        out.push_str(&cells.join("   "));
        out.push('\n');
    }
    out
}

/// The Events section of a (redacted) describe, made stable: its rows sorted (events of the same
/// second come in either order) and repeats hidden (`(x3 over 5s)` left out: how often the controller
/// retried or polled before the snapshot is a matter of timing).
pub fn stable_events(text: &str) -> String {
    let mut out = Vec::new();
    let mut rows: Vec<String> = Vec::new();
    let mut in_events = false;
    for line in text.lines() {
        if line == "Events:" {
            in_events = true;
            out.push(line.to_string());
            continue;
        }
        let row = in_events
            && line.starts_with("  ")
            && !line.starts_with("  TYPE ")
            && !line
                .trim_start()
                .split(' ')
                .next()
                .unwrap_or_default()
                .ends_with(':');
        if row {
            let counted: Vec<String> = line
                .split(' ')
                .map(|w| match w.strip_prefix("(x") {
                    Some(n) if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() => {
                        "(x<n>".to_string()
                    }
                    _ => match w.strip_suffix(')') {
                        Some(a) if is_age(a) => "<age>)".to_string(),
                        _ => w.to_string(),
                    },
                })
                .collect();
            rows.push(counted.join(" ").replace(" (x<n> over <age>)", ""));
            continue;
        }
        if !line.starts_with("  TYPE ") {
            rows.sort();
            rows.dedup();
            out.append(&mut rows);
        }
        out.push(line.to_string());
    }
    rows.sort();
    rows.dedup();
    out.append(&mut rows);
    out.join("\n") + "\n"
}

fn is_age(t: &str) -> bool {
    let mut rest = t;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        match rest.chars().next() {
            Some('s' | 'm' | 'h' | 'd') => rest = &rest[1..],
            _ => return false,
        }
        parts += 1;
    }
    parts > 0 && parts <= 2
}

fn redact_token(t: &str) -> String {
    if is_age(t) {
        return "<age>".into();
    }
    // UUIDs and long hex runs anywhere in the token.
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '-' {
            out.push('-');
            i += 1;
            continue;
        }
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit() || **c == '-')
            .count();
        let s: String = chars[i..i + run].iter().collect();
        let is_uuid = s.len() >= 36 && {
            let u = &s[..36];
            u.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        };
        if is_uuid {
            out.push_str("<uuid>");
            i += 36;
        } else if run >= 16 && !s.contains('-') {
            out.push_str("<hex>");
            i += run;
        } else if run > 0 {
            out.push_str(&s);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A describe without the Events rows of `reason`, and without its explanation line: for an event the
/// controller writes or not depending on a race of its own (see the snapshot tests).
pub fn without_event(text: &str, reason: &str) -> String {
    let mut in_events = false;
    let mut out = String::new();
    for line in text.lines() {
        if line == "Events:" {
            in_events = true;
        }
        let row =
            in_events && line.starts_with("  ") && line.split_whitespace().nth(1) == Some(reason);
        let explained = line.starts_with(&format!("  {reason}: "));
        if !row && !explained {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacting_replaces_only_volatile_parts() {
        assert_eq!(
            redact(
                "NAME   AGE   URL\ndb-x1   3m12s   https://c/2f1c3a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6 x",
                "db-x1"
            ),
            "NAME   AGE   URL\nNS   <age>   https://c/<uuid> x\n"
        );
        assert_eq!(redact_token("developer"), "developer");
        assert_eq!(
            redact_token("provision-0123456789abcdef0123456789abcdef"),
            "provision-<hex>"
        );
        assert_eq!(redact_token("9042"), "9042");
    }

    #[test]
    fn an_event_is_left_out_with_its_explanation() {
        let d = "Conditions:\n  Ready   False   RetryBackoff   <age>   m\nEvents:\n  TYPE   REASON   AGE\n  \
                 Warning   RetryBackoff   <age>   m\n  Normal   Provisioning   <age>   m\n  \
                 Provisioning: the broker\n  RetryBackoff: the catalog waits\n";
        assert_eq!(
            without_event(d, "RetryBackoff"),
            "Conditions:\n  Ready   False   RetryBackoff   <age>   m\nEvents:\n  TYPE   REASON   AGE\n  \
             Normal   Provisioning   <age>   m\n  Provisioning: the broker\n"
        );
    }
}
