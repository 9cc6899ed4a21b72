//! FinTrade: single-stock trading as a multi-step episode, one buy/sell/hold
//! decision per trading day, scored on the price series.
//!
//! PIXIU runs FinTrade through the FinMem agent (memory layers, reflection,
//! guardrails); this plugin does not reproduce the agent. It keeps the task's
//! data (the daily price, news and filings of one ticker), the decision
//! format (`{"investment_decision": "buy" | "sell" | "hold", ...}`), FinMem's
//! mapping of decisions to positions (buy = +1, sell = −1, hold or an
//! unusable answer = 0) and the metric code of FinMem's
//! `data-pipeline/07-metrics.py`, and asks the model with its own prompt
//! ([`PROMPT_VERSION`]).
//!
//! With prices `p_0 … p_{n−1}` and positions `a_0 … a_{n−2}` (the decision
//! of day *t* holds from close *t* to close *t+1*; the last day needs none):
//!
//! * daily return `r_t = a_t · ln(p_{t+1} / p_t)`;
//! * cumulative return `CR = Σ r_t`;
//! * daily volatility `DV` = sample standard deviation of the `r_t`
//!   (divisor `n − 2`; undefined for fewer than two returns);
//! * annualised volatility `AV = DV · √252`;
//! * Sharpe ratio, risk-free rate 0: reference `(CR / (n / 252)) / AV` —
//!   FinMem annualises with the number of *prices* `n`; corrected
//!   `(CR / ((n − 1) / 252)) / AV`, the mean daily return · √252 / DV.
//!   Undefined when `DV` is 0 or undefined (FinMem raises);
//! * maximum drawdown: reference over the wealth curve `w_0 = 1`,
//!   `w_{t+1} = w_t · (1 + r_t)` (FinMem treats the log returns as simple
//!   returns); corrected over `w_t = exp(Σ_{s<t} r_s)`; in both
//!   `max_t (peak_t − w_t) / peak_t` with the running peak from `w_0`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Mode;

/// The version of the trading prompt (a change is a new plugin version).
pub const PROMPT_VERSION: &str = "finben-trading-v1";

/// Trading days in a year (FinMem's annualisation constant).
pub const TRADING_DAYS: f64 = 252.0;

/// Days of price history shown in the prompt.
pub const HISTORY_DAYS: usize = 5;

/// One trading day of a window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Day {
    /// The row's `id` (or its row index).
    pub id: String,
    /// The date as the data gives it.
    pub date: String,
    /// Closing price.
    pub price: f64,
    /// The day's news items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub news: Vec<String>,
    /// The 10-K filing text, if the row has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filing_k: Option<String>,
    /// The 10-Q filing text, if the row has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filing_q: Option<String>,
}

/// A model's decision for one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Long one unit for the next day (+1).
    Buy,
    /// Short one unit for the next day (−1).
    Sell,
    /// No position (0).
    Hold,
}

impl Decision {
    /// FinMem's `direction`.
    pub fn position(self) -> i32 {
        match self {
            Decision::Buy => 1,
            Decision::Sell => -1,
            Decision::Hold => 0,
        }
    }

    /// The decision's name.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Buy => "buy",
            Decision::Sell => "sell",
            Decision::Hold => "hold",
        }
    }

    fn from_word(word: &str) -> Option<Decision> {
        match word.trim().to_ascii_lowercase().as_str() {
            "buy" => Some(Decision::Buy),
            "sell" => Some(Decision::Sell),
            "hold" => Some(Decision::Hold),
            _ => None,
        }
    }
}

/// The decision an answer gives: the `investment_decision` of a JSON object
/// (the whole answer, a fenced ```` ```json ```` block, or the text from the
/// first `{` to the last `}`), else an answer that is just `buy`, `sell` or
/// `hold`; case and surrounding spaces are ignored. `None` when the answer
/// gives none (it then counts as hold, as FinMem's empty result does).
pub fn parse_decision(answer: &str) -> Option<Decision> {
    let mut text = answer.trim();
    if let Some(rest) = text.strip_prefix("```") {
        let rest = rest.split_once('\n').map_or("", |(_, body)| body);
        text = rest.trim_end().strip_suffix("```").unwrap_or(rest).trim();
    }
    let from_json = |s: &str| {
        serde_json::from_str::<Value>(s).ok().and_then(|v| {
            v.get("investment_decision")
                .and_then(Value::as_str)
                .and_then(Decision::from_word)
        })
    };
    if let Some(d) = from_json(text) {
        return Some(d);
    }
    if let (Some(open), Some(close)) = (text.find('{'), text.rfind('}'))
        && open < close
        && let Some(d) = from_json(&text[open..=close])
    {
        return Some(d);
    }
    Decision::from_word(text.trim_end_matches('.'))
}

/// The best decision in hindsight (the `gold` model's): buy before a rise,
/// sell before a fall, hold when the price does not move.
pub fn oracle(today: f64, tomorrow: f64) -> Decision {
    if tomorrow > today {
        Decision::Buy
    } else if tomorrow < today {
        Decision::Sell
    } else {
        Decision::Hold
    }
}

/// The answer the `gold` model gives for a decision.
pub fn reference_answer(decision: Decision) -> String {
    format!(
        "{{\"investment_decision\": \"{}\", \"summary_reason\": \"The price moves that way next.\"}}",
        decision.name()
    )
}

/// Daily returns `a_t · ln(p_{t+1} / p_t)`.
pub fn daily_returns(prices: &[f64], positions: &[i32]) -> Vec<f64> {
    prices
        .windows(2)
        .zip(positions)
        .map(|(p, a)| f64::from(*a) * (p[1] / p[0]).ln())
        .collect()
}

/// The trading metrics of one window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Sum of daily log returns.
    pub cumulative_return: f64,
    /// Sharpe ratio (risk-free 0), when the volatility is defined and not 0.
    pub sharpe_ratio: Option<f64>,
    /// Sample standard deviation of daily returns (two returns or more).
    pub daily_volatility: Option<f64>,
    /// Daily volatility · √252.
    pub annualized_volatility: Option<f64>,
    /// Largest peak-to-trough fall of the wealth curve, as a fraction.
    pub max_drawdown: f64,
}

fn py_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(0.0, |acc, v| acc + v)
}

/// The metrics of a window's prices under the given positions.
pub fn metrics(prices: &[f64], positions: &[i32], mode: Mode) -> Metrics {
    let r = daily_returns(prices, positions);
    let cumulative_return = py_sum(r.iter().copied());
    let daily_volatility = (r.len() >= 2).then(|| {
        let mean = py_sum(r.iter().copied()) / r.len() as f64;
        let var = py_sum(r.iter().map(|x| (x - mean) * (x - mean))) / (r.len() - 1) as f64;
        var.sqrt()
    });
    let annualized_volatility = daily_volatility.map(|dv| dv * TRADING_DAYS.sqrt());
    let periods = match mode {
        Mode::Reference => prices.len() as f64,
        Mode::Corrected => r.len() as f64,
    };
    let sharpe_ratio = annualized_volatility
        .filter(|av| *av != 0.0)
        .map(|av| (cumulative_return / (periods / TRADING_DAYS) - 0.0) / av);
    let mut wealth = vec![1.0];
    let mut log_wealth = 0.0;
    for x in &r {
        let next = match mode {
            Mode::Reference => wealth[wealth.len() - 1] * (1.0 + x),
            Mode::Corrected => {
                log_wealth += x;
                f64::exp(log_wealth)
            }
        };
        wealth.push(next);
    }
    let mut peak = wealth[0];
    let mut max_drawdown = 0.0;
    for w in &wealth {
        if *w > peak {
            peak = *w;
        }
        let dd = (peak - w) / peak;
        if dd > max_drawdown {
            max_drawdown = dd;
        }
    }
    Metrics {
        cumulative_return,
        sharpe_ratio,
        daily_volatility,
        annualized_volatility,
        max_drawdown,
    }
}

fn price_text(p: f64) -> String {
    format!("{p}")
}

/// The day-`k` prompt of a window (0-based; `k < days.len() − 1`), given
/// the decisions of the days before.
pub fn prompt(ticker: &str, days: &[Day], k: usize, decisions: &[Decision]) -> String {
    let day = &days[k];
    let mut s = format!(
        "You are trading one stock, {ticker}, one day at a time. Today is {} \
         (trading day {} of {}).\nToday's closing price: {}\n",
        day.date,
        k + 1,
        days.len() - 1,
        price_text(day.price)
    );
    let from = k.saturating_sub(HISTORY_DAYS);
    if from < k {
        let history: Vec<String> = days[from..k]
            .iter()
            .map(|d| format!("{}: {}", d.date, price_text(d.price)))
            .collect();
        s.push_str(&format!(
            "Closing prices of the previous {} trading days, oldest first: {}\n",
            k - from,
            history.join("; ")
        ));
    }
    if decisions.is_empty() {
        s.push_str("You have made no decision yet.\n");
    } else {
        let prices: Vec<f64> = days[..=k].iter().map(|d| d.price).collect();
        let positions: Vec<i32> = decisions.iter().map(|d| d.position()).collect();
        let cr = py_sum(daily_returns(&prices, &positions));
        let recent: Vec<&str> = decisions[decisions.len().saturating_sub(HISTORY_DAYS)..]
            .iter()
            .map(|d| d.name())
            .collect();
        s.push_str(&format!(
            "Your last {} decisions, oldest first: {}\nYour cumulative return so far \
             (sum of the daily log returns of your positions): {cr:.6}\n",
            recent.len(),
            recent.join(", ")
        ));
    }
    if day.news.is_empty() {
        s.push_str("\nNo news today.\n");
    } else {
        s.push_str("\nNews today:\n");
        for n in &day.news {
            s.push_str(&format!("- {n}\n"));
        }
    }
    if let Some(k10) = &day.filing_k {
        s.push_str(&format!(
            "\n10-K filing (annual report) published today:\n{k10}\n"
        ));
    }
    if let Some(q10) = &day.filing_q {
        s.push_str(&format!(
            "\n10-Q filing (quarterly report) published today:\n{q10}\n"
        ));
    }
    s.push_str(
        "\nDecide your position from today's close to the next trading day's close: \
         \"buy\" (long one share), \"sell\" (short one share) or \"hold\" (no position). \
         Your return for the day is the log change of the price times +1 for buy, -1 for \
         sell and 0 for hold.\nAnswer with JSON only, in this form: \
         {\"investment_decision\": \"buy\", \"summary_reason\": \"one or two sentences\"}",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_from_answers() {
        assert_eq!(
            parse_decision(r#"{"investment_decision": "buy"}"#),
            Some(Decision::Buy)
        );
        assert_eq!(
            parse_decision(
                "```json\n{\"investment_decision\": \"Sell\", \"summary_reason\": \"x\"}\n```"
            ),
            Some(Decision::Sell)
        );
        assert_eq!(
            parse_decision("Sure! {\"investment_decision\": \"hold\"} Hope it helps"),
            Some(Decision::Hold)
        );
        assert_eq!(parse_decision(" HOLD. "), Some(Decision::Hold));
        assert_eq!(parse_decision("I would buy"), None);
        assert_eq!(parse_decision(r#"{"investment_decision": "long"}"#), None);
        assert_eq!(parse_decision(""), None);
    }

    #[test]
    fn metrics_follow_finmem() {
        // python3 with FinMem's 07-metrics.py formulas on these values:
        // price = [10, 11, 10.5, 12]; actions = [1, -1, 1]
        let prices = [10.0, 11.0, 10.5, 12.0];
        let m = metrics(&prices, &[1, -1, 1], Mode::Reference);
        let r = [(1.1f64).ln(), -(10.5f64 / 11.0).ln(), (12.0f64 / 10.5).ln()];
        assert!((m.cumulative_return - (r[0] + r[1] + r[2])).abs() < 1e-15);
        let dv = m.daily_volatility.unwrap();
        let av = m.annualized_volatility.unwrap();
        assert!((av - dv * 252f64.sqrt()).abs() < 1e-15);
        let sr = m.sharpe_ratio.unwrap();
        assert!((sr - m.cumulative_return / (4.0 / 252.0) / av).abs() < 1e-12);
        let c = metrics(&prices, &[1, -1, 1], Mode::Corrected);
        assert!((c.sharpe_ratio.unwrap() - m.cumulative_return / (3.0 / 252.0) / av).abs() < 1e-12);
        // All hold: volatility 0, no Sharpe ratio; one return: no volatility.
        let h = metrics(&prices, &[0, 0, 0], Mode::Reference);
        assert_eq!(
            (h.cumulative_return, h.daily_volatility, h.sharpe_ratio),
            (0.0, Some(0.0), None)
        );
        let one = metrics(&[10.0, 11.0], &[1], Mode::Reference);
        assert_eq!(one.daily_volatility, None);
        // Drawdown: a long position through a fall.
        let d = metrics(&[10.0, 8.0, 9.0], &[1, 0], Mode::Reference);
        assert!((d.max_drawdown - -(0.8f64.ln())).abs() < 1e-15);
        let d = metrics(&[10.0, 8.0, 9.0], &[1, 0], Mode::Corrected);
        assert!((d.max_drawdown - 0.2).abs() < 1e-15);
        assert_eq!(oracle(1.0, 2.0), Decision::Buy);
        assert_eq!(
            parse_decision(&reference_answer(Decision::Sell)),
            Some(Decision::Sell)
        );
    }
}
