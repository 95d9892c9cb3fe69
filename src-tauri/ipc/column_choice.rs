//! DTOs of the `column_choice_*` commands: the columns last chosen for each kind of download.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::DownloadKindDto;

/// Request of `column_choice_set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnChoiceRequest {
    /// Which download.
    pub kind: DownloadKindDto,
    /// The column spec chosen (`portal`, `all`, `a,b,c` in file order).
    pub spec: String,
}

/// Response of `column_choice_get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnChoiceDto {
    /// The column spec last chosen for that kind of download; absent when none was.
    pub spec: Option<String>,
}
