//! Writer tests on real files: round trips through the `csv` reader, BOM, delimiters, the
//! `.part` → final rename and byte-identical resume.

use roster_csv::{CsvWriter, Delimiter, FormulaGuard, WriterOptions, discard_part, part_path};
use std::path::Path;

fn rows(n: usize) -> Vec<Vec<String>> {
    (0..n)
        .map(|i| {
            vec![
                format!("user{i}@contoso.com"),
                format!("Name, with comma {i}"),
                format!("quote \"{i}\""),
                format!("line one\nline two {i}"),
                format!("Zoë Ångström 日本 {i}"),
            ]
        })
        .collect()
}

fn read_back(path: &Path, delimiter: u8) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn round_trip_quotes_newlines_commas_and_non_ascii() {
    let dir = tempfile::tempdir().unwrap();
    for delimiter in [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab] {
        let dest = dir.path().join(format!("out-{delimiter:?}.csv"));
        let options = WriterOptions {
            delimiter,
            ..WriterOptions::default()
        };
        let mut w = CsvWriter::create(&dest, options).unwrap();
        let data = rows(20);
        for row in &data {
            w.write_record(row).unwrap();
        }
        w.finish().unwrap();
        assert_eq!(read_back(&dest, delimiter.byte()), data, "{delimiter:?}");
    }
}

#[test]
fn bom_is_written_by_default_and_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("with.csv");
    let mut w = CsvWriter::create(&with, WriterOptions::default()).unwrap();
    w.write_record(["a", "é"]).unwrap();
    w.finish().unwrap();
    assert_eq!(std::fs::read(&with).unwrap(), b"\xEF\xBB\xBFa,\xC3\xA9\r\n");

    let without = dir.path().join("without.csv");
    let options = WriterOptions {
        bom: false,
        ..WriterOptions::default()
    };
    let mut w = CsvWriter::create(&without, options).unwrap();
    w.write_record(["a", "é"]).unwrap();
    w.finish().unwrap();
    assert_eq!(std::fs::read(&without).unwrap(), "a,é\r\n".as_bytes());
}

#[test]
fn formula_guard_applies_in_files_and_can_be_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("g.csv");
    let options = WriterOptions {
        bom: false,
        ..WriterOptions::default()
    };
    let mut w = CsvWriter::create(&dest, options).unwrap();
    w.write_record(["=1+1", "+31 6 12345678", "@x"]).unwrap();
    w.finish().unwrap();
    assert_eq!(
        std::fs::read_to_string(&dest).unwrap(),
        "'=1+1,+31 6 12345678,'@x\r\n"
    );

    let options = WriterOptions {
        bom: false,
        formula_guard: FormulaGuard::Off,
        ..WriterOptions::default()
    };
    let mut w = CsvWriter::create(&dest, options).unwrap();
    w.write_record(["=1+1"]).unwrap();
    w.finish().unwrap();
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), "=1+1\r\n");
}

#[test]
fn final_name_appears_only_when_finished() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("users.csv");
    let mut w = CsvWriter::create(&dest, WriterOptions::default()).unwrap();
    w.write_record(["a"]).unwrap();
    w.checkpoint().unwrap();
    assert!(!dest.exists());
    assert!(part_path(&dest).exists());
    let done = w.finish().unwrap();
    assert_eq!(done, dest);
    assert!(dest.exists());
    assert!(!part_path(&dest).exists());
}

#[test]
fn finishing_replaces_an_older_file() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("users.csv");
    std::fs::write(&dest, "old").unwrap();
    let mut w = CsvWriter::create(&dest, WriterOptions::default()).unwrap();
    w.write_record(["new"]).unwrap();
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
    w.finish().unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), b"\xEF\xBB\xBFnew\r\n");
}

#[test]
fn checkpoints_report_flushed_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("c.csv");
    let mut w = CsvWriter::create(&dest, WriterOptions::default()).unwrap();
    w.write_record(["ab", "c"]).unwrap();
    let cp = w.checkpoint().unwrap();
    assert_eq!(cp.bytes_written, 3 + 6);
    assert_eq!(cp.records_written, 1);
    assert_eq!(
        std::fs::metadata(part_path(&dest)).unwrap().len(),
        cp.bytes_written
    );
}

#[test]
fn resumed_download_is_byte_identical_to_an_uninterrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = rows(100);
    let options = WriterOptions::default();

    let straight = dir.path().join("straight.csv");
    let mut w = CsvWriter::create(&straight, options).unwrap();
    w.write_record(["upn", "name", "quote", "lines", "unicode"])
        .unwrap();
    for row in &data {
        w.write_record(row).unwrap();
    }
    w.finish().unwrap();

    let resumed = dir.path().join("resumed.csv");
    let mut w = CsvWriter::create(&resumed, options).unwrap();
    w.write_record(["upn", "name", "quote", "lines", "unicode"])
        .unwrap();
    let mut checkpoint = w.checkpoint().unwrap();
    for (i, row) in data.iter().enumerate().take(57) {
        w.write_record(row).unwrap();
        if (i + 1) % 25 == 0 {
            checkpoint = w.checkpoint().unwrap();
        }
    }
    // "Crash" after 57 rows: rows 50..57 reached the file but not a checkpoint.
    w.checkpoint().unwrap();
    drop(w);
    assert_eq!(checkpoint.records_written, 51);

    let mut w = CsvWriter::resume(&resumed, options, checkpoint).unwrap();
    assert_eq!(w.bytes_written(), checkpoint.bytes_written);
    for row in &data[50..] {
        w.write_record(row).unwrap();
    }
    assert_eq!(w.records_written(), 101);
    w.finish().unwrap();

    assert_eq!(
        std::fs::read(&resumed).unwrap(),
        std::fs::read(&straight).unwrap()
    );
}

#[test]
fn resume_refuses_a_part_file_shorter_than_the_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("short.csv");
    let mut w = CsvWriter::create(&dest, WriterOptions::default()).unwrap();
    w.write_record(["a", "b"]).unwrap();
    let mut cp = w.checkpoint().unwrap();
    drop(w);
    cp.bytes_written += 10;
    let err = CsvWriter::resume(&dest, WriterOptions::default(), cp).unwrap_err();
    assert!(
        err.to_string().contains("start the download again"),
        "{err}"
    );

    let missing = dir.path().join("missing.csv");
    let err = CsvWriter::resume(&missing, WriterOptions::default(), cp).unwrap_err();
    assert!(err.to_string().contains("missing.csv.part"), "{err}");
}

#[test]
fn an_abandoned_part_file_can_be_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("cancelled.csv");
    let mut w = CsvWriter::create(&dest, WriterOptions::default()).unwrap();
    w.write_record(["a"]).unwrap();
    w.checkpoint().unwrap();
    drop(w);
    assert!(part_path(&dest).exists());
    discard_part(&dest).unwrap();
    assert!(!part_path(&dest).exists());
    assert!(!dest.exists());
    discard_part(&dest).unwrap();
}

#[test]
fn a_partial_file_changed_in_place_is_not_resumed() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("users.csv");
    let part = roster_csv::job_part_path(&dest, "1a2b3c4d-0000");
    let mut w = CsvWriter::create_new(&dest, &part, WriterOptions::default()).unwrap();
    w.write_record(["id", "name"]).unwrap();
    w.write_record(["1", "Ana"]).unwrap();
    let cp = w.checkpoint().unwrap();
    drop(w);
    assert!(cp.crc32.is_some());
    // Same length, other bytes: something else wrote into the partial file.
    let mut bytes = std::fs::read(&part).unwrap();
    let last = bytes.len() - 3;
    bytes[last] = b'X';
    std::fs::write(&part, &bytes).unwrap();
    let err = CsvWriter::resume_part(&dest, &part, WriterOptions::default(), cp).unwrap_err();
    assert!(
        matches!(err, roster_csv::WriteError::PartChanged { .. }),
        "{err}"
    );
    // Its own bytes back: the resume goes on and appends.
    bytes[last] = b'a';
    std::fs::write(&part, &bytes).unwrap();
    let mut w = CsvWriter::resume_part(&dest, &part, WriterOptions::default(), cp).unwrap();
    w.write_record(["2", "Bo"]).unwrap();
    w.finish().unwrap();
    assert_eq!(
        std::fs::read(&dest).unwrap(),
        b"\xEF\xBB\xBFid,name\r\n1,Ana\r\n2,Bo\r\n"
    );
}

#[test]
fn a_partial_file_is_created_exclusively() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("users.csv");
    let part = roster_csv::job_part_path(&dest, "job1");
    let _first = CsvWriter::create_new(&dest, &part, WriterOptions::default()).unwrap();
    let err = CsvWriter::create_new(&dest, &part, WriterOptions::default()).unwrap_err();
    assert!(
        matches!(err, roster_csv::WriteError::PartTaken { .. }),
        "{err}"
    );
    // Another job's partial file of the same output is a different file.
    let other = roster_csv::job_part_path(&dest, "job2");
    assert_ne!(part, other);
    let _second = CsvWriter::create_new(&dest, &other, WriterOptions::default()).unwrap();
    assert_eq!(roster_csv::partial_files(&dest), vec![part, other]);
}

#[test]
fn slices_written_apart_join_into_one_file_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("users.csv");
    let options = WriterOptions::default();
    let no_bom = WriterOptions {
        bom: false,
        ..options
    };
    let slices: Vec<_> = (0..2)
        .map(|k| roster_csv::job_slice_path(&dest, "job1", k))
        .collect();
    assert_eq!(
        slices[1].file_name().unwrap().to_str().unwrap(),
        "users.csv.job1.s1.part"
    );
    for (k, slice) in slices.iter().enumerate() {
        let mut writer = CsvWriter::create_new(&dest, slice, no_bom).unwrap();
        writer
            .write_record([format!("{k}"), "=cmd".to_owned()])
            .unwrap();
        writer.checkpoint().unwrap();
    }
    let part = roster_csv::job_part_path(&dest, "job1");
    let mut whole = CsvWriter::create_new(&dest, &part, options).unwrap();
    whole.write_record(["id", "note"]).unwrap();
    for slice in &slices {
        whole.append_part(slice, 1).unwrap();
    }
    assert_eq!(whole.records_written(), 3);
    assert_eq!(
        roster_csv::partial_files(&dest),
        vec![part, slices[0].clone(), slices[1].clone()],
        "a job's slices are its partial files too"
    );
    let at = whole.checkpoint().unwrap();
    whole.finish().unwrap();
    let mut direct = CsvWriter::create(dir.path().join("direct.csv"), options).unwrap();
    for row in [["id", "note"], ["0", "=cmd"], ["1", "=cmd"]] {
        direct.write_record(row).unwrap();
    }
    let direct_at = direct.checkpoint().unwrap();
    direct.finish().unwrap();
    assert_eq!(
        std::fs::read(&dest).unwrap(),
        std::fs::read(dir.path().join("direct.csv")).unwrap()
    );
    assert_eq!(at, direct_at, "same bytes, records and CRC");
}
