//! The text encoding of the CSV outputs (`--csv-encoding`).
//!
//! Owns the choice only; `report::csv_out::encode` applies it. Glossary: **BOM** — the byte-order
//! mark `EF BB BF` at the start of a UTF-8 file, by which Excel on Chinese Windows recognises UTF-8
//! (without it Excel reads the file as GBK and Chinese text is garbled); **GBK** — the Windows
//! Simplified-Chinese code page (936), written as GB18030, its superset, so no character is lost.

/// How the CSV outputs are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    /// UTF-8 without BOM (the default in English).
    #[default]
    Utf8,
    /// UTF-8 with a BOM (the default in Chinese: opens correctly in Excel on Chinese Windows).
    Utf8Bom,
    /// GBK / GB18030.
    Gbk,
}

impl CsvEncoding {
    /// The default for a report language: with a BOM in Chinese, plain UTF-8 in English.
    pub fn for_lang(lang: crate::profile::Lang) -> CsvEncoding {
        match lang {
            crate::profile::Lang::Zh => CsvEncoding::Utf8Bom,
            crate::profile::Lang::En => CsvEncoding::Utf8,
        }
    }
}
