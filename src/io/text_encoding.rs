//! Text decoding of user tables: UTF-8 (with or without BOM), or GBK/GB18030 as Excel saves CSV
//! on Chinese Windows.

/// The encoding a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
}

/// Decodes bytes as UTF-8, else as GB18030 (a superset of GBK). `Err` names the byte offset of
/// the first invalid sequence when neither fits.
pub fn decode_text(bytes: &[u8]) -> Result<(String, TextEncoding), String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok((s.to_string(), TextEncoding::Utf8)),
        Err(e) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(body);
            if had_errors {
                Err(format!(
                    "neither UTF-8 nor GBK/GB18030 text (invalid byte at offset {}); save the table as UTF-8 CSV",
                    e.valid_up_to()
                ))
            } else {
                Ok((text.into_owned(), TextEncoding::Gb18030))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_gbk() {
        assert_eq!(decode_text("\u{feff}名称,lon".as_bytes()).unwrap(), ("名称,lon".into(), TextEncoding::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode("幼儿园,120.5");
        assert_eq!(decode_text(&gbk).unwrap(), ("幼儿园,120.5".into(), TextEncoding::Gb18030));
        assert!(decode_text(&[0xff, 0xff, 0xff, 0x00]).is_err());
    }
}
