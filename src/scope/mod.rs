//! Scopes as the API defines them: the scope table of `clarifai.auth.scope.S` (generated from
//! the pinned clarifai-grpc into scopes.json, beside the endpoint catalogue, which refers to it).
//!
//! Scope names are accepted in both spellings (`Inputs:Add` as the docs write it, `Inputs_Add` as
//! the proto enum does) and always emitted in the docs spelling. A [`ScopeSet`] is a fixed-size
//! bitset over the table, so a preflight is a handful of word operations.

use std::collections::HashMap;
use std::fmt;

use once_cell::sync::Lazy;
use serde::Deserialize;

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
    by_name: HashMap<String, Scope>,
    all: Scope,
    every: ScopeSet,
}

static TABLE: Lazy<Table> =
    Lazy::new(|| Table::from_json(include_str!("scopes.json")).expect("the embedded scope table is valid (tested)"));

fn table() -> &'static Table {
    &TABLE
}

/// Every scope, in table order.
pub fn scopes() -> &'static [ScopeInfo] {
    &table().scopes
}

#[derive(Deserialize)]
struct RawTable {
    scopes: Vec<RawScope>,
}

#[derive(Deserialize)]
struct RawScope {
    name: String,
    proto_name: String,
    number: u32,
    depends_on: Vec<String>,
    deprecated: bool,
    exposed: bool,
}

impl Table {
    fn from_json(text: &str) -> Result<Table, String> {
        let raw: RawTable = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if raw.scopes.len() > WORDS * 64 {
            return Err(format!("{} scopes do not fit a ScopeSet", raw.scopes.len()));
        }
        let mut by_name = HashMap::new();
        for (i, s) in raw.scopes.iter().enumerate() {
            by_name.insert(s.name.clone(), Scope(i as u16));
            by_name.insert(s.proto_name.clone(), Scope(i as u16));
        }
        let lookup = |n: &str| by_name.get(n).copied().ok_or_else(|| format!("unknown scope {n}"));
        let mut scopes = Vec::with_capacity(raw.scopes.len());
        for s in &raw.scopes {
            let depends_on = s.depends_on.iter().map(|d| lookup(d)).collect::<Result<Vec<_>, _>>()?;
            scopes.push(ScopeInfo {
                name: s.name.clone(),
                proto_name: s.proto_name.clone(),
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
