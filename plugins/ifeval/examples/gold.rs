//! Prints the reference answer of every prompt of an IFEval jsonl file and
//! the instructions it fails (strict), or writes them as JSON for the
//! fidelity corpus:
//!
//! ```text
//! cargo run --release -p ifeval --example gold -- [FILE] [-v] [--write OUT.json]
//! ```

use ifeval::{gold, load};
use scorebox_sdk::pyrandom::PyRandom;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .find(|a| !a.starts_with('-') && !a.ends_with(".json"))
        .cloned()
        .unwrap_or_else(|| {
            format!(
                "{}/sample/ifeval_input_data.jsonl",
                env!("CARGO_MANIFEST_DIR")
            )
        });
    let verbose = args.iter().any(|a| a == "-v");
    let write = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1));
    let text = std::fs::read_to_string(&path).expect("readable file");
    let (mut ok, mut all) = (0, 0);
    let mut out = serde_json::Map::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let p = match load::parse(line) {
            Ok(p) => p,
            Err(e) => {
                println!("invalid: {e:?}");
                continue;
            }
        };
        let inst = p.instructions(&mut PyRandom::from_seed(0)).expect("valid");
        let r = gold::reference(&inst);
        let failed: Vec<&str> = inst
            .iter()
            .filter(|i| !i.check(&r))
            .map(|i| i.id())
            .collect();
        all += 1;
        if failed.is_empty() {
            ok += 1;
        }
        if verbose || !failed.is_empty() {
            println!("== {} failed {:?}\n{}\n", p.key, failed, r);
        }
        out.insert(p.key.to_string(), r.into());
    }
    println!("{ok}/{all} references follow every instruction");
    if let Some(w) = write {
        std::fs::write(w, serde_json::to_string_pretty(&out).expect("json") + "\n")
            .expect("writable");
    }
}
