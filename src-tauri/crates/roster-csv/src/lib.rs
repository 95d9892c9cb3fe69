//! Roster CSV/XLSX streaming read and write
