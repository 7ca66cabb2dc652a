//! The report's words in Chinese and English: one table, keyed by [`Label`], read by every writer
//! (`report.md` sections, `report.html` and its script, the SVG/PNG maps, the console table).
//!
//! A label is a variant, not a string key: a misspelt or missing label does not compile (the
//! `match` in [`Label::zh_en`] is exhaustive), where a string-keyed table printed an empty label.
//! Sentences whose word order differs between the languages around numbers stay as
//! `match lang { … }` blocks beside the figures they format.
//!
//! Glossary: **label** — a fixed word or sentence of the outputs; **page words** — the labels the
//! page script reads from `report.html`'s data block, by their script name ([`PAGE_WORDS`]).

use crate::profile::Lang;

/// A word or sentence of the reports. The variants are named for what they say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    Adult,
    After,
    AgeShares,
    AreaBasedTargets,
    AssessedCategories,
    Assumptions,
    Baseline,
    Before,
    BeyondCap,
    Budget,
    Candidates,
    Capacity,
    CapacityPerSite,
    CapacityShortfall,
    Category,
    CategorySelect,
    Charts,
    CircleArea,
    ColourBy,
    ColourIsCategory,
    Communities,
    CommunitiesEstimatedPopulation,
    CommunitiesFail,
    CommunitiesServed,
    Community,
    CommunityCount,
    CompositeIndexFormula,
    Conclusion,
    Cost,
    CoverageChart,
    CoverageNow,
    Covered,
    CoveredBaseline,
    CoveredScenario,
    CoveredShare,
    CumulativeCost,
    CumulativeCoverage,
    DataAttr,
    DataQualityWarnings,
    DeclaredCompleteCategories,
    DefaultCoverageTargets,
    DefaultMark,
    District,
    DistrictCode,
    DistrictsNotAnalysed,
    DistrictsTitle,
    DistrictWide,
    DistrictWideContext,
    Elderly,
    ElderlySpeedHeading,
    Estimated,
    Facilities,
    FacilitiesAssumedCapacity,
    FacilitiesBaseline,
    FacilitiesCounted,
    FacilitiesScenario,
    Facility,
    FacilityShareTargets,
    FacilityTableColumns,
    FacilityTableRows,
    Fail,
    FailMark,
    Failing,
    FailingCommunitiesHeading,
    FailingUnits,
    FormulaIntro,
    FormulaTerms,
    Gain,
    Gaps,
    Given,
    Headline,
    HeadlinePerCategory,
    Histogram,
    Index,
    Indicator,
    Input,
    Legend,
    Level,
    LevelsAssumed,
    M2Per10000Residents,
    M2PerResident,
    Map,
    Mean,
    Method,
    MethodBudgeted,
    MethodGreedyCoverage,
    MethodGreedySfca,
    Min,
    MoreGapsCsv,
    NewlyCoveredResidents,
    No,
    NoBackground,
    NoCandidateAddsCoverage,
    NoData,
    NoIsochrones,
    NoYear,
    NotAssessed,
    NotAssessedCategories,
    NotAssessedHint,
    NotAttached,
    NotYetDue,
    Nothing,
    OsmObjects,
    OsmTiles,
    OverallCompositeIndex,
    OverallScore,
    OverlapsCountedOnce,
    P90,
    PageCategory,
    PageCovered,
    PageFacilities,
    PagePass,
    PagePer1000,
    PageProfile,
    PageQuota,
    PageRank,
    PageResidents,
    PageScore,
    PageTarget,
    PageThreshold,
    PageUnserved,
    PerGridCell,
    Pass,
    Per1000,
    Per1000After,
    Per1000Base,
    Per1000Before,
    PlanIndicatorsFromSeedDocuments,
    PlanSiteCount,
    PlanningUnits,
    Population,
    PopulationHeading,
    PresenceIndicators,
    Problem,
    Profile,
    PublicRowsOnly,
    Quota,
    RankingByCategory,
    RankingByIndex,
    Rank,
    RatioPer1000,
    Recalled,
    Resident,
    ResidentialFloorArea,
    Residents,
    ResidentsCovered,
    Result,
    RowsLeaveColumnBlankCounted,
    Scenario,
    ScenarioVsBaseline,
    Score,
    Share,
    ShareNotAssessedNoColumn,
    SharePassing,
    ShortfallAfter,
    /// The 2SFCA method with its formula (Chinese report).
    SfcaMethod,
    ShortfallBefore,
    ShortfallClosedPlaces,
    ShortfallLeft,
    ShortfallNow,
    SingleSiteInstead,
    Sites,
    SourceDocumentSectionYear,
    StepsWalkedSlower,
    StreetNodesOffMainNetwork,
    SuggestedSites,
    Suggestions,
    Target,
    TargetYear,
    TargetsTheirSources,
    Threshold,
    Title,
    /// The title of `report.md` (the page has [`Label::Title`]).
    ReportTitle,
    /// Console table headings.
    ThresholdShort,
    FacilitiesShort,
    UnservedPopulation,
    Unit,
    Units,
    Unserved,
    UnservedExplained,
    UnservedResidentsAll,
    Value,
    WalkableWaysCutExtractEdge,
    WalkingSpeed,
    WalkingSpeedHeading,
    Walkshed,
    WalkshedNote,
    Warnings,
    WeakestCommunities,
    WholeArea,
    Year,
    Yes,
}

impl Label {
    /// The label in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = self.zh_en();
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// `(Chinese, English)`.
    pub const fn zh_en(self) -> (&'static str, &'static str) {
        match self {
            Label::Adult => ("成人", "adult"),
            Label::After => ("之后", "after"),
            Label::AgeShares => (
                "年龄结构（仅在社区数据无年龄列时采用；社区图层的 age_0_3 … 年龄列优先）",
                "age shares (used only where the community data has no age columns; a community layer's \
             age_0_3 … columns override them)",
            ),
            Label::AreaBasedTargets => ("面积指标", "Area-based targets"),
            Label::AssessedCategories => (
                "已评估类别（输入中有设施，括号内为设施数）",
                "Assessed categories (facilities in the inputs, count in brackets)",
            ),
            Label::Assumptions => ("假设", "Assumptions"),
            Label::Baseline => ("基准", "baseline"),
            Label::Before => ("之前", "before"),
            Label::BeyondCap => ("超出搜索上限", "beyond the search cap"),
            Label::Budget => ("预算", "budget"),
            Label::Candidates => ("候选点", "candidates"),
            Label::Capacity => ("容量", "Capacity"),
            Label::CapacityPerSite => ("每处容量", "capacity per site"),
            Label::CapacityShortfall => ("容量缺口", "capacity shortfall"),
            Label::Category => ("类别", "category"),
            Label::CategorySelect => {
                ("类别（步行圈、未覆盖居民、步行时间分布）", "Category (walk-shed, unserved residents, walking times)")
            }
            Label::Charts => ("图表", "Charts"),
            Label::PerGridCell => ("按网格汇总，格边长", "summed per grid cell of"),
            Label::CircleArea => ("圆面积 ∝ 居民数", "circle area ∝ residents"),
            Label::ColourBy => ("社区着色", "Colour communities by"),
            Label::ColourIsCategory => ("颜色表示类别", "colour = category"),
            Label::Communities => ("社区", "Communities"),
            Label::CommunitiesEstimatedPopulation => ("人口为估算的社区", "communities with estimated population"),
            Label::CommunitiesFail => ("个社区未达标", "communities fail"),
            Label::CommunitiesServed => ("服务社区", "communities served"),
            Label::Community => ("社区", "community"),
            Label::CommunityCount => ("社区数", "Communities"),
            Label::CompositeIndexFormula => ("综合指数公式", "Composite index formula"),
            Label::Conclusion => ("结论", "result"),
            Label::Cost => ("成本", "cost"),
            Label::CoverageChart => ("各类别人口覆盖率（竖线：目标）", "Residents covered per category (tick: target)"),
            Label::CoverageNow => ("现状覆盖率", "coverage now"),
            Label::Covered => ("覆盖率", "covered"),
            Label::CoveredBaseline => ("基准覆盖率", "covered (baseline)"),
            Label::CoveredScenario => ("情景覆盖率", "covered (scenario)"),
            Label::CoveredShare => ("人口覆盖率", "covered share"),
            Label::CumulativeCost => ("累计成本", "cumulative cost"),
            Label::CumulativeCoverage => ("累计覆盖率", "cumulative coverage"),
            Label::DataAttr => ("数据 © OpenStreetMap 贡献者，ODbL 1.0", "Data © OpenStreetMap contributors, ODbL 1.0"),
            Label::DataQualityWarnings => ("数据质量提示", "Data-quality warnings"),
            Label::DeclaredCompleteCategories => (
                "声明数据完整但没有设施的类别（全部居民计为未覆盖）",
                "Declared complete but without any facility (every resident counts as unserved)",
            ),
            Label::DefaultCoverageTargets => (
                "覆盖率目标为项目默认值（规划无此指标）",
                "coverage targets that are project defaults (no plan figure)",
            ),
            Label::DefaultMark => ("（默认）", " (default)"),
            Label::District => ("区县", "district"),
            Label::DistrictCode => ("代码", "code"),
            Label::DistrictsNotAnalysed => ("未能分析的区县", "Districts not analysed"),
            Label::DistrictsTitle => ("各区县15分钟公共服务圈评估", "15-minute public-service circle by district"),
            Label::DistrictWide => ("全区", "district-wide"),
            Label::DistrictWideContext => {
                ("全区指标，各单元数值仅供参考", "district-wide target; unit values for context only")
            }
            Label::Elderly => ("老年人", "elderly"),
            Label::ElderlySpeedHeading => {
                ("一老一小：成人与老年人步速下的覆盖率", "一老一小: coverage at adult and elderly walking speed")
            }
            Label::Estimated => ("估算", "estimated"),
            Label::Facilities => ("设施数", "facilities"),
            Label::FacilitiesAssumedCapacity => ("处设施容量为假设值", "facilities with assumed capacity"),
            Label::FacilitiesBaseline => ("基准设施", "facilities (baseline)"),
            Label::FacilitiesCounted => ("计入设施", "facilities counted"),
            Label::FacilitiesScenario => ("情景设施", "facilities (scenario)"),
            Label::Facility => ("设施", "facility"),
            Label::FacilityShareTargets => ("设施占比指标", "Facility-share targets"),
            Label::FacilityTableColumns => (
                "category/类别、name/名称、lon/经度、lat/纬度、capacity/托位/床位（可选）、public/普惠（可选）、crs（可选）",
                "category/类别, name/名称, lon/经度, lat/纬度, capacity/托位/床位 (optional), public/普惠 (optional), crs (optional)",
            ),
            Label::FacilityTableRows => ("设施表中", "facility-table rows of"),
            Label::Fail => ("未达标", "fail"),
            Label::FailMark => ("未达标", "FAIL"),
            Label::Failing => ("未达标社区", "Failing communities"),
            Label::FailingCommunitiesHeading => (
                "未达标社区（按类别，按该类别未覆盖居民排序）",
                "Communities that fail, per category, ranked by its unserved residents",
            ),
            Label::FailingUnits => ("未达标单元", "failing units"),
            Label::FormulaIntro => (
                "本指数为透明的替代指标（省级“均衡可及优质指数”的公式未公开）：",
                "A transparent stand-in (the province's 均衡可及优质指数 formula is not public):",
            ),
            Label::FormulaTerms => (
                "可及 = 阈值内需求人群占比；均衡 = min(千人指标 ÷ 定额, 1)（有定额和容量时）；优质 = 可达容量中普惠/公办的占比（有标注时）。缺失的维度不计入分母。总指数 = 各类别指数按权重的平均。",
                "可及 = share of the demand group within the threshold; 均衡 = min(per_1000 ÷ quota, 1) (when the category \
             has a quota and capacities); 优质 = public/普惠 share of accessible capacity (when flagged). Missing \
             dimensions drop out of the denominator. Overall = category-weighted mean.",
            ),
            Label::Gain => ("新增覆盖", "Gain"),
            Label::Gaps => ("差距分析", "Gaps"),
            Label::Given => ("给定", "given"),
            Label::Headline => ("各类设施概况", "Categories at a glance"),
            Label::HeadlinePerCategory => ("分类别总体情况", "Headline per category"),
            Label::Histogram => ("步行时间分布", "Walking time to the nearest facility"),
            Label::Index => ("指数", "index"),
            Label::Indicator => ("指标", "indicator"),
            Label::Input => ("数据", "Input"),
            Label::Legend => ("图例", "Legend"),
            Label::Level => ("层级", "level"),
            Label::LevelsAssumed => {
                ("栋建筑无 building:levels，假定层数", "buildings without building:levels, storeys assumed")
            }
            Label::M2Per10000Residents => ("m²/万人", "m² per 10,000 residents"),
            Label::M2PerResident => ("m²/人", "m² per resident"),
            Label::Map => ("地图", "Map"),
            Label::Mean => ("平均步行", "Mean walk"),
            Label::Method => ("方法", "method"),
            Label::MethodBudgeted => (
                "预算约束下按单位成本收益贪心，并与最佳单个可负担点比较（Khuller–Moss–Naor），保证不低于最优解的 ½(1 − 1/e) ≈ 32%",
                "cost-benefit lazy greedy within the budget, compared with the best single affordable site \
                 (Khuller–Moss–Naor), guaranteed ≥ ½(1 − 1/e) ≈ 32% of the optimum",
            ),
            Label::MethodGreedyCoverage => (
                "贪心最大覆盖（惰性评估），保证不低于最优解的 1 − 1/e ≈ 63%",
                "lazy greedy maximal coverage, guaranteed ≥ 1 − 1/e ≈ 63% of the optimum",
            ),
            Label::MethodGreedySfca => (
                "贪心缩小两步移动搜索法（2SFCA）容量缺口（惰性评估），保证不低于最优解的 1 − 1/e ≈ 63%",
                "lazy greedy 2SFCA shortfall reduction, guaranteed ≥ 1 − 1/e ≈ 63% of the optimum",
            ),
            Label::Min => ("分钟", "min"),
            Label::MoreGapsCsv => ("个社区见 gaps.csv", "more in gaps.csv"),
            Label::NewlyCoveredResidents => ("新增覆盖居民", "newly covered residents"),
            Label::No => ("否", "no"),
            Label::NoBackground => ("无底图", "No background"),
            Label::NoCandidateAddsCoverage => ("没有能再增加覆盖的候选点。", "No candidate adds coverage."),
            Label::NoData => ("无数据", "no data"),
            Label::NoIsochrones => ("（本报告未包含步行圈）", "(no walk-sheds in this report)"),
            Label::NoYear => ("无（基准值）", "none (base values)"),
            Label::NotAssessed => ("未评估（无数据）", "not assessed (no data)"),
            Label::NotAssessedCategories => ("未评估类别（无数据）", "Not assessed (no data)"),
            Label::NotAssessedHint => (
                "未评估类别在输入中没有设施（缺数据，不一定缺服务）：用 --facilities 提供设施表，或用 --complete 声明数据完整。\n",
                "Not-assessed categories have no facility in the inputs (missing data, not necessarily missing service): \
             supply a table with --facilities, or declare the data complete with --complete.\n",
            ),
            Label::NotAttached => ("未接入路网（未计入）", "not attached to the network (not used)"),
            Label::NotYetDue => ("尚未到期", "not yet due"),
            Label::Nothing => ("无", "none"),
            Label::OsmObjects => ("个 OSM 对象", "OSM objects"),
            Label::OsmTiles => ("OpenStreetMap 底图（需联网）", "OpenStreetMap tiles (online)"),
            Label::OverallCompositeIndex => ("综合指数", "Overall composite index"),
            Label::OverallScore => ("综合得分", "Overall score"),
            Label::OverlapsCountedOnce => (
                "重叠（如运动场位于体育中心内）只计一次，扣除",
                "overlaps (a pitch inside a sports centre) counted once, removing",
            ),
            Label::P90 => ("90%分位步行", "90th pct walk"),
            Label::PageCategory => ("类别", "Category"),
            Label::PageCovered => ("覆盖率", "Covered"),
            Label::PageFacilities => ("设施", "Facilities"),
            Label::PagePass => ("达标", "Pass"),
            Label::PagePer1000 => ("千人指标", "Per 1000"),
            Label::PageProfile => ("评估方案", "Profile"),
            Label::PageQuota => ("千人指标要求", "Quota per 1000"),
            Label::PageRank => ("序号", "Rank"),
            Label::PageResidents => ("居民", "residents"),
            Label::PageScore => ("得分", "Score"),
            Label::PageTarget => ("目标", "Target"),
            Label::PageThreshold => ("阈值", "Threshold"),
            Label::PageUnserved => ("未覆盖居民", "Unserved residents"),
            Label::Pass => ("达标", "pass"),
            Label::Per1000 => ("千人指标", "per 1,000"),
            Label::Per1000After => ("千人指标 之后", "per 1,000 after"),
            Label::Per1000Base => ("千人指标（基数）", "per 1,000 (base)"),
            Label::Per1000Before => ("千人指标 之前", "per 1,000 before"),
            Label::PlanIndicatorsFromSeedDocuments => {
                ("规划指标（来自种子文件）", "Plan indicators (from the seed documents)")
            }
            Label::PlanSiteCount => (
                "规划新增设施数（规划投入，非覆盖目标）",
                "plan's count of new sites (a plan input, not a coverage target)",
            ),
            Label::PlanningUnits => ("规划单元汇总", "Planning units"),
            Label::Population => ("人口", "population"),
            Label::PopulationHeading => ("人口", "Population"),
            Label::PresenceIndicators => ("设施覆盖单元指标", "Presence indicators"),
            Label::Problem => ("问题", "problem"),
            Label::Profile => ("指标方案", "Profile"),
            Label::PublicRowsOnly => ("（仅公办/普惠行）", "(public rows only)"),
            Label::Quota => ("定额", "quota"),
            Label::RankingByCategory => ("分类别排名（按人口覆盖率）", "Ranking by category (covered share)"),
            Label::RankingByIndex => ("按综合指数排名", "Ranking by composite index"),
            Label::Rank => ("序号", "rank"),
            Label::RatioPer1000 => ("千人供给比", "ratio per 1,000"),
            Label::Recalled => ("回忆值，种子文件中没有", "recalled, not in the seeds"),
            Label::Resident => ("人", "resident"),
            Label::ResidentialFloorArea => ("居住建筑面积 ÷", "residential floor area ÷"),
            Label::Residents => ("人口", "residents"),
            Label::ResidentsCovered => ("覆盖率", "residents covered"),
            Label::Result => ("结果", "result"),
            Label::RowsLeaveColumnBlankCounted => ("行未填该列，不计入", "rows leave the column blank, not counted"),
            Label::Scenario => ("情景", "scenario"),
            Label::ScenarioVsBaseline => ("情景与基准对比", "Scenario vs baseline"),
            Label::Score => ("指数", "score"),
            Label::Share => ("占比", "share"),
            Label::ShareNotAssessedNoColumn => (
                "未评估：没有输入给出该列（--facilities 表的 meals / 助餐 / 提供助餐 列）",
                "not assessed: no input gives the column (a --facilities table's meals / 助餐 / 提供助餐 column)",
            ),
            Label::SharePassing => ("达标比例", "share passing"),
            Label::ShortfallAfter => ("容量缺口 之后", "shortfall after"),
            Label::SfcaMethod => (
                "千人指标采用两步移动搜索法（2SFCA）：第一步，对每处设施 j，在其步行阈值 t₀ 内求供需比 \
                 `R_j = S_j ÷ Σ_{k: t_kj ≤ t₀} D_k`（S_j 为设施容量，D_k 为需求点 k 的需求人群人数）；第二步，对每个需求点 i，\
                 把阈值内设施的供需比相加：`A_i = Σ_{j: t_ij ≤ t₀} R_j`。社区的可达容量 = `Σ_i D_i × A_i`（社区内各需求点），\
                 千人指标 = 1000 × 可达容量 ÷ 基数人口（常住人口或需求人群，见“千人指标（基数）”列），\
                 容量缺口 = 定额 × 基数人口 ÷ 1000 − 可达容量（大于 0 时）。",
                "Per-1,000 figures use the two-step floating catchment area method (2SFCA).",
            ),
            Label::ShortfallBefore => ("容量缺口 之前", "shortfall before"),
            Label::ShortfallClosedPlaces => ("缩小缺口（名额）", "shortfall closed (places)"),
            Label::ShortfallLeft => ("剩余缺口", "shortfall left"),
            Label::ShortfallNow => ("现状缺口（逐点）", "shortfall now (point by point)"),
            Label::SingleSiteInstead => (
                "最佳单个可负担点优于按成本收益贪心选出的组合，故只建议该点。",
                "The best single affordable site beats the cost-benefit greedy set: it alone is suggested.",
            ),
            Label::Sites => ("处", "sites"),
            Label::SourceDocumentSectionYear => ("来源（文件、条目、年份）", "source (document, section, year)"),
            Label::StepsWalkedSlower => ("台阶按较慢速度计", "steps walked slower"),
            Label::StreetNodesOffMainNetwork => ("主网络之外的孤立路网节点", "street nodes off the main network"),
            Label::SuggestedSites => ("建议新增设施点位", "Suggested sites"),
            Label::Suggestions => ("建议选址", "Suggested sites"),
            Label::Target => ("目标", "target"),
            Label::TargetYear => ("目标年份", "Target year"),
            Label::TargetsTheirSources => ("目标及其来源", "Targets and their sources"),
            Label::Threshold => ("步行阈值", "threshold"),
            Label::ReportTitle => ("15分钟公共服务圈 评估报告", "15-minute public-service circle report"),
            Label::ThresholdShort => ("阈值", "threshold"),
            Label::FacilitiesShort => ("设施", "facilities"),
            Label::UnservedPopulation => ("未覆盖人口", "unserved"),
            Label::Title => ("15分钟公共服务圈评估报告", "15-minute public-service circle report"),
            Label::Unit => ("单元", "unit"),
            Label::Units => ("单元数", "units"),
            Label::Unserved => ("未覆盖居民", "unserved"),
            Label::UnservedExplained => (
                "未覆盖居民 = 该类别需求人群中超出步行阈值者；各类别分别排序，不跨类别相加。每类列出前 10 个社区，完整清单见 `gaps.csv`。",
                "Unserved = residents of the category's demand group beyond its threshold; each category is ranked on \
             its own and residents are never added across categories. Top 10 per category; the full list is in \
             `gaps.csv`.",
            ),
            Label::UnservedResidentsAll => ("未覆盖居民合计", "unserved residents in all"),
            Label::Value => ("数值", "value"),
            Label::WalkableWaysCutExtractEdge => {
                ("在数据边界被截断的步行道路", "walkable ways cut at the extract edge")
            }
            Label::WalkingSpeed => ("步行速度", "walking speed"),
            Label::WalkingSpeedHeading => ("步行速度", "Walking speed"),
            Label::Walkshed => ("步行圈", "Walk-shed"),
            Label::WalkshedNote => (
                "步行圈：所选类别任一设施在阈值内可步行到达的街道两侧各 25 米范围",
                "Walk-shed: 25 m either side of the streets walkable within the threshold from a facility of the selected category",
            ),
            Label::Warnings => ("提示", "Warnings"),
            Label::WeakestCommunities => ("最薄弱社区", "weakest communities"),
            Label::WholeArea => ("全域", "whole area"),
            Label::Year => ("年份", "Year"),
            Label::Yes => ("是", "yes"),
        }
    }
}

/// A capacity unit of the profile (`places`, `beds`) in `lang`; another unit as written.
pub fn capacity_unit(unit: &str, lang: Lang) -> String {
    match (lang, unit) {
        (Lang::Zh, "places") => "个名额".into(),
        (Lang::Zh, "beds") => "张床位".into(),
        _ => unit.to_string(),
    }
}

/// The input's label in `lang`: the embedded default's English suffix `(embedded default)` reads
/// `（内置默认数据）` in Chinese; a file name is kept as it is.
pub fn input_label(label: &str, lang: Lang) -> String {
    match (lang, label.strip_suffix(" (embedded default)")) {
        (Lang::Zh, Some(name)) => format!("{name}（内置默认数据）"),
        _ => label.to_string(),
    }
}

/// The lines printed after a run's table, in `lang`: which walk-sheds were written (`kind`:
/// `none`, `category`, `facility`) and how many files went where.
pub fn run_footer(lang: Lang, kind: &str, files: usize, out: &str, ms: f64) -> String {
    let walksheds = match (lang, kind) {
        (Lang::En, "none") => "walk-sheds: none written (--isochrones none)",
        (Lang::En, "category") => {
            "walk-sheds: one per category in isochrones.geojson (one per facility too: --isochrones facility)"
        }
        (Lang::En, _) => "walk-sheds: one per facility and one per category in isochrones.geojson",
        (Lang::Zh, "none") => "步行圈：未输出（--isochrones none）",
        (Lang::Zh, "category") => "步行圈：isochrones.geojson 中每类一个（每个设施一个：--isochrones facility）",
        (Lang::Zh, _) => "步行圈：isochrones.geojson 中每个设施一个、每类一个",
    };
    match lang {
        Lang::En => format!("{walksheds}\nwrote {files} files to {out} in {ms:.0} ms\n"),
        Lang::Zh => format!("{walksheds}\n已写出 {files} 个文件到 {out}，用时 {ms:.0} 毫秒\n"),
    }
}

/// The run's warnings in Chinese: `(English pattern, Chinese pattern)`, `{}` a value in the English
/// text, `{N}` the N-th value in the Chinese one. A warning that matches none of these goes through
/// `crate::zh_text::warning_line`; [`WARNING_FRAGMENTS_ZH`] translate the pieces inside values.
pub const WARNINGS_ZH: &[(&str, &str)] = &[
    (
        "{} residents ({} demand points) in {} communities are further than {} m (walk.demand_snap_limit_m) from \
         any walkable way: not attached, counted as unserved in every category (unattached_population): {}",
        "{2} 个社区的 {0} 名居民（{1} 个需求点）距最近的步行道路超过 {3} 米（walk.demand_snap_limit_m）：\
         未接入路网，在所有类别中计为未覆盖（unattached_population）：{4}",
    ),
    (
        "{} residents in {} communities live on network islands cut off from the main walking network (they \
         reach only facilities on their island): {}",
        "{1} 个社区的 {0} 名居民位于与主路网不连通的路网孤岛上（只能到达孤岛上的设施）：{2}",
    ),
    (
        "{} categories have no facility in the inputs and are not assessed (no data; left out of the index, gaps \
         and maps): {}; supply a facility table (--facilities) or declare the data complete (--complete)",
        "{0} 个类别在输入中没有任何设施，未评估（缺的是数据，不一定是服务；不计入综合指数、差距排名和地图）：{1}；\
         请用 --facilities 提供设施表，或确认数据完整后用 --complete 声明",
    ),
    ("population {} residents, by source: {}", "人口合计 {0} 人，按来源：{1}"),
    (
        "profile {} has {} presence indicators (e.g. {}); give --units to evaluate them",
        "指标方案 {0} 含 {1} 项设施覆盖单元指标（如 {2}）；需用 --units 提供规划单元才能评估",
    ),
    (
        "{} facilities are further than {} m from any walkable way and were not used: {}",
        "{0} 处设施距最近的步行道路超过 {1} 米，未计入：{2}",
    ),
];

/// Pieces inside the values of [`WARNINGS_ZH`] (lists of communities, population sources).
pub const WARNING_FRAGMENTS_ZH: &[(&str, &str)] = &[
    (" communities from building floor area ÷ ", " 个社区按居住建筑面积 ÷ "),
    (" communities from ground area × ", " 个社区按用地面积 × "),
    (" communities from the community layer", " 个社区取自社区图层"),
    (" m² per resident (no residential building mapped): ", " m²/人推算（未标注居住建筑）："),
    (" m² per resident: ", " m²/人推算："),
    (" residents, ", " 人，"),
    (" points, nearest street ", " 个点，最近道路 "),
    (" residents", " 人"),
];

/// A warning in `lang`: in Chinese through [`WARNINGS_ZH`], else through the library's pattern
/// table (`crate::zh_text`, which covers every warning the library writes); English as written.
pub fn warning(lang: Lang, w: &str) -> String {
    if lang == Lang::En {
        return w.to_string();
    }
    for (en, zh) in WARNINGS_ZH {
        if let Some(values) = crate::zh_text::match_pattern(en, w) {
            let mut out = zh.to_string();
            for (i, v) in values.iter().enumerate() {
                let mut v = crate::zh_text::translate(v).unwrap_or_else(|| v.to_string());
                for (fe, fz) in WARNING_FRAGMENTS_ZH {
                    v = v.replace(fe, fz);
                }
                out = out.replace(&format!("{{{i}}}"), &v);
            }
            return out;
        }
    }
    // Every other warning, and the folded kinds, through the library's one table.
    crate::zh_text::warning_line(w)
}

/// The seed documents by name, for the Chinese report: their repository paths are replaced by
/// their titles, and the development note of a recalled figure by what it is.
pub const DOCUMENTS_ZH: &[(&str, &str)] = &[
    ("seeds/000_8ed796a6c9fbd30b.txt", "《龙湾区2024年公共服务“七优享”工程工作要点》"),
    ("seeds/004_884a96158c1703ec.txt", "《海曙区公共服务“七优享”工程实施方案（2023—2027年）》"),
    ("../shared/domain/targets.md; ", ""),
    ("../shared/domain/targets.md", ""),
];

/// A text of the profile in the Chinese report: its `[text_zh]` fragments in Chinese, then the
/// seed documents named ([`DOCUMENTS_ZH`]) instead of cited by path.
pub fn profile_text(p: &crate::profile::Profile, text: &str) -> String {
    let mut s = p.free_text(text, Lang::Zh);
    for (path, name) in DOCUMENTS_ZH {
        if s.contains(path) {
            s = s.replace(path, name);
        }
    }
    s
}

/// The labels `report.html`'s script reads (`META.strings.<name>`), by their name there.
pub const PAGE_WORDS: [(&str, Label); 34] = [
    ("communities", Label::Communities),
    ("overall_score", Label::OverallScore),
    ("covered", Label::PageCovered),
    ("covered_share", Label::CoveredShare),
    ("mean", Label::Mean),
    ("p90", Label::P90),
    ("per_1000", Label::PagePer1000),
    ("pass", Label::PagePass),
    ("yes", Label::Yes),
    ("no", Label::No),
    ("min", Label::Min),
    ("facilities", Label::PageFacilities),
    ("unserved", Label::PageUnserved),
    ("walkshed", Label::Walkshed),
    ("suggestions", Label::Suggestions),
    ("osm_tiles", Label::OsmTiles),
    ("no_background", Label::NoBackground),
    ("no_data", Label::NoData),
    ("threshold", Label::PageThreshold),
    ("score", Label::PageScore),
    ("population", Label::PopulationHeading),
    ("residents", Label::PageResidents),
    ("capacity", Label::Capacity),
    ("not_attached", Label::NotAttached),
    ("rank", Label::PageRank),
    ("gain", Label::Gain),
    ("legend", Label::Legend),
    ("category", Label::PageCategory),
    ("circle_area", Label::CircleArea),
    ("per_cell", Label::PerGridCell),
    ("estimated", Label::Estimated),
    ("given", Label::Given),
    ("data_attr", Label::DataAttr),
    ("colour_is_category", Label::ColourIsCategory),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_words_are_distinct_and_non_empty() {
        let mut names: Vec<&str> = PAGE_WORDS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PAGE_WORDS.len());
        for (n, l) in PAGE_WORDS {
            for lang in [Lang::Zh, Lang::En] {
                assert!(!l.text(lang).is_empty(), "{n}");
            }
        }
    }

    #[test]
    fn text_picks_the_language() {
        assert_eq!(Label::Pass.text(Lang::Zh), "达标");
        assert_eq!(Label::Pass.text(Lang::En), "pass");
        assert_eq!(Label::NotAssessed.zh_en(), ("未评估（无数据）", "not assessed (no data)"));
    }
}
