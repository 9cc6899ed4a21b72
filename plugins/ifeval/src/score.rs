//! Strict and loose evaluation of one response, as lm-evaluation-harness's
//! `test_instruction_following_strict` / `_loose` do it.

use scorebox_sdk::pyunicode;
use serde::{Deserialize, Serialize};

use crate::instructions::Instruction;

/// The verdicts for one instruction of a prompt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The instruction id.
    pub id: String,
    /// Followed under the strict test.
    pub strict: bool,
    /// Followed under the loose test.
    pub loose: bool,
}

/// The eight loose variants, in the reference's order: the response, with
/// `*` removed, without its first line, without its last line, without
/// both, and those three with `*` removed (each removal `strip()`ped).
pub fn loose_variants(response: &str) -> [String; 8] {
    let lines: Vec<&str> = response.split('\n').collect();
    let n = lines.len();
    let join = |a: usize, b: usize| -> String {
        if a >= b {
            String::new()
        } else {
            pyunicode::strip(&lines[a..b].join("\n")).to_string()
        }
    };
    let remove_first = join(1, n);
    let remove_last = join(0, n.saturating_sub(1));
    let remove_both = join(1, n.saturating_sub(1));
    let unstar = |s: &str| s.replace('*', "");
    [
        response.to_string(),
        unstar(response),
        remove_first.clone(),
        remove_last.clone(),
        remove_both.clone(),
        unstar(&remove_first),
        unstar(&remove_last),
        unstar(&remove_both),
    ]
}

/// Strict and loose verdicts for every instruction: strict is
/// `response.strip() and check(response)`; loose is the same test passing
/// on any of the eight variants.
pub fn evaluate(instructions: &[Instruction], response: &str) -> Vec<Verdict> {
    let variants = loose_variants(response);
    let nonblank: Vec<bool> = variants
        .iter()
        .map(|v| !pyunicode::strip(v).is_empty())
        .collect();
    instructions
        .iter()
        .map(|inst| {
            let patterns = inst.patterns().unwrap_or_default();
            let strict = nonblank[0] && inst.check_with(response, &patterns);
            // A variant equal to an earlier one gives the same verdict.
            let loose = strict
                || (1..variants.len()).any(|j| {
                    nonblank[j]
                        && !variants[..j].contains(&variants[j])
                        && inst.check_with(&variants[j], &patterns)
                });
            Verdict {
                id: inst.id().to_string(),
                strict,
                loose,
            }
        })
        .collect()
}

/// Strict verdicts only (used to verify a constructed reference answer).
pub fn all_strict(instructions: &[Instruction], response: &str) -> bool {
    !pyunicode::strip(response).is_empty() && instructions.iter().all(|i| i.check(response))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_follow_the_reference() {
        let v = loose_variants("**Title**\nbody *x*\nbye");
        assert_eq!(v[1], "Title\nbody x\nbye");
        assert_eq!(v[2], "body *x*\nbye");
        assert_eq!(v[3], "**Title**\nbody *x*");
        assert_eq!(v[4], "body *x*");
        assert_eq!(v[7], "body x");
        let one = loose_variants("only");
        assert_eq!(one[2], "");
        assert_eq!(one[3], "");
        assert_eq!(one[4], "");
    }
}
