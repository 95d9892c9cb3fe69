//! Messages for people as codes with parameters. The engines say what happened as a [`Text`]: a
//! stable code and named parameters, which a front end renders in the person's language (the
//! desktop app's English and Dutch dictionaries), and the English sentence, which the CLI, logs and
//! results files use and which a front end shows for a code it does not know.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// A message: code, parameters, and its English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The stable code (`membership.reason.duplicateLine`), the key of its translations.
    pub code: String,
    /// Named parameters the sentence is made from (`{ "line": "4" }`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// The English sentence.
    pub english: String,
}

impl Text {
    /// A message with no parameters.
    pub fn new(code: &str, english: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            params: BTreeMap::new(),
            english: english.into(),
        }
    }

    /// Adds parameter `name`.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    /// Text that has no code of its own (words from Graph, or stored by an older version):
    /// shown as it is, in every language.
    pub fn plain(english: impl Into<String>) -> Self {
        let english = english.into();
        Self::new(PLAIN, english.clone()).with("text", english)
    }

    /// The message as stored (JSON), so a stored reason keeps its code.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| self.english.clone())
    }

    /// A message as stored by [`Text::to_stored`]; anything else (older plain sentences) is
    /// [`Text::plain`].
    pub fn from_stored(stored: &str) -> Self {
        serde_json::from_str(stored).unwrap_or_else(|_| Self::plain(stored))
    }
}

/// `text` with a capital first letter: the engines word messages in lower case (the CLI's style)
/// and front ends and results files show sentences.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The code of [`Text::plain`]: front ends show its `text` parameter.
pub const PLAIN: &str = "plain";

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

impl Deref for Text {
    type Target = str;

    /// A message reads as its English sentence (for logs, files and tests).
    fn deref(&self) -> &str {
        &self.english
    }
}

/// Serde for a [`Text`] field as its English sentence (`#[serde(with = "as_english")]`): JSON a
/// script reads keeps the plain sentence it always had; read back, it is [`Text::plain`].
pub mod as_english {
    use super::Text;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the English sentence.
    pub fn serialize<S: Serializer>(text: &Text, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&text.english)
    }

    /// Reads a sentence as [`Text::plain`].
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        String::deserialize(deserializer).map(Text::plain)
    }
}

/// Serde for a list of [`Text`]s as their English sentences (see [`as_english`]).
pub mod as_english_list {
    use super::Text;
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the English sentences.
    pub fn serialize<S: Serializer>(texts: &[Text], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(texts.len()))?;
        for text in texts {
            seq.serialize_element(&text.english)?;
        }
        seq.end()
    }

    /// Reads sentences as [`Text::plain`]s.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Text>, D::Error> {
        Vec::<String>::deserialize(deserializer).map(|v| v.into_iter().map(Text::plain).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_start_with_a_capital() {
        assert_eq!(sentence("contains spaces"), "Contains spaces");
        assert_eq!(sentence("the file is empty"), "The file is empty");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn texts_keep_their_code_through_storage_and_read_as_english() {
        let text =
            Text::new("membership.reason.duplicateLine", "Same value as line 4").with("line", 4);
        let back = Text::from_stored(&text.to_stored());
        assert_eq!(back, text);
        assert_eq!(back.params["line"], "4");
        assert!(back.contains("line 4"));
        assert_eq!(back.to_string(), "Same value as line 4");
        let old = Text::from_stored("Added to the group");
        assert_eq!(
            (old.code.as_str(), old.english.as_str()),
            (PLAIN, "Added to the group")
        );
        assert_eq!(old.params["text"], "Added to the group");
    }

    #[test]
    fn fields_written_as_english_keep_the_json_scripts_read() {
        #[derive(Serialize, Deserialize)]
        struct Row {
            #[serde(with = "as_english")]
            reason: Text,
            #[serde(with = "as_english_list")]
            notices: Vec<Text>,
        }
        let row = Row {
            reason: Text::new("a.b", "Added").with("x", 1),
            notices: vec![Text::new("c.d", "Note")],
        };
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"reason": "Added", "notices": ["Note"]})
        );
        let back: Row = serde_json::from_value(json).unwrap();
        assert_eq!(back.reason.english, "Added");
    }
}
