//! Spreadsheet formula-injection guard ("CSV injection", OWASP).
//!
//! A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a CR may be run as a formula by
//! Excel, LibreOffice or Google Sheets when the CSV is opened. Directory data is partly written
//! by end users (display names, job titles, `otherMails`), so a download must not turn
//! `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` in a user's department into a live formula. The
//! guard prefixes such cells with `'`, which every spreadsheet reads as "this is text".
//!
//! Phone numbers and negative numbers ([`FormulaGuard::Standard`], the default): Entra phone
//! fields are usually `+31 6 12345678` or `+1 (425) 555-0100`, and admins expect to see them as
//! written, not as `'+31 6 12345678`. A cell is left alone when, after its leading `+` or `-`,
//! it has at least one digit and contains **only** digits, spaces, `(`, `)`, `.`, `/` and `-`.
//! Such text cannot call a function (no letters), reference a cell or sheet (no letters, `!` or
//! `:`), start DDE (no `|`) or build a string (no `"`): evaluated as a formula it can only yield a
//! number or an error, so it carries no injection. Anything else that starts with a trigger —
//! extensions like `+1 425 555 0100 x12` included — is prefixed. [`FormulaGuard::Strict`]
//! prefixes every triggering cell, as OWASP recommends; [`FormulaGuard::Off`] writes cells
//! unchanged (for files read back by programs, not people).

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How cells that a spreadsheet could run as formulas are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FormulaGuard {
    /// Prefix triggering cells with `'`, except plain numbers and phone numbers (see module docs).
    #[default]
    Standard,
    /// Prefix every cell starting with `=`, `+`, `-`, `@`, tab or CR.
    Strict,
    /// Write cells unchanged.
    Off,
}

impl From<roster_core::job::CsvFormulaGuard> for FormulaGuard {
    fn from(g: roster_core::job::CsvFormulaGuard) -> Self {
        use roster_core::job::CsvFormulaGuard as G;
        match g {
            G::Standard => Self::Standard,
            G::Strict => Self::Strict,
            G::Off => Self::Off,
        }
    }
}

/// Returns the cell as it must be written under `guard`.
pub fn guard_cell(cell: &str, guard: FormulaGuard) -> Cow<'_, str> {
    let Some(first) = cell.chars().next() else {
        return Cow::Borrowed(cell);
    };
    let triggers = matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r');
    let exempt = match guard {
        FormulaGuard::Off => true,
        FormulaGuard::Strict => false,
        FormulaGuard::Standard => is_plain_number(cell),
    };
    if triggers && !exempt {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `+`/`-` then only digits, spaces and `( ) . / -`, with at least one digit.
fn is_plain_number(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix(['+', '-']) else {
        return false;
    };
    rest.bytes().any(|b| b.is_ascii_digit())
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'(' | b')' | b'.' | b'/' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_cells_are_prefixed() {
        for cell in [
            "=1+1",
            "=HYPERLINK(\"http://evil\",\"x\")",
            "@SUM(A1)",
            "+A1",
            "-2+3+cmd|' /C calc'!A0",
            "\tx",
            "\rx",
            "+1 425 555 0100 x12",
            "+",
            "-",
        ] {
            assert_eq!(
                guard_cell(cell, FormulaGuard::Standard),
                format!("'{cell}"),
                "{cell:?}"
            );
            assert_eq!(
                guard_cell(cell, FormulaGuard::Strict),
                format!("'{cell}"),
                "{cell:?}"
            );
            assert_eq!(guard_cell(cell, FormulaGuard::Off), cell);
        }
    }

    #[test]
    fn phones_and_negative_numbers_stay_readable_by_default() {
        for cell in [
            "+31 6 12345678",
            "+1 (425) 555-0100",
            "-5",
            "-3.25",
            "+44 20 7946 0958",
        ] {
            assert_eq!(guard_cell(cell, FormulaGuard::Standard), cell);
            assert_eq!(guard_cell(cell, FormulaGuard::Strict), format!("'{cell}"));
        }
    }

    #[test]
    fn ordinary_text_is_untouched() {
        for cell in ["", "Adele Vance", "a=b", "x@contoso.com", "5-3", "O'Brien"] {
            assert_eq!(guard_cell(cell, FormulaGuard::Standard), cell);
            assert_eq!(guard_cell(cell, FormulaGuard::Strict), cell);
        }
    }
}
