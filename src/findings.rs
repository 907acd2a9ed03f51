//! Findings: what an analysis noticed and a researcher should act on, as data — what, where (dimension, item,
//! group), the values and the criterion. This is the one place that words them, in English and Chinese;
//! the terminal, the quality-flag table, the prose and the HTML report all read findings and never re-check a
//! threshold or match text. The results JSON carries them under `findings` and, worded in English, as the
//! contract's `warnings`.
//!
//! ```
//! use perval::findings::Finding;
//! use perval::instrument::Language;
//! let f = Finding::LowAlpha { dimension: "price".into(), alpha: 0.64, group: None };
//! assert!(f.text(Language::En).contains("alpha of 'price' is .64"));
//! assert!(f.flag().is_some());
//! ```

use crate::apa::{apa, apa3, p_clause};
use crate::criteria::{self as c, FitVerdict};
use crate::instrument::Language;
use serde::{Deserialize, Serialize};

/// A group of the `--by` column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRef {
    /// The grouping column.
    pub by: String,
    pub group: String,
}

/// The level of measurement invariance that held (Chen 2007).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvarianceLevel {
    Configural,
    Metric,
    Scalar,
}

impl InvarianceLevel {
    pub fn name(self) -> &'static str {
        match self {
            InvarianceLevel::Configural => "configural",
            InvarianceLevel::Metric => "metric",
            InvarianceLevel::Scalar => "scalar",
        }
    }
}

/// One thing an analysis noticed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// Respondents left out by the missing-data policy.
    RowsDropped {
        dropped: usize,
        read: usize,
        /// "listwise" or "pairwise".
        policy: String,
    },
    SingleItemDimension {
        dimension: String,
    },
    ReliabilityFailed {
        dimension: String,
        group: Option<GroupRef>,
        error: String,
    },
    /// α below .70 (Nunnally 1978), overall or within a group.
    LowAlpha {
        dimension: String,
        alpha: f64,
        group: Option<GroupRef>,
    },
    /// A negative corrected item–total correlation: probably a reverse-keyed item scored as is.
    NegativeItemTotal {
        dimension: String,
        item: String,
        r_drop: f64,
        /// Whether the instrument already marks the item reverse-keyed.
        marked_reverse: bool,
    },
    /// r.drop below .30 (Nunnally & Bernstein 1994).
    LowItemTotal {
        dimension: String,
        item: String,
        r_drop: f64,
    },
    /// α rises by more than .01 without the item.
    AlphaRisesWithout {
        dimension: String,
        item: String,
        alpha: f64,
        alpha_without: f64,
    },
    OmegaNotConverged {
        dimension: String,
    },
    /// Too few complete respondents for the factor analyses.
    TooFewForFactorAnalysis {
        complete: usize,
        items: usize,
    },
    FactorabilityFailed {
        error: String,
    },
    /// KMO below .60 (Kaiser 1974).
    LowKmo {
        kmo: f64,
    },
    /// Bartlett's test does not reject sphericity.
    BartlettNotSignificant {
        chi2: f64,
        df: usize,
        p: f64,
    },
    ParallelAnalysisDisagrees {
        suggested: usize,
        dimensions: usize,
    },
    EfaNotConverged {
        method: String,
    },
    RotationNotConverged {
        rotation: String,
        iterations: usize,
    },
    /// EFA communality at or near 1.
    EfaHeywood {
        item: String,
        communality: f64,
    },
    EfaFailed {
        error: String,
    },
    /// The CFA needs two items per factor.
    CfaSkipped {
        single_item_dimensions: Vec<String>,
    },
    CfaFailed {
        error: String,
    },
    CfaNotConverged {
        iterations: usize,
    },
    /// Negative residual variance or standardized loading beyond ±1.
    CfaHeywood {
        item: String,
        residual_variance: f64,
        loading_std: f64,
    },
    FactorCovarianceNotPositiveDefinite,
    /// Fit below Hu & Bentler's acceptable cutoffs.
    PoorFit {
        factors: usize,
        cfi: f64,
        rmsea: f64,
        srmr: f64,
    },
    LowCompositeReliability {
        dimension: String,
        cr: f64,
    },
    LowAve {
        dimension: String,
        ave: f64,
    },
    HighHtmt {
        a: String,
        b: String,
        htmt: f64,
    },
    /// A factor correlation exceeds the square root of an AVE.
    FornellLarcker {
        a: String,
        b: String,
        correlation: f64,
    },
    GroupValueMissing {
        by: String,
        respondents: usize,
    },
    SmallGroupsLeftOut {
        by: String,
        groups: Vec<String>,
    },
    TooFewGroups {
        by: String,
    },
    GroupComparisonFailed {
        dimension: String,
        error: String,
    },
    InvarianceNotTested {
        group: GroupRef,
        complete: usize,
        items: usize,
    },
    InvarianceFailed {
        error: String,
    },
    InvarianceNotConverged,
    /// The highest invariance level that held is below scalar.
    NonInvariance {
        by: String,
        supported: InvarianceLevel,
    },
    CarelessResponders {
        flagged: usize,
        screened: usize,
        excluded: bool,
    },
    /// Charts were labelled in English for want of a CJK font.
    NoCjkFont {
        fix: String,
    },
}

/// One failed check of the quality-flag table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub check: String,
    pub value: String,
    pub meaning: String,
    pub source: String,
    pub try_next: String,
}

fn flag(check: String, value: String, meaning: &str, source: &str, try_next: &str) -> Flag {
    Flag {
        check,
        value,
        meaning: meaning.into(),
        source: source.into(),
        try_next: try_next.into(),
    }
}

impl Finding {
    /// The finding as a sentence.
    pub fn text(&self, lang: Language) -> String {
        match lang {
            Language::En => self.english(),
            Language::Zh => self.chinese(),
        }
    }

    fn english(&self) -> String {
        use Finding::*;
        match self {
            RowsDropped { dropped, read, policy } => format!(
                "{dropped} of {read} respondents were left out because they {}",
                if policy == "pairwise" {
                    "answered no item"
                } else {
                    "missed at least one item (listwise deletion; --missing pairwise keeps them)"
                }
            ),
            SingleItemDimension { dimension } => format!(
                "dimension '{dimension}' has a single item: no reliability can be computed for it"
            ),
            ReliabilityFailed { dimension, group: None, error } => {
                format!("reliability of '{dimension}' could not be computed: {error}")
            }
            ReliabilityFailed { dimension, group: Some(g), error } => format!(
                "reliability of '{dimension}' in {} '{}' could not be computed: {error}",
                g.by, g.group
            ),
            LowAlpha { dimension, alpha, group: None } => format!(
                "alpha of '{dimension}' is {} (below the .70 convention, Nunnally 1978): look at the item table for items that do not fit",
                apa(*alpha)
            ),
            LowAlpha { dimension, alpha, group: Some(g) } => format!(
                "alpha of '{dimension}' in {} '{}' is {} (below .70): the dimension is less reliable in this group",
                g.by,
                g.group,
                apa(*alpha)
            ),
            NegativeItemTotal { dimension, item, r_drop, marked_reverse } => format!(
                "{item} correlates negatively with the rest of '{dimension}' (r.drop = {}): is it reverse-keyed? {}",
                apa(*r_drop),
                if *marked_reverse {
                    "It is marked reverse = true: check whether the file already holds reversed answers."
                } else {
                    "Set reverse = true for it in the instrument if it is negatively worded."
                }
            ),
            LowItemTotal { dimension, item, r_drop } => format!(
                "{item} has a low corrected item–total correlation in '{dimension}' (r.drop = {} < .30)",
                apa(*r_drop)
            ),
            AlphaRisesWithout { dimension, item, alpha, alpha_without } => format!(
                "alpha of '{dimension}' rises from {} to {} without {item}",
                apa(*alpha),
                apa(*alpha_without)
            ),
            OmegaNotConverged { dimension } => {
                format!("the one-factor fit behind omega of '{dimension}' did not converge")
            }
            TooFewForFactorAnalysis { complete, items } => format!(
                "only {complete} respondents are complete on all {items} items: KMO, Bartlett, EFA and CFA need more respondents than items and were skipped"
            ),
            FactorabilityFailed { error } => {
                format!("factorability could not be assessed: {error}")
            }
            LowKmo { kmo } => format!(
                "KMO = {} is below .60 (Kaiser 1974): the items share too little variance for a factor analysis to be trusted",
                apa(*kmo)
            ),
            BartlettNotSignificant { chi2, df, p } => format!(
                "Bartlett's test does not reject uncorrelated items (χ²({df}) = {chi2:.2}, p {}): a factor analysis has little to find",
                p_clause(*p)
            ),
            ParallelAnalysisDisagrees { suggested, dimensions } => format!(
                "parallel analysis suggests {suggested} factors, the instrument has {dimensions} dimensions: compare the EFA with --factors {suggested}"
            ),
            EfaNotConverged { method } => {
                format!("the EFA ({method}) did not converge: treat its loadings with caution")
            }
            RotationNotConverged { rotation, iterations } => format!(
                "the {rotation} rotation did not converge in {iterations} iterations"
            ),
            EfaHeywood { item, communality } => format!(
                "Heywood case in the EFA: item {item} has a communality of {communality:.3} (at or near 1): try fewer factors, another extraction method (--method ml or pa), or check the item"
            ),
            EfaFailed { error } => format!("the EFA could not be run: {error}"),
            CfaSkipped { single_item_dimensions } => format!(
                "the CFA, CR, AVE and HTMT were skipped: a CFA factor needs at least 2 items and {} has one",
                quoted(single_item_dimensions)
            ),
            CfaFailed { error } => format!("the CFA could not be run: {error}"),
            CfaNotConverged { iterations } => format!(
                "CFA: the CFA did not converge in {iterations} iterations: its estimates and fit indices are unreliable; check reverse-keyed items and items with very low correlations"
            ),
            CfaHeywood { item, residual_variance, loading_std } => format!(
                "CFA: Heywood case: item {item} has a negative residual variance ({residual_variance:.3}; standardized loading {loading_std:.3}); the model is misspecified for this item or the sample is too small — consider removing the item or constraining its residual variance"
            ),
            FactorCovarianceNotPositiveDefinite => "CFA: the factor covariance matrix is not positive definite (a factor correlation ≥ 1 in absolute value): two dimensions may not be distinct — consider merging them".into(),
            PoorFit { factors, cfi, rmsea, srmr } => format!(
                "the {factors}-factor CFA fits poorly (CFI = {}, RMSEA = {}, SRMR = {}; acceptable is CFI ≥ .90, RMSEA ≤ .08 and SRMR ≤ .08, good CFI ≥ .95 and RMSEA ≤ .06, Hu & Bentler 1999): look at the loadings and modification indices before interpreting the dimensions",
                apa(*cfi),
                apa3(*rmsea),
                apa3(*srmr)
            ),
            LowCompositeReliability { dimension, cr } => format!(
                "composite reliability of '{dimension}' is {} (< .70, Hair et al. 2010)",
                apa(*cr)
            ),
            LowAve { dimension, ave } => format!(
                "AVE of '{dimension}' is {} (< .50, Fornell & Larcker 1981): its items share less variance with the factor than error",
                apa(*ave)
            ),
            HighHtmt { a, b, htmt } => format!(
                "HTMT of '{a}' and '{b}' is {} (> .85, Henseler et al. 2015): the two dimensions may not be distinct",
                apa(*htmt)
            ),
            FornellLarcker { a, b, correlation } => format!(
                "Fornell–Larcker: the correlation of '{a}' and '{b}' ({}) exceeds the square root of an AVE: discriminant validity is in doubt",
                apa(*correlation)
            ),
            GroupValueMissing { by, respondents } => format!(
                "{respondents} respondents have no value in '{by}' and are left out of the group comparison only"
            ),
            SmallGroupsLeftOut { by, groups } => format!(
                "group(s) {} of '{by}' have fewer than 2 respondents and are left out of the comparison (a group needs at least 2 for a standard deviation)",
                quoted(groups)
            ),
            TooFewGroups { by } => format!(
                "'{by}' has fewer than 2 groups with at least 2 respondents: no group comparison is possible"
            ),
            GroupComparisonFailed { dimension, error } => {
                format!("groups could not be compared on '{dimension}': {error}")
            }
            InvarianceNotTested { group, complete, items } => format!(
                "measurement invariance was not tested: {} '{}' has {complete} complete respondents for {items} items (a group needs more respondents than items)",
                group.by, group.group
            ),
            InvarianceFailed { error } => {
                format!("measurement invariance could not be tested: {error}")
            }
            InvarianceNotConverged => "a multi-group CFA of the invariance tests did not converge: treat the invariance verdict with caution".into(),
            NonInvariance { by, supported: InvarianceLevel::Metric } => format!(
                "scalar invariance across '{by}' does not hold (Chen 2007): differences in dimension means may reflect item bias rather than perceived value; compare relationships, not means, or test partial invariance"
            ),
            NonInvariance { by, .. } => format!(
                "metric invariance across '{by}' does not hold (Chen 2007): the items relate to the dimensions differently in different groups; group comparisons of scores are questionable"
            ),
            CarelessResponders { flagged, screened, excluded } => format!(
                "careless-response screening flagged {flagged} of {screened} respondents{}",
                if *excluded {
                    " and left them out of every statistic"
                } else {
                    " (kept; --exclude-flagged leaves them out)"
                }
            ),
            NoCjkFont { fix } => {
                format!("no Chinese (CJK) font found: charts are labelled in English; {fix}")
            }
        }
    }

    fn chinese(&self) -> String {
        use Finding::*;
        match self {
            RowsDropped { dropped, read, policy } => format!(
                "{read} 名受访者中有 {dropped} 名未纳入分析:{}",
                if policy == "pairwise" {
                    "未回答任何题项"
                } else {
                    "至少缺答一题(列删除;--missing pairwise 可保留他们)"
                }
            ),
            SingleItemDimension { dimension } => {
                format!("维度“{dimension}”只有一个题项,无法计算信度")
            }
            ReliabilityFailed { dimension, group, error } => format!(
                "{}维度“{dimension}”的信度无法计算:{error}",
                in_group(group)
            ),
            LowAlpha { dimension, alpha, group } => format!(
                "{}维度“{dimension}”的 α = {},低于 .70 的常用标准(Nunnally 1978):请查看题项表中不一致的题项",
                in_group(group),
                apa(*alpha)
            ),
            NegativeItemTotal { dimension, item, r_drop, marked_reverse } => format!(
                "{item} 与维度“{dimension}”其余题项负相关(r.drop = {}):是否为反向题?{}",
                apa(*r_drop),
                if *marked_reverse {
                    "该题已标记为反向计分:请检查文件中的答案是否已被反转。"
                } else {
                    "若为反向措辞,请在量表文件中为其设置 reverse = true。"
                }
            ),
            LowItemTotal { dimension, item, r_drop } => format!(
                "{item} 在维度“{dimension}”中的校正题总相关偏低(r.drop = {} < .30)",
                apa(*r_drop)
            ),
            AlphaRisesWithout { dimension, item, alpha, alpha_without } => format!(
                "删除 {item} 后,维度“{dimension}”的 α 由 {} 升至 {}",
                apa(*alpha),
                apa(*alpha_without)
            ),
            OmegaNotConverged { dimension } => {
                format!("维度“{dimension}”ω 系数所依据的单因子模型未收敛")
            }
            TooFewForFactorAnalysis { complete, items } => format!(
                "仅 {complete} 名受访者完整回答全部 {items} 个题项:KMO、Bartlett、EFA 与 CFA 需要受访者多于题项,已跳过"
            ),
            FactorabilityFailed { error } => format!("无法评估因子分析适宜性:{error}"),
            LowKmo { kmo } => format!(
                "KMO = {} 低于 .60(Kaiser 1974):题项共享方差过少,因子分析结果不可靠",
                apa(*kmo)
            ),
            BartlettNotSignificant { chi2, df, p } => format!(
                "Bartlett 球形检验不显著(χ²({df}) = {chi2:.2},p {}):题项间相关不足以进行因子分析",
                p_clause(*p)
            ),
            ParallelAnalysisDisagrees { suggested, dimensions } => format!(
                "平行分析建议保留 {suggested} 个因子,而量表有 {dimensions} 个维度:可用 --factors {suggested} 对比 EFA 结果"
            ),
            EfaNotConverged { method } => {
                format!("探索性因子分析({method})未收敛:请谨慎解读其载荷")
            }
            RotationNotConverged { rotation, iterations } => {
                format!("{rotation} 旋转在 {iterations} 次迭代内未收敛")
            }
            EfaHeywood { item, communality } => format!(
                "EFA 出现 Heywood 现象:题项 {item} 的共同度为 {communality:.3}(接近或等于 1):可减少因子数、换用其他提取方法(--method ml 或 pa)或检查该题项"
            ),
            EfaFailed { error } => format!("无法进行探索性因子分析:{error}"),
            CfaSkipped { single_item_dimensions } => format!(
                "已跳过 CFA、CR、AVE 与 HTMT:每个 CFA 因子至少需要 2 个题项,而 {} 只有一个",
                quoted(single_item_dimensions)
            ),
            CfaFailed { error } => format!("无法进行验证性因子分析:{error}"),
            CfaNotConverged { iterations } => format!(
                "CFA 在 {iterations} 次迭代内未收敛:其估计值与拟合指数不可靠;请检查反向题及相关很低的题项"
            ),
            CfaHeywood { item, residual_variance, loading_std } => format!(
                "CFA 出现 Heywood 现象:题项 {item} 的残差方差为负({residual_variance:.3};标准化载荷 {loading_std:.3});模型对该题设定有误或样本过小,可考虑删除该题或约束其残差方差"
            ),
            FactorCovarianceNotPositiveDefinite => "CFA 的因子协方差矩阵非正定(某因子相关的绝对值 ≥ 1):两个维度可能无法区分,可考虑合并".into(),
            PoorFit { factors, cfi, rmsea, srmr } => format!(
                "{factors} 因子 CFA 拟合欠佳(CFI = {},RMSEA = {},SRMR = {};可接受标准为 CFI ≥ .90、RMSEA ≤ .08、SRMR ≤ .08,良好标准为 CFI ≥ .95、RMSEA ≤ .06,Hu & Bentler 1999):解释维度前请查看载荷与修正指数",
                apa(*cfi),
                apa3(*rmsea),
                apa3(*srmr)
            ),
            LowCompositeReliability { dimension, cr } => format!(
                "维度“{dimension}”的组合信度为 {}(< .70,Hair et al. 2010)",
                apa(*cr)
            ),
            LowAve { dimension, ave } => format!(
                "维度“{dimension}”的 AVE 为 {}(< .50,Fornell & Larcker 1981):因子解释的题项方差少于误差",
                apa(*ave)
            ),
            HighHtmt { a, b, htmt } => format!(
                "“{a}”与“{b}”的 HTMT 为 {}(> .85,Henseler et al. 2015):两个维度可能无法区分",
                apa(*htmt)
            ),
            FornellLarcker { a, b, correlation } => format!(
                "Fornell–Larcker 检验:“{a}”与“{b}”的相关({})超过某一 AVE 的平方根,区分效度存疑",
                apa(*correlation)
            ),
            GroupValueMissing { by, respondents } => format!(
                "{respondents} 名受访者的“{by}”为空,仅在组间比较中被排除"
            ),
            SmallGroupsLeftOut { by, groups } => format!(
                "“{by}”中的组 {} 不足 2 人,未纳入比较(计算标准差至少需要 2 人)",
                quoted(groups)
            ),
            TooFewGroups { by } => {
                format!("“{by}”中至少有 2 人的组少于 2 个:无法进行组间比较")
            }
            GroupComparisonFailed { dimension, error } => {
                format!("无法在维度“{dimension}”上比较各组:{error}")
            }
            InvarianceNotTested { group, complete, items } => format!(
                "未检验测量不变性:{}“{}”只有 {complete} 名完整作答者,而题项有 {items} 个(每组需要受访者多于题项)",
                group.by, group.group
            ),
            InvarianceFailed { error } => format!("无法检验测量不变性:{error}"),
            InvarianceNotConverged => {
                "测量不变性检验中有多组 CFA 未收敛:请谨慎解读不变性结论".into()
            }
            NonInvariance { by, supported: InvarianceLevel::Metric } => format!(
                "跨“{by}”的标量不变性不成立(Chen 2007):维度均值差异可能源于题项偏差而非感知价值;宜比较关系而非均值,或检验部分不变性"
            ),
            NonInvariance { by, .. } => format!(
                "跨“{by}”的度量不变性不成立(Chen 2007):各组题项与维度的关系不同,组间得分比较存疑"
            ),
            CarelessResponders { flagged, screened, excluded } => format!(
                "粗心作答筛查在 {screened} 名受访者中标记了 {flagged} 名{}",
                if *excluded {
                    ",并已从所有统计中排除"
                } else {
                    "(已保留;--exclude-flagged 可排除)"
                }
            ),
            NoCjkFont { fix } => format!("未找到中文(CJK)字体:图表以英文标注;{fix}"),
        }
    }

    /// The row of the quality-flag table, for the findings that fail a published check.
    pub fn flag(&self) -> Option<Flag> {
        use Finding::*;
        Some(match self {
            LowAlpha {
                dimension,
                alpha,
                group: None,
            } => flag(
                format!("α of {dimension} < .70"),
                apa(*alpha),
                "the items of the dimension do not measure one thing consistently",
                c::ALPHA_MIN.source,
                "look for items with low or negative r.drop; check reverse keying",
            ),
            NegativeItemTotal { item, r_drop, .. } => flag(
                format!("r.drop of {item} < .30"),
                apa(*r_drop),
                "the item runs against its dimension: probably a reverse-keyed item scored as is",
                c::R_DROP_MIN.source,
                "set reverse = true for it in the instrument, if it is negatively worded",
            ),
            LowItemTotal { item, r_drop, .. } => flag(
                format!("r.drop of {item} < .30"),
                apa(*r_drop),
                "the item shares little with the rest of its dimension",
                c::R_DROP_MIN.source,
                "consider dropping or rewording it",
            ),
            LowKmo { kmo } => flag(
                "KMO < .60".into(),
                apa(*kmo),
                "the items share too little variance for a factor analysis",
                c::KMO_MIN.source,
                "check reverse keying and items with low correlations; collect more respondents",
            ),
            BartlettNotSignificant { p, .. } => flag(
                "Bartlett's test p ≥ .05".into(),
                p_clause(*p),
                "the correlation matrix is not distinguishable from an identity matrix",
                c::BARTLETT_P_MAX.source,
                "a factor analysis has little to find: check the data",
            ),
            LowCompositeReliability { dimension, cr } => flag(
                format!("CR of {dimension} < .70"),
                apa(*cr),
                "the factor's indicators are not reliable as a set",
                c::CR_MIN.source,
                "drop weak indicators (standardized loading < .50)",
            ),
            LowAve { dimension, ave } => flag(
                format!("AVE of {dimension} < .50"),
                apa(*ave),
                "the factor explains less of its items' variance than error does",
                c::AVE_MIN.source,
                "drop weak indicators; report CR alongside",
            ),
            HighHtmt { a, b, htmt } => flag(
                format!("HTMT {a}–{b} > .85"),
                apa(*htmt),
                "the two dimensions may not be distinct",
                c::HTMT_MAX.source,
                "inspect cross-loadings; consider merging the dimensions",
            ),
            FornellLarcker { a, b, correlation } => flag(
                format!("Fornell–Larcker {a}–{b}"),
                apa(*correlation),
                "the factors correlate more than they explain their own items",
                c::FORNELL_LARCKER,
                "inspect cross-loadings; consider merging the dimensions",
            ),
            PoorFit {
                cfi, rmsea, srmr, ..
            } => {
                let mut failed = Vec::new();
                if *cfi < c::CFI_ACCEPTABLE.value {
                    failed.push(format!("CFI = {}", apa(*cfi)));
                }
                if *rmsea > c::RMSEA_ACCEPTABLE.value {
                    failed.push(format!("RMSEA = {}", apa3(*rmsea)));
                }
                if *srmr > c::SRMR_MAX.value {
                    failed.push(format!("SRMR = {}", apa3(*srmr)));
                }
                flag(
                    "CFA fit: CFI < .90, RMSEA > .08 or SRMR > .08".into(),
                    failed.join(", "),
                    "the model reproduces the covariances poorly",
                    "Hu & Bentler (1999); Browne & Cudeck (1993)",
                    "look at the modification indices and the loadings",
                )
            }
            EfaHeywood { item, communality } => flag(
                format!("Heywood case (EFA, {item})"),
                format!("h² = {communality:.3}"),
                "an impossible estimate (communality ≥ 1)",
                "Kolenikov & Bollen (2012)",
                "fewer factors, another extraction method, or drop the item",
            ),
            CfaHeywood {
                item,
                residual_variance,
                ..
            } => flag(
                format!("Heywood case (CFA, {item})"),
                format!("residual variance {residual_variance:.3}"),
                "an impossible estimate (negative variance)",
                "Kolenikov & Bollen (2012)",
                "drop the item or constrain its residual variance",
            ),
            NonInvariance { supported, .. } => flag(
                "Measurement non-invariance".into(),
                supported.name().into(),
                "group means of the dimensions may reflect item bias",
                c::CHEN_DELTA_CFI.source,
                "test partial invariance; compare relationships rather than means",
            ),
            _ => return None,
        })
    }

    /// A short note for the item table: (dimension, item, note).
    pub fn item_note(&self) -> Option<(&str, &str, String)> {
        use Finding::*;
        match self {
            NegativeItemTotal {
                dimension, item, ..
            } => Some((dimension, item, "negative r.drop: reverse-keying?".into())),
            LowItemTotal {
                dimension, item, ..
            } => Some((dimension, item, "r.drop < .30".into())),
            AlphaRisesWithout {
                dimension,
                item,
                alpha_without,
                ..
            } => Some((
                dimension,
                item,
                format!("α rises to {} without it", apa(*alpha_without)),
            )),
            _ => None,
        }
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|d| format!("'{d}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn in_group(group: &Option<GroupRef>) -> String {
    group
        .as_ref()
        .map(|g| format!("在{}“{}”中,", g.by, g.group))
        .unwrap_or_default()
}

/// The verdict of a fit in words: (English, Chinese).
pub fn fit_words(v: FitVerdict) -> (&'static str, &'static str) {
    match v {
        FitVerdict::Good => ("well", "良好"),
        FitVerdict::Acceptable => ("acceptably", "可以接受"),
        FitVerdict::Poor => ("poorly", "欠佳"),
    }
}
