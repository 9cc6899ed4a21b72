//! Declared options (`scorebox run -O key=value`), validated with clear errors.

use std::collections::BTreeMap;

use crate::{Error, OptionInfo, OptionValue};

/// One option a plugin understands; `const`-constructible so a plugin can
/// declare its list as [`crate::Benchmark::OPTIONS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionSpec {
    /// Name, lower-case, `-` or `_` separated.
    pub key: &'static str,
    /// Value used when none is given.
    pub default: &'static str,
    /// Accepted values; empty means any string (checked by the typed getters).
    pub allowed: &'static [&'static str],
    /// One sentence: what the option changes.
    pub description: &'static str,
}

/// The WIT `option-info` list for `specs`, in declaration order.
pub fn option_infos(specs: &[OptionSpec]) -> Vec<OptionInfo> {
    specs
        .iter()
        .map(|s| OptionInfo {
            key: s.key.to_string(),
            default: s.default.to_string(),
            allowed: s.allowed.iter().map(|a| a.to_string()).collect(),
            description: s.description.to_string(),
        })
        .collect()
}

/// Validated option values: every declared key present (defaults applied).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    values: BTreeMap<String, String>,
}

impl Options {
    /// Validates `given` against `specs`: unknown keys and values outside a
    /// non-empty `allowed` list are errors; missing keys take their default.
    ///
    /// # Errors
    /// Returns an error naming the key, the value and what is accepted.
    pub fn parse(specs: &[OptionSpec], given: &[OptionValue]) -> Result<Options, Error> {
        let mut values = BTreeMap::new();
        for spec in specs {
            values.insert(spec.key.to_string(), spec.default.to_string());
        }
        for opt in given {
            let Some(spec) = specs.iter().find(|s| s.key == opt.key) else {
                let known: Vec<&str> = specs.iter().map(|s| s.key).collect();
                return Err(Error::new(format!(
                    "unknown option `{}` (this plugin understands: {})",
                    opt.key,
                    if known.is_empty() {
                        "no options".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            if !spec.allowed.is_empty() && !spec.allowed.contains(&opt.value.as_str()) {
                return Err(Error::new(format!(
                    "option `{}` = `{}` is not accepted; use one of: {}",
                    opt.key,
                    opt.value,
                    spec.allowed.join(", ")
                )));
            }
            values.insert(opt.key.clone(), opt.value.clone());
        }
        Ok(Options { values })
    }

    /// Options from `key=value` pairs, validated as [`Options::parse`] does
    /// (convenient in tests).
    ///
    /// # Errors
    /// As [`Options::parse`].
    pub fn from_pairs(specs: &[OptionSpec], pairs: &[(&str, &str)]) -> Result<Options, Error> {
        let given: Vec<OptionValue> = pairs
            .iter()
            .map(|(k, v)| OptionValue {
                key: k.to_string(),
                value: v.to_string(),
            })
            .collect();
        Options::parse(specs, &given)
    }

    /// The value of `key`.
    ///
    /// # Errors
    /// Returns an error when `key` was not declared (a plugin bug).
    pub fn get(&self, key: &str) -> Result<&str, Error> {
        self.values
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| Error::new(format!("option `{key}` is not declared by this plugin")))
    }

    /// The value of `key` as a non-negative integer.
    ///
    /// # Errors
    /// Returns an error when the value is not a base-10 integer in `0..=u32::MAX`.
    pub fn get_u32(&self, key: &str) -> Result<u32, Error> {
        let value = self.get(key)?;
        value.trim().parse::<u32>().map_err(|_| {
            Error::new(format!(
                "option `{key}` = `{value}` is not a non-negative integer"
            ))
        })
    }

    /// The value of `key` as a boolean (`true`/`false`, `1`/`0`, `yes`/`no`).
    ///
    /// # Errors
    /// Returns an error for any other value.
    pub fn get_bool(&self, key: &str) -> Result<bool, Error> {
        let value = self.get(key)?;
        match value.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(Error::new(format!(
                "option `{key}` = `{value}` is not a boolean (true or false)"
            ))),
        }
    }

    /// Parses the value of `key` with `parse`, which returns `None` for an
    /// unknown value (use it to map a choice onto an enum).
    ///
    /// # Errors
    /// Returns an error naming the key and value when `parse` returns `None`.
    pub fn get_with<T>(&self, key: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, Error> {
        let value = self.get(key)?;
        parse(value)
            .ok_or_else(|| Error::new(format!("option `{key}` = `{value}` is not accepted")))
    }

    /// All values, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[OptionSpec] = &[
        OptionSpec {
            key: "variant",
            default: "a",
            allowed: &["a", "b"],
            description: "which",
        },
        OptionSpec {
            key: "num_fewshot",
            default: "0",
            allowed: &[],
            description: "how many",
        },
    ];

    #[test]
    fn defaults_apply() {
        let o = Options::from_pairs(SPECS, &[]).unwrap();
        assert_eq!(o.get("variant").unwrap(), "a");
        assert_eq!(o.get_u32("num_fewshot").unwrap(), 0);
    }

    #[test]
    fn unknown_key_is_an_error() {
        let e = Options::from_pairs(SPECS, &[("shots", "5")]).unwrap_err();
        assert!(
            e.message.contains("unknown option `shots`"),
            "{}",
            e.message
        );
        assert!(e.message.contains("variant, num_fewshot"), "{}", e.message);
    }

    #[test]
    fn value_outside_allowed_is_an_error() {
        let e = Options::from_pairs(SPECS, &[("variant", "c")]).unwrap_err();
        assert!(e.message.contains("use one of: a, b"), "{}", e.message);
    }

    #[test]
    fn typed_getters() {
        let o = Options::from_pairs(SPECS, &[("num_fewshot", "five")]).unwrap();
        assert!(o.get_u32("num_fewshot").is_err());
        let o = Options::from_pairs(SPECS, &[("num_fewshot", "5"), ("variant", "b")]).unwrap();
        assert_eq!(o.get_u32("num_fewshot").unwrap(), 5);
        assert_eq!(
            o.get_with("variant", |v| (v == "b").then_some(2)).unwrap(),
            2
        );
        assert!(o.get("nope").is_err());
        assert!(o.get_bool("variant").is_err());
    }
}
