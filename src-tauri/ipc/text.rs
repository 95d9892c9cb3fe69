//! A message for people as it crosses to the UI: its code and parameters, which the UI renders in
//! the person's language (`ui/src/lib/i18n`, keys `engine.CODE`), and the English sentence, shown
//! for a code the UI does not know.

use std::collections::BTreeMap;

use roster_core::text::Text;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A message: `{ code, params, text }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TextDto {
    /// The stable code (`membership.reason.sameValue`); `plain` for words without a code of their
    /// own (Graph's), shown as they are.
    pub code: String,
    /// Named parameters of the sentence.
    pub params: BTreeMap<String, String>,
    /// The English sentence.
    pub text: String,
}

impl From<&Text> for TextDto {
    fn from(text: &Text) -> Self {
        Self {
            code: text.code.clone(),
            params: text.params.clone(),
            text: text.english.clone(),
        }
    }
}

impl TextDto {
    /// A message as the job history stores it (a row's reason).
    pub fn from_stored(stored: &str) -> Self {
        Self::from(&Text::from_stored(stored))
    }
}

#[cfg(test)]
mod tests {
    use roster_jobs::DOWNLOAD_TEXT_CODES;
    use roster_jobs::membership::{RowState, TEXT_CODES};

    /// Every code the engines word messages with has an English and a Dutch entry (`engine.CODE`).
    #[test]
    fn every_engine_code_is_translated() {
        let codes: Vec<String> = TEXT_CODES
            .iter()
            .chain(DOWNLOAD_TEXT_CODES)
            .chain(roster_app::TEXT_CODES)
            .chain(roster_app::review::REVIEW_TEXT_CODES)
            .chain(roster_app::review::RULE_TEXT_CODES)
            .chain(["app.reviewClosed"].iter())
            .chain(crate::ipc::FILE_TEXT_CODES)
            .chain(crate::state::UPDATE_TEXT_CODES)
            .chain(roster_core::job::TITLE_CODES)
            .map(|c| (*c).to_owned())
            .chain(RowState::ALL.iter().map(|s| s.reason().code))
            .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/i18n");
        for language in ["en.ts", "nl.ts"] {
            let dictionary = std::fs::read_to_string(root.join(language)).unwrap();
            for code in &codes {
                assert!(
                    dictionary.contains(&format!("'engine.{code}':")),
                    "{language} has no 'engine.{code}'"
                );
            }
        }
    }
}
