//! The findings worded in Chinese.

use super::*;

impl Finding {
    pub(super) fn chinese(&self) -> String {
        use Finding::*;
        match self {
            RowsDropped { dropped, read, policy, alternative } => format!(
                "{read} 名受访者中有 {dropped} 名未纳入分析:{}",
                match (policy.as_str(), alternative) {
                    ("pairwise" | "fiml", _) => "未回答任何题项".to_string(),
                    (_, Some(a)) => format!("至少缺答一题(列删除;{a} 可保留他们)"),
                    (_, None) => "至少缺答一题(列删除)".to_string(),
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
            PlsNotConverged { iterations } => format!(
                "PLS 权重在 {iterations} 次迭代内未收敛:估计值不可靠;请检查模型中没有路径的构念及反向题"
            ),
            PlsLoadingAboveOne { item, loading } => format!(
                "“{item}”的 PLSc 载荷为 {loading:.3},超出 ±1:解不可接受;请检查该题,或不用 --consistent 报告 PLS 结果"
            ),
            PlsCollinearity { outcome, predictor, vif } => format!(
                "共线性:“{predictor}”作为“{outcome}”预测变量的内部 VIF 为 {vif:.2}(> 5),其路径系数不稳定;可考虑合并重叠的构念"
            ),
            PlsWeakPrediction { better, indicators } => format!(
                "PLSpredict:在 {indicators} 个内生指标中,PLS 仅对 {better} 个的预测优于(RMSE 更低)线性模型基准,预测力较弱(Shmueli 等,2019)"
            ),
            PlsGroupSkipped { by, group, n } => format!(
                "{by}“{group}”中无法估计 PLS 模型(n = {n}:样本过少或某题答案全同),其重要性–绩效图从略"
            ),
            SemNotConverged { iterations } => format!(
                "结构方程模型在 {iterations} 次迭代内未收敛:估计值不可靠;请检查模型中未识别的变量及反向题"
            ),
            SemNoMonteCarlo => "未计算蒙特卡洛区间:参数估计的协方差矩阵非正定(可能有参数未识别);请用 --bootstrap 估计定义效应".into(),
            SemGroupNotConverged { model } => {
                format!("多组模型({model})未收敛:其拟合及依赖它的检验不可靠")
            }
            SemHeywood { variable, variance } => format!(
                "结构方程模型出现 Heywood 现象:“{variable}”的方差为负({variance:.3});模型设定有误或样本过小,请检查模型或约束该方差"
            ),
            StandardizedAboveOne { path, value } => format!(
                "标准化路径 {path} 为 {value:.3},超出 ±1:预测变量高度重叠或模型经验性不可识别,解释前请简化模型"
            ),
            LatentCorrelationNearOne { a, b, correlation } => format!(
                "“{a}”与“{b}”的相关为 {}(超出 ±.95):两者无法区分,路径结果看似收敛却可能没有意义;请合并或重新设定模型",
                apa(*correlation)
            ),
            BootstrapFailures { failed, resamples } => format!(
                "{resamples} 次自助抽样中有 {failed} 次未收敛,已从区间中排除(与 lavaan 相同);失败过多说明模型不稳定"
            ),
            LowCoverage { coverage } => format!(
                "全信息极大似然:某两个题项同时被回答的比例仅为 {:.1}%(低于 10%),涉及它们的估计依据很少的回答",
                100.0 * coverage
            ),
            FewResamples { resamples } => format!(
                "{resamples} 次自助抽样得到的区间较粗糙,不宜作为 95% 置信区间报告:请使用 1000 次以上(--bootstrap 1000)"
            ),
            NoCjkFont { fix } => format!("未找到中文(CJK)字体:图表以英文标注;{fix}"),
            ChartsNotDrawn { reason } => format!("未绘制图表:{reason}"),
            ChartsNeedCjkFont { fix } => {
                format!("未绘制图表:组名或题目文字为中文,但未找到中文(CJK)字体;{fix}")
            }
            KanoQuestionable { attribute, count, n } => format!(
                "“{attribute}”的 {n} 个回答中有 {count} 个({})为可疑结果(Q:前后矛盾的回答,如正反两题都答“喜欢”),达到或超过 {}:受访者可能误解了题目;请检查措辞与翻译",
                english::pct(*count, *n), english::pct_level(c::KANO_QUESTIONABLE_MAX.value)
            ),
            KanoReverse { attribute, count, n } => format!(
                "“{attribute}”的 {n} 个回答中有 {count} 个({})为反向需求(R),达到或超过 {}:部分顾客可能希望相反——或正向题与反向题的列对调了;请检查问卷中的配对",
                english::pct(*count, *n), english::pct_level(c::KANO_REVERSE_MAX.value)
            ),
            KanoRulesDisagree { attribute, category, grouped } => format!(
                "“{attribute}”:众数归类为 {}({}),而 (A+O+M) 与 (I+R+Q) 比较法归为 {}({});两者都应报告",
                category.letter(), category.name(true), grouped.letter(), grouped.name(true)
            ),
            KanoNoBetterWorse { attribute, group } => format!(
                "“{attribute}”{}:没有 A、O、M 或 I 类回答,无法计算 Better 与 Worse 系数(为空)",
                group.as_ref().map(|g| format!("在“{g}”")).unwrap_or_default()
            ),
            KanoCategoryShift { attribute, by_group, chisq, df, p } => format!(
                "“{attribute}”{}(χ²({df}) = {chisq:.2},p {})",
                english::shift_words(by_group, true), p_clause(*p)
            ),
            BelowAdequate { dimension, group, msa, ci } => format!(
                "{}“{dimension}”的感知水平低于可接受的最低水平:MSA = {:.2},95% CI [{:.2}, {:.2}]",
                group.as_ref().map(|g| format!("{g}:")).unwrap_or_default(), msa, ci[0], ci[1]
            ),
            AboveDesired { dimension, group, mss, ci } => format!(
                "{}“{dimension}”的感知水平超过理想水平:MSS = {:.2},95% CI [{:.2}, {:.2}]",
                group.as_ref().map(|g| format!("{g}:")).unwrap_or_default(), mss, ci[0], ci[1]
            ),
            AdequateAboveDesired { answers, pairs } => format!(
                "{pairs} 个作答题项中有 {answers} 个的最低可接受水平高于理想水平;已保留(真实受访者会这样作答),其容忍区间为负"
            ),
        }
    }
}
