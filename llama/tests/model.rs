//! Tests against the real model file. They run when the model is here:
//! `$SCOREBOX_MODEL`, or the default model in the cache directory
//! (`$SCOREBOX_CACHE`, `$XDG_CACHE_HOME/scorebox` or `~/.cache/scorebox`;
//! `scorebox model fetch` puts it there). Without it they print why and pass.

use std::io::Write;
use std::sync::OnceLock;

use scorebox_llama::{FinishReason, LocalError, LocalModel, LocalOptions, fetch};

fn model() -> Option<&'static LocalModel> {
    static MODEL: OnceLock<Option<LocalModel>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let Some(path) = fetch::find_model() else {
                assert!(
                    std::env::var_os("SCOREBOX_REQUIRE_MODEL").is_none(),
                    "SCOREBOX_REQUIRE_MODEL is set but there is no model file: {}",
                    scorebox_llama::FETCH_HINT
                );
                eprintln!("skipped: no model file ({})", scorebox_llama::FETCH_HINT);
                return None;
            };
            Some(LocalModel::load(&path, LocalOptions::default()).expect("loading the model"))
        })
        .as_ref()
}

fn user(text: &str) -> Vec<(&'static str, &str)> {
    vec![("user", text)]
}

#[test]
fn model_info_describes_the_gguf() {
    let Some(lm) = model() else { return };
    let info = lm.model_info();
    assert_eq!(info.architecture, "llama");
    assert!(info.chat_template);
    assert_eq!(info.train_context_len, 8192);
    assert!(info.context_len >= 4096);
    assert!(
        (130_000_000..140_000_000).contains(&info.parameters),
        "{}",
        info.parameters
    );
    assert_eq!(info.vocab_size, 49152);
    assert_eq!(info.sha256.len(), 64);
    if info.path.file_name().and_then(|n| n.to_str()) == Some(fetch::MODEL_FILE) {
        assert_eq!(info.sha256, fetch::MODEL_SHA256);
        assert!(!info.add_bos);
    }
}

#[test]
fn chat_template_is_the_ggufs() {
    let Some(lm) = model() else { return };
    let prompt = lm.format_chat(&[("user", "Hi")]).unwrap();
    assert!(prompt.starts_with("<|im_start|>system\n"), "{prompt:?}");
    assert!(
        prompt.ends_with("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"),
        "{prompt:?}"
    );
    // The template's markers are special tokens, not text.
    let ids = lm.tokenize("<|im_start|>user");
    assert_eq!(ids.len(), 2, "{ids:?}");
}

#[test]
fn greedy_generation_is_deterministic() {
    let Some(lm) = model() else { return };
    let msgs = user("What is the capital of France?");
    let a = lm.generate_detailed(&msgs, 24, &[], 0.0, 1).unwrap();
    let b = lm.generate_detailed(&msgs, 24, &[], 0.0, 2).unwrap();
    assert!(!a.text.is_empty());
    assert_eq!(a, b, "greedy output must not depend on the seed or the run");
    assert!(a.tokens.len() <= 24);
    assert!(a.finish == FinishReason::Eos || a.tokens.len() == 24);
}

#[test]
fn sampled_generation_is_deterministic_for_a_seed() {
    let Some(lm) = model() else { return };
    let msgs = user("Write a sentence about the sea.");
    let a = lm.generate(&msgs, 16, &[], 0.8, 7).unwrap();
    let b = lm.generate(&msgs, 16, &[], 0.8, 7).unwrap();
    assert_eq!(a, b);
    let others: Vec<String> = (8..12)
        .map(|s| lm.generate(&msgs, 16, &[], 0.8, s).unwrap())
        .collect();
    assert!(
        others.iter().any(|o| *o != a),
        "different seeds should give some different samples"
    );
}

#[test]
fn max_tokens_limits_generation() {
    let Some(lm) = model() else { return };
    let g = lm
        .generate_detailed(
            &user("Tell me a long story about a dragon."),
            5,
            &[],
            0.0,
            0,
        )
        .unwrap();
    assert_eq!(g.tokens.len(), 5);
    assert_eq!(g.finish, FinishReason::Length);
    assert_eq!(lm.generate(&user("Hi"), 0, &[], 0.0, 0).unwrap(), "");
}

#[test]
fn stop_sequences_cut_before_the_stop() {
    let Some(lm) = model() else { return };
    let msgs = user("Count from 1 to 10, one number per line.");
    let full = lm.generate_detailed(&msgs, 64, &[], 0.0, 0).unwrap();
    assert!(full.text.contains('5'), "{:?}", full.text);
    let cut = lm
        .generate_detailed(&msgs, 64, &["5".to_string(), "zzz".to_string()], 0.0, 0)
        .unwrap();
    assert_eq!(cut.finish, FinishReason::Stop);
    assert!(!cut.text.contains('5'), "{:?}", cut.text);
    let at = full.text.find('5').unwrap();
    assert_eq!(
        cut.text,
        full.text[..at],
        "the stopped text is the prefix before the first stop"
    );
    // A stop sequence spanning several tokens.
    let two = lm
        .generate_detailed(&msgs, 64, &["3\n4".to_string()], 0.0, 0)
        .unwrap();
    if let Some(at) = full.text.find("3\n4") {
        assert_eq!(two.text, full.text[..at]);
        assert_eq!(two.finish, FinishReason::Stop);
    }
}

#[test]
fn paris_is_more_likely_than_london() {
    let Some(lm) = model() else { return };
    let (paris, paris_greedy) = lm
        .loglikelihood("The capital of France is", " Paris")
        .unwrap();
    let (london, london_greedy) = lm
        .loglikelihood("The capital of France is", " London")
        .unwrap();
    assert!(paris < 0.0 && london < 0.0);
    assert!(paris > london, "Paris {paris} vs London {london}");
    assert!(paris_greedy);
    assert!(!london_greedy);
}

#[test]
fn batched_continuations_match_one_by_one() {
    let Some(lm) = model() else { return };
    let context = "Question: Which planet is known as the Red Planet?\nA. Venus\nB. Mars\nC. Jupiter\nD. Saturn\nAnswer:";
    let conts = [
        " A",
        " B",
        " C",
        " D",
        " Mars, the fourth planet",
        " Jupiter",
    ];
    let batched = lm.loglikelihoods(context, &conts).unwrap();
    for (c, b) in conts.iter().zip(&batched) {
        // A different context first, so nothing is reused from the cache.
        lm.loglikelihood("Unrelated text.", " x").unwrap();
        let (lp, greedy) = lm.loglikelihood(context, c).unwrap();
        assert!(
            (lp - b.logprob).abs() < 1e-3,
            "{c:?}: {lp} vs {}",
            b.logprob
        );
        assert_eq!(greedy, b.is_greedy, "{c:?}");
    }
    // Reusing the cached context prefix gives the same numbers.
    let again = lm.loglikelihoods(context, &conts).unwrap();
    for (a, b) in again.iter().zip(&batched) {
        assert!((a.logprob - b.logprob).abs() < 1e-3);
    }
    assert_eq!(batched[4].tokens, 5, "{batched:?}");
}

#[test]
fn trailing_space_moves_to_the_continuation() {
    let Some(lm) = model() else { return };
    let a = lm
        .loglikelihood("The capital of France is", " Paris")
        .unwrap();
    let b = lm
        .loglikelihood("The capital of France is ", "Paris")
        .unwrap();
    assert!((a.0 - b.0).abs() < 1e-6 && a.1 == b.1, "{a:?} vs {b:?}");
    let (ctx, cont) = lm.encode_pair_ids("The capital of France is ", "Paris");
    assert_eq!(lm.detokenize(&ctx), "The capital of France is");
    assert_eq!(lm.detokenize(&cont), " Paris");
}

#[test]
fn many_continuations_and_long_ones() {
    let Some(lm) = model() else { return };
    let conts: Vec<String> = (0..20).map(|i| format!(" option number {i}")).collect();
    let all = lm.loglikelihoods("Pick one:", &conts).unwrap();
    assert_eq!(all.len(), 20);
    for (c, r) in conts.iter().zip(&all) {
        let (lp, _) = lm.loglikelihood("Pick one:", c).unwrap();
        // One batch of 20 sequences and a batch of one select different
        // matmul kernels: multi-token continuations move by up to ~0.2 nats
        // (README, "Numerics"); a wrong position or token would move them by
        // several nats.
        assert!((lp - r.logprob).abs() < 0.3, "{c}: {lp} vs {}", r.logprob);
        assert_eq!(r.tokens, lm.encode_pair_ids("Pick one:", c).1.len());
    }
    // An empty continuation scores 0 and is greedy; an empty context works.
    assert_eq!(lm.loglikelihood("Hello", "").unwrap(), (0.0, true));
    let (lp, _) = lm.loglikelihood("", "Hello world").unwrap();
    assert!(lp < 0.0);
}

#[test]
fn concurrent_calls_are_serialised_safely() {
    let Some(lm) = model() else { return };
    let expected = lm
        .loglikelihood("The capital of France is", " Paris")
        .unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    lm.loglikelihood("The capital of France is", " Paris")
                        .unwrap()
                })
            })
            .collect();
        for h in handles {
            let got = h.join().unwrap();
            assert!((got.0 - expected.0).abs() < 1e-3);
        }
    });
}

#[test]
fn a_corrupted_model_file_is_refused() {
    let Some(lm) = model() else { return };
    let good = std::fs::read(&lm.model_info().path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join(fetch::MODEL_FILE);
    let mut corrupted = good.clone();
    let mid = corrupted.len() / 2;
    corrupted[mid] ^= 0x55;
    std::fs::File::create(&bad)
        .unwrap()
        .write_all(&corrupted)
        .unwrap();
    let err = LocalModel::load(
        &bad,
        LocalOptions {
            expected_sha256: Some(lm.model_info().sha256.clone()),
            ..LocalOptions::default()
        },
    )
    .err()
    .expect("a corrupted file must be refused");
    assert!(matches!(err, LocalError::HashMismatch { .. }), "{err}");
    assert!(err.to_string().contains("scorebox model fetch"), "{err}");
    // The cache check refuses it too, and says how to fix it.
    if lm.model_info().sha256 == fetch::MODEL_SHA256 {
        std::fs::create_dir_all(dir.path().join("models")).unwrap();
        std::fs::rename(&bad, fetch::default_model_path(dir.path())).unwrap();
        let err = fetch::cached_default_model(dir.path()).unwrap_err();
        assert!(matches!(err, LocalError::HashMismatch { .. }), "{err}");
        assert!(err.to_string().contains("scorebox model fetch"), "{err}");
    }
    // A truncated file that is no GGUF fails to load with a clear error.
    std::fs::write(&bad, &good[..1000]).unwrap();
    let err = LocalModel::load(&bad, LocalOptions::default())
        .err()
        .unwrap();
    assert!(matches!(err, LocalError::Load { .. }), "{err}");
}

#[test]
fn results_do_not_depend_on_the_order_of_calls() {
    let Some(lm) = model() else { return };
    let a = ("Question: 2 + 2 =\nAnswer:", [" 4", " 5", " four", " 22"]);
    let b = ("Question: 2 + 3 =\nAnswer:", [" 5", " 6", " five", " 23"]);
    let a1 = lm.loglikelihoods(a.0, &a.1).unwrap();
    let b1 = lm.loglikelihoods(b.0, &b.1).unwrap();
    let b2 = lm.loglikelihoods(b.0, &b.1).unwrap();
    let a2 = lm.loglikelihoods(a.0, &a.1).unwrap();
    assert_eq!(a1, a2, "bit for bit");
    assert_eq!(b1, b2, "bit for bit");
}

#[test]
fn unbatched_mode_scores_each_continuation_on_its_own() {
    let Some(path) = fetch::find_model() else {
        return;
    };
    let lm = LocalModel::load(
        &path,
        LocalOptions {
            batch_continuations: false,
            ..LocalOptions::default()
        },
    )
    .unwrap();
    let context = "A man is sitting on a roof. He";
    let conts = [
        " is using wrap to wrap a pair of skis.",
        " starts pulling up roofing on a roof.",
    ];
    let all = lm.loglikelihoods(context, &conts).unwrap();
    let batched = model().unwrap().loglikelihoods(context, &conts).unwrap();
    for ((c, u), b) in conts.iter().zip(&all).zip(&batched) {
        lm.loglikelihood("Unrelated.", " x").unwrap();
        assert_eq!(
            lm.loglikelihood(context, c).unwrap(),
            (u.logprob, u.is_greedy)
        );
        // Same model, different batch shapes: close, not always bit-identical.
        assert!((u.logprob - b.logprob).abs() < 1.0, "{u:?} vs {b:?}");
    }
}
