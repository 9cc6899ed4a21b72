//! Episodes: one `generate` query per sample, one per ConvFinQA turn
//! (later turns quote the model's earlier answers), one per FinTrade day.

use std::collections::BTreeMap;

use scorebox_metrics::seqeval;
use scorebox_sdk::{Answer, Episode, Error, Sample, Step, pyunicode, step};
use serde_json::json;

use crate::load::{Item, gold_lines};
use crate::tasks::{self, Family, Rules};
use crate::trading::{self, Decision};
use crate::{Config, Mode, classify, ner, pyformat, relation, seqlabel, summarize, tsa};

/// `max_gen_toks` of PIXIU's evaluation script.
pub const MAX_TOKENS: u32 = 1024;

/// One sample being scored.
pub struct FinBenEpisode {
    task: String,
    item: Item,
    rules: Rules,
    config: Config,
    /// The model's answers so far (one per query).
    answers: Vec<String>,
    /// FinTrade: the decision each answer gave.
    decisions: Vec<Option<Decision>>,
}

impl FinBenEpisode {
    /// Starts scoring `sample`.
    ///
    /// # Errors
    /// Returns an error when the sample data is not this plugin's.
    pub fn new(sample: &Sample, config: &Config) -> Result<FinBenEpisode, Error> {
        let item: Item = serde_json::from_str(&sample.data).map_err(|e| {
            Error::new(format!(
                "sample {}: data is not a FinBen sample (load and score with the same plugin version): {e}",
                sample.id
            ))
        })?;
        let rules = tasks::by_task(&sample.subtask).map_or(Rules::Plain, |d| d.rules);
        Ok(FinBenEpisode {
            task: sample.subtask.clone(),
            item,
            rules,
            config: config.clone(),
            answers: Vec::new(),
            decisions: Vec::new(),
        })
    }

    fn ask(&self, prompt: &str, reference: String) -> Step {
        let stop: &[&str] = match self.item.family() {
            Family::Tsa => &["Answer:"],
            _ => &[],
        };
        step::generate(
            vec![step::user(self.config.model_prompt.wrap(prompt))],
            step::params(Some(MAX_TOKENS), stop, None),
            Some(reference),
        )
    }

    /// The next query, if the episode still has one to ask.
    fn next_query(&self) -> Result<Option<Step>, Error> {
        let k = self.answers.len();
        Ok(match &self.item {
            Item::Convfinqa { turns, .. } => match turns.get(k) {
                None => None,
                Some(turn) => {
                    let query = if k == 0 {
                        turn.query.clone()
                    } else {
                        let earlier: BTreeMap<String, String> = self
                            .answers
                            .iter()
                            .enumerate()
                            .map(|(i, a)| (format!("answer{i}"), a.clone()))
                            .collect();
                        pyformat::format(&turn.query, &earlier).map_err(|e| {
                            Error::new(format!(
                                "turn {k} ({}): cannot fill the query: {e}",
                                turn.id
                            ))
                        })?
                    };
                    Some(self.ask(&query, turn.answer.clone()))
                }
            },
            Item::Trading { ticker, days } => {
                if k + 1 >= days.len() {
                    None
                } else {
                    let decisions: Vec<Decision> = self
                        .decisions
                        .iter()
                        .map(|d| d.unwrap_or(Decision::Hold))
                        .collect();
                    let prompt = trading::prompt(ticker, days, k, &decisions);
                    let best = trading::oracle(days[k].price, days[k + 1].price);
                    Some(self.ask(&prompt, trading::reference_answer(best)))
                }
            }
            single if k == 0 => {
                let (query, reference) = single_query(single);
                Some(self.ask(&query, reference))
            }
            _ => None,
        })
    }

    fn score(&self) -> Step {
        score(
            &self.task,
            &self.item,
            self.rules,
            self.config.mode,
            &self.answers,
            &self.decisions,
        )
    }
}

impl Episode for FinBenEpisode {
    fn step(&mut self, answer: Option<Answer>) -> Result<Step, Error> {
        if answer.is_some() {
            let text = step::text_answer(answer)?;
            if matches!(self.item, Item::Trading { .. }) {
                self.decisions.push(trading::parse_decision(&text));
            }
            self.answers.push(text);
        }
        match self.next_query()? {
            Some(q) => Ok(q),
            None => Ok(self.score()),
        }
    }
}

/// The prompt and reference answer of a single-query sample.
fn single_query(item: &Item) -> (String, String) {
    match item {
        Item::Classification {
            query,
            choices,
            gold,
        }
        | Item::StockMovement {
            query,
            choices,
            gold,
        } => (query.clone(), choices[*gold].clone()),
        Item::Ner { query, answer, .. }
        | Item::Qa { query, answer }
        | Item::AbstractiveSummarization { query, answer } => (query.clone(), answer.clone()),
        Item::SequentialLabeling {
            query,
            token,
            label,
        } => (query.clone(), gold_lines(token, label)),
        Item::RelationExtraction { query, label } => (query.clone(), label.join("\n")),
        Item::Tsa {
            query, answer_text, ..
        } => (query.clone(), answer_text.clone()),
        Item::ExtractiveSummarization { query, label, .. } => (
            query.clone(),
            label
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Item::Convfinqa { .. } | Item::Trading { .. } => unreachable!("multi-query items"),
    }
}

fn indicator(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// `QA.process_results`: the stripped answer equals the gold string.
pub fn qa_correct(answer: &str, gold: &str) -> bool {
    pyunicode::strip(answer) == gold
}

/// The choices as compared in `mode` (lower-cased unless CFA in corrected mode).
pub fn compared_choices(choices: &[String], rules: Rules, mode: Mode) -> (Vec<String>, bool) {
    let keep_case = mode == Mode::Corrected && rules == Rules::Cfa;
    (
        choices
            .iter()
            .map(|c| classify::normalize(c, keep_case))
            .collect(),
        keep_case,
    )
}

/// Scores a finished sample from the model's answers.
pub fn score(
    task: &str,
    item: &Item,
    rules: Rules,
    mode: Mode,
    answers: &[String],
    decisions: &[Option<Decision>],
) -> Step {
    let family = item.family().name();
    let first = answers.first().map(String::as_str).unwrap_or("");
    match item {
        Item::Classification { choices, gold, .. } => {
            let (choices, keep_case) = compared_choices(choices, rules, mode);
            let pred = classify::classify(first, &choices, keep_case, mode);
            let gold = &choices[*gold];
            step::done(
                &[
                    ("acc", indicator(pred.label == *gold)),
                    ("missing", indicator(pred.missing)),
                ],
                Some(pred.label.clone()),
                &json!({"family": family, "task": task, "pred": pred.label, "gold": gold}),
            )
        }
        Item::StockMovement { choices, gold, .. } => {
            let (choices, _) = compared_choices(choices, Rules::Plain, mode);
            let rule = match rules {
                Rules::Stock(r) => r,
                _ => &tasks::RISE_FALL,
            };
            let pred = classify::stock_movement(first, &choices, rule, mode);
            let gold = &choices[*gold];
            step::done(
                &[
                    ("acc", indicator(pred.label == *gold)),
                    ("missing", indicator(pred.missing)),
                ],
                Some(pred.label.clone()),
                &json!({"family": family, "task": task, "pred": pred.label, "gold": gold}),
            )
        }
        Item::Ner { text, label, .. } => {
            let pred = ner::tags(first, text, mode);
            let f1 =
                seqeval::micro_scores(std::slice::from_ref(label), std::slice::from_ref(&pred))
                    .map(|s| s.f1)
                    .unwrap_or(0.0);
            step::done(
                &[("entity_f1", f1)],
                Some(pred.join(" ")),
                &json!({"family": family, "task": task, "pred": pred, "gold": label}),
            )
        }
        Item::SequentialLabeling { token, label, .. } => {
            let lines = seqlabel::line_labels(first, token, mode);
            let map = match rules {
                Rules::Labels(m) => m,
                _ => tasks::FINER_ORD,
            };
            let tags = seqlabel::entity_tags(&lines, map);
            let f1 =
                seqeval::micro_scores(std::slice::from_ref(label), std::slice::from_ref(&tags))
                    .map(|s| s.f1)
                    .unwrap_or(0.0);
            step::done(
                &[("entity_f1", f1)],
                Some(tags.join(" ")),
                &json!({"family": family, "task": task, "lines": lines, "gold": label}),
            )
        }
        Item::RelationExtraction { label, .. } => {
            let lines = relation::lines(first, mode);
            let doc = relation::corpus(&[(label.clone(), lines.clone())], mode);
            let mut metrics = Vec::new();
            if let Some(f1) = doc.f1 {
                metrics.push(("f1", f1));
            }
            step::done(
                &metrics,
                Some(lines.join("\n")),
                &json!({"family": family, "task": task, "lines": lines, "gold": label}),
            )
        }
        Item::Qa { answer, .. } => step::done(
            &[("acc", indicator(qa_correct(first, answer)))],
            Some(pyunicode::strip(first).to_string()),
            &json!({"family": family, "task": task}),
        ),
        Item::Convfinqa { dialogue_id, turns } => {
            let per_turn: Vec<serde_json::Value> = turns
                .iter()
                .zip(answers)
                .map(|(t, a)| {
                    json!({"id": t.id, "answer": t.answer, "response": a, "acc": indicator(qa_correct(a, &t.answer))})
                })
                .collect();
            let correct = turns
                .iter()
                .zip(answers)
                .filter(|(t, a)| qa_correct(a, &t.answer))
                .count();
            step::done(
                &[("acc", correct as f64 / turns.len().max(1) as f64)],
                answers.last().map(|a| pyunicode::strip(a).to_string()),
                &json!({"family": family, "task": task, "dialogue_id": dialogue_id, "turns": per_turn}),
            )
        }
        Item::Tsa { answer, .. } => {
            let pred = tsa::read(first, mode);
            let mut metrics = vec![("missing", indicator(pred.is_none()))];
            if let Some(p) = pred {
                let e = tsa::clip(p) - answer;
                metrics.push(("squared_error", e * e));
            }
            step::done(
                &metrics,
                pred.map(|p| format!("{p}")),
                &json!({"family": family, "task": task, "pred": pred, "gold": answer}),
            )
        }
        Item::AbstractiveSummarization { answer, .. } => {
            let r = summarize::rouge(answer, first);
            step::done(
                &[
                    ("rouge1", r.rouge1),
                    ("rouge2", r.rouge2),
                    ("rougeL", r.rouge_l),
                ],
                Some(first.to_string()),
                &json!({"family": family, "task": task}),
            )
        }
        Item::ExtractiveSummarization { text, label, .. } => {
            let gold = summarize::gold_summary(text, label);
            let pred = summarize::predicted_summary(text, first, mode);
            let r = summarize::rouge(&gold, &pred);
            step::done(
                &[
                    ("rouge1", r.rouge1),
                    ("rouge2", r.rouge2),
                    ("rougeL", r.rouge_l),
                ],
                Some(pred.clone()),
                &json!({"family": family, "task": task, "summary": pred}),
            )
        }
        Item::Trading { ticker, days } => {
            let prices: Vec<f64> = days.iter().map(|d| d.price).collect();
            let positions: Vec<i32> = decisions
                .iter()
                .map(|d| d.map_or(0, Decision::position))
                .collect();
            let m = trading::metrics(&prices, &positions, mode);
            let invalid = decisions.iter().filter(|d| d.is_none()).count();
            let mut metrics = vec![
                ("cumulative_return", m.cumulative_return),
                ("max_drawdown", m.max_drawdown),
                (
                    "invalid_decisions",
                    invalid as f64 / decisions.len().max(1) as f64,
                ),
            ];
            for (name, v) in [
                ("sharpe_ratio", m.sharpe_ratio),
                ("daily_volatility", m.daily_volatility),
                ("annualized_volatility", m.annualized_volatility),
            ] {
                if let Some(v) = v {
                    metrics.push((name, v));
                }
            }
            let hold = trading::metrics(&prices, &vec![1; prices.len() - 1], mode);
            let names: Vec<&str> = decisions
                .iter()
                .map(|d| d.map_or("none", Decision::name))
                .collect();
            step::done(
                &metrics,
                Some(names.join(",")),
                &json!({
                    "family": family,
                    "task": task,
                    "ticker": ticker,
                    "prompt_version": trading::PROMPT_VERSION,
                    "dates": days.iter().map(|d| d.date.as_str()).collect::<Vec<_>>(),
                    "positions": positions,
                    "metrics": m,
                    "buy_and_hold": hold,
                }),
            )
        }
    }
}
