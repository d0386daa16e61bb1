//! CSV as spreadsheets write it: decoding (any BOM, UTF-8, or a detected
//! legacy code page such as Windows-1252, GBK/GB18030 or Big5),
//! delimiter sniffing, reading records with their line numbers while
//! skipping blank lines, and neutralising cells a spreadsheet would run as
//! formulas (OWASP "CSV injection").

use crate::i18n::{Invalid, key};
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
/// BOM, UTF-16 with a BOM ("Unicode text"), or the system's legacy code page
/// (Windows-1252 in Western Europe, GBK/GB18030 in mainland China, Big5 in
/// Taiwan and Hong Kong, Shift_JIS …). A BOM decides; otherwise valid UTF-8
/// is UTF-8, and anything else is detected from the bytes (chardetng, as
/// Firefox does) and decoded with encoding_rs. No file is refused for its
/// encoding; binary files are.
pub fn decode(bytes: &[u8]) -> Result<String, Invalid> {
    const NOT_CSV: Invalid = Invalid(key("error-import-not-csv"));
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Invalid(key("error-import-excel")));
    }
    let encoding = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, _)) => encoding,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            detector.guess(None, false)
        }
    };
    // Strips the BOM it finds; malformed sequences become U+FFFD.
    let (text, _, _) = encoding.decode(bytes);
    if text.contains('\0') {
        return Err(NOT_CSV);
    }
    if text.trim().is_empty() {
        return Err(Invalid(key("error-import-empty")));
    }
    Ok(text.into_owned())
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
        assert_eq!(decode(b"\xFE\xFF\0a\0\n").expect("utf16be"), "a\n");
        assert!(decode(b"PK\x03\x04rest").is_err());
        assert!(decode(b"a,b\0c").is_err());
        assert!(decode(b" \r\n ").is_err());
    }

    #[test]
    fn detects_chinese_legacy_encodings() {
        let simplified =
            "姓名,公司,城市\n张伟,北京星辰科技有限公司,北京\n李娜,上海华夏贸易有限公司,上海\n";
        for encoding in [encoding_rs::GBK, encoding_rs::GB18030] {
            let (bytes, _, _) = encoding.encode(simplified);
            assert_eq!(
                decode(&bytes).expect("gbk"),
                simplified,
                "{}",
                encoding.name()
            );
        }
        let traditional = "姓名,公司,城市\n陳大文,臺北星辰科技股份有限公司,臺北\n黃小明,香港東方貿易有限公司,香港\n";
        let (bytes, _, _) = encoding_rs::BIG5.encode(traditional);
        assert_eq!(decode(&bytes).expect("big5"), traditional);
        let western = "Name,City\nRenée Müller,Zürich\nFrançois Léger,Besançon\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(western);
        assert_eq!(decode(&bytes).expect("1252"), western);
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
