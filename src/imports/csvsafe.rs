//! CSV as spreadsheets write it: decoding (BOM, UTF-16, Windows-1252),
//! delimiter sniffing, reading records with their line numbers while
//! skipping blank lines, and neutralising cells a spreadsheet would run as
//! formulas (OWASP "CSV injection").

use std::borrow::Cow;

use csv::StringRecord;

/// Characters that make a spreadsheet treat a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell safe to open in a spreadsheet: formula-like text gets a leading `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes `neutralise` on import, so an exported file round-trips.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// The uploaded bytes as text. Spreadsheets write UTF-8 with or without a
/// BOM, UTF-16 with a BOM ("Unicode text"), or Windows-1252 (Excel's
/// default "CSV" on Windows); anything else is refused with a reason.
pub fn decode(bytes: &[u8]) -> Result<String, &'static str> {
    const NOT_CSV: &str =
        "This is not a CSV file. Save the spreadsheet as “CSV UTF-8” and upload that.";
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(
            "This looks like an Excel workbook. Save it as “CSV UTF-8” and upload that file.",
        );
    }
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        utf8_or_1252(rest)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes).ok_or(NOT_CSV)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes).ok_or(NOT_CSV)?
    } else {
        utf8_or_1252(bytes)
    };
    if text.contains('\0') {
        return Err(NOT_CSV);
    }
    if text.trim().is_empty() {
        return Err("The file is empty.");
    }
    Ok(text)
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| word([c[0], c[1]])).collect();
    String::from_utf16(&units).ok()
}

fn utf8_or_1252(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

/// Windows-1252 differs from Latin-1 only in 0x80–0x9F.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The delimiter of the first non-blank line: comma, semicolon (European
/// Excel) or tab, whichever occurs most outside quotes; comma on a tie.
pub fn sniff_delimiter(text: &str) -> u8 {
    let line = first_line(text);
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// The first non-blank line, up to its end (a quoted header with line
/// breaks counts only its first physical line, which is enough to sniff).
fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// One data row: the line it starts on and its cells, cleaned.
#[derive(Clone, Debug)]
pub struct Row {
    pub line: i64,
    pub cells: Vec<String>,
}

/// Reads a decoded CSV: the header, then the non-blank rows, each with the
/// line it starts on (counted here: the csv crate's own line numbers do not
/// count the blank lines it skips).
pub struct Rows<'a> {
    text: &'a str,
    reader: csv::Reader<&'a [u8]>,
    record: StringRecord,
    /// Lines before `counted` (a byte offset into `text`).
    lines: i64,
    counted: usize,
}

impl<'a> Rows<'a> {
    pub fn new(text: &'a str) -> Rows<'a> {
        Rows {
            text,
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(sniff_delimiter(text))
                .from_reader(text.as_bytes()),
            record: StringRecord::new(),
            lines: 0,
            counted: 0,
        }
    }

    /// The line of the record starting at or after `from` (only line
    /// breaks of skipped blank lines lie in between).
    fn line_at(&mut self, from: usize) -> i64 {
        let bytes = self.text.as_bytes();
        let mut start = from.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted {
            let gap = &bytes[self.counted..start];
            self.lines += gap.iter().filter(|b| **b == b'\n').count() as i64;
            self.counted = start;
        }
        self.lines + 1
    }

    /// The next non-blank record, as cleaned cells.
    pub fn next_row(&mut self) -> Result<Option<Row>, csv::Error> {
        loop {
            if !self.reader.read_record(&mut self.record)? {
                return Ok(None);
            }
            if self.record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let from = self.record.position().map_or(0, |p| p.byte()) as usize;
            let line = self.line_at(from);
            let cells = self.record.iter().map(clean).collect();
            return Ok(Some(Row { line, cells }));
        }
    }
}

/// Trimmed, without line breaks (a quoted multi-line address becomes one
/// line, parts joined by ", "), formula neutralisation undone.
fn clean(cell: &str) -> String {
    let cell = cell.trim();
    let cell = if cell.contains(['\r', '\n']) {
        Cow::Owned(
            cell.split(['\r', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        )
    } else {
        Cow::Borrowed(cell)
    };
    unneutralise(&cell).to_string()
}

/// Column names: trimmed, blanks named after their position.
pub fn header_names(row: &Row) -> Vec<String> {
    row.cells
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h: String = h.chars().filter(|c| !c.is_control()).take(100).collect();
            if h.trim().is_empty() {
                format!("Column {}", i + 1)
            } else {
                h.trim().to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(i64, Vec<String>)> {
        let mut r = Rows::new(text);
        let mut out = Vec::new();
        while let Some(row) = r.next_row().expect("csv") {
            out.push((row.line, row.cells));
        }
        out
    }

    #[test]
    fn neutralises_formula_cells_and_round_trips() {
        for bad in ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
            assert_eq!(unneutralise(&neutralise(bad)), bad);
        }
        assert_eq!(neutralise("Ada"), "Ada");
        assert_eq!(unneutralise("'quoted"), "'quoted");
    }

    #[test]
    fn decodes_what_spreadsheets_write() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFname\nAd\xC3\xA9").expect("utf8"),
            "name\nAdé"
        );
        assert_eq!(decode(b"name\nAd\xE9 \x80").expect("1252"), "name\nAdé €");
        assert_eq!(decode(b"\xFF\xFEa\0\n\0").expect("utf16"), "a\n");
        assert!(decode(b"PK\x03\x04rest").is_err());
        assert!(decode(b"a,b\0c").is_err());
        assert!(decode(b" \r\n ").is_err());
    }

    #[test]
    fn sniffs_the_delimiter_outside_quotes() {
        assert_eq!(sniff_delimiter("\n\na;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter("\"a;b\",c"), b',');
        assert_eq!(sniff_delimiter("a\tb"), b'\t');
        assert_eq!(sniff_delimiter("a"), b',');
    }

    #[test]
    fn reads_rows_with_lines_skipping_blanks() {
        let got = rows("h1;h2\r\n\r\n x ;\"two\r\nlines\"\r\n;;\r\n'=1;y\r\n");
        assert_eq!(
            got,
            vec![
                (1, vec!["h1".to_string(), "h2".into()]),
                (3, vec!["x".into(), "two, lines".into()]),
                (6, vec!["=1".into(), "y".into()]),
            ]
        );
    }
}
