//! Scopes as the API defines them: the scope table of `clarifai.auth.scope.S` (generated from
//! the pinned clarifai-grpc into scopes.json, beside the endpoint catalogue, which refers to it).
//!
//! Scope names are accepted in both spellings (`Inputs:Add` as the docs write it, `Inputs_Add` as
//! the proto enum does) and always emitted in the docs spelling. A [`ScopeSet`] is a fixed-size
//! bitset over the table, so a preflight is a handful of word operations.

use fnv::FnvHashMap;
use once_cell::sync::Lazy;
use std::fmt;

/// Words in a [`ScopeSet`]; the table is checked at load to fit (121 scopes in clarifai-grpc 12.6).
pub(crate) const WORDS: usize = 4;

/// Index of a scope in the catalogue's scope table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(pub(crate) u16);

impl Scope {
    /// Look a scope up by either spelling (`Inputs:Add` or `Inputs_Add`).
    pub fn parse(name: &str) -> Option<Scope> {
        table().by_name.get(name).copied()
    }

    /// The docs spelling, e.g. `Inputs:Add`.
    pub fn name(self) -> &'static str {
        &self.info().name
    }

    /// The scopes this one grants along with itself (its direct dependencies).
    pub fn depends_on(self) -> &'static [Scope] {
        &self.info().depends_on
    }

    /// Everything about this scope the descriptors say.
    pub fn info(self) -> &'static ScopeInfo {
        &table().scopes[self.0 as usize]
    }

    /// The special scope that grants every other scope.
    pub fn all() -> Scope {
        table().all
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of scopes.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ScopeSet(pub(crate) [u64; WORDS]);

impl ScopeSet {
    pub const fn empty() -> ScopeSet {
        ScopeSet([0; WORDS])
    }

    pub fn insert(&mut self, s: Scope) {
        self.0[s.0 as usize / 64] |= 1u64 << (s.0 % 64);
    }

    pub fn contains(&self, s: Scope) -> bool {
        self.0[s.0 as usize / 64] & (1u64 << (s.0 % 64)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn union(&self, other: &ScopeSet) -> ScopeSet {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0.iter()) {
            *a |= *b;
        }
        out
    }

    /// `true` when every scope of `self` is in `other`.
    pub fn is_subset(&self, other: &ScopeSet) -> bool {
        self.0.iter().zip(other.0.iter()).all(|(a, b)| a & !b == 0)
    }

    /// Scopes of `self` that are not in `other`.
    pub fn difference(&self, other: &ScopeSet) -> ScopeSet {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0.iter()) {
            *a &= !*b;
        }
        out
    }

    /// Scopes in table order.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        (0..WORDS * 64).filter(move |i| self.0[i / 64] & (1u64 << (i % 64)) != 0).map(|i| Scope(i as u16))
    }

    /// Names in docs spelling, in table order.
    pub fn names(&self) -> Vec<&'static str> {
        self.iter().map(Scope::name).collect()
    }

    /// Everything these scopes grant: each scope's dependencies, transitively; `All` grants all.
    pub fn closure(&self) -> ScopeSet {
        let t = table();
        if self.contains(t.all) {
            return t.every;
        }
        let mut out = ScopeSet::empty();
        for s in self.iter() {
            out = out.union(&t.scopes[s.0 as usize].closure);
        }
        out
    }

    /// Parse scope names (either spelling). An unknown name is returned as the error.
    pub fn parse<'a, I, S>(names: I) -> Result<ScopeSet, String>
    where
        I: IntoIterator<Item = &'a S>,
        S: AsRef<str> + ?Sized + 'a,
    {
        let mut set = ScopeSet::empty();
        for n in names {
            let n = n.as_ref();
            match Scope::parse(n) {
                Some(s) => set.insert(s),
                None => return Err(n.to_string()),
            }
        }
        Ok(set)
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<T: IntoIterator<Item = Scope>>(iter: T) -> Self {
        let mut set = ScopeSet::empty();
        for s in iter {
            set.insert(s);
        }
        set
    }
}

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(Scope::name)).finish()
    }
}

/// One scope of `clarifai.auth.scope.S`.
#[derive(Clone, Debug)]
pub struct ScopeInfo {
    /// Docs spelling (`Inputs:Add`).
    pub name: String,
    /// Proto spelling (`Inputs_Add`).
    pub proto_name: String,
    pub number: u32,
    pub depends_on: Vec<Scope>,
    pub deprecated: bool,
    /// Shown to users in the key creation UI.
    pub exposed: bool,
    closure: ScopeSet,
}

/// The scope table, built once from the embedded scopes.json.
struct Table {
    scopes: Vec<ScopeInfo>,
    by_name: FnvHashMap<&'static str, Scope>,
    all: Scope,
    every: ScopeSet,
}

static TABLE: Lazy<Table> =
    Lazy::new(|| Table::from_raw(data::SCOPES).expect("the embedded scope table is valid (tested)"));

mod data {
    use super::RawScope;
    include!(concat!(env!("OUT_DIR"), "/scope_data.rs"));
}

fn table() -> &'static Table {
    &TABLE
}

/// Every scope, in table order.
pub fn scopes() -> &'static [ScopeInfo] {
    &table().scopes
}

// One scope as scopes.json writes it, compiled in by build.rs.
struct RawScope {
    name: &'static str,
    proto_name: &'static str,
    number: u32,
    depends_on: &'static [&'static str],
    deprecated: bool,
    exposed: bool,
}

impl Table {
    fn from_raw(raw: &'static [RawScope]) -> Result<Table, String> {
        if raw.len() > WORDS * 64 {
            return Err(format!("{} scopes do not fit a ScopeSet", raw.len()));
        }
        let mut by_name = FnvHashMap::default();
        for (i, s) in raw.iter().enumerate() {
            by_name.insert(s.name, Scope(i as u16));
            by_name.insert(s.proto_name, Scope(i as u16));
        }
        let lookup = |n: &str| by_name.get(n).copied().ok_or_else(|| format!("unknown scope {n}"));
        let mut scopes = Vec::with_capacity(raw.len());
        for s in raw {
            let depends_on = s.depends_on.iter().map(|d| lookup(d)).collect::<Result<Vec<_>, _>>()?;
            scopes.push(ScopeInfo {
                name: s.name.to_string(),
                proto_name: s.proto_name.to_string(),
                number: s.number,
                depends_on,
                deprecated: s.deprecated,
                exposed: s.exposed,
                closure: ScopeSet::empty(),
            });
        }
        // Transitive closure of each scope's dependencies.
        for i in 0..scopes.len() {
            let mut set = ScopeSet::empty();
            set.insert(Scope(i as u16));
            let mut stack = vec![Scope(i as u16)];
            while let Some(s) = stack.pop() {
                for d in &scopes[s.0 as usize].depends_on {
                    if !set.contains(*d) {
                        set.insert(*d);
                        stack.push(*d);
                    }
                }
            }
            scopes[i].closure = set;
        }
        let all = lookup("All")?;
        let every: ScopeSet = (0..scopes.len()).map(|i| Scope(i as u16)).collect();
        Ok(Table { scopes, by_name, all, every })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled-in table against the JSON it was generated from.
    #[test]
    fn compiled_table_matches_its_json() {
        let json: serde_json::Value = serde_json::from_str(include_str!("scopes.json")).unwrap();
        let raw = json["scopes"].as_array().unwrap();
        assert_eq!(scopes().len(), raw.len());
        for (i, (s, j)) in scopes().iter().zip(raw).enumerate() {
            assert_eq!(s.name, j["name"].as_str().unwrap());
            assert_eq!(s.proto_name, j["proto_name"].as_str().unwrap());
            assert_eq!(u64::from(s.number), j["number"].as_u64().unwrap());
            assert_eq!(s.deprecated, j["deprecated"].as_bool().unwrap());
            assert_eq!(s.exposed, j["exposed"].as_bool().unwrap());
            let deps: Vec<&str> = s.depends_on.iter().map(|d| d.name()).collect();
            let want: Vec<&str> = j["depends_on"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
            assert_eq!(deps, want, "{}", s.name);
            assert_eq!(Scope::parse(&s.name), Some(Scope(i as u16)));
            assert_eq!(Scope::parse(&s.proto_name), Some(Scope(i as u16)));
        }
    }

    #[test]
    fn closures_are_transitive_and_names_take_both_spellings() {
        let add = Scope::parse("Inputs:Add").unwrap();
        assert_eq!(Scope::parse("Inputs_Add"), Some(add));
        assert_eq!(add.name(), "Inputs:Add");
        assert!(add.info().closure.contains(Scope::parse("Inputs:Get").unwrap()));
        assert!(add.info().closure.contains(add));
        assert_eq!(Scope::all().name(), "All");
        assert_eq!(Scope::parse("inputs:add"), None);
        assert_eq!(Scope::parse(""), None);
        for s in scopes() {
            for d in &s.depends_on {
                assert!(d.info().closure.is_subset(&s.closure), "{} -> {}", s.name, d.name());
            }
        }
    }
}
