//! Key Protect's search syntax for key listings, parsed once so that every store reads the
//! same meaning into `not:`, `exact:`, `name:`, `alias:` and `escape:`.

/// A parsed `search` query: `[not:][exact:][name:][alias:]…[escape:]text`, prefixes in any
/// order. Without a scope both name and aliases are searched (and a key id matches that key);
/// with both scopes they are OR-ed, as Key Protect does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySearch {
    /// What to look for, prefixes removed.
    pub text: String,
    /// Keys that do *not* match.
    pub negate: bool,
    /// The whole name or alias, case-sensitive; otherwise a case-insensitive substring.
    pub exact: bool,
    /// Search display names.
    pub names: bool,
    /// Search aliases.
    pub aliases: bool,
    /// Also match a key whose id is `text` (only when no scope was named).
    pub ids: bool,
}

impl KeySearch {
    /// `None` when nothing is left to search for once the prefixes are read.
    pub fn parse(query: &str) -> Option<KeySearch> {
        let mut rest = query.trim();
        let (mut negate, mut exact, mut names, mut aliases) = (false, false, false, false);
        loop {
            if let Some(literal) = rest.strip_prefix("escape:") {
                rest = literal;
                break;
            } else if let Some(more) = rest.strip_prefix("not:") {
                negate = true;
                rest = more;
            } else if let Some(more) = rest.strip_prefix("exact:") {
                exact = true;
                rest = more;
            } else if let Some(more) = rest.strip_prefix("name:") {
                names = true;
                rest = more;
            } else if let Some(more) = rest.strip_prefix("alias:") {
                aliases = true;
                rest = more;
            } else {
                break;
            }
        }
        if rest.is_empty() {
            return None;
        }
        let unscoped = !names && !aliases;
        Some(KeySearch {
            text: rest.to_owned(),
            negate,
            exact,
            names: names || unscoped,
            aliases: aliases || unscoped,
            ids: unscoped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(text: &str, negate: bool, exact: bool, scope: (bool, bool, bool)) -> KeySearch {
        KeySearch {
            text: text.into(),
            negate,
            exact,
            names: scope.0,
            aliases: scope.1,
            ids: scope.2,
        }
    }

    #[test]
    fn reads_key_protect_prefixes_in_any_order() {
        let all = (true, true, true);
        assert_eq!(
            KeySearch::parse("pay"),
            Some(search("pay", false, false, all))
        );
        assert_eq!(
            KeySearch::parse("not:exact:name:payments"),
            Some(search("payments", true, true, (true, false, false)))
        );
        assert_eq!(
            KeySearch::parse("alias:exact:pay-root"),
            Some(search("pay-root", false, true, (false, true, false)))
        );
        assert_eq!(
            KeySearch::parse("name:alias:pay"),
            Some(search("pay", false, false, (true, true, false)))
        );
    }

    #[test]
    fn escape_makes_the_rest_literal_and_empty_queries_search_nothing() {
        assert_eq!(
            KeySearch::parse("escape:not:really"),
            Some(search("not:really", false, false, (true, true, true)))
        );
        assert_eq!(
            KeySearch::parse("not:escape:exact:"),
            Some(search("exact:", true, false, (true, true, true)))
        );
        assert_eq!(KeySearch::parse("  "), None);
        assert_eq!(KeySearch::parse("not:exact:"), None);
        assert_eq!(KeySearch::parse("escape:"), None);
    }
}
