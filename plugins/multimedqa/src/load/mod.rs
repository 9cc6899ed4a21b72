//! The loader: each data file is given to the set its path names
//! ([`crate::sets::family_from_path`]), parsed in that set's official
//! layouts, and its usable rows become samples with the dataset's own ids.

mod choice;
mod longform;
mod pubmedqa;
mod records;

use std::collections::{BTreeMap, BTreeSet};

use scorebox_sdk::data::{FieldError, RowRef};
use scorebox_sdk::{DataFile, Error, Loaded, LoadedSet, Sample};

use crate::Sets;
use crate::item::Item;
use crate::sets::{Family, Set, family_from_path};

/// A row's sample before it gets its id.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The dataset's own id (MedMCQA `id`, PubMedQA PMID, MedQA `id`), if any.
    pub own_id: Option<String>,
    /// The sample's fields.
    pub item: Item,
}

/// One row of a data file, parsed.
#[derive(Debug)]
pub(crate) struct Row<'a> {
    /// Where it comes from.
    pub at: RowRef<'a>,
    /// Its set, when known (also for a bad row, so index ids do not shift).
    pub set: Option<Set>,
    /// The sample, or what is wrong.
    pub parsed: Result<Parsed, FieldError>,
}

impl<'a> Row<'a> {
    fn bad(at: RowRef<'a>, set: Option<Set>, e: FieldError) -> Row<'a> {
        Row {
            at,
            set,
            parsed: Err(e),
        }
    }
}

/// Loads every file of the selected sets (`sets`): multiple-choice test
/// rows (MedMCQA: validation), PubMedQA's test questions, long-form
/// questions. Files of other splits are skipped; a file no set claims is
/// reported as an invalid row 0.
///
/// # Errors
/// Returns an error when no file belongs to a selected set.
pub fn load(files: &[DataFile], sets: Sets) -> Result<LoadedSet<()>, Error> {
    let mut out: Vec<Loaded> = Vec::new();
    let mut rows: Vec<Row<'_>> = Vec::new();
    let mut claimed = 0usize;
    let mut skipped_families = BTreeSet::new();
    let mut pubmedqa_files = Vec::new();
    for file in files {
        let Some(family) = family_from_path(&file.path) else {
            out.push(Loaded::Invalid(
                RowRef {
                    path: &file.path,
                    row: 0,
                }
                .error(
                    None,
                    "cannot tell which MultiMedQA set this file belongs to: put it under a folder \
                 named medqa/, medmcqa/, pubmedqa/, mmlu/, liveqa/, medicationqa/ or \
                 healthsearchqa/ (see the plugin README for each set's layout)",
                ),
            ));
            continue;
        };
        if !sets.includes(family) {
            skipped_families.insert(format!("{family:?}"));
            continue;
        }
        claimed += 1;
        match family {
            Family::MedQa => rows.extend(choice::medqa_rows(file)),
            Family::MedMcqa => rows.extend(choice::medmcqa_rows(file)),
            Family::Mmlu => rows.extend(choice::mmlu_rows(file)),
            Family::PubMedQa => pubmedqa_files.push(file),
            Family::LongForm(set) => rows.extend(longform::rows(file, set)),
        }
    }
    let (pubmed_rows, pubmed_invalid) = pubmedqa::rows(&pubmedqa_files);
    rows.extend(pubmed_rows);
    out.extend(pubmed_invalid);
    if claimed == 0 {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let hint = if skipped_families.is_empty() {
            String::new()
        } else {
            format!(
                " (files of sets not selected by `sets={}` were skipped: give `-O sets=all` \
                 to load them)",
                sets.name()
            )
        };
        return Err(Error::new(format!(
            "no MultiMedQA data file among {}{hint}; expected e.g. medqa/test.jsonl, \
             medmcqa/validation-*.parquet, pubmedqa/ori_pqal.json with \
             pubmedqa/test_ground_truth.json, mmlu/anatomy/test-*.parquet",
            if paths.is_empty() {
                "the data files (none given)".to_string()
            } else {
                paths.join(", ")
            }
        )));
    }
    out.extend(assign_ids(rows)?);
    Ok(LoadedSet::new(out))
}

/// Gives each row its sample id, `<subtask>/<own id>` or
/// `<subtask>/<n>` (`n` counts the set's rows in file order, bad ones
/// included), and turns it into a sample or an invalid row; a repeated id
/// makes the later row invalid.
fn assign_ids(rows: Vec<Row<'_>>) -> Result<Vec<Loaded>, Error> {
    let mut counters: BTreeMap<Set, u32> = BTreeMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let n = row.set.map(|s| {
            let c = counters.entry(s).or_default();
            *c += 1;
            *c - 1
        });
        let parsed = match row.parsed {
            Ok(p) => p,
            Err(e) => {
                out.push(row.at.invalid(e));
                continue;
            }
        };
        let set = parsed.item.set();
        let local = match (parsed.own_id, n) {
            (Some(own), _) => own,
            (None, Some(n)) => n.to_string(),
            (None, None) => {
                return Err(Error::new(format!(
                    "{}:{}: a parsed row without a set (plugin bug)",
                    row.at.path, row.at.row
                )));
            }
        };
        let id = format!("{}/{local}", set.subtask());
        if let Err(e) = parsed.item.validate() {
            out.push(row.at.invalid(FieldError::row(e)));
            continue;
        }
        if !seen.insert(id.clone()) {
            out.push(row.at.invalid(FieldError::row(format!(
                "duplicate sample id `{id}` (an earlier row has the same id)"
            ))));
            continue;
        }
        let data = serde_json::to_string(&parsed.item)
            .map_err(|e| Error::new(format!("cannot encode sample {id}: {e}")))?;
        out.push(Loaded::Sample(Sample {
            id,
            subtask: set.subtask(),
            target: parsed.item.target(),
            data,
        }));
    }
    Ok(out)
}
