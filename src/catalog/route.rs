//! Path templates: parsing, matching a request path, and filling a template from parameters.

use std::collections::HashMap;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{Binding, Endpoint, Method, Segment};

pub(super) fn parse_template(path: &'static str) -> Result<Vec<Segment>, String> {
    let rest = path.strip_prefix('/').ok_or_else(|| format!("template {path} is not absolute"))?;
    // Byte tests, not `str::contains` with a char set: this runs over every template on a
    // process's first call.
    let has = |s: &str, set: &[u8]| s.bytes().any(|b| set.contains(&b));
    let mut segments = Vec::with_capacity(rest.bytes().filter(|b| *b == b'/').count() + 1);
    for seg in rest.split('/') {
        if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if inner.is_empty() || has(inner, b"=*{}") {
                return Err(format!("unsupported template segment {seg} in {path}"));
            }
            segments.push(Segment::Field(inner));
        } else if has(seg, b"{}") {
            return Err(format!("unsupported template segment {seg} in {path}"));
        } else {
            segments.push(Segment::Literal(seg));
        }
    }
    Ok(segments)
}

/// Field values taken from a request path, percent-decoded.
pub type PathParams = Vec<(String, String)>;

/// A request path resolved to an endpoint.
#[derive(Debug, Clone)]
pub struct RouteMatch<'c> {
    pub endpoint: &'c Endpoint,
    pub binding: &'c Binding,
    pub params: PathParams,
}

impl RouteMatch<'_> {
    pub fn param(&self, field: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == field).map(|(_, v)| v.as_str())
    }
}

/// Bindings grouped by segment count, each group sorted most-literal first, then catalogue order.
pub(super) struct Router {
    by_len: HashMap<usize, Vec<(usize, usize)>>,
}

impl Router {
    pub(super) fn new(endpoints: &[Endpoint]) -> Router {
        let mut by_len: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (ei, e) in endpoints.iter().enumerate() {
            for (bi, b) in e.bindings.iter().enumerate() {
                by_len.entry(b.segments.len()).or_default().push((ei, bi));
            }
        }
        for list in by_len.values_mut() {
            // Stable: equal specificity keeps the catalogue's order.
            list.sort_by_key(|(ei, bi)| std::cmp::Reverse(endpoints[*ei].bindings[*bi].literal_count));
        }
        Router { by_len }
    }

    pub(super) fn find<'c>(
        &self,
        endpoints: &'c [Endpoint],
        method: Option<Method>,
        path: &str,
    ) -> Option<RouteMatch<'c>> {
        let rest = path.strip_prefix('/')?;
        let parts: Vec<&str> = rest.split('/').collect();
        let candidates = self.by_len.get(&parts.len())?;
        'next: for (ei, bi) in candidates {
            let b = &endpoints[*ei].bindings[*bi];
            if method.is_some_and(|m| m != b.method) {
                continue;
            }
            for (seg, part) in b.segments.iter().zip(&parts) {
                match seg {
                    Segment::Literal(l) if l != part => continue 'next,
                    Segment::Field(_) if part.is_empty() => continue 'next,
                    _ => {}
                }
            }
            let params = b
                .segments
                .iter()
                .zip(&parts)
                .filter_map(|(seg, part)| match seg {
                    Segment::Field(f) => Some((f.to_string(), percent_decode(part))),
                    Segment::Literal(_) => None,
                })
                .collect();
            return Some(RouteMatch { endpoint: &endpoints[*ei], binding: b, params });
        }
        None
    }
}

/// What stays as it is in a path segment or query value: RFC 3986's unreserved characters.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encode one path segment (RFC 3986 unreserved characters pass through).
pub fn percent_encode_segment(s: &str, out: &mut String) {
    out.extend(utf8_percent_encode(s, ESCAPED));
}

/// Decode `%XX` escapes; malformed escapes are kept as they are, invalid UTF-8 replaced.
pub fn percent_decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}
