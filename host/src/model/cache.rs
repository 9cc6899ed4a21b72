//! The request cache: answers of server models in SQLite, keyed by the
//! sha256 of the model's identity and the canonical request, so that
//! re-running a finished run asks the model nothing.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::codec::{answer_from_json, answer_json, query_json};
use crate::run::AnswerStore;
use crate::runtime::wit::{Answer, Query};

use super::{Model, ModelRequest};

/// Failures opening the cache.
#[derive(Debug, thiserror::Error)]
#[error("request cache {}: {message}", path.display())]
pub struct CacheError {
    /// The database file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// A SQLite file of answers.
pub struct RequestCache {
    path: PathBuf,
    db: Mutex<Connection>,
}

impl RequestCache {
    /// Opens (creating if needed) the cache at `path`.
    ///
    /// # Errors
    /// [`CacheError`] when the file cannot be opened or is not a cache.
    pub fn open(path: &Path) -> Result<Self, CacheError> {
        let fail = |e: rusqlite::Error| CacheError {
            path: path.into(),
            message: e.to_string(),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CacheError {
                path: path.into(),
                message: e.to_string(),
            })?;
        }
        let db = Connection::open(path).map_err(fail)?;
        db.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(fail)?;
        db.pragma_update(None, "journal_mode", "WAL")
            .map_err(fail)?;
        db.pragma_update(None, "synchronous", "NORMAL")
            .map_err(fail)?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS answers (
                key TEXT PRIMARY KEY,
                model TEXT NOT NULL,
                answer TEXT NOT NULL
            )",
        )
        .map_err(fail)?;
        Ok(RequestCache {
            path: path.into(),
            db: Mutex::new(db),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The cache key: sha256 over the model identity and the request as the
    /// model will run it (decoding parameters after the user's overrides),
    /// with what does not change the answer removed (the gold-only
    /// `reference`; the seed unless sampling).
    pub fn key(model: &dyn Model, request: &ModelRequest) -> String {
        let mut effective = request.query.clone();
        let sampling = match &mut effective {
            Query::Generate(g) | Query::Judge(g) => {
                g.params = model.effective_params(&g.params);
                g.params.temperature.is_some_and(|t| t > 0.0)
            }
            Query::Choose(_) => false,
        };
        let mut query = query_json(&effective);
        query
            .as_object_mut()
            .expect("an object")
            .remove("reference");
        let canonical = serde_json::json!({
            "model": model.identity(),
            "query": query,
            "seed": if sampling { Some(request.seed) } else { None },
        });
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }

    fn get(&self, key: &str) -> Option<Answer> {
        let db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let text: Option<String> = db
            .query_row(
                "SELECT answer FROM answers WHERE key = ?1",
                params![key],
                |row| row.get(0),
            )
            .optional()
            .ok()
            .flatten();
        text.and_then(|t| serde_json::from_str(&t).ok())
            .and_then(|v| answer_from_json(&v).ok())
    }

    fn put(&self, key: &str, model: &str, answer: &Answer) {
        let db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        // A cache that cannot be written only costs a repeated call later.
        let _ = db.execute(
            "INSERT OR REPLACE INTO answers (key, model, answer) VALUES (?1, ?2, ?3)",
            params![key, model, answer_json(answer).to_string()],
        );
    }
}

impl AnswerStore for RequestCache {
    fn lookup(&self, model: &dyn Model, request: &ModelRequest) -> Option<Answer> {
        if !model.cacheable() {
            return None;
        }
        self.get(&Self::key(model, request))
    }

    fn record(&self, model: &dyn Model, request: &ModelRequest, answer: &Answer) {
        if model.cacheable() && !matches!(answer, Answer::Failed(_)) {
            self.put(&Self::key(model, request), &model.identity(), answer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Reply, answer_now};
    use crate::runtime::wit::{GenerateRequest, GenerationParams, Message};

    struct Cached;
    impl Model for Cached {
        fn spec(&self) -> String {
            "test".into()
        }
        fn answer(&self, _: &ModelRequest) -> Reply {
            Reply::Now(Ok(Answer::Text("fresh".into())))
        }
        fn cacheable(&self) -> bool {
            true
        }
    }

    fn request(
        sample: &str,
        reference: Option<&str>,
        temperature: Option<f32>,
        seed: u64,
    ) -> ModelRequest {
        ModelRequest {
            benchmark: "b".into(),
            sample: sample.into(),
            step: 0,
            kind_index: 0,
            seed,
            query: Query::Generate(GenerateRequest {
                messages: vec![Message {
                    role: "user".into(),
                    content: "2+2?".into(),
                }],
                params: GenerationParams {
                    max_tokens: Some(4),
                    stop: vec![],
                    temperature,
                },
                reference: reference.map(str::to_owned),
            }),
        }
    }

    #[test]
    fn answers_come_back_by_request_not_by_sample_or_reference() {
        let dir = tempfile::tempdir().unwrap();
        let cache = RequestCache::open(&dir.path().join("c.sqlite")).unwrap();
        let a = request("s1", Some("4"), None, 1);
        assert_eq!(cache.lookup(&Cached, &a), None);
        let answer = answer_now(&Cached, &a).unwrap();
        cache.record(&Cached, &a, &answer);
        // Same prompt from another sample, another seed, no reference: a hit.
        assert_eq!(
            cache.lookup(&Cached, &request("s2", None, None, 99)),
            Some(answer.clone())
        );
        // Sampling makes the seed part of the request.
        let hot = request("s1", None, Some(0.7), 1);
        cache.record(&Cached, &hot, &answer);
        assert_eq!(
            cache.lookup(&Cached, &request("s1", None, Some(0.7), 2)),
            None
        );
        // It persists.
        drop(cache);
        let again = RequestCache::open(&dir.path().join("c.sqlite")).unwrap();
        assert_eq!(again.lookup(&Cached, &a), Some(answer));
    }

    /// A model that applies `--temperature 0.7` over the benchmark's greedy
    /// request.
    struct Overriding;
    impl Model for Overriding {
        fn spec(&self) -> String {
            "test".into()
        }
        fn answer(&self, _: &ModelRequest) -> Reply {
            Reply::Now(Ok(Answer::Text("sampled".into())))
        }
        fn cacheable(&self) -> bool {
            true
        }
        fn effective_params(&self, params: &GenerationParams) -> GenerationParams {
            GenerationParams {
                temperature: Some(0.7),
                ..params.clone()
            }
        }
    }

    #[test]
    fn user_overrides_are_part_of_the_key() {
        let greedy = request("s1", None, None, 1);
        // The override changes the key, and makes the seed count.
        assert_ne!(
            RequestCache::key(&Cached, &greedy),
            RequestCache::key(&Overriding, &greedy)
        );
        assert_ne!(
            RequestCache::key(&Overriding, &greedy),
            RequestCache::key(&Overriding, &request("s1", None, None, 2))
        );
        assert_eq!(
            RequestCache::key(&Cached, &greedy),
            RequestCache::key(&Cached, &request("s1", None, None, 2))
        );
    }
}
