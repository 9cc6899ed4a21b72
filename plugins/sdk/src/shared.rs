//! Data all episodes share: what [`crate::Benchmark::load`] returns next to
//! its samples, and how it travels through the host.
//!
//! The loader returns a [`LoadedSet`]: the per-row items and one value of the
//! benchmark's [`crate::Benchmark::Shared`] type (few-shot pools, a common
//! document). The SDK encodes that value as JSON text (`loaded-set.shared`);
//! the host hands the text to each scorer instance once (`scorer.prepare`),
//! where the SDK decodes it and keeps it for every episode and `aggregate`
//! of that instance. Sample data thus holds only the sample itself.
//!
//! A value equal to the type's `Default` travels as the empty string (the
//! WIT's "no shared data"), and the empty string decodes to `Default`, so a
//! benchmark without shared data uses `type Shared = ();` and never sees it.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Error, Loaded};

/// Everything a loader produced: one [`Loaded`] per row that became a sample
/// or could not be used, and the data all episodes share.
///
/// `LoadedSet` alone is `LoadedSet<()>`, for benchmarks without shared data;
/// `Vec<Loaded>` converts into any `LoadedSet<S>` with `S::default()`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadedSet<S = ()> {
    /// The samples and unusable rows, in load order.
    pub items: Vec<Loaded>,
    /// The data all episodes share (handed to `start` and `aggregate`).
    pub shared: S,
}

impl<S: Default> LoadedSet<S> {
    /// Items without shared data (`S::default()`).
    pub fn new(items: Vec<Loaded>) -> Self {
        LoadedSet {
            items,
            shared: S::default(),
        }
    }
}

impl<S> LoadedSet<S> {
    /// Items and the data their episodes share.
    pub fn with_shared(items: Vec<Loaded>, shared: S) -> Self {
        LoadedSet { items, shared }
    }
}

impl<S: Default> From<Vec<Loaded>> for LoadedSet<S> {
    fn from(items: Vec<Loaded>) -> Self {
        LoadedSet::new(items)
    }
}

/// Encodes shared data as the JSON text of `loaded-set.shared`: the empty
/// string when `shared` serialises like `S::default()`.
///
/// # Errors
/// Returns an error when the value cannot be serialised (e.g. a map with
/// non-string keys).
pub fn encode<S: Serialize + Default>(shared: &S) -> Result<String, Error> {
    let fail = |e: serde_json::Error| Error::new(format!("cannot encode the shared data: {e}"));
    let text = serde_json::to_string(shared).map_err(fail)?;
    let default = serde_json::to_string(&S::default()).map_err(fail)?;
    Ok(if text == default { String::new() } else { text })
}

/// Decodes the text `scorer.prepare` receives: `S::default()` for an empty
/// (or all-whitespace) text, else the JSON value.
///
/// # Errors
/// Returns an error when the text is not this benchmark's shared data (e.g.
/// loaded by another loader or another version).
pub fn decode<S: DeserializeOwned + Default>(text: &str) -> Result<S, Error> {
    if text.trim().is_empty() {
        return Ok(S::default());
    }
    serde_json::from_str(text).map_err(|e| {
        Error::new(format!(
            "the shared data is not this plugin's loader output: {e}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Pools {
        #[serde(default)]
        by_name: BTreeMap<String, Vec<u32>>,
    }

    #[test]
    fn default_travels_as_the_empty_string() {
        assert_eq!(encode(&()).unwrap(), "");
        decode::<()>("").unwrap();
        decode::<()>("null").unwrap();
        assert_eq!(encode(&Pools::default()).unwrap(), "");
        assert_eq!(decode::<Pools>(" ").unwrap(), Pools::default());
    }

    #[test]
    fn round_trip() {
        let pools = Pools {
            by_name: BTreeMap::from([("b".into(), vec![2, 3]), ("a".into(), vec![1])]),
        };
        let text = encode(&pools).unwrap();
        assert_eq!(text, r#"{"by_name":{"a":[1],"b":[2,3]}}"#);
        assert_eq!(decode::<Pools>(&text).unwrap(), pools);
        let e = decode::<Pools>("[1]").unwrap_err();
        assert!(
            e.message.contains("not this plugin's loader output"),
            "{e:?}"
        );
    }

    #[test]
    fn loaded_set_constructors() {
        let set: LoadedSet = Vec::new().into();
        assert!(set.items.is_empty());
        let set = LoadedSet::with_shared(Vec::new(), 7u32);
        assert_eq!(set.shared, 7);
        assert_eq!(LoadedSet::<u32>::new(Vec::new()).shared, 0);
    }
}
