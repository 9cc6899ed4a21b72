//! Matching the user's `-O key=value` options to what plugins declare.

use std::collections::BTreeMap;

use crate::runtime::wit::{OptionInfo, OptionValue};

/// The values of every option a plugin declared: the user's where given
/// (and allowed), else the declared default. Returns the keys of `given`
/// this plugin does not declare alongside.
///
/// # Errors
/// A message naming the option and the allowed values when a value is not allowed.
pub fn resolve(
    plugin: &str,
    declared: &[OptionInfo],
    given: &BTreeMap<String, String>,
) -> Result<(Vec<OptionValue>, Vec<String>), String> {
    let mut values = Vec::new();
    for info in declared {
        let value = given
            .get(&info.key)
            .cloned()
            .unwrap_or_else(|| info.default.clone());
        if !info.allowed.is_empty() && !info.allowed.contains(&value) {
            return Err(format!(
                "{plugin}: option `{}` does not accept `{value}` (allowed: {})",
                info.key,
                info.allowed.join(", ")
            ));
        }
        values.push(OptionValue {
            key: info.key.clone(),
            value,
        });
    }
    let unknown = given
        .keys()
        .filter(|k| !declared.iter().any(|d| &d.key == *k))
        .cloned()
        .collect();
    Ok((values, unknown))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(key: &str, default: &str, allowed: &[&str]) -> OptionInfo {
        OptionInfo {
            key: key.into(),
            default: default.into(),
            allowed: allowed.iter().map(|s| s.to_string()).collect(),
            description: String::new(),
        }
    }

    #[test]
    fn defaults_given_values_and_refusals() {
        let declared = [
            info("variant", "loglikelihood", &["loglikelihood", "generative"]),
            info("num_fewshot", "0", &[]),
        ];
        let mut given = BTreeMap::new();
        let (values, unknown) = resolve("mmlu", &declared, &given).unwrap();
        assert_eq!(values[0].value, "loglikelihood");
        assert!(unknown.is_empty());
        given.insert("num_fewshot".to_string(), "5".to_string());
        given.insert("colour".to_string(), "red".to_string());
        let (values, unknown) = resolve("mmlu", &declared, &given).unwrap();
        assert_eq!(values[1].value, "5");
        assert_eq!(unknown, vec!["colour"]);
        given.insert("variant".to_string(), "chat".to_string());
        let err = resolve("mmlu", &declared, &given).unwrap_err();
        assert!(err.contains("allowed: loglikelihood, generative"), "{err}");
    }
}
