//! Metrics of the reference implementations, with their exact semantics,
//! for scorebox plugins: a companion crate of `scorebox-sdk` (see the SDK
//! README for why it is separate).
//!
//! * [`classification`]: scikit-learn's `accuracy_score` and macro-F1 over
//!   string labels, with NumPy's pairwise sum;
//! * [`sklearn`]: scikit-learn's F1 over a label list (weighted, macro),
//!   `matthews_corrcoef`, `mean_squared_error`;
//! * [`squad`]: SQuAD / ReCoRD answer normalisation, exact match and token F1
//!   with Python's semantics;
//! * [`seqeval`]: seqeval's entity-level (conlleval) precision, recall, F1;
//! * [`rouge`]: Google `rouge-score`'s tokenizer, ROUGE-N and ROUGE-L (and
//!   Lsum), and the `rouge` package's (pltrdy) ROUGE-N and ROUGE-L.

#![deny(missing_docs)]

pub mod classification;
pub mod rouge;
pub mod seqeval;
pub mod sklearn;
pub mod squad;
