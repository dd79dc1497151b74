//! The query string, as the official JSON clients send it: `per_page=1`, dotted nested fields
//! (`user_app_id.app_id=…`), repeated keys for lists (`ids=a&ids=b`).

use crate::reply::Reply;

/// Largest `per_page` honoured, as on the API.
pub(crate) const MAX_PER_PAGE: usize = 1000;
/// `per_page` when none is given, as on the API.
pub(crate) const DEFAULT_PER_PAGE: usize = 128;

#[derive(Debug, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub(crate) fn parse(raw: &str) -> Query {
        if raw.is_empty() {
            return Query::default();
        }
        Query { pairs: form_urlencoded::parse(raw.as_bytes()).into_owned().collect() }
    }

    /// The first non-empty value of a field.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated field (`ids=a&ids=b`, also `ids=a,b`).
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
            .filter(|v| !v.is_empty())
            .collect()
    }

    fn number(&self, name: &str) -> Result<Option<usize>, Reply> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<usize>()
                .map(Some)
                .map_err(|_| Reply::bad_request(format!("query parameter {name} must be a whole number, got {v:?}"))),
        }
    }

    /// `(page, per_page)`: page from 1, per_page clamped to 1..=1000 (0 means the default).
    pub(crate) fn pagination(&self) -> Result<(usize, usize), Reply> {
        let page = self.number("page")?.unwrap_or(1).max(1);
        let per_page = match self.number("per_page")? {
            None | Some(0) => DEFAULT_PER_PAGE,
            Some(n) => n.min(MAX_PER_PAGE),
        };
        Ok((page, per_page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_json_channel_sends() {
        let q = Query::parse("per_page=1&user_app_id.app_id=a%20b&ids=x&ids=y");
        assert_eq!(q.get("user_app_id.app_id"), Some("a b"));
        assert_eq!(q.all("ids"), vec!["x", "y"]);
        assert_eq!(q.pagination().unwrap(), (1, 1));
        assert!(Query::parse("page=x").pagination().is_err());
        assert_eq!(Query::parse("").pagination().unwrap(), (1, DEFAULT_PER_PAGE));
    }
}
