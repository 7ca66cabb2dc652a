//! Chinese facility names read as a Chinese reader reads them: the kinds of facility a name
//! states (`浙江省杭州高级中学` → senior high school, `古荡一小` → primary school,
//! `杭州第四中学（吴山校区）` → secondary school, `XX九年一贯制学校` → primary and junior).
//!
//! Owns the kind vocabulary ([`KINDS`]) that profiles use in `name_kinds` and
//! `exclude_name_kinds`, and [`name_kinds`], the classifier. Rules, in order:
//! 1. **Brackets** (`（…）`, `(…)`, `【…】`, `[…]`) hold a campus or a section: they are read apart
//!    from the main name and only for school sections (`初中部`, `小学部`, `高中部`, `初中`…).
//!    Letters, digits and spaces (names mixed with English) are ignored.
//! 2. **Head noun**: a Chinese name ends with what the place is (`浙江大学医学院附属第二医院` is a
//!    hospital, `浙江大学附属中学` a secondary school). Of the [`HEADS`] that occur in the main
//!    name, the one that ends last wins, and of those ending at the same place the longest
//!    (`高级中学` over `中学`, `社区卫生服务中心` over `卫生服务中心`). Trailing campus words
//!    (`吴山校区`, `分校`) are not heads, so they do not hide the head before them.
//! 3. **Abbreviations**: a numeral followed by `小` (`一小`, `二小`, `十五小`) at the end of the
//!    main name, or before a campus word, is a primary school (`一小区` is a residential compound
//!    and is not read as one); a numeral followed by `中` likewise a secondary school (`杭十四中`).
//! 4. **Several levels**: `完全中学` is junior and senior; `九年一贯(制)` primary and junior;
//!    `十二年一贯(制)` primary, junior and senior; these modifiers count wherever they stand
//!    when the head is a school word (`学校`, `中学`…).
//!
//! Distinctions kept apart because planning targets keep them apart: `幼儿园` (3–6) vs `托育园`
//! / `托儿所` (0–3); `社区卫生服务中心`, `社区卫生服务站`, `卫生院` (township), `卫生室`
//! (village), `社区医院` vs general `医院` and private `诊所`; `居家养老服务中心` / `照料中心`
//! (day care) vs `养老院` / `敬老院` (residential) vs `老年食堂` / `助餐点` (meals).

/// Every kind the classifier can state (the values `name_kinds` accepts).
pub const KINDS: &[&str] = &[
    "childcare",
    "kindergarten",
    "primary_school",
    "junior_school",
    "senior_school",
    "secondary_school",
    "vocational_school",
    "higher_education",
    "community_health_centre",
    "community_health_station",
    "township_health_centre",
    "village_clinic",
    "community_hospital",
    "infirmary",
    "hospital",
    "clinic",
    "elderly_daycare",
    "elderly_home",
    "elderly_meals",
];

const PRIMARY: &[&str] = &["primary_school"];
const JUNIOR: &[&str] = &["junior_school"];
const SENIOR: &[&str] = &["senior_school"];
const SECONDARY: &[&str] = &["secondary_school"];
const JUNIOR_SENIOR: &[&str] = &["junior_school", "senior_school"];
/// A school word that states no level by itself (`学校`): levels come from modifiers.
const SCHOOL_WORD: &[&str] = &[];

/// Head nouns and the kinds they state. Matching picks the head ending last, then the longest.
pub const HEADS: &[(&str, &[&str])] = &[
    // Childcare (0–3) and kindergarten (3–6).
    ("托育", &["childcare"]),
    ("托育园", &["childcare"]),
    ("托育中心", &["childcare"]),
    ("托育机构", &["childcare"]),
    ("托育服务中心", &["childcare"]),
    ("托儿所", &["childcare"]),
    ("宝宝屋", &["childcare"]),
    ("幼儿园", &["kindergarten"]),
    ("幼稚园", &["kindergarten"]),
    // Schools.
    ("学校", SCHOOL_WORD),
    ("小学", PRIMARY),
    ("小学部", PRIMARY),
    ("完小", PRIMARY),
    ("附小", PRIMARY),
    ("初中", JUNIOR),
    ("初中部", JUNIOR),
    ("初级中学", JUNIOR),
    ("高中", SENIOR),
    ("高中部", SENIOR),
    ("高级中学", SENIOR),
    ("中学", SECONDARY),
    ("附中", SECONDARY),
    ("完全中学", JUNIOR_SENIOR),
    ("职业中学", &["vocational_school"]),
    ("职业高中", &["vocational_school"]),
    ("职业高级中学", &["vocational_school"]),
    ("职高", &["vocational_school"]),
    ("中专", &["vocational_school"]),
    ("中等专业学校", &["vocational_school"]),
    ("职业学校", &["vocational_school"]),
    ("职业技术学校", &["vocational_school"]),
    ("技工学校", &["vocational_school"]),
    ("培训学校", &[]),
    ("大学", &["higher_education"]),
    ("学院", &["higher_education"]),
    // Health.
    ("卫生服务中心", &["community_health_centre"]),
    ("社区卫生服务中心", &["community_health_centre"]),
    ("卫生服务站", &["community_health_station"]),
    ("社区卫生服务站", &["community_health_station"]),
    ("卫生站", &["community_health_station"]),
    ("卫生院", &["township_health_centre"]),
    ("卫生室", &["village_clinic"]),
    ("社区医院", &["community_hospital"]),
    ("医务室", &["infirmary"]),
    ("医院", &["hospital"]),
    ("保健院", &["hospital"]),
    ("诊所", &["clinic"]),
    ("门诊部", &["clinic"]),
    // Elderly care.
    ("养老院", &["elderly_home"]),
    ("敬老院", &["elderly_home"]),
    ("养护院", &["elderly_home"]),
    ("护理院", &["elderly_home"]),
    ("福利院", &["elderly_home"]),
    ("老年公寓", &["elderly_home"]),
    ("居家养老服务中心", &["elderly_daycare"]),
    ("居家养老服务站", &["elderly_daycare"]),
    ("居家养老服务照料中心", &["elderly_daycare"]),
    ("养老服务中心", &["elderly_daycare"]),
    ("养老服务站", &["elderly_daycare"]),
    ("照料中心", &["elderly_daycare"]),
    ("日间照料", &["elderly_daycare"]),
    ("托老所", &["elderly_daycare"]),
    ("颐养中心", &["elderly_daycare"]),
    ("老年食堂", &["elderly_meals"]),
    ("长者食堂", &["elderly_meals"]),
    ("幸福食堂", &["elderly_meals"]),
    ("助餐", &["elderly_meals"]),
    ("助餐点", &["elderly_meals"]),
    ("助餐服务点", &["elderly_meals"]),
];

/// Heads that are schools (for the level modifiers and bracketed sections).
fn is_school_head(h: &str) -> bool {
    matches!(h, "学校" | "小学" | "中学" | "初中" | "高中" | "初级中学" | "高级中学" | "完全中学")
}

/// Level modifiers of school names.
const MODIFIERS: &[(&str, &[&str])] = &[
    ("九年一贯", &["primary_school", "junior_school"]),
    ("九年制", &["primary_school", "junior_school"]),
    ("十二年一贯", &["primary_school", "junior_school", "senior_school"]),
    ("十二年制", &["primary_school", "junior_school", "senior_school"]),
];

/// Sections a bracket may name (`杭州XX学校（初中部）`).
const SECTIONS: &[(&str, &[&str])] =
    &[("小学", PRIMARY), ("初中", JUNIOR), ("高中", SENIOR), ("幼儿园", &["kindergarten"])];

const CAMPUS: &[&str] = &["校区", "分校", "院区", "分院", "校址"];

fn is_numeral(c: char) -> bool {
    "一二三四五六七八九十百零〇".contains(c)
}

/// Splits a name into its main text (CJK outside brackets; letters, digits, spaces and
/// punctuation dropped) and the texts inside brackets.
fn split(name: &str) -> (Vec<char>, Vec<String>) {
    let (mut main, mut brackets, mut depth, mut cur) = (Vec::new(), Vec::new(), 0usize, String::new());
    for c in name.chars() {
        match c {
            '（' | '(' | '【' | '[' | '〔' => {
                depth += 1;
            }
            '）' | ')' | '】' | ']' | '〕' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    brackets.push(std::mem::take(&mut cur));
                }
            }
            c if depth > 0 => cur.push(c),
            c if ('\u{3400}'..='\u{9fff}').contains(&c) || c == '〇' => main.push(c),
            _ => {}
        }
    }
    if depth > 0 {
        brackets.push(cur);
    }
    (main, brackets)
}

fn add(out: &mut Vec<&'static str>, kinds: &[&'static str]) {
    for k in kinds {
        if !out.contains(k) {
            out.push(k);
        }
    }
}

/// The kinds of facility a (Chinese) name states, in [`KINDS`] order; empty when it states none
/// (a name in another language, `图书馆`, a bare `学校`).
pub fn name_kinds(name: &str) -> Vec<&'static str> {
    if name.is_ascii() {
        return Vec::new(); // the common case outside China: no Chinese, nothing to read
    }
    let (main, brackets) = split(name);
    let text: String = main.iter().collect();
    // Head noun: last end, then longest.
    let mut head: Option<(usize, usize, &str, &[&'static str])> = None;
    for &(h, kinds) in HEADS {
        for (byte, _) in text.match_indices(h) {
            let start = text[..byte].chars().count();
            let len = h.chars().count();
            let end = start + len;
            if head.is_none_or(|(e, l, _, _)| end > e || (end == e && len > l)) {
                head = Some((end, len, h, kinds));
            }
        }
    }
    // Abbreviated schools: 一小, 二小, 杭十四中, at the end or before a campus word.
    for i in 1..main.len() {
        let c = main[i];
        if (c != '小' && c != '中') || !is_numeral(main[i - 1]) {
            continue;
        }
        let rest: String = main[i + 1..].iter().collect();
        let at_end = rest.is_empty() || (CAMPUS.iter().any(|w| rest.ends_with(w)) && rest.chars().count() <= 8);
        let end = i + 1;
        if at_end && head.is_none_or(|(e, _, _, _)| end > e) {
            head = Some((end, 2, if c == '小' { "小学" } else { "中学" }, if c == '小' { PRIMARY } else { SECONDARY }));
        }
    }
    let mut out = Vec::new();
    let Some((_, _, h, kinds)) = head else {
        return out;
    };
    add(&mut out, kinds);
    if is_school_head(h) {
        for &(m, kinds) in MODIFIERS {
            if text.contains(m) || brackets.iter().any(|b| b.contains(m)) {
                add(&mut out, kinds);
            }
        }
        for b in &brackets {
            for &(s, kinds) in SECTIONS {
                if b.contains(s) {
                    add(&mut out, kinds);
                }
            }
        }
        // A stated level makes the unstated 中学 redundant: 完全中学, 初中部 of a 中学.
        if out.len() > 1 {
            out.retain(|k| *k != "secondary_school");
        }
    }
    out.sort_by_key(|k| KINDS.iter().position(|x| x == k));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form of the issue (12, item 7), and the traps around them.
    #[test]
    fn names_classify_as_a_chinese_reader_would() {
        let cases: &[(&str, &[&str])] = &[
            // Senior, not junior.
            ("浙江省杭州高级中学", &["senior_school"]),
            ("杭州市西湖高中", &["senior_school"]),
            ("杭州学军中学（高中部）", &["senior_school"]),
            // Junior.
            ("杭州市公益初级中学", &["junior_school"]),
            ("文澜初中", &["junior_school"]),
            ("杭州XX学校（初中部）", &["junior_school"]),
            // A 中学 whose level the name does not state; with brackets, English, campus.
            ("丰潭中学", &["secondary_school"]),
            ("杭州第四中学（吴山校区）", &["secondary_school"]),
            ("杭州第四中学吴山校区", &["secondary_school"]),
            ("Hangzhou No.4 Middle School 杭州第四中学", &["secondary_school"]),
            ("浙江大学附属中学", &["secondary_school"]),
            ("杭十四中", &["secondary_school"]),
            ("杭师大附中", &["secondary_school"]),
            // Several levels.
            ("杭州市长河完全中学", &["junior_school", "senior_school"]),
            ("杭州市XX九年一贯制学校", &["primary_school", "junior_school"]),
            ("XX学校(九年一贯制)", &["primary_school", "junior_school"]),
            ("杭州XX十二年一贯制学校", &["primary_school", "junior_school", "senior_school"]),
            // Primary, in full and abbreviated.
            ("文一街小学", &["primary_school"]),
            ("杭州市XX实验小学", &["primary_school"]),
            ("XX镇中心小学", &["primary_school"]),
            ("古荡一小", &["primary_school"]),
            ("杭州二小", &["primary_school"]),
            ("XX十五小", &["primary_school"]),
            ("古荡一小（文华校区）", &["primary_school"]),
            ("浙大附小", &["primary_school"]),
            ("翠苑一小区", &[]),
            ("一小时便利店", &[]),
            // Childcare vs kindergarten.
            ("杭州市XX幼儿园", &["kindergarten"]),
            ("XX托育园", &["childcare"]),
            ("XX托儿所", &["childcare"]),
            ("XX小学附属幼儿园", &["kindergarten"]),
            // Community health vs hospitals.
            ("古荡街道社区卫生服务中心", &["community_health_centre"]),
            ("文新社区卫生服务站", &["community_health_station"]),
            ("XX医院社区卫生服务站", &["community_health_station"]),
            ("XX镇卫生院", &["township_health_centre"]),
            ("XX村卫生室", &["village_clinic"]),
            ("XX社区医院", &["community_hospital"]),
            ("浙江大学医学院附属第二医院", &["hospital"]),
            ("杭州市第一人民医院", &["hospital"]),
            ("XX口腔诊所", &["clinic"]),
            ("XX公共卫生间", &[]),
            // Elderly: day care vs residential vs meals.
            ("古荡街道居家养老服务中心", &["elderly_daycare"]),
            ("XX社区居家养老服务照料中心", &["elderly_daycare"]),
            ("XX日间照料中心", &["elderly_daycare"]),
            ("XX养老院", &["elderly_home"]),
            ("XX镇敬老院", &["elderly_home"]),
            ("XX社区老年食堂", &["elderly_meals"]),
            ("XX社区助餐点", &["elderly_meals"]),
            ("XX居家养老服务中心老年食堂", &["elderly_meals"]),
            // Nothing stated.
            ("浙江省图书馆", &[]),
            ("黄龙体育中心 Yellow Dragon Sports Center", &[]),
            ("Hangzhou High School No. 2", &[]),
            ("XX驾驶培训学校", &[]),
            ("XX职业高级中学", &["vocational_school"]),
            ("杭州市中策职业学校", &["vocational_school"]),
            ("浙江大学", &["higher_education"]),
        ];
        let mut wrong = Vec::new();
        for &(name, want) in cases {
            let got = name_kinds(name);
            if got != want {
                wrong.push(format!("{name}: got {got:?}, want {want:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn every_kind_stated_is_in_the_vocabulary() {
        for (_, kinds) in HEADS.iter().chain(MODIFIERS).chain(SECTIONS) {
            for k in *kinds {
                assert!(KINDS.contains(k), "{k}");
            }
        }
    }
}
